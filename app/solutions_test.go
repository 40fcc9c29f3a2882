package app_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/publiccode"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

var (
	bandungEditor = &kolaborasi.User{ID: 11, Name: "Diskominfo Bandung", RegionCode: "32.73", Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
	blitarEditor  = &kolaborasi.User{ID: 12, Name: "Diskominfo Blitar", RegionCode: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
	blitarAdmin   = &kolaborasi.User{ID: 15, Name: "Admin Blitar", RegionCode: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}
	bandungAdmin  = &kolaborasi.User{ID: 13, Name: "Admin Bandung", RegionCode: "32.73", Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}
	platformAdmin = &kolaborasi.User{ID: 14, Name: "Admin", Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}, Status: kolaborasi.UserActive}
)

func newSolution() *kolaborasi.Solution {
	return &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: "32.73",
		Name:       kolaborasi.Texts{ID: "Layanan Aduan Warga"},
		Short:      kolaborasi.Texts{ID: "Masyarakat mengadukan masalah kota.", EN: "Citizens report city problems."},
		Long:       kolaborasi.Texts{ID: "Warga dapat mengadukan jalan rusak dan lampu mati; setiap aduan ditindaklanjuti."},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
		Maturity: kolaborasi.MaturityLive, StartedYear: 2015, Licence: "MIT", Platforms: []string{"web"},
		CostBuild: kolaborasi.Money{IDR: 250_000_000, Source: "APBD (synthetic test figure)"},
		Reuse:     []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}}
}

func TestSolutionLifecycle(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		// Who may publish for Bandung.
		for _, c := range []struct {
			ctx  context.Context
			code string
		}{
			{context.Background(), kolaborasi.EUNAUTHORIZED},
			{as(blitarEditor), kolaborasi.EFORBIDDEN},
			{as(blitarAdmin), kolaborasi.EFORBIDDEN},
			{as(platformAdmin), kolaborasi.EFORBIDDEN},
		} {
			wantCode(t, a.CreateSolution(c.ctx, newSolution()), c.code)
		}
		ctx := as(bandungEditor)
		s := newSolution()
		if err := a.CreateSolution(ctx, s); err != nil {
			t.Fatal(err)
		}
		want := newSolution()
		storetest.AnalyzeSolution(want)
		if s.Terms != want.Terms || s.AuthorName != bandungEditor.Name || !s.CreatedAt.Equal(testNow) {
			t.Errorf("created: terms %q (want %q), author %q, created %v", s.Terms, want.Terms, s.AuthorName, s.CreatedAt)
		}
		if err := a.CreateSolution(as(bandungAdmin), newSolution()); err != nil {
			t.Errorf("the region admin may publish for its region: %v", err)
		}
		if err := a.CreateSolution(as(kolaborasi.System), newSolution()); err != nil {
			t.Errorf("System may publish (operator import, demo): %v", err)
		}

		// Invalid input names the fields and stores nothing.
		bad := newSolution()
		bad.Kind, bad.Licence, bad.Dimensions, bad.Reuse = "app", "Not-A-Licence", nil, []kolaborasi.ReuseTerm{"free"}
		bad.CostAdopt = kolaborasi.Money{IDR: 5}
		bad.Evidence = []kolaborasi.Claim{{Text: "x", SourceURL: "javascript:alert(1)"}}
		err := a.CreateSolution(ctx, bad)
		wantCode(t, err, kolaborasi.EINVALID)
		for _, f := range []string{"kind", "dimensions", "reuse", "cost_adopt", "evidence"} {
			if kolaborasi.ErrorFields(err)[f] == "" {
				t.Errorf("no message for %s: %v", f, kolaborasi.ErrorFields(err))
			}
		}
		lic := newSolution()
		lic.Licence = "Not-A-Licence"
		err = a.CreateSolution(ctx, lic)
		if kolaborasi.ErrorFields(err)["licence"] == "" {
			t.Errorf("bad licence accepted: %v", err)
		}
		prog := newSolution()
		prog.Kind = kolaborasi.KindProgramme
		if err := a.CreateSolution(ctx, prog); kolaborasi.ErrorFields(err)["licence"] == "" {
			t.Errorf("programme with a licence accepted: %v", err)
		}

		// Update, stale update, retire, history.
		s.Short.ID = "Masyarakat melaporkan masalah kota."
		if err := a.UpdateSolution(ctx, s); err != nil {
			t.Fatal(err)
		}
		stale := *s
		stale.Version = 1
		wantCode(t, a.UpdateSolution(ctx, &stale), kolaborasi.ECONFLICT)
		moved := *s
		moved.RegionCode = "35.72"
		wantCode(t, a.UpdateSolution(as(blitarEditor), &moved), kolaborasi.EINVALID)
		wantCode(t, a.UpdateSolution(as(blitarEditor), s), kolaborasi.EFORBIDDEN)
		retired, err := a.RetireSolution(ctx, s.ID, s.Version)
		if err != nil || retired.Maturity != kolaborasi.MaturityRetired || retired.Version != 3 {
			t.Fatalf("retire: %+v %v", retired, err)
		}
		hist, err := a.SolutionHistory(context.Background(), s.ID)
		if err != nil || len(hist) != 3 || hist[0].Version != 3 || hist[2].AuthorName == "" {
			t.Fatalf("history: %d versions, %v", len(hist), err)
		}
		if vs, err := db.Store().FindSolutionVersions(context.Background(), s.ID); err != nil || len(vs) != 3 ||
			vs[2].Solution.Short.ID != "Masyarakat mengadukan masalah kota." {
			t.Fatalf("stored versions: %d, %v", len(vs), err)
		}
		audit, err := db.Store().FindAuditEntries(context.Background(), kolaborasi.AuditFilter{RegionCode: "32.73", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, e := range audit {
			if e.Entity == "solution:"+strconv.FormatInt(s.ID, 10) {
				acts = append(acts, e.Action)
			}
		}
		if len(acts) != 3 || acts[0] != string(app.ActSolutionPublish) {
			t.Errorf("audit rows of the solution: %v", acts)
		}

		// Images: not an image is refused, a PNG becomes the logo.
		_, err = a.UploadSolutionImage(ctx, s.ID, "logo", []byte("GIF89a not really"))
		wantCode(t, err, kolaborasi.EINVALID)
		if kolaborasi.ErrorFields(err)["logo"] == "" {
			t.Errorf("image error without field: %v", err)
		}
		got, err := a.UploadSolutionImage(ctx, s.ID, "screenshot", pngBytes(t))
		if err != nil || len(got.Screenshots) != 1 {
			t.Fatalf("screenshot: %+v %v", got, err)
		}
		withFake := *got
		withFake.LogoSHA256 = strings.Repeat("ab", 32)
		wantCode(t, a.UpdateSolution(ctx, &withFake), kolaborasi.EINVALID)
		_, err = a.UploadSolutionImage(as(blitarEditor), s.ID, "logo", pngBytes(t))
		wantCode(t, err, kolaborasi.EFORBIDDEN)
	})
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSearchSolutions(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		ctx := as(bandungEditor)
		for i := range 5 {
			s := newSolution()
			s.Name.ID += " " + string(rune('A'+i))
			if i == 4 {
				s.Name.ID = "Satu Pintu"
				s.Long.ID = "Sistem perizinan usaha."
				s.Short.ID = "Perizinan."
			}
			if err := a.CreateSolution(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		anon := context.Background()
		res, err := a.SearchSolutions(anon, app.SolutionQuery{Q: "pengaduan", Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 4 || len(res.Items) != 2 || res.Next == "" {
			t.Fatalf("page 1: total %d items %d next %q", res.Total, len(res.Items), res.Next)
		}
		sn := res.Items[0].Snippet
		if len(sn.Hits) == 0 || !strings.Contains(sn.Text[sn.Hits[0].Start:sn.Hits[0].End], "adu") {
			t.Errorf("snippet %q hits %v", sn.Text, sn.Hits)
		}
		if c := res.Facets[kolaborasi.FacetRegion]; len(c) != 1 || c[0] != (kolaborasi.FacetCount{Value: "32.73", Count: 4}) {
			t.Errorf("region facet: %v", c)
		}
		seen := map[int64]bool{}
		for after := ""; ; {
			r, err := a.SearchSolutions(anon, app.SolutionQuery{Q: "pengaduan", Size: 3, After: after, Sort: kolaborasi.SortNewest})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range r.Items {
				seen[it.Solution.ID] = true
			}
			if after = r.Next; after == "" {
				break
			}
		}
		if len(seen) != 4 {
			t.Errorf("cursor pages saw %d solutions, want 4", len(seen))
		}
		res, err = a.SearchSolutions(anon, app.SolutionQuery{Q: "izin", Facets: map[string][]string{"kind": {"software"}}})
		if err != nil || res.Total != 1 {
			t.Fatalf("izin: %v %v", res, err)
		}
		res, err = a.SearchSolutions(anon, app.SolutionQuery{Q: "citizens", Lang: "en"})
		if err != nil || res.Total != 5 || !strings.Contains(res.Items[0].Snippet.Text, "Citizens") {
			t.Fatalf("english: %+v %v", res, err)
		}
		for _, q := range []app.SolutionQuery{
			{Q: strings.Repeat("pengaduan ", 1024)},
			{Q: "yang dan di"},
			{Q: "-izin"},
			{Q: strings.Repeat("a OR ", 40) + "b"},
			{Facets: map[string][]string{"colour": {"red"}}},
			{Facets: map[string][]string{"kind": {"app"}}},
			{Facets: map[string][]string{"province": {"35.72"}}},
			{Sort: "random"},
			{Size: 1000},
			{After: "not-a-cursor"},
		} {
			_, err := a.SearchSolutions(anon, q)
			if kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
				t.Fatalf("%+v: %v, want an invalid error", q, err)
			}
			if len(kolaborasi.ErrorFields(err)) == 0 {
				t.Errorf("%+v: no field message", q)
			}
		}
	})
}

func TestSearchWithoutWordsIsTheWholeCatalog(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		for range 3 {
			if err := a.CreateSolution(as(bandungEditor), newSolution()); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{`"`, "-", "*", "OR", "(", `- OR * -- "" *** - ( )`} {
			for _, opts := range []app.SolutionQuery{{Q: q}, {Q: q, PrefixLast: true, Lang: "en"}} {
				r, err := a.SearchSolutions(context.Background(), opts)
				if err != nil || !r.NoWords || r.Total != 3 || r.Query != nil {
					t.Errorf("%+v: %+v, %v; want the whole catalog with NoWords", opts, r, err)
				}
			}
		}
		r, err := a.SearchSolutions(context.Background(), app.SolutionQuery{Q: "aduan"})
		if err != nil || r.NoWords || r.Total != 3 {
			t.Errorf("a query with words: %+v, %v", r, err)
		}
	})
}

// realFiles returns the real publiccode.yml files of the corpus that
// validate.
func realFiles(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("../publiccode/testdata/real/*.yml")
	if err != nil || len(paths) < 40 {
		t.Fatalf("real files: %d, %v", len(paths), err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, res := publiccode.Parse(data); res.Valid() {
			out[filepath.Base(p)] = data
		}
	}
	return out
}

func TestPublicCodeRoundTrip(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a := newApp(t, db)
	ctx := as(kolaborasi.System)
	files := realFiles(t)
	if len(files) < 20 {
		t.Fatalf("only %d real files validate", len(files))
	}
	ignore := cmpopts.IgnoreFields(kolaborasi.Solution{}, "Version", "UpdatedAt", "PublicCode", "Terms", "Seq")
	for name, data := range files {
		s1, _, err := a.ImportPublicCode(ctx, "32.73", data)
		if err != nil {
			t.Errorf("%s: import: %v", name, err)
			continue
		}
		out1, err := a.ExportPublicCode(ctx, s1.ID)
		if err != nil {
			t.Fatalf("%s: export: %v", name, err)
		}
		// Export keeps every key of the file; only organisation names the
		// region.
		f0, _ := publiccode.Parse(data)
		f1, res := publiccode.Parse(out1)
		if !res.Valid() {
			t.Errorf("%s: exported file is invalid: %v", name, res.Errors())
			continue
		}
		f0.Organisation = f1.Organisation
		if diff := cmp.Diff(f0, f1); diff != "" {
			t.Errorf("%s: export changed the file (-imported +exported):\n%s", name, diff)
		}
		// Importing the export updates the same solution to equal content,
		// and exporting again gives the same bytes.
		s2, _, err := a.ImportPublicCode(ctx, "32.73", out1)
		if err != nil || s2.ID != s1.ID || s2.Version != s1.Version+1 {
			t.Fatalf("%s: re-import: %+v %v", name, s2, err)
		}
		if diff := cmp.Diff(s1, s2, ignore); diff != "" {
			t.Errorf("%s: re-import changed the solution:\n%s", name, diff)
		}
		out2, err := a.ExportPublicCode(ctx, s2.ID)
		if err != nil || !bytes.Equal(out1, out2) {
			t.Errorf("%s: second export differs: %v", name, err)
		}
		if f1.PublicCodeYmlVersion >= "0.5" && f1.Organisation.URI != "urn:kolaborasi:region:32.73" {
			t.Errorf("%s: organisation.uri = %q", name, f1.Organisation.URI)
		}
	}
}

func TestImportPublicCodeBadInput(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		ctx := as(bandungEditor)
		files := realFiles(t)
		keys := make([]string, 0, len(files))
		for k := range files {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		good := files[keys[0]]
		s, res, err := a.ImportPublicCode(ctx, "32.73", good)
		if err != nil || !res.Valid() {
			t.Fatal(err)
		}
		_, _, err = a.ImportPublicCode(as(blitarEditor), "32.73", good)
		wantCode(t, err, kolaborasi.EFORBIDDEN)

		// A rejected update keeps the last good version and returns the new
		// file's messages.
		f, _ := publiccode.Parse(good)
		broken := bytes.Replace(good, []byte("license: "+f.Legal.License), []byte("license: Not-A-Licence"), 1)
		if bytes.Equal(broken, good) {
			t.Fatal("could not break the licence")
		}
		kept, res, err := a.ImportPublicCode(ctx, "32.73", broken)
		wantCode(t, err, kolaborasi.EINVALID)
		if res.Valid() || kept == nil || kept.ID != s.ID || kept.Version != s.Version || kept.PublicCode != string(good) {
			t.Errorf("rejected update: kept %+v, result valid %v", kept, res.Valid())
		}
		for name, data := range map[string][]byte{
			"malformed": []byte("publiccodeYmlVersion: \"0.4\"\nname: [unclosed\n  url: x"),
			"huge":      bytes.Repeat([]byte("# padding line\n"), 50<<20/15),
			"binary":    {0x89, 'P', 'N', 'G', 0, 1, 2, 3, 0xff, 0xfe},
			"version":   bytes.Replace(good, []byte("publiccodeYmlVersion: "), []byte("publiccodeYmlVersion: \"9.9\"\nx: "), 1),
			"empty":     nil,
		} {
			_, res, err := a.ImportPublicCode(ctx, "32.73", data)
			wantCode(t, err, kolaborasi.EINVALID)
			if res.Valid() || len(res.Errors()) == 0 || kolaborasi.ErrorFields(err)["publiccode"] == "" {
				t.Errorf("%s: result %v, err %v", name, res.Errors(), err)
			}
		}
		page, err := db.Store().SearchSolutions(context.Background(), kolaborasi.SolutionFilter{IncludeRetired: true})
		if err != nil || page.Total != 1 {
			t.Errorf("after bad imports: %d solutions, %v", page.Total, err)
		}
		vs, _ := a.SolutionHistory(context.Background(), s.ID)
		if len(vs) != 1 {
			t.Errorf("versions after rejected imports: %d", len(vs))
		}
	})
}

func TestExportPublicCodeOfNewSolution(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a := newApp(t, db)
	ctx := as(bandungEditor)
	s := newSolution()
	if err := a.CreateSolution(ctx, s); err != nil {
		t.Fatal(err)
	}
	// No code repository and a short description: the standard's
	// requirements are listed.
	_, err := a.ExportPublicCode(ctx, s.ID)
	wantCode(t, err, kolaborasi.EINVALID)
	if f := kolaborasi.ErrorFields(err); f["links.code"] == "" || f["description.id.longDescription"] == "" {
		t.Errorf("fields: %v", f)
	}
	s.Links.Code = "https://git.example.org/aduan"
	s.Long.ID = strings.Repeat("Warga dapat mengadukan jalan rusak dan lampu mati kepada dinas terkait. ", 3)
	if err := a.UpdateSolution(ctx, s); err != nil {
		t.Fatal(err)
	}
	out, err := a.ExportPublicCode(ctx, s.ID)
	if err != nil {
		t.Fatal(err, kolaborasi.ErrorFields(err))
	}
	// The export imports back into the same solution.
	back, res, err := a.ImportPublicCode(ctx, "32.73", out)
	if err != nil || !res.Valid() || back.ID != s.ID || back.Long.ID != s.Long.ID || back.Licence != "MIT" {
		t.Fatalf("re-import: %+v %v %v\n%s", back, res.Errors(), err, out)
	}
	prog := newSolution()
	prog.Kind, prog.Licence, prog.Platforms = kolaborasi.KindProgramme, "", nil
	if err := a.CreateSolution(ctx, prog); err != nil {
		t.Fatal(err)
	}
	_, err = a.ExportPublicCode(ctx, prog.ID)
	wantCode(t, err, kolaborasi.EINVALID)
}
