package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/publiccode"
	"github.com/kolaborasi/kolaborasi/search"
)

// Limits on solutions and their searches.
const (
	// MaxScreenshots is the most screenshots one solution shows.
	MaxScreenshots = 8
	// DefaultSolutionPage is the page size of a search without one.
	DefaultSolutionPage = 20
	// maxSearchOffset bounds how deep pages go: nobody reads result 10,000,
	// and deep offsets cost the database.
	maxSearchOffset = 10000
	maxFacetValues  = 20
)

// solutionTerms analyses the search texts of a solution for the search
// index (kolaborasi.Solution.SearchTexts): Indonesian texts with the
// Indonesian analyser, English with English. regionName is the name of the
// publishing region.
func solutionTerms(s *kolaborasi.Solution, regionName string) string {
	return search.IndexTerms(s.SearchTexts(regionName))
}

// Solution returns a solution. Solutions are public, retired ones included.
func (a *App) Solution(ctx context.Context, id int64) (*kolaborasi.Solution, error) {
	return a.store.FindSolution(ctx, id)
}

// SolutionHistory returns every saved version of a solution, newest first:
// its number, time and author, without the documents.
func (a *App) SolutionHistory(ctx context.Context, id int64) ([]*kolaborasi.SolutionVersion, error) {
	return a.store.FindSolutionVersionLog(ctx, id)
}

// CreateSolution validates and publishes a new solution for s.RegionCode
// and sets its ID and version. The publiccode.yml, adoption count and
// synthetic mark cannot be set here.
func (a *App) CreateSolution(ctx context.Context, s *kolaborasi.Solution) error {
	s.PublicCode, s.Adoptions, s.Synthetic = "", 0, false
	if err := validateSolution(s); err != nil {
		return err
	}
	return a.change(ctx, ActSolutionPublish, s.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := a.prepareSolution(ctx, tx, s); err != nil {
			return "", "", err
		}
		s.CreatedAt = s.UpdatedAt
		if err := tx.CreateSolution(ctx, s); err != nil {
			return "", "", err
		}
		return solutionEntity(s.ID), fmt.Sprintf("published %s %q", s.Kind, s.Name.Get("id")), nil
	})
}

// UpdateSolution saves s as the next version of the stored solution with
// its ID. s.Version must be the version the editor read; a solution cannot
// move to another region. The publiccode.yml and adoption count are kept.
func (a *App) UpdateSolution(ctx context.Context, s *kolaborasi.Solution) (err error) {
	old, err := a.store.FindSolution(ctx, s.ID)
	if err != nil {
		return err
	}
	if s.RegionCode != old.RegionCode {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "A solution stays with the region that published it.",
			Fields: map[string]string{"region_code": "cannot change"}}
	}
	s.PublicCode, s.Adoptions, s.Synthetic, s.CreatedAt = old.PublicCode, old.Adoptions, old.Synthetic, old.CreatedAt
	if err := validateSolution(s); err != nil {
		return err
	}
	// The transaction may run again (see Store.InTx): each run starts from
	// the version read.
	read := s.Version
	defer func() {
		if err != nil {
			s.Version = read
		}
	}()
	return a.change(ctx, ActSolutionPublish, old.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		s.Version = read
		if err := a.prepareSolution(ctx, tx, s); err != nil {
			return "", "", err
		}
		if err := tx.UpdateSolution(ctx, s); err != nil {
			return "", "", err
		}
		return solutionEntity(s.ID), fmt.Sprintf("saved version %d", s.Version) + "; " + diffSummary(
			"name", old.Name.Get("id"), s.Name.Get("id"), "kind", string(old.Kind), string(s.Kind),
			"maturity", string(old.Maturity), string(s.Maturity), "licence", old.Licence, s.Licence), nil
	})
}

// RetireSolution marks a solution retired: it stays readable with its
// history but leaves searches unless asked for. version is the version the
// editor read.
func (a *App) RetireSolution(ctx context.Context, id int64, version int) (*kolaborasi.Solution, error) {
	s, err := a.store.FindSolution(ctx, id)
	if err != nil {
		return nil, err
	}
	s.Version = version
	s.Maturity = kolaborasi.MaturityRetired
	if err := a.UpdateSolution(ctx, s); err != nil {
		return nil, err
	}
	return s, nil
}

// UploadSolutionImage stores a PNG or JPEG image as the solution's logo
// (role "logo") or adds it to its screenshots (role "screenshot"), saving a
// new version.
func (a *App) UploadSolutionImage(ctx context.Context, id int64, role string, data []byte) (*kolaborasi.Solution, error) {
	if role != "logo" && role != "screenshot" {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "An image is either the logo or a screenshot.",
			Fields: map[string]string{"role": "must be logo or screenshot"}}
	}
	ct, err := checkImage(data)
	if err != nil {
		var e *kolaborasi.Error
		if errors.As(err, &e) {
			e.Fields = map[string]string{role: e.Message}
		}
		return nil, err
	}
	s, err := a.store.FindSolution(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := a.authorize(ctx, ActSolutionPublish, s.RegionCode); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	f := &kolaborasi.File{SHA256: hex.EncodeToString(sum[:]), ContentType: ct, Size: int64(len(data)), Data: data, CreatedAt: a.now()}
	if role == "logo" {
		s.LogoSHA256 = f.SHA256
	} else {
		if len(s.Screenshots) >= MaxScreenshots {
			return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: fmt.Sprintf("A solution shows at most %d screenshots; remove one first.", MaxScreenshots),
				Fields: map[string]string{"screenshot": "too many"}}
		}
		if !slices.Contains(s.Screenshots, f.SHA256) {
			s.Screenshots = append(s.Screenshots, f.SHA256)
		}
	}
	read := s.Version
	err = a.change(ctx, ActSolutionPublish, s.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		s.Version = read // the transaction may run again (see Store.InTx)
		if err := tx.PutFile(ctx, f); err != nil {
			return "", "", err
		}
		if err := a.prepareSolution(ctx, tx, s); err != nil {
			return "", "", err
		}
		if err := tx.UpdateSolution(ctx, s); err != nil {
			return "", "", err
		}
		return solutionEntity(s.ID), "added " + role + " " + f.SHA256, nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func solutionEntity(id int64) string { return "solution:" + strconv.FormatInt(id, 10) }

// prepareSolution checks what needs the database (the OPD belongs to the
// region, referenced images exist and are images) and fills in the author,
// time and search terms.
func (a *App) prepareSolution(ctx context.Context, tx kolaborasi.Store, s *kolaborasi.Solution) error {
	if s.OPDID != 0 {
		if err := a.checkOPD(ctx, tx, s.RegionCode, s.OPDID); err != nil {
			return err
		}
	}
	for i, sha := range append([]string{s.LogoSHA256}, s.Screenshots...) {
		if sha == "" && i == 0 {
			continue
		}
		field := "screenshots"
		if i == 0 {
			field = "logo"
		}
		f, err := tx.FindFile(ctx, sha)
		if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND || err == nil && !strings.HasPrefix(f.ContentType, "image/") {
			return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Upload the image first.",
				Fields: map[string]string{field: "is not an uploaded image"}}
		} else if err != nil {
			return err
		}
	}
	r, err := tx.FindRegion(ctx, s.RegionCode)
	if err != nil {
		return err
	}
	u := kolaborasi.UserFrom(ctx)
	s.AuthorID, s.AuthorName = u.ID, u.Name
	s.UpdatedAt = a.now()
	s.Terms = solutionTerms(s, r.Name)
	return nil
}

// validateSolution checks a solution's fields and trims its texts.
func validateSolution(s *kolaborasi.Solution) error {
	fields := map[string]string{}
	trim := func(t *kolaborasi.Texts) { t.ID, t.EN = strings.TrimSpace(t.ID), strings.TrimSpace(t.EN) }
	trim(&s.Name)
	trim(&s.Short)
	trim(&s.Long)
	long := func(field string, t kolaborasi.Texts, max int) {
		if utf8.RuneCountInString(t.ID) > max || utf8.RuneCountInString(t.EN) > max {
			fields[field] = fmt.Sprintf("must be at most %d characters", max)
		}
		if !utf8.ValidString(t.ID) || !utf8.ValidString(t.EN) {
			fields[field] = "is not valid text"
		}
	}
	if !s.Kind.Valid() {
		fields["kind"] = "must be software, programme or service"
	}
	if !kolaborasi.ValidRegionCode(s.RegionCode) {
		fields["region_code"] = "must look like 35 or 35.72"
	}
	if s.Name.ID == "" && s.Name.EN == "" {
		fields["name"] = "is required in Indonesian or English"
	}
	long("name", s.Name, 200)
	if s.Short.ID == "" && s.Short.EN == "" {
		fields["short"] = "is required in Indonesian or English"
	}
	long("short", s.Short, 500)
	long("long", s.Long, 20000)
	if len(s.Dimensions) == 0 {
		fields["dimensions"] = "choose at least one smart-city dimension"
	}
	for _, d := range s.Dimensions {
		if !d.Valid() {
			fields["dimensions"] = fmt.Sprintf("%q is not a smart-city dimension", d)
		}
	}
	if len(s.Sectors) == 0 {
		fields["sectors"] = "choose at least one sector"
	}
	for _, x := range s.Sectors {
		if !x.Valid() {
			fields["sectors"] = fmt.Sprintf("%q is not a sector", x)
		}
	}
	if !s.Maturity.Valid() {
		fields["maturity"] = "must be idea, pilot, live or retired"
	}
	if s.StartedYear != 0 && (s.StartedYear < 1980 || s.StartedYear > 2100) {
		fields["started_year"] = "must be a year such as 2017"
	}
	for name, m := range map[string]*kolaborasi.Money{"cost_build": &s.CostBuild, "cost_adopt": &s.CostAdopt} {
		m.Source = strings.TrimSpace(m.Source)
		switch {
		case m.IDR < 0 || m.IDR > 1e15:
			fields[name] = "must be an amount in rupiah between 0 and 10^15"
		case m.IDR > 0 && m.Source == "":
			fields[name] = "needs the source of the figure"
		case len(m.Source) > 500:
			fields[name] = "source must be at most 500 characters"
		}
	}
	if len(s.Evidence) > 20 {
		fields["evidence"] = "at most 20 claims"
	}
	for i, c := range s.Evidence {
		if c.Text == "" || len(c.Text) > 500 || len(c.Unit) > 40 || len(c.Period) > 40 {
			fields["evidence"] = fmt.Sprintf("claim %d needs a text of at most 500 characters (unit and period at most 40)", i+1)
		}
		if c.Source == "" && c.SourceURL == "" || len(c.Source) > 500 {
			fields["evidence"] = fmt.Sprintf("claim %d needs its source (at most 500 characters) or the address of it", i+1)
		}
		if c.SourceURL != "" && !validWebURL(c.SourceURL) {
			fields["evidence"] = fmt.Sprintf("claim %d: the source must be an http or https address", i+1)
		}
	}
	if len(s.Contacts) > 10 {
		fields["contacts"] = "at most 10 contacts"
	}
	for i, c := range s.Contacts {
		if c.Name == "" || len(c.Name) > 120 || len(c.Role) > 120 || len(c.Phone) > 40 || c.Email != "" && !validEmail(c.Email) {
			fields["contacts"] = fmt.Sprintf("contact %d needs a name and, if given, a valid e-mail address", i+1)
		}
	}
	for name, u := range map[string]string{"links.site": s.Links.Site, "links.code": s.Links.Code, "links.docs": s.Links.Docs} {
		if u != "" && !validWebURL(u) {
			fields[name] = "must be an http or https address"
		}
	}
	if s.Kind == kolaborasi.KindSoftware {
		if s.Licence == "" {
			fields["licence"] = "software needs its licence as an SPDX expression, such as MIT or AGPL-3.0-or-later"
		}
		for _, p := range publiccode.CheckLicense(s.Licence) {
			if !p.Deprecated {
				fields["licence"] = p.EN
			}
		}
		if len(s.Platforms) > 10 {
			fields["platforms"] = "at most 10 platforms"
		}
		for _, p := range s.Platforms {
			if p == "" || len(p) > 40 {
				fields["platforms"] = "each platform is a short name such as web or android"
			}
		}
	} else if s.Licence != "" || len(s.Platforms) > 0 {
		fields["licence"] = "only software has a licence and platforms"
	}
	if len(s.Reuse) == 0 {
		fields["reuse"] = "choose at least one way to reuse it"
	}
	for _, r := range s.Reuse {
		if !r.Valid() {
			fields["reuse"] = fmt.Sprintf("%q is not a reuse term", r)
		}
	}
	if len(s.Screenshots) > MaxScreenshots {
		fields["screenshots"] = fmt.Sprintf("at most %d screenshots", MaxScreenshots)
	}
	if len(fields) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The solution is not complete or not valid.", Fields: fields}
	}
	return nil
}

// SolutionQuery is a search of the catalog.
type SolutionQuery struct {
	// Q is the query text (words, "phrases", -exclude, OR, word*).
	Q string
	// Lang is the language of the query and of the snippets: "id" or "en".
	Lang string
	// PrefixLast treats the last word as a prefix (search as you type).
	PrefixLast bool
	// Facets maps a facet name (kolaborasi.FacetNames) to values to keep.
	Facets map[string][]string
	// Sort is relevance (the default with Q), newest (the default without)
	// or adopted.
	Sort kolaborasi.SolutionSort
	// Size is the page size (default DefaultSolutionPage, at most
	// MaxPageSize); After is the Next cursor of the previous page.
	Size  int
	After string
	// IncludeRetired keeps retired solutions.
	IncludeRetired bool
}

// SolutionHit is one search result with its highlighted snippet.
type SolutionHit struct {
	// Solution's slices and maps may be shared with other readers (see
	// SharedSolution): they must not be changed in place.
	Solution *kolaborasi.Solution
	// Snippet is empty when the search had no query.
	Snippet search.Snippet
	// cached is the cache entry of Solution's version, nil when the cache
	// does not hold it.
	cached *cachedSolution
}

// JSON returns Solution encoded as JSON as the API encodes it (encoding/json,
// <, > and & not escaped, no newline): encoded once per cached version
// (K8.1), so a list of popular solutions is not encoded for every request.
// It is the solution as read: a caller that changes Solution must encode
// it itself.
func (h SolutionHit) JSON() ([]byte, error) {
	if h.cached != nil {
		return h.cached.json()
	}
	return kolaborasi.MarshalJSON(h.Solution)
}

// SolutionResults is one page of a catalog search.
type SolutionResults struct {
	Items []SolutionHit
	// Total counts all matching solutions.
	Total int
	// Facets counts each facet value over all matching solutions.
	Facets map[string][]kolaborasi.FacetCount
	// Next is the cursor of the next page; "" on the last page.
	Next string
	// Query is the parsed query (nil without Q), for highlighting.
	Query *search.Query
	// NoWords is true when Q had no word, only operators or punctuation:
	// the search ran without it, over the whole catalog.
	NoWords bool
	// seq is the change number of the index snapshot searched (0 on the
	// database).
	seq int64
	// facetsJSON is the encoding kept with Facets (nil: none kept).
	facetsJSON *encodedFacets
}

// FacetsJSON returns Facets as kolaborasi.MarshalJSON encodes them, "{}"
// for none: for the kept counts of a list without a query, encoded once
// per index snapshot they were counted on (K8).
func (r *SolutionResults) FacetsJSON() ([]byte, error) {
	if r.Facets == nil {
		return []byte("{}"), nil
	}
	if r.facetsJSON != nil {
		return r.facetsJSON.get(r.Facets)
	}
	return kolaborasi.MarshalJSON(r.Facets)
}

func badQuery(field, msg string) error {
	return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The search is not valid: " + msg,
		Fields: map[string]string{field: msg}}
}

// queryError explains a query the parser refused.
func queryError(err error) error {
	switch {
	case errors.Is(err, search.ErrQueryTooLong):
		return badQuery("q", fmt.Sprintf("the query must be at most %d bytes", search.MaxQueryBytes))
	case errors.Is(err, search.ErrTooManyTerms):
		return badQuery("q", fmt.Sprintf("the query may have at most %d words", search.MaxQueryTerms))
	case errors.Is(err, search.ErrNoSearchableTerms):
		return badQuery("q", "the query has only common words; add a more specific one")
	case errors.Is(err, search.ErrOnlyExclusions):
		return badQuery("q", "the query needs a word to search for, not only words to exclude")
	default:
		return badQuery("q", "the query has no words to search for")
	}
}

// parseSearch parses the words of a search (K11, the same for solutions
// and products): nil when q is empty, and noWords when it holds only
// operators or punctuation ("-", "*", `"`), which the search leaves out
// and the caller says so.
func parseSearch(q, lang string, prefixLast bool) (parsed *search.Query, text *kolaborasi.TextQuery, noWords bool, err error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil, false, nil
	}
	if len(q) > search.MaxQueryBytes {
		return nil, nil, false, queryError(search.ErrQueryTooLong)
	}
	p, err := search.ParseQuery(q, search.QueryOptions{Language: lang, PrefixLast: prefixLast})
	switch {
	case errors.Is(err, search.ErrEmptyQuery):
		return nil, nil, true, nil
	case err != nil:
		return nil, nil, false, queryError(err)
	}
	return &p, textQuery(p), false, nil
}

// badFacetFilters checks the facet filters of a search and returns them, or
// a bad-query error: known names (unknown is the message for another), at
// most maxFacetValues values, each valid; empty filters are dropped.
func badFacetFilters(in map[string][]string, names []string, valid func(facet, v string) bool, unknown string) (map[string][]string, error) {
	out := map[string][]string{}
	for name, values := range in {
		if !slices.Contains(names, name) {
			return nil, badQuery(name, unknown)
		}
		if len(values) > maxFacetValues {
			return nil, badQuery(name, fmt.Sprintf("at most %d values", maxFacetValues))
		}
		for _, v := range values {
			if !valid(name, v) {
				return nil, badQuery(name, fmt.Sprintf("%q is not a value of this facet", v))
			}
		}
		if len(values) > 0 {
			out[name] = values
		}
	}
	return out, nil
}

// pageOf checks a search's page size (0: def) and cursor and returns the
// limit and offset.
func pageOf(size int, after string, def int) (limit, offset int, err error) {
	limit = size
	if limit == 0 {
		limit = def
	} else if limit < 0 || limit > MaxPageSize {
		return 0, 0, badQuery("page[size]", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	}
	if after != "" {
		if offset, err = decodeCursor(after); err != nil {
			return 0, 0, badQuery("page[after]", "is not a cursor this search returned")
		}
	}
	return limit, offset, nil
}

// textQuery converts a parsed query to the store's form.
func textQuery(q search.Query) *kolaborasi.TextQuery {
	out := &kolaborasi.TextQuery{}
	for _, c := range q.Clauses {
		tc := kolaborasi.TextClause{Negated: c.Negated}
		for _, ph := range c.Alternatives {
			terms := make([]kolaborasi.TextTerm, 0, len(ph.Terms))
			for _, t := range ph.Terms {
				terms = append(terms, kolaborasi.TextTerm{Text: t.Text, Prefix: t.Prefix})
			}
			tc.Alternatives = append(tc.Alternatives, terms)
		}
		out.Clauses = append(out.Clauses, tc)
	}
	return out
}

// validFacetValue reports whether v is a value facet may take.
func validFacetValue(facet, v string) bool {
	switch facet {
	case kolaborasi.FacetKind:
		return kolaborasi.SolutionKind(v).Valid()
	case kolaborasi.FacetDimension:
		return kolaborasi.Dimension(v).Valid()
	case kolaborasi.FacetSector:
		return kolaborasi.Sector(v).Valid()
	case kolaborasi.FacetMaturity:
		return kolaborasi.Maturity(v).Valid()
	case kolaborasi.FacetReuse:
		return kolaborasi.ReuseTerm(v).Valid()
	case kolaborasi.FacetProvince:
		return len(v) == 2 && kolaborasi.ValidRegionCode(v)
	case kolaborasi.FacetRegion:
		return kolaborasi.ValidRegionCode(v)
	case kolaborasi.FacetLicence:
		return v != "" && len(v) <= 100
	}
	return false
}

// SearchSolutions searches the catalog: one page of results with snippets,
// facet counts over every match and the cursor of the next page.
func (a *App) SearchSolutions(ctx context.Context, sq SolutionQuery) (*SolutionResults, error) {
	f := kolaborasi.SolutionFilter{Facets: map[string][]string{}, IncludeRetired: sq.IncludeRetired, Sort: sq.Sort}
	lang := search.LangIndonesian
	if sq.Lang == search.LangEnglish {
		lang = search.LangEnglish
	}
	res := &SolutionResults{}
	var err error
	if res.Query, f.Text, res.NoWords, err = parseSearch(sq.Q, lang, sq.PrefixLast); err != nil {
		return nil, err
	}
	if f.Facets, err = badFacetFilters(sq.Facets, kolaborasi.FacetNames, validFacetValue, "is not a facet of the catalog"); err != nil {
		return nil, err
	}
	switch {
	case f.Sort == "" && f.Text != nil:
		f.Sort = kolaborasi.SortRelevance
	case f.Sort == "":
		f.Sort = kolaborasi.SortNewest
	case !f.Sort.Valid():
		return nil, badQuery("sort", "must be relevance, newest or adopted")
	}
	if f.Limit, f.Offset, err = pageOf(sq.Size, sq.After, DefaultSolutionPage); err != nil {
		return nil, err
	}
	// The page's language is not always the query's: a visitor reading in
	// English may search for an Indonesian word ("pengaduan"), which the
	// English analysis does not stem as the Indonesian texts were indexed.
	// A query that finds nothing is tried in the other language too, when
	// that language analyses it into other terms.
	other := search.LangEnglish
	if lang == search.LangEnglish {
		other = search.LangIndonesian
	}
	var alt *kolaborasi.TextQuery
	var altQuery *search.Query
	if f.Text != nil {
		if q2, text2, _, err := parseSearch(sq.Q, other, sq.PrefixLast); err == nil && text2 != nil && !reflect.DeepEqual(text2, f.Text) {
			alt, altQuery = text2, q2
		}
	}
	page, seq, usedAlt, facetsJSON, err := a.searchListed(ctx, f, alt)
	if err != nil {
		return nil, err
	}
	if usedAlt {
		lang, res.Query = other, altQuery
	}
	res.Total, res.Facets, res.seq, res.facetsJSON = page.Total, page.Facets, seq, facetsJSON
	// Snippets show where the query matched: without a query there is
	// none to build (lists show the short description).
	for _, s := range page.Solutions {
		hit := SolutionHit{Solution: s, cached: a.solutions.get(s.ID, s.Seq)}
		if res.Query != nil {
			hit.Snippet = snippetOf(a.solutions.analysed(s), lang, *res.Query)
		}
		res.Items = append(res.Items, hit)
	}
	if next := f.Offset + len(page.Solutions); next < page.Total && next <= maxSearchOffset && len(page.Solutions) > 0 {
		res.Next = encodeCursor(next)
	}
	return res, nil
}

// snippetOf makes the snippet of a result: of its descriptions (long, then
// short, in lang, then in the other language) the one where the query has
// the most hits, else the first that is not empty. texts gives each
// description analysed (from the cache of decoded solutions when it holds
// the result, so that a popular result is not analysed for every query).
func snippetOf(texts func(lang string, long bool) *search.AnalysedText, lang string, q search.Query) search.Snippet {
	other := search.LangEnglish
	if lang == search.LangEnglish {
		other = search.LangIndonesian
	}
	var best *search.AnalysedText
	bestHits := -1
	for _, l := range []string{lang, other} {
		for _, long := range []bool{true, false} {
			t := texts(l, long)
			if t == nil || t.Text() == "" {
				continue
			}
			if hits := len(t.Highlights(q)); hits > bestHits {
				best, bestHits = t, hits
			}
		}
	}
	if best == nil {
		return search.Snippet{}
	}
	return best.Snippet(q, 0)
}

// descriptionOf returns a description of s: the long or short one in lang.
func descriptionOf(s *kolaborasi.Solution, lang string, long bool) string {
	t := s.Short
	if long {
		t = s.Long
	}
	if lang == search.LangEnglish {
		return t.EN
	}
	return t.ID
}

// Cursors are opaque to clients; today they carry the offset of the page.
func encodeCursor(off int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(off)))
}

func decodeCursor(c string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, errors.New("bad cursor")
	}
	n, err := strconv.Atoi(string(b[1:]))
	if err != nil || n < 0 || n > maxSearchOffset {
		return 0, errors.New("bad cursor")
	}
	return n, nil
}

// LoadSyntheticSolutions stores generated solutions (package gen) in one
// transaction with one audit row: only the System actor may, and every
// solution must be marked synthetic and valid.
func (a *App) LoadSyntheticSolutions(ctx context.Context, ss []*kolaborasi.Solution) error {
	if u := kolaborasi.UserFrom(ctx); u != kolaborasi.System {
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Only the operator's command line loads synthetic data.")
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return err
	}
	for i, s := range ss {
		if !s.Synthetic {
			return kolaborasi.Errorf(kolaborasi.EINVALID, "Solution %d of the batch is not marked synthetic.", i)
		}
		if err := validateSolution(s); err != nil {
			return fmt.Errorf("synthetic solution %d: %w", i, err)
		}
		s.AuthorID, s.AuthorName = kolaborasi.System.ID, kolaborasi.System.Name
		if s.UpdatedAt.IsZero() {
			s.UpdatedAt = a.now()
		}
		s.Terms = solutionTerms(s, names[s.RegionCode])
	}
	return a.change(ctx, ActSolutionPublish, "", func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.CreateSolutions(ctx, ss); err != nil {
			return "", "", err
		}
		return "solutions", fmt.Sprintf("loaded %d synthetic solutions", len(ss)), nil
	})
}

// ValidSolutionFacetValue reports whether v is a value the catalog's facet
// accepts as a filter; pages drop the others with a notice rather than
// refuse the whole search.
func ValidSolutionFacetValue(facet, v string) bool { return validFacetValue(facet, v) }

// ValidProductFacetValue is ValidSolutionFacetValue for the showcase.
func ValidProductFacetValue(facet, v string) bool { return validProductFacet(facet, v) }
