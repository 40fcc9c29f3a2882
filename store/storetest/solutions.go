package storetest

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/search"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// TextQuery converts a parsed search query to the store's form, as the app
// does (a copy kept here so the suite does not depend on app).
func TextQuery(q search.Query) *kolaborasi.TextQuery {
	out := &kolaborasi.TextQuery{}
	for _, c := range q.Clauses {
		tc := kolaborasi.TextClause{Negated: c.Negated}
		for _, ph := range c.Alternatives {
			var terms []kolaborasi.TextTerm
			for _, t := range ph.Terms {
				terms = append(terms, kolaborasi.TextTerm{Text: t.Text, Prefix: t.Prefix})
			}
			tc.Alternatives = append(tc.Alternatives, terms)
		}
		out.Clauses = append(out.Clauses, tc)
	}
	return out
}

// AnalyzeSolution sets s.Terms from its search texts the way the app does,
// with the region's name from the embedded region data.
func AnalyzeSolution(s *kolaborasi.Solution) {
	s.Terms = search.IndexTerms(s.SearchTexts(regionNames()[s.RegionCode]))
}

// regionNames maps the codes of the embedded regions to their names.
var regionNames = sync.OnceValue(func() map[string]string {
	rs, _, err := wilayah.Regions()
	if err != nil {
		panic(err)
	}
	names := make(map[string]string, len(rs))
	for _, r := range rs {
		names[r.Code] = r.Name
	}
	return names
})

// CorpusSolution is one document of the fixed search corpus.
func corpusSolution(name, region string, kind kolaborasi.SolutionKind, maturity kolaborasi.Maturity, text kolaborasi.Texts, dim kolaborasi.Dimension, sector kolaborasi.Sector, reuse kolaborasi.ReuseTerm, licence string, day int) *kolaborasi.Solution {
	s := &kolaborasi.Solution{Kind: kind, RegionCode: region, Name: kolaborasi.Texts{ID: name}, Long: text,
		Dimensions: []kolaborasi.Dimension{dim}, Sectors: []kolaborasi.Sector{sector}, Maturity: maturity,
		Reuse: []kolaborasi.ReuseTerm{reuse}, Licence: licence, AuthorName: "test",
		UpdatedAt: time.Date(2026, 1, day, 0, 0, 0, 0, time.UTC)}
	AnalyzeSolution(s)
	return s
}

// SearchCorpus returns the fixed corpus on which both engines (and any
// accelerator) must return the same results for SearchCases. Regions are
// real codes, so LoadRegions must run first.
func SearchCorpus() []*kolaborasi.Solution {
	const sw, prog, svc = kolaborasi.KindSoftware, kolaborasi.KindProgramme, kolaborasi.KindService
	const live, pilot, retired = kolaborasi.MaturityLive, kolaborasi.MaturityPilot, kolaborasi.MaturityRetired
	return []*kolaborasi.Solution{
		corpusSolution("Lapor Warga", "32.73", sw, live, kolaborasi.Texts{ID: "Masyarakat dapat mengadukan jalan rusak; setiap aduan ditindaklanjuti dinas terkait."}, kolaborasi.DimGovernance, "e-government", kolaborasi.ReuseOpenLicence, "MIT", 1),
		corpusSolution("Layanan Satu Pintu", "32.73", sw, live, kolaborasi.Texts{ID: "Pengurusan izin usaha mikro secara daring dengan e-KTP."}, kolaborasi.DimGovernance, "e-government", kolaborasi.ReuseOpenLicence, "AGPL-3.0-or-later", 2),
		corpusSolution("Ekonomi Kerakyatan", "35.72", prog, live, kolaborasi.Texts{ID: "Hibah modal usaha kecil dan koperasi untuk perekonomian rakyat."}, kolaborasi.DimEconomy, "umkm", kolaborasi.ReuseHibah, "", 3),
		corpusSolution("Forum Daerah", "35.72", prog, pilot, kolaborasi.Texts{ID: "Kerja sama antar daerah di bidang pendidikan."}, kolaborasi.DimGovernance, "education", kolaborasi.ReuseHibah, "", 4),
		corpusSolution("Promosi Bersama", "51.71", svc, live, kolaborasi.Texts{ID: "Kerjasama promosi pariwisata antar kota."}, kolaborasi.DimBranding, "tourism", kolaborasi.ReuseSharedService, "", 5),
		corpusSolution("Panic Button", "32.73", sw, live, kolaborasi.Texts{EN: "An emergency button for citizens to report crime to the police."}, kolaborasi.DimSociety, "public-safety", kolaborasi.ReuseOpenLicence, "MIT", 6),
		corpusSolution("Bank Sampah Digital", "35.78", sw, live, kolaborasi.Texts{ID: "Aplikasi bank sampah untuk menabung dari sampah rumah tangga."}, kolaborasi.DimEnvironment, "environment", kolaborasi.ReuseOpenLicence, "GPL-3.0-only", 7),
		corpusSolution("Pilah Sampah", "35.78", prog, pilot, kolaborasi.Texts{ID: "Gerakan pemilahan sampah di sekolah."}, kolaborasi.DimEnvironment, "environment", kolaborasi.ReuseHibah, "", 8),
		corpusSolution("Parkir Elektronik", "31.71", svc, retired, kolaborasi.Texts{ID: "Pembayaran parkir nontunai di jalan kota."}, kolaborasi.DimLiving, "transport", kolaborasi.ReuseSharedService, "", 9),
	}
}

// SearchCase is a query with the names of the solutions it must find.
type SearchCase struct {
	Query  string
	Lang   string
	Facets map[string][]string
	Want   []string
}

// SearchCases are the queries checked on SearchCorpus, including the
// issue's examples.
var SearchCases = []SearchCase{
	{Query: "pengaduan masyarakat", Want: []string{"Lapor Warga"}},
	{Query: "perizinan", Want: []string{"Layanan Satu Pintu"}},
	{Query: "ekonomi", Want: []string{"Ekonomi Kerakyatan"}},
	{Query: "kerjasama", Want: []string{"Forum Daerah", "Promosi Bersama"}},
	{Query: "kerja sama", Want: []string{"Forum Daerah", "Promosi Bersama"}},
	{Query: `"kerja sama"`, Want: []string{"Forum Daerah", "Promosi Bersama"}},
	{Query: `"sampah rumah"`, Want: []string{"Bank Sampah Digital"}},
	{Query: `"rumah sampah"`, Want: nil},
	{Query: "sampah -bank", Want: []string{"Pilah Sampah"}},
	{Query: `sampah -"bank sampah"`, Want: []string{"Pilah Sampah"}},
	{Query: "izin OR koperasi", Want: []string{"Ekonomi Kerakyatan", "Layanan Satu Pintu"}},
	{Query: "sampa*", Want: []string{"Bank Sampah Digital", "Pilah Sampah"}},
	{Query: "pari*", Want: []string{"Promosi Bersama"}},
	{Query: "usaha", Want: []string{"Ekonomi Kerakyatan", "Layanan Satu Pintu"}},
	{Query: "usaha", Facets: map[string][]string{kolaborasi.FacetKind: {"programme"}}, Want: []string{"Ekonomi Kerakyatan"}},
	{Query: "sampah", Facets: map[string][]string{kolaborasi.FacetReuse: {"hibah"}}, Want: []string{"Pilah Sampah"}},
	{Query: "daerah", Facets: map[string][]string{kolaborasi.FacetProvince: {"35"}}, Want: []string{"Forum Daerah"}},
	{Query: "parkir", Want: nil},
	{Query: "parkir", Facets: map[string][]string{kolaborasi.FacetMaturity: {"retired"}}, Want: []string{"Parkir Elektronik"}},
	{Query: "emergency", Lang: "en", Want: []string{"Panic Button"}},
	{Query: "reporting crimes", Lang: "en", Want: []string{"Panic Button"}},
	// A hyphen inside a word joins it; the pieces are found too.
	{Query: "e-KTP", Want: []string{"Layanan Satu Pintu"}},
	{Query: "ektp", Want: []string{"Layanan Satu Pintu"}},
	{Query: "ktp", Want: []string{"Layanan Satu Pintu"}},
	{Query: `"daring e-KTP"`, Want: []string{"Layanan Satu Pintu"}},
	{Query: "izin -e-KTP", Want: nil},
	{Query: "e-kt*", Want: []string{"Layanan Satu Pintu"}},
	// Labels of kinds, dimensions and sectors, and the region's name.
	{Query: "e-government", Want: []string{"Lapor Warga", "Layanan Satu Pintu"}},
	{Query: "e-government", Lang: "en", Want: []string{"Lapor Warga", "Layanan Satu Pintu"}},
	{Query: "UMKM", Want: []string{"Ekonomi Kerakyatan"}},
	{Query: "pariwisata", Want: []string{"Promosi Bersama"}},
	{Query: `"smart branding"`, Want: []string{"Promosi Bersama"}},
	{Query: "Blitar", Want: []string{"Ekonomi Kerakyatan", "Forum Daerah"}},
	{Query: "Kota Bandung layanan", Want: []string{"Layanan Satu Pintu"}},
	{Query: "", Facets: map[string][]string{kolaborasi.FacetLicence: {"MIT"}}, Want: []string{"Lapor Warga", "Panic Button"}},
	{Query: "", Facets: map[string][]string{kolaborasi.FacetDimension: {"environment", "branding"}}, Want: []string{"Bank Sampah Digital", "Pilah Sampah", "Promosi Bersama"}},
}

// Filter returns the store filter of the case.
func (c SearchCase) Filter(t testing.TB) kolaborasi.SolutionFilter {
	t.Helper()
	f := kolaborasi.SolutionFilter{Facets: c.Facets, Sort: kolaborasi.SortRelevance, Limit: 100}
	if c.Query != "" {
		q, err := search.ParseQuery(c.Query, search.QueryOptions{Language: c.Lang})
		if err != nil {
			t.Fatalf("parse %q: %v", c.Query, err)
		}
		f.Text = TextQuery(q)
	}
	return f
}

func names(ss []*kolaborasi.Solution) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name.Get("id"))
	}
	slices.Sort(out)
	return out
}

func testSolutionSearch(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	if err := s.CreateSolutions(ctx, SearchCorpus()); err != nil {
		t.Fatal(err)
	}
	for _, c := range SearchCases {
		page, err := s.SearchSolutions(ctx, c.Filter(t))
		if err != nil {
			t.Fatalf("%q %v: %v", c.Query, c.Facets, err)
		}
		if diff := cmp.Diff(c.Want, names(page.Solutions)); diff != "" {
			t.Errorf("%q %v (-want +got):\n%s", c.Query, c.Facets, diff)
		}
		if page.Total != len(c.Want) {
			t.Errorf("%q: total = %d, want %d", c.Query, page.Total, len(c.Want))
		}
	}

	// Facet counts cover the whole matched set, not the page.
	page, err := s.SearchSolutions(ctx, kolaborasi.SolutionFilter{Limit: 2, Sort: kolaborasi.SortNewest})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 8 || len(page.Solutions) != 2 {
		t.Fatalf("browse: total %d, page %d; want 8 (retired left out), 2", page.Total, len(page.Solutions))
	}
	if got := names(page.Solutions); !slices.Equal(got, []string{"Bank Sampah Digital", "Pilah Sampah"}) {
		t.Errorf("newest first = %v", got)
	}
	wantKinds := []kolaborasi.FacetCount{{Value: "software", Count: 4}, {Value: "programme", Count: 3}, {Value: "service", Count: 1}}
	if diff := cmp.Diff(wantKinds, page.Facets[kolaborasi.FacetKind]); diff != "" {
		t.Errorf("kind facet (-want +got):\n%s", diff)
	}
	wantProv := []kolaborasi.FacetCount{{Value: "35", Count: 4}, {Value: "32", Count: 3}, {Value: "51", Count: 1}}
	if diff := cmp.Diff(wantProv, page.Facets[kolaborasi.FacetProvince]); diff != "" {
		t.Errorf("province facet (-want +got):\n%s", diff)
	}
	// Pages follow each other without gaps or repeats.
	var all []string
	for off := 0; ; off += 3 {
		p, err := s.SearchSolutions(ctx, kolaborasi.SolutionFilter{Sort: kolaborasi.SortNewest, Limit: 3, Offset: off, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Solutions) == 0 {
			break
		}
		for _, x := range p.Solutions {
			all = append(all, x.Name.Get("id"))
		}
	}
	if len(all) != 8 || len(slices.Compact(slices.Clone(all))) != 8 {
		t.Errorf("pages = %v", all)
	}
	// Most adopted: every count is 0 until K5, so the order falls back to
	// the newest ID; the sort exists and is stable.
	p, err := s.SearchSolutions(ctx, kolaborasi.SolutionFilter{Sort: kolaborasi.SortAdopted, Limit: 1, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Solutions[0].Name.Get("id") != "Pilah Sampah" {
		t.Errorf("most adopted first = %s", p.Solutions[0].Name.Get("id"))
	}
}

func testSolutions(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	at := time.Date(2026, 3, 8, 10, 30, 0, 123456000, time.UTC)
	sol := &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: "32.73",
		Name: kolaborasi.Texts{ID: "Hayu", EN: "Hayu"}, Short: kolaborasi.Texts{ID: "Aplikasi layanan warga"},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
		Maturity: kolaborasi.MaturityLive, StartedYear: 2016, CostBuild: kolaborasi.Money{IDR: 1_500_000_000, Source: "APBD 2016"},
		Evidence: []kolaborasi.Claim{{Text: "Pengguna", Value: 12000, Unit: "orang", Period: "2017", SourceURL: "https://example.org/x"}},
		Links:    kolaborasi.SolutionLinks{Code: "https://git.example.org/hayu"}, Licence: "MIT",
		Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}, AuthorID: 0, AuthorName: "system",
		CreatedAt: at, UpdatedAt: at}
	AnalyzeSolution(sol)
	if err := s.CreateSolution(ctx, sol); err != nil {
		t.Fatal(err)
	}
	if sol.ID == 0 || sol.Version != 1 {
		t.Fatalf("created: id %d version %d", sol.ID, sol.Version)
	}
	got, err := s.FindSolution(ctx, sol.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sol, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	byCode, err := s.FindSolutionByCode(ctx, "32.73", "https://git.example.org/hayu")
	if err != nil || byCode.ID != sol.ID {
		t.Fatalf("find by code: %v %v", byCode, err)
	}
	_, err = s.FindSolutionByCode(ctx, "35.72", "https://git.example.org/hayu")
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// The same code repository twice in one region conflicts.
	dup := *sol
	dup.ID = 0
	wantCode(t, s.CreateSolution(ctx, &dup), kolaborasi.ECONFLICT)

	// Update: a new version; a stale version conflicts.
	got.Short.ID = "Aplikasi layanan publik"
	got.Maturity = kolaborasi.MaturityRetired
	got.UpdatedAt = at.Add(time.Hour)
	got.AuthorName = "editor"
	AnalyzeSolution(got)
	if err := s.UpdateSolution(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 {
		t.Errorf("version after update = %d", got.Version)
	}
	stale := *got
	stale.Version = 1
	wantCode(t, s.UpdateSolution(ctx, &stale), kolaborasi.ECONFLICT)
	if stale.Version != 1 {
		t.Errorf("failed update changed the version to %d", stale.Version)
	}
	missing := *got
	missing.ID = 99999
	wantCode(t, s.UpdateSolution(ctx, &missing), kolaborasi.ENOTFOUND)
	_, err = s.FindSolution(ctx, 99999)
	wantCode(t, err, kolaborasi.ENOTFOUND)

	vs, err := s.FindSolutionVersions(ctx, sol.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[0].AuthorName != "editor" ||
		vs[1].Solution.Short.ID != "Aplikasi layanan warga" || !vs[0].At.Equal(at.Add(time.Hour)) {
		t.Errorf("versions = %+v", vs)
	}
	_, err = s.FindSolutionVersions(ctx, 99999)
	wantCode(t, err, kolaborasi.ENOTFOUND)
	// The log of versions: the same, without the documents.
	heads, err := s.FindSolutionVersionLog(ctx, sol.ID)
	if err != nil || len(heads) != 2 {
		t.Fatalf("version log: %d, %v", len(heads), err)
	}
	for i, h := range heads {
		if h.Version != vs[i].Version || h.AuthorName != vs[i].AuthorName || !h.At.Equal(vs[i].At) || h.Solution != nil {
			t.Errorf("version log %d = %+v, want %+v without the document", i, h, vs[i])
		}
	}
	_, err = s.FindSolutionVersionLog(ctx, 99999)
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// The search index and the facets follow the update.
	q, err := search.ParseQuery("publik", search.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.SearchSolutions(ctx, kolaborasi.SolutionFilter{Text: TextQuery(q), IncludeRetired: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || page.Facets[kolaborasi.FacetMaturity][0].Value != "retired" {
		t.Errorf("after update: total %d facets %v", page.Total, page.Facets)
	}
	q, _ = search.ParseQuery("warga", search.QueryOptions{})
	page, err = s.SearchSolutions(ctx, kolaborasi.SolutionFilter{Text: TextQuery(q), IncludeRetired: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 0 {
		t.Errorf("old text still found: %d", page.Total)
	}

	// A failing batch stores nothing.
	bad := []*kolaborasi.Solution{
		{Kind: kolaborasi.KindService, RegionCode: "35.72", Maturity: kolaborasi.MaturityIdea, UpdatedAt: at},
		{Kind: kolaborasi.KindService, RegionCode: "99.99", Maturity: kolaborasi.MaturityIdea, UpdatedAt: at},
	}
	if err := s.CreateSolutions(ctx, bad); err == nil {
		t.Fatal("batch with an unknown region stored")
	}
	page, err = s.SearchSolutions(ctx, kolaborasi.SolutionFilter{IncludeRetired: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 {
		t.Errorf("after failed batch: %d solutions, want 1", page.Total)
	}
}

// WantPostgres reports whether tests that add a PostgreSQL run when they can
// should do so: a test server is configured, or CI requires one (then
// OpenPostgres fails the test when it is missing).
func WantPostgres() bool { return os.Getenv(PostgresEnv) != "" || os.Getenv("CI") == "true" }

func testReanalyseSolutions(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	// More than one batch of the store's rewrite.
	ss := SearchCorpus()
	for i := range 600 {
		x := corpusSolution(fmt.Sprintf("Aplikasi %d", i), "35.72", kolaborasi.KindSoftware, kolaborasi.MaturityLive,
			kolaborasi.Texts{ID: "Aplikasi sampel"}, kolaborasi.DimLiving, "other", kolaborasi.ReuseOpenLicence, "MIT", 10)
		ss = append(ss, x)
	}
	if err := s.CreateSolutions(ctx, ss); err != nil {
		t.Fatal(err)
	}
	before, err := s.SolutionSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.ReanalyseSolutions(ctx, func(sol *kolaborasi.Solution) string {
		return sol.Terms + " reanalysed" + strconv.FormatInt(sol.ID%2, 10)
	})
	if err != nil || n != len(ss) {
		t.Fatalf("ReanalyseSolutions = %d, %v; want %d", n, err, len(ss))
	}
	after, err := s.SolutionSeq(ctx)
	if err != nil || after <= before {
		t.Fatalf("change counter %d then %d (%v): a rewrite must raise it", before, after, err)
	}
	// Every rewritten solution is a change the in-process index catches up with.
	changed := 0
	err = s.EachSolutionEntryChangedAfter(ctx, before, func(sol *kolaborasi.SolutionEntry) error {
		changed++
		if sol.Seq <= before || !strings.Contains(sol.Terms, " reanalysed") {
			t.Errorf("solution %d: change number %d, terms %q", sol.ID, sol.Seq, sol.Terms)
		}
		return nil
	})
	if err != nil || changed != len(ss) {
		t.Fatalf("%d changed after the rewrite (%v), want %d", changed, err, len(ss))
	}
	// The engine's full-text index sees the new terms, and the old ones are gone.
	want := map[string]int{"sampel": 600}
	for _, sol := range ss {
		if sol.Maturity != kolaborasi.MaturityRetired { // left out of searches
			want["reanalysed"+strconv.FormatInt(sol.ID%2, 10)]++
		}
	}
	for q, want := range want {
		page, err := s.SearchSolutions(ctx, kolaborasi.SolutionFilter{Text: &kolaborasi.TextQuery{Clauses: []kolaborasi.TextClause{
			{Alternatives: [][]kolaborasi.TextTerm{{{Text: q}}}}}}, Limit: 1})
		if err != nil || page.Total != want {
			t.Errorf("%s: total %v (%v), want %d", q, page, err, want)
		}
	}
	vs, err := s.FindSolutionVersions(ctx, ss[0].ID)
	if err != nil || len(vs) != 1 {
		t.Errorf("versions after the rewrite: %d (%v), want 1", len(vs), err)
	}
	if n, err := s.ReanalyseSolutions(ctx, func(sol *kolaborasi.Solution) string { return sol.Terms }); err != nil || n != len(ss) {
		t.Errorf("second rewrite = %d, %v", n, err)
	}
}

// testSolutionEntries: the index entries read from columns and facet rows
// say what the decoded solutions say (K8.1), for the first build and for a
// catch-up, and FindSolutionIfChanged reads a row only when its change
// number moved.
func testSolutionEntries(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	if err := s.CreateSolutions(ctx, SearchCorpus()); err != nil {
		t.Fatal(err)
	}
	check := func(after int64) []int64 {
		t.Helper()
		var ids []int64
		err := s.EachSolutionEntryChangedAfter(ctx, after, func(e *kolaborasi.SolutionEntry) error {
			ids = append(ids, e.ID)
			sol, err := s.FindSolution(ctx, e.ID)
			if err != nil {
				return err
			}
			want := &kolaborasi.SolutionEntry{ID: sol.ID, CreatedAt: sol.CreatedAt, Adoptions: sol.Adoptions,
				Maturity: sol.Maturity, Facets: map[string][]string{}, Terms: sol.Terms, Seq: sol.Seq}
			for f, vs := range sol.FacetValues() {
				for _, v := range vs {
					if v != "" && !slices.Contains(want.Facets[f], v) {
						want.Facets[f] = append(want.Facets[f], v)
					}
				}
			}
			for _, m := range []map[string][]string{want.Facets, e.Facets} {
				for f := range m {
					slices.Sort(m[f])
				}
			}
			if diff := cmp.Diff(want, e, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
				t.Errorf("entry %d (-decoded +entry):\n%s", e.ID, diff)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(ids) {
			t.Errorf("entries after %d not in ID order: %v", after, ids)
		}
		return ids
	}
	all := check(0)
	if len(all) != len(SearchCorpus()) {
		t.Fatalf("%d entries, want %d", len(all), len(SearchCorpus()))
	}
	before, err := s.SolutionSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Change two solutions, the later ID first: the catch-up lists both, in
	// ID order, with the new facets.
	var changed []int64
	for _, id := range []int64{all[5], all[1]} {
		sol, err := s.FindSolution(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		sol.Sectors = []kolaborasi.Sector{"health"}
		sol.Maturity = kolaborasi.MaturityRetired
		if err := s.UpdateSolution(ctx, sol); err != nil {
			t.Fatal(err)
		}
		changed = append(changed, id)
	}
	slices.Sort(changed)
	if got := check(before); !slices.Equal(got, changed) {
		t.Errorf("changed after %d = %v, want %v", before, got, changed)
	}

	sol, err := s.FindSolution(ctx, all[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindSolutionIfChanged(ctx, sol.ID, sol.Seq); err != nil || got != nil {
		t.Errorf("unchanged: %v, %v; want nil, nil", got, err)
	}
	if got, err := s.FindSolutionIfChanged(ctx, sol.ID, sol.Seq-1); err != nil || got == nil || got.Name != sol.Name || got.Seq != sol.Seq {
		t.Errorf("changed: %+v, %v; want the solution", got, err)
	}
	if _, err := s.FindSolutionIfChanged(ctx, 999999, 0); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		t.Errorf("missing: %v, want not_found", err)
	}
	// The same with the solution's region, read in one statement: the
	// region as FindRegion reads it, its profile included.
	profile := kolaborasi.RegionProfile{HeadTitle: "Wali Kota", Email: "kominfo@" + sol.RegionCode + ".test",
		UpdatedAt: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	if err := s.UpdateRegionProfile(ctx, sol.RegionCode, profile); err != nil {
		t.Fatal(err)
	}
	region, err := s.FindRegion(ctx, sol.RegionCode)
	if err != nil {
		t.Fatal(err)
	}
	if got, r, err := s.FindSolutionWithRegion(ctx, sol.ID, sol.Seq); err != nil || got != nil || !reflect.DeepEqual(r, region) {
		t.Errorf("unchanged, with region: %v, %+v, %v; want nil, %+v", got, r, err, region)
	}
	if got, r, err := s.FindSolutionWithRegion(ctx, sol.ID, sol.Seq-1); err != nil || got == nil || !reflect.DeepEqual(got, sol) || !reflect.DeepEqual(r, region) {
		t.Errorf("changed, with region: %+v, %+v, %v; want %+v and %+v", got, r, err, sol, region)
	}
	if r := region; r.Profile.Email != profile.Email || r.ProvinceName == "" || r.Name == "" {
		t.Errorf("the region read: %+v", r)
	}
	if _, _, err := s.FindSolutionWithRegion(ctx, 999999, 0); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		t.Errorf("missing, with region: %v, want not_found", err)
	}
	// More IDs than one statement may bind (SQLite: 32,766; the national
	// savings report asks for every adopted solution): read in parts, in
	// the order asked, the missing left out.
	long := []int64{all[1]}
	for i := range 40000 {
		long = append(long, int64(2_000_000+i))
	}
	long = append(long, all[0])
	if got, err := s.FindSolutionsByID(ctx, long); err != nil || len(got) != 2 || got[0].ID != all[1] || got[1].ID != all[0] {
		t.Errorf("FindSolutionsByID of 40,002 IDs = %d solutions, %v", len(got), err)
	}
}
