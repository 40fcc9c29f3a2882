package app_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/kolaborasi/kolaborasi/store"
)

func countObservations(t *testing.T, a *app.App, f kolaborasi.ObservationFilter) int {
	t.Helper()
	obs, err := a.Observations(system, f)
	if err != nil {
		t.Fatal(err)
	}
	return len(obs)
}

func TestSeedIndicators(t *testing.T) {
	inds, err := app.SeedIndicators()
	if err != nil {
		t.Fatal(err)
	}
	if len(inds) < 10 {
		t.Fatalf("%d seed indicators", len(inds))
	}
	for _, ind := range inds {
		if ind.Source == "" || ind.Name.EN == "" || ind.Description.ID == "" {
			t.Errorf("%s lacks a source, English name or description", ind.Code)
		}
	}
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db) // loads the seed
		got, err := a.Indicators(system)
		if err != nil || len(got) != len(inds) {
			t.Fatalf("stored %d indicators, %v", len(got), err)
		}
		ind, err := a.Indicator(system, "bps.pertumbuhan-ekonomi")
		if err != nil || ind.Source == "" || ind.PeriodKind != kolaborasi.Yearly {
			t.Fatalf("growth = %+v, %v", ind, err)
		}
	})
}

func TestIndicatorDefinitionsByAdminsOnly(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		editor := invite(t, a, "editor@blitar.test", "35.72", kolaborasi.RoleEditor)
		ind := &kolaborasi.Indicator{Code: "custom.wifi", Framework: kolaborasi.FrameworkCustom, Name: kolaborasi.Texts{ID: "Titik Wi-Fi publik"},
			Unit: "titik", Direction: kolaborasi.HigherIsBetter, PeriodKind: kolaborasi.Yearly, Source: "Diskominfo"}
		wantCode(t, a.SaveIndicator(as(editor), ind, true), kolaborasi.EFORBIDDEN)
		if err := a.SaveIndicator(system, ind, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.SaveIndicator(system, ind, true), kolaborasi.ECONFLICT)
		ind.Unit = "lokasi"
		if err := a.SaveIndicator(system, ind, false); err != nil {
			t.Fatal(err)
		}
		missing := *ind
		missing.Code = "custom.none"
		wantCode(t, a.SaveIndicator(system, &missing, false), kolaborasi.ENOTFOUND)
		bad := *ind
		bad.Code, bad.Direction, bad.PeriodKind = "X", "sideways", "week"
		err := a.SaveIndicator(system, &bad, true)
		wantCode(t, err, kolaborasi.EINVALID)
		if f := err.(*kolaborasi.Error).Fields; f["code"] == "" || f["direction"] == "" || f["period_kind"] == "" {
			t.Fatalf("fields = %v", f)
		}
		reserved := *ind
		reserved.Code = "baru" // the path of the new-indicator form
		err = a.SaveIndicator(system, &reserved, true)
		if wantCode(t, err, kolaborasi.EINVALID); err.(*kolaborasi.Error).Fields["code"] == "" {
			t.Fatalf("the reserved code: %v", err)
		}
	})
}

const obsHeader = "region_code,indicator_code,period,value,unit,source,note\n"

func TestImportObservations(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		editor := invite(t, a, "editor@blitar.test", "35.72", kolaborasi.RoleEditor)
		viewer := invite(t, a, "viewer@blitar.test", "35.72", kolaborasi.RoleViewer)
		file := obsHeader +
			"35.72,bps.pertumbuhan-ekonomi,2024,\"5,33\",%,BPS Kota Blitar,\n" +
			"35.72,bps.pertumbuhan-ekonomi,2023,5.2,,BPS Kota Blitar,\n" +
			"35.72,aduan.waktu-penyelesaian,2024-Q1,3.5,hari,,\n" +
			"35.72,aduan.waktu-penyelesaian,2024-02-15,3.1,,,tanggal Excel\n"
		_, err := a.ImportObservations(as(viewer), "35.72", strings.NewReader(file), obsfile.CSV, 0)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		rep, err := a.ImportObservations(as(editor), "35.72", strings.NewReader(file), obsfile.CSV, 0)
		if kolaborasi.ErrorCode(err) != kolaborasi.EINVALID || len(rep.Problems) != 1 || rep.Problems[0].Row != 5 || rep.Problems[0].Column != "" {
			t.Fatalf("two rows for 2024-Q1: %v %+v", err, rep)
		}
		if n := countObservations(t, a, kolaborasi.ObservationFilter{Region: "35.72"}); n != 0 {
			t.Fatalf("%d stored from a refused file", n)
		}
		file = strings.Replace(file, "2024-02-15", "2024-05-15", 1)
		rep, err = a.ImportObservations(as(editor), "35.72", strings.NewReader(file), obsfile.CSV, 0)
		if err != nil || rep.Rows != 4 || rep.Inserted != 4 || rep.Updated != 0 || rep.Unchanged != 0 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		obs, _ := a.Observations(system, kolaborasi.ObservationFilter{Region: "35.72", Indicator: "aduan.waktu-penyelesaian"})
		if len(obs) != 2 || obs[1].Period != "2024-Q2" || obs[1].Note != "tanggal Excel" || obs[0].RecordedBy != editor.ID {
			t.Fatalf("stored %+v", obs)
		}
		before, _ := a.AuditTrail(system, "", 0)
		// The same file again changes nothing.
		rep, err = a.ImportObservations(as(editor), "35.72", strings.NewReader(file), obsfile.CSV, 0)
		if err != nil || rep.Inserted != 0 || rep.Updated != 0 || rep.Unchanged != 4 {
			t.Fatalf("re-import: %+v, %v", rep, err)
		}
		again, _ := a.AuditTrail(system, "", 0)
		if len(again) != len(before)+1 || !strings.Contains(again[0].Summary, "4 unchanged") {
			t.Fatalf("audit of the re-import: %v", again[0])
		}
		// One changed value is an update.
		rep, err = a.ImportObservations(as(editor), "35.72", strings.NewReader(strings.Replace(file, "5.2,", "5.25,", 1)), obsfile.CSV, 0)
		if err != nil || rep.Updated != 1 || rep.Unchanged != 3 {
			t.Fatalf("update: %+v, %v", rep, err)
		}

		// Every kind of row problem at once, each with its row and column.
		bad := obsHeader +
			"32.73,bps.pertumbuhan-ekonomi,2024,5,,,\n" + // another region
			"99.99,bps.pertumbuhan-ekonomi,2024,5,,,\n" + // no such region
			"35.72,bps.tidak-ada,2024,5,,,\n" + // no such indicator
			"35.72,bps.pertumbuhan-ekonomi,2024-Q1,5,,,\n" + // wrong period kind
			"35.72,bps.pertumbuhan-ekonomi,24,5,,,\n" + // not a period
			"35.72,bps.pertumbuhan-ekonomi,2020,lima,,,\n" + // not a number
			"35.72,bps.pertumbuhan-ekonomi,2021,5,persen,,\n" + // unit
			"35.72,bps.pertumbuhan-ekonomi,2022,=1+1,,,\n" // formula
		rep, err = a.ImportObservations(as(editor), "35.72", strings.NewReader(bad), obsfile.CSV, 0)
		wantCode(t, err, kolaborasi.EINVALID)
		want := []string{"2 region_code", "3 region_code", "4 indicator_code", "5 period", "6 period", "7 value", "8 unit", "9 value"}
		var got []string
		for _, p := range rep.Problems {
			got = append(got, fmt.Sprintf("%d %s", p.Row, p.Column))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("problems %v, want %v", got, want)
		}
		if f := err.(*kolaborasi.Error).Fields; f["row 2, region_code"] == "" {
			t.Fatalf("fields %v", f)
		}
		// A platform administrator imports any region; the province filter.
		admin := invite(t, a, "admin@platform.test", "", kolaborasi.RoleAdmin)
		rep, err = a.ImportObservations(as(admin), "", strings.NewReader(obsHeader+"32.73,bps.kemiskinan,2024,3.9,,,\n35.07,bps.kemiskinan,2024,9.5,,,\n"), obsfile.CSV, 0)
		if err != nil || rep.Inserted != 2 {
			t.Fatalf("admin import: %+v %v", rep, err)
		}
		if n := countObservations(t, a, kolaborasi.ObservationFilter{ProvinceCode: "35", Indicator: "bps.kemiskinan"}); n != 1 {
			t.Fatalf("province filter: %d", n)
		}
		_, err = a.ImportObservations(as(editor), "", strings.NewReader(file), obsfile.CSV, 0)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		// A file over the size limit is too_large, nothing stored.
		_, err = a.ImportObservations(as(admin), "", strings.NewReader(obsHeader+strings.Repeat("32.73,bps.ipm,2024,70,,,\n", 10)), obsfile.CSV, 100)
		wantCode(t, err, kolaborasi.ETOOLARGE)
	})
}

func TestImportBadRowAtLine80000StoresNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows")
	}
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		var b bytes.Buffer
		b.WriteString("region_code,indicator_code,period,value\n")
		names, err := a.RegionNames(system)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for c := range names {
			codes = append(codes, c)
		}
		inds := []string{"bps.pertumbuhan-ekonomi", "bps.kemiskinan", "bps.pengangguran-terbuka", "bps.ipm", "spbe.indeks", "layanan.daring", "umkm.terdaftar"}
		line := 1
		for _, c := range codes {
			for _, ind := range inds {
				for y := 1900; y < 2199 && line < 100000; y++ {
					line++
					v := fmt.Sprintf("\"%d,5\"", line%97)
					if line == 80000 {
						v = "\"5,6,7\""
					}
					fmt.Fprintf(&b, "%s,%s,%d,%s\n", c, ind, y, v)
				}
			}
		}
		rep, err := a.ImportObservations(system, "", bytes.NewReader(b.Bytes()), obsfile.CSV, 0)
		wantCode(t, err, kolaborasi.EINVALID)
		if len(rep.Problems) != 1 || rep.Problems[0].Row != 80000 || rep.Problems[0].Column != "value" {
			t.Fatalf("problems = %v", rep.Problems)
		}
		if n := countObservations(t, a, kolaborasi.ObservationFilter{}); n != 0 {
			t.Fatalf("%d observations stored from a refused file", n)
		}
		// Without the bad row all are stored; again, nothing changes.
		fixed := bytes.Replace(b.Bytes(), []byte(",\"5,6,7\"\n"), []byte(",\"5,6\"\n"), 1)
		rep, err = a.ImportObservations(system, "", bytes.NewReader(fixed), obsfile.CSV, 0)
		if err != nil || rep.Inserted != line-1 {
			t.Fatalf("fixed file: %+v %v", rep, err)
		}
		rep, err = a.ImportObservations(system, "", bytes.NewReader(fixed), obsfile.CSV, 0)
		if err != nil || rep.Unchanged != line-1 || rep.Inserted+rep.Updated != 0 {
			t.Fatalf("again: %+v %v", rep, err)
		}
	})
}

func TestExportImportRoundTrip(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		var b strings.Builder
		b.WriteString(obsHeader)
		for y := 2015; y <= 2025; y++ {
			fmt.Fprintf(&b, "35.72,bps.pertumbuhan-ekonomi,%d,%v,%%,\"BPS, Kota Blitar\",\"catatan \"\"kutip\"\"\"\n", y, float64(y-2010)/3)
			fmt.Fprintf(&b, "32.73,aduan.waktu-penyelesaian,%d-Q3,%d.1250,hari,,\n", y, y-2000)
		}
		// Notes a spreadsheet would run as formulas (CSV injection).
		b.WriteString("32.73,aduan.waktu-penyelesaian,2014-Q3,1,hari,\"'=HYPERLINK(\"\"http://x\"\")\",-2 hari\n")
		if _, err := a.ImportObservations(system, "", strings.NewReader(b.String()), obsfile.CSV, 0); err != nil {
			t.Fatal(err)
		}
		for _, format := range []obsfile.Format{obsfile.CSV, obsfile.XLSX} {
			var out bytes.Buffer
			if err := a.ExportObservations(system, kolaborasi.ObservationFilter{}, format, &out); err != nil {
				t.Fatal(err)
			}
			rep, err := a.ImportObservations(system, "", bytes.NewReader(out.Bytes()), format, 0)
			if err != nil || rep.Rows != 23 || rep.Unchanged != 23 {
				t.Fatalf("%s round trip: %+v, %v", format, rep, err)
			}
		}
		var out bytes.Buffer
		if err := a.ExportObservations(system, kolaborasi.ObservationFilter{Indicator: "bps.pertumbuhan-ekonomi", From: "2020", To: "2021"}, obsfile.CSV, &out); err != nil {
			t.Fatal(err)
		}
		want := "region_code,region_name,indicator_code,period,value,unit,source,note\n" +
			"35.72,Kota Blitar,bps.pertumbuhan-ekonomi,2020,3.3333333333333335,%,\"BPS, Kota Blitar\",\"catatan \"\"kutip\"\"\"\n" +
			"35.72,Kota Blitar,bps.pertumbuhan-ekonomi,2021,3.6666666666666665,%,\"BPS, Kota Blitar\",\"catatan \"\"kutip\"\"\"\n"
		if out.String() != want {
			t.Fatalf("export:\n%s\nwant\n%s", out.String(), want)
		}
		out.Reset()
		if err := a.ExportObservations(system, kolaborasi.ObservationFilter{Indicator: "aduan.waktu-penyelesaian", From: "2014-Q3", To: "2014-Q3"}, obsfile.CSV, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `,"'=HYPERLINK(""http://x"")",'-2 hari`) {
			t.Fatalf("formula-like texts are not quoted in the CSV:\n%s", out.String())
		}
		obs, err := a.Observations(context.Background(), kolaborasi.ObservationFilter{Indicator: "aduan.waktu-penyelesaian", From: "2014-Q3", To: "2014-Q3"})
		if err != nil || len(obs) != 1 || obs[0].Source != `=HYPERLINK("http://x")` || obs[0].Note != "-2 hari" {
			t.Fatalf("stored texts: %+v %v", obs, err)
		}
		err = a.ExportObservations(system, kolaborasi.ObservationFilter{From: "2020-13"}, obsfile.CSV, &out)
		wantCode(t, err, kolaborasi.EINVALID)
	})
}
