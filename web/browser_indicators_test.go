package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/kolaborasi/kolaborasi"
)

// writeXLSX writes rows into the first sheet of a workbook at path.
func writeXLSX(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// An editor uploads an XLSX with one bad row in a real browser, sees the
// row's error, uploads the fixed file and sees the values; the indicator
// page then draws its chart (uPlot) and map (Leaflet).
func TestBrowserObservationImport(t *testing.T) {
	ts := newTestServer(t)
	editor := makeUser(t, ts.app, "browser-editor@k5.test", ownRegion, kolaborasi.RoleEditor)
	dir := t.TempDir()
	header := []any{"region_code", "indicator_code", "period", "value", "source"}
	bad, fixed := filepath.Join(dir, "bad.xlsx"), filepath.Join(dir, "fixed.xlsx")
	writeXLSX(t, bad, [][]any{header, {"35.72", "umkm.terdaftar", 2024, 31.5, "Dinkop UM"}, {"35.72", "umkm.terdaftar", 2025, "tiga puluh", "Dinkop UM"}})
	writeXLSX(t, fixed, [][]any{header, {"35.72", "umkm.terdaftar", 2024, 31.5, "Dinkop UM"}, {"35.72", "umkm.terdaftar", 2025, 34.25, "Dinkop UM"}})
	if _, err := os.Stat(fixed); err != nil {
		t.Fatal(err)
	}

	ctx := newBrowser(t, 60*time.Second)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := browserSignIn(ctx, ts.URL, editor.Email, matrixPass); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	upload := func(path, wait string) string {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/kelola/35.72/indikator/impor"),
			chromedp.WaitVisible(css(`input[type=file]`)),
			chromedp.SetUploadFiles(css(`input[type=file]`), []string{path}),
			chromedp.Submit(css(`input[type=file]`)),
			chromedp.WaitVisible(css(wait)),
		)
		if err != nil {
			t.Fatalf("upload %s: %v", path, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(css(wait)))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	if text := upload(bad, "#import-errors"); !strings.Contains(text, "3\tvalue") && !strings.Contains(text, "3 value") || !strings.Contains(text, "tiga puluh") {
		t.Fatalf("the row error is not shown: %q", text)
	}
	if text := upload(fixed, "#import-done"); !strings.Contains(text, "2 baru") {
		t.Fatalf("the import is not reported: %q", text)
	}
	// The values: in the series table and drawn as a chart, and the map.
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/indikator/umkm.terdaftar?wilayah=35.72"),
		chromedp.WaitVisible(css(`#deret .uplot`)),
	)
	if err != nil {
		t.Fatalf("the chart is not drawn: %v", err)
	}
	table, err := chromedp.Run(ctx, chromedp.Text(css(`table[data-chart]`)))
	if err != nil || !strings.Contains(table, "34,25") || !strings.Contains(table, "31,5") {
		t.Fatalf("series table %q, %v", table, err)
	}
	paths, err := chromedp.Run(ctx, chromedp.Poll[int](`document.querySelectorAll("#choropleth path.leaflet-interactive").length`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || paths < 500 {
		t.Fatalf("choropleth: %d shapes, %v", paths, err)
	}
}
