package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/publiccode"
	"github.com/kolaborasi/kolaborasi/search"
)

// apiFacetParams are the facet parameters of GET /api/v1/solutions: the
// facet names themselves.
var apiSolutionParams = []string{"q", "sort", "prefix", "include_retired", "lang", "page[size]", "page[after]"}

// solutionItem is a search result: the solution and its snippet.
type solutionItem struct {
	*kolaborasi.Solution
	Snippet []search.Segment `json:"snippet"`
}

type solutionList struct {
	Data   []solutionItem                     `json:"data"`
	Total  int                                `json:"total"`
	Facets map[string][]kolaborasi.FacetCount `json:"facets"`
	Links  links                              `json:"links"`
}

func (s *Server) apiSolutionList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, append(apiSolutionParams, kolaborasi.FacetNames...)...); err != nil {
		return err
	}
	size, after := 0, q.Get("page[after]")
	if v := q.Get("page[size]"); v != "" {
		var err error
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 100 {
			return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "page[size] must be a whole number from 1 to 100.",
				Fields: map[string]string{"page[size]": "must be between 1 and 100"}}
		}
	}
	sq := app.SolutionQuery{Q: q.Get("q"), Lang: q.Get("lang"), PrefixLast: q.Get("prefix") == "true", Sort: kolaborasi.SolutionSort(q.Get("sort")),
		Size: size, After: after, IncludeRetired: q.Get("include_retired") == "true", Facets: map[string][]string{}}
	for _, f := range kolaborasi.FacetNames {
		for _, v := range q[f] {
			// Comma-separated or repeated: kind=software,service.
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					sq.Facets[f] = append(sq.Facets[f], part)
				}
			}
		}
	}
	res, err := s.app.SearchSolutions(r.Context(), sq)
	if err != nil {
		return err
	}
	facets, err := res.FacetsJSON()
	if err != nil {
		return err
	}
	tail := solutionListTail{Total: res.Total, Links: links{Self: r.URL.RequestURI()}}
	if res.Next != "" {
		tail.Links.Next = nextPageURL(r.URL.Path, r.URL.Query(), "page[after]", res.Next)
	}
	b := listBuffers.Get().(*bytes.Buffer)
	defer putListBuffer(b)
	if err := encodeSolutionList(b, res.Items, tail, facets); err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, b.Bytes())
}

// listBuffers are the buffers lists are encoded into (a page of 25 is
// about 40 KB) and pages rendered into (the solution page is about 6 KB,
// grown from nothing in seven steps when it had a buffer of its own):
// reused rather than grown anew, and cleared, for each answer.
var listBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxKeptListBuffer bounds the buffers put back into listBuffers: one
// grown by a rare large page is left to the collector.
const maxKeptListBuffer = 1 << 20

func putListBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxKeptListBuffer {
		b.Reset()
		listBuffers.Put(b)
	}
}

// solutionListTail is what follows the data and the facets of a
// solutionList.
type solutionListTail struct {
	Total int   `json:"total"`
	Links links `json:"links"`
}

// encodeSolutionList encodes into b the page as writeJSON would encode
// the solutionList of the hits' solutionItems, the tail and the facets
// (encoded: SolutionResults.FacetsJSON), byte for byte, but takes each
// solution as encoded once per version (SolutionHit.JSON, K8.1) and puts
// its snippet after its last member, where encoding/json puts the field
// of solutionItem after those of the embedded solution.
func encodeSolutionList(b *bytes.Buffer, hits []app.SolutionHit, tail solutionListTail, facets []byte) error {
	b.WriteString(`{"data":[`)
	for i, h := range hits {
		doc, err := h.JSON()
		if err != nil {
			return err
		}
		snippet, err := kolaborasi.MarshalJSON(append([]search.Segment{}, h.Snippet.Segments()...))
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(doc[:len(doc)-1]) // without its closing brace
		b.WriteString(`,"snippet":`)
		b.Write(snippet)
		b.WriteByte('}')
	}
	b.WriteString(`],"total":`)
	b.WriteString(strconv.Itoa(tail.Total))
	b.WriteString(`,"facets":`)
	b.Write(facets)
	b.WriteString(`,"links":`)
	l, err := kolaborasi.MarshalJSON(tail.Links)
	if err != nil {
		return err
	}
	b.Write(l)
	b.WriteString("}\n") // as writeJSON's encoder ends
	return nil
}

// solutionInput is the editable part of a solution in API requests.
type solutionInput struct {
	Kind        kolaborasi.SolutionKind      `json:"kind"`
	RegionCode  string                       `json:"region_code"`
	OPDID       int64                        `json:"opd_id"`
	Name        kolaborasi.Texts             `json:"name"`
	Short       kolaborasi.Texts             `json:"short"`
	Long        kolaborasi.Texts             `json:"long"`
	Dimensions  []kolaborasi.Dimension       `json:"dimensions"`
	Sectors     []kolaborasi.Sector          `json:"sectors"`
	Maturity    kolaborasi.Maturity          `json:"maturity"`
	StartedYear int                          `json:"started_year"`
	CostBuild   kolaborasi.Money             `json:"cost_build"`
	CostAdopt   kolaborasi.Money             `json:"cost_adopt"`
	Evidence    []kolaborasi.Claim           `json:"evidence"`
	Contacts    []kolaborasi.SolutionContact `json:"contacts"`
	Links       kolaborasi.SolutionLinks     `json:"links"`
	Licence     string                       `json:"licence"`
	Platforms   []string                     `json:"platforms"`
	Reuse       []kolaborasi.ReuseTerm       `json:"reuse"`
	Version     int                          `json:"version"`
}

func (in solutionInput) apply(s *kolaborasi.Solution) {
	s.Kind, s.RegionCode, s.OPDID, s.Name, s.Short, s.Long = in.Kind, in.RegionCode, in.OPDID, in.Name, in.Short, in.Long
	s.Dimensions, s.Sectors, s.Maturity, s.StartedYear = in.Dimensions, in.Sectors, in.Maturity, in.StartedYear
	s.CostBuild, s.CostAdopt, s.Evidence, s.Contacts = in.CostBuild, in.CostAdopt, in.Evidence, in.Contacts
	s.Links, s.Licence, s.Platforms, s.Reuse, s.Version = in.Links, in.Licence, in.Platforms, in.Reuse, in.Version
}

func inputOf(s *kolaborasi.Solution) solutionInput {
	return solutionInput{Kind: s.Kind, RegionCode: s.RegionCode, OPDID: s.OPDID, Name: s.Name, Short: s.Short, Long: s.Long,
		Dimensions: s.Dimensions, Sectors: s.Sectors, Maturity: s.Maturity, StartedYear: s.StartedYear, CostBuild: s.CostBuild,
		CostAdopt: s.CostAdopt, Evidence: s.Evidence, Contacts: s.Contacts, Links: s.Links, Licence: s.Licence,
		Platforms: s.Platforms, Reuse: s.Reuse, Version: s.Version}
}

func solutionLocation(id int64) string { return "/api/v1/solutions/" + strconv.FormatInt(id, 10) }

func (s *Server) apiSolutionCreate(w http.ResponseWriter, r *http.Request) error {
	var in solutionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sol := &kolaborasi.Solution{}
	in.apply(sol)
	if err := s.app.CreateSolution(r.Context(), sol); err != nil {
		return err
	}
	w.Header().Set("Location", solutionLocation(sol.ID))
	w.Header().Set("ETag", etag(sol.Version))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: sol})
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func (s *Server) apiSolutionShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkNoQuery(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is no solution %q.", r.PathValue("id"))
	}
	// The solution's JSON as stored, not decoded and encoded again: the
	// same answer as writeJSON(itemResponse{Data: solution}).
	doc, version, err := s.app.SolutionJSON(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(version))
	return writeRawJSON(w, http.StatusOK, []byte(`{"data":`), doc, []byte("}\n"))
}

// mergePatch applies an RFC 7396 JSON merge patch to a document.
func mergePatch(doc, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	d, ok := doc.(map[string]any)
	if !ok {
		d = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(d, k)
		} else {
			d[k] = mergePatch(d[k], v)
		}
	}
	return d
}

// apiSolutionPatch changes a solution with a JSON merge patch (RFC 7396).
// The version read must come as If-Match or as "version" in the patch, so
// that concurrent edits conflict instead of overwriting each other.
func (s *Server) apiSolutionPatch(w http.ResponseWriter, r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct != "application/merge-patch+json" && ct != "application/json" {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "Send a JSON merge patch (Content-Type: application/merge-patch+json).")
	}
	old, err := s.solutionFromPath(r, s.app.Solution)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The body could not be read.")
	}
	var patch any
	if err := json.Unmarshal(body, &patch); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The body is not JSON: %v.", err)
	}
	pm, ok := patch.(map[string]any)
	if !ok {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "A merge patch is a JSON object.")
	}
	if _, ok := pm["version"]; !ok {
		v, err := ifMatch(r)
		if err != nil {
			return err
		}
		pm["version"] = v
	}
	cur, _ := json.Marshal(inputOf(old))
	var doc any
	json.Unmarshal(cur, &doc)
	merged, _ := json.Marshal(mergePatch(doc, pm))
	var in solutionInput
	dec := json.NewDecoder(bytes.NewReader(merged))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The patch does not fit a solution: %v.", err)
	}
	sol := *old
	in.apply(&sol)
	if err := s.app.UpdateSolution(r.Context(), &sol); err != nil {
		return err
	}
	fresh, err := s.app.Solution(r.Context(), sol.ID)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(fresh.Version))
	return writeJSON(w, http.StatusOK, itemResponse{Data: fresh})
}

// ifMatch reads the version from an If-Match header ("3" or 3).
func ifMatch(r *http.Request) (int, error) {
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(r.Header.Get("If-Match"), "W/"), `"`))
	if err != nil {
		return 0, kolaborasi.Errorf(kolaborasi.EINVALID, "Say which version you read: send If-Match with the ETag of the solution.")
	}
	return v, nil
}

// apiSolutionDelete retires a solution: it stays readable with its history.
func (s *Server) apiSolutionDelete(w http.ResponseWriter, r *http.Request) error {
	sol, err := s.solutionFromPath(r, s.app.Solution)
	if err != nil {
		return err
	}
	v, err := ifMatch(r)
	if err != nil {
		return err
	}
	if _, err := s.app.RetireSolution(r.Context(), sol.ID, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importResponse is the answer to an import: the solution and the report.
type importResponse struct {
	Data   *kolaborasi.Solution `json:"data"`
	Report publiccode.Report    `json:"report"`
}

func (s *Server) apiSolutionImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "region"); err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/yaml") && !strings.HasPrefix(ct, "application/x-yaml") && !strings.HasPrefix(ct, "text/yaml") {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "Send the publiccode.yml as the body with Content-Type: application/yaml.")
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The body could not be read; files of at most 1 MiB are accepted.")
	}
	sol, res, err := s.app.ImportPublicCode(r.Context(), q.Get("region"), data)
	if err != nil {
		if kolaborasi.ErrorCode(err) == kolaborasi.EINVALID && !res.Valid() {
			return publicCodeProblem(res, sol)
		}
		return err
	}
	status := http.StatusOK
	if sol.Version == 1 {
		status = http.StatusCreated
		w.Header().Set("Location", solutionLocation(sol.ID))
	}
	return writeJSON(w, status, importResponse{Data: sol, Report: publiccode.NewReport("publiccode.yml", res)})
}

// publicCodeProblem turns a rejected file's messages into field errors,
// each with its line and column.
func publicCodeProblem(res publiccode.Result, kept *kolaborasi.Solution) error {
	e := &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The publiccode.yml was rejected.", Fields: map[string]string{}}
	if kept != nil {
		e.Message += " The solution keeps its last good version (" + strconv.Itoa(kept.Version) + ")."
	}
	for _, m := range res.Errors() {
		key := m.Path
		if key == "" {
			key = "(file)"
		}
		detail := m.Text
		if m.Line > 0 {
			detail = "line " + strconv.Itoa(m.Line) + ", column " + strconv.Itoa(m.Column) + ": " + detail
		}
		if prev, ok := e.Fields[key]; ok {
			detail = prev + "; " + detail
		}
		e.Fields[key] = detail
	}
	return e
}

func (s *Server) apiSolutionPublicCode(w http.ResponseWriter, r *http.Request) error {
	return s.uiSolutionPublicCode(w, r)
}
