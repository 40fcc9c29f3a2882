package document

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/font/sfnt"

	"github.com/kolaborasi/kolaborasi/internal/pdftext"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// render renders a and extracts its text, failing the test on error.
func render(t testing.TB, a Agreement) ([]byte, string, []pdftext.Page) {
	t.Helper()
	pdf, err := Render(a)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	text, pages, err := pdftext.Extract(pdf)
	if err != nil {
		t.Fatalf("extract text: %v", err)
	}
	return pdf, text, pages
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		a    Agreement
	}{
		{"ksb_blitar_bandung", seedKSB()},
		{"pks_blitar_bandung", seedPKS()},
		{"ksb_three_party", threeParty()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, _ := render(t, tt.a)
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("text of %s differs from %s (-want +got):\n%s", tt.name, path, diff)
			}
		})
	}
}

// TestRenderSeedContent checks, independently of the golden file, the parts
// of the seed KSB that the layout promises.
func TestRenderSeedContent(t *testing.T) {
	_, text, pages := render(t, seedKSB())
	lines := strings.Split(text, "\n")
	title := []string{
		"KESEPAKATAN BERSAMA", "ANTARA", "PEMERINTAH KOTA BLITAR", "DAN", "PEMERINTAH KOTA BANDUNG", "TENTANG",
		"KERJA SAMA PENGEMBANGAN SMART CITY DAN EKONOMI KERAKYATAN",
		"NOMOR : 415.4/12/410.010.1/2017", "NOMOR : 119/PKS.05-Huk/2017",
	}
	if diff := cmp.Diff(title, lines[:len(title)]); diff != "" {
		t.Errorf("title block (-want +got):\n%s", diff)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Pada hari ini Rabu tanggal delapan bulan Maret tahun dua ribu tujuh belas, bertempat di Balai Kota Kusuma Wicitra, Blitar,",
		"Wali Kota Blitar, dalam hal ini bertindak untuk dan atas nama Pemerintah Kota Blitar, selanjutnya disebut PIHAK KESATU.",
		"“kolaborasi”, bukan “kompetisi”",
		"a. Smart City; b. E-Government; c. pengembangan usaha kecil menengah; d. ekonomi kreatif; dan e. koperasi.",
		"PIHAK KEDUA memberikan kepada PIHAK KESATU aplikasi smart city",
		"PIHAK KESATU memberikan kepada PIHAK KEDUA program ekonomi kerakyatan",
		"jangka waktu 5 (lima) tahun, terhitung sejak tanggal 8 Maret 2017 sampai dengan tanggal 7 Maret 2022.",
		"musyawarah untuk mufakat",
		"PIHAK KESATU, PIHAK KEDUA, WALI KOTA BLITAR, WALI KOTA BANDUNG,",
		"(ditandatangani secara elektronik pada 8 Maret 2017 pukul 03.15 UTC, kunci ed25519:3572-walikota-01)",
		"SAKSI-SAKSI 1. Bupati Malang 1. ",
		"4. Bupati Kediri 4. ",
		"https://kolaborasi.example/verifikasi/ksb-3572-3273-2017-001",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	wantArticles := []string{
		"Pasal 1", "MAKSUD DAN TUJUAN", "Pasal 2", "RUANG LINGKUP", "Pasal 3", "PELAKSANAAN",
		"Pasal 4", "PEMBIAYAAN", "Pasal 5", "JANGKA WAKTU", "Pasal 6", "PENYELESAIAN PERSELISIHAN",
		"Pasal 7", "PENUTUP",
	}
	if diff := cmp.Diff(wantArticles, articleLines(lines)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	for i, p := range pages {
		want := "Halaman " + string(rune('1'+i)) + " dari " + string(rune('0'+len(pages)))
		if last := p.Runs[len(p.Runs)-1].Text; last != want {
			t.Errorf("page %d footer = %q, want %q", i+1, last, want)
		}
	}
}

// articleLines returns each "Pasal N" line and the heading after it.
func articleLines(lines []string) []string {
	var out []string
	for i, l := range lines {
		if strings.HasPrefix(l, "Pasal ") && i+1 < len(lines) {
			out = append(out, l, lines[i+1])
		}
	}
	return out
}

func TestRenderSkipsEmptyArticles(t *testing.T) {
	a := seedKSB()
	a.Financing = nil
	a.Scope = nil
	_, text, _ := render(t, a)
	want := []string{
		"Pasal 1", "MAKSUD DAN TUJUAN", "Pasal 2", "PELAKSANAAN", "Pasal 3", "JANGKA WAKTU",
		"Pasal 4", "PENYELESAIAN PERSELISIHAN", "Pasal 5", "PENUTUP",
	}
	if diff := cmp.Diff(want, articleLines(strings.Split(text, "\n"))); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
}

func TestRenderPKSCitesKSB(t *testing.T) {
	_, text, _ := render(t, seedPKS())
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"PERJANJIAN KERJA SAMA ANTARA PEMERINTAH KOTA BLITAR DAN PEMERINTAH KOTA BANDUNG TENTANG",
		"dalam hal ini bertindak untuk dan atas nama Pemerintah Kota Blitar berdasarkan Surat Kuasa Wali Kota Blitar Nomor 180/7/410.010.2/2017 tanggal 22 Mei 2017",
		"dengan memperhatikan Kesepakatan Bersama Nomor 415.4/12/410.010.1/2017 dan Nomor 119/PKS.05-Huk/2017 tanggal 8 Maret 2017",
		"sepakat untuk mengadakan Perjanjian Kerja Sama tentang",
		"Pada hari ini Senin tanggal lima bulan Juni tahun dua ribu tujuh belas",
		"PIHAK KESATU, PIHAK KEDUA, a.n. WALI KOTA BLITAR a.n. WALI KOTA BANDUNG KEPALA DINAS KOMUNIKASI,",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.Contains(text, "SAKSI-SAKSI") {
		t.Error("a PKS without witnesses has a SAKSI-SAKSI block")
	}
}

func TestRenderThreeParties(t *testing.T) {
	_, text, _ := render(t, threeParty())
	lines := strings.Split(text, "\n")
	title := []string{
		"KESEPAKATAN BERSAMA", "ANTARA", "PEMERINTAH KOTA BLITAR,", "PEMERINTAH KABUPATEN BLITAR,", "DAN",
		"PEMERINTAH KABUPATEN MALANG", "TENTANG",
	}
	if diff := cmp.Diff(title, lines[:len(title)]); diff != "" {
		t.Errorf("title block (-want +got):\n%s", diff)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"PIHAK KESATU, PIHAK KEDUA, dan PIHAK KETIGA yang selanjutnya secara bersama-sama disebut PARA PIHAK",
		"Contoh Nama Pejabat, Bupati Malang, dalam hal ini",
		"dibuat dalam rangkap 3 (tiga) asli",
		"PIHAK KETIGA, BUPATI MALANG, CONTOH NAMA PEJABAT",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestRenderQRCode(t *testing.T) {
	a := seedKSB()
	_, _, pages := render(t, a)
	last := pages[len(pages)-1]
	if len(last.Images) != 1 {
		t.Fatalf("last page draws %d images, want 1 (the QR code)", len(last.Images))
	}
	for _, p := range pages[:len(pages)-1] {
		if len(p.Images) != 0 {
			t.Errorf("an earlier page draws %d images", len(p.Images))
		}
	}
	img := last.Images[0]
	_, modules, err := qrPNG(a.VerifyURL)
	if err != nil {
		t.Fatal(err)
	}
	side := modules * qrPixelsPerModule
	if w, h := pdftext.IntEntry(img.Dict, "Width"), pdftext.IntEntry(img.Dict, "Height"); w != side || h != side {
		t.Fatalf("image is %d×%d, want %d×%d", w, h, side, side)
	}
	pix := unfilterPNGRows(t, img.Stream, side)
	dark := func(mx, my int) bool {
		x := (mx+qrQuietZone)*qrPixelsPerModule + qrPixelsPerModule/2
		y := (my+qrQuietZone)*qrPixelsPerModule + qrPixelsPerModule/2
		return pix[y*side+x] < 0x80
	}
	// Each corner but the bottom right holds a finder pattern: a dark 7×7
	// ring, a light ring inside it, and a dark 3×3 centre.
	n := modules - 2*qrQuietZone
	for _, c := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for dy := range 7 {
			for dx := range 7 {
				ring := max(abs(dx-3), abs(dy-3))
				want := ring != 2
				if got := dark(c[0]+dx, c[1]+dy); got != want {
					t.Fatalf("finder pattern at %v: module (%d,%d) dark=%v, want %v", c, dx, dy, got, want)
				}
			}
		}
	}
	// The quiet zone is light.
	for x := range side {
		if pix[x] < 0x80 || pix[(side-1)*side+x] < 0x80 {
			t.Fatal("quiet zone has dark pixels")
		}
	}

	a.VerifyURL = ""
	_, text, pages := render(t, a)
	if n := len(pages[len(pages)-1].Images); n != 0 {
		t.Errorf("without a verification URL the document draws %d images", n)
	}
	if strings.Contains(text, "Verifikasi") {
		t.Error("without a verification URL the document still offers verification")
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// unfilterPNGRows undoes the PNG row filters of 8-bit grayscale image data
// (an image XObject with /Predictor 15) and returns the pixels.
func unfilterPNGRows(t *testing.T, data []byte, side int) []byte {
	t.Helper()
	out := make([]byte, 0, side*side)
	prev := make([]byte, side)
	for row := range side {
		line := data[row*(side+1) : (row+1)*(side+1)]
		filter, cur := line[0], append([]byte(nil), line[1:]...)
		for i := range cur {
			var left, upLeft byte
			if i > 0 {
				left, upLeft = cur[i-1], prev[i-1]
			}
			up := prev[i]
			switch filter {
			case 0:
			case 1:
				cur[i] += left
			case 2:
				cur[i] += up
			case 3:
				cur[i] += byte((int(left) + int(up)) / 2)
			case 4:
				p := int(left) + int(up) - int(upLeft)
				pa, pb, pc := abs(p-int(left)), abs(p-int(up)), abs(p-int(upLeft))
				switch {
				case pa <= pb && pa <= pc:
					cur[i] += left
				case pb <= pc:
					cur[i] += up
				default:
					cur[i] += upLeft
				}
			default:
				t.Fatalf("row %d: unknown PNG filter %d", row, filter)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out
}

func TestRenderDeterministic(t *testing.T) {
	for _, a := range []Agreement{seedKSB(), seedPKS(), threeParty()} {
		first, err := Render(a)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			again, err := Render(a)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again) {
				t.Fatalf("%s: two renders of the same agreement differ", a.Title)
			}
		}
		if !bytes.Contains(first, []byte("/CreationDate (D:"+a.Date.Format("20060102")+"000000)")) {
			t.Errorf("%s: creation date is not the signing date", a.Title)
		}
	}
}

func TestRenderEmbedsFont(t *testing.T) {
	pdf, err := Render(seedKSB())
	if err != nil {
		t.Fatal(err)
	}
	objs, err := pdftext.Objects(pdf)
	if err != nil {
		t.Fatal(err)
	}
	var files int
	for n, obj := range objs {
		if strings.Contains(obj.Dict, "/FontFile2") {
			files++
		}
		if strings.Contains(obj.Dict, "/BaseFont /Helvetica") || strings.Contains(obj.Dict, "/BaseFont /Times") {
			t.Errorf("object %d uses a non-embedded standard font: %s", n, obj.Dict)
		}
	}
	if files != 2 {
		t.Errorf("found %d embedded font descriptors, want 2 (regular and bold)", files)
	}
}

func TestRenderInvalid(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Agreement)
		field  string
	}{
		{"no parties", func(a *Agreement) { a.Parties, a.Exchanges, a.Financing = nil, nil, nil }, "parties"},
		{"one party", func(a *Agreement) { a.Parties = a.Parties[:1]; a.Exchanges = nil; a.Financing = nil }, "parties"},
		{"missing date", func(a *Agreement) { a.Date = time.Time{} }, "date"},
		{"missing place", func(a *Agreement) { a.Place = " " }, "place"},
		{"missing title", func(a *Agreement) { a.Title = "" }, "title"},
		{"unknown kind", func(a *Agreement) { a.Kind = "MOU" }, "kind"},
		{"unknown type", func(a *Agreement) { a.Type = "" }, "type"},
		{"party without office", func(a *Agreement) { a.Parties[1].Office = "" }, "parties[1].office"},
		{"exchange to unknown party", func(a *Agreement) { a.Exchanges[0].Receiver = 2 }, "exchanges[0].receiver"},
		{"exchange to itself", func(a *Agreement) { a.Exchanges[0].Receiver = 1 }, "exchanges[0]"},
		{"funding of unknown party", func(a *Agreement) { a.Financing[1].Party = -1 }, "financing[1].party"},
		{"end before start", func(a *Agreement) { a.Duration.End = day(2016, 1, 1) }, "duration.end"},
		{"start without end", func(a *Agreement) { a.Duration.End = time.Time{} }, "duration.end"},
		{"KSB with reference", func(a *Agreement) { a.Reference = &Reference{} }, "reference"},
		{"PKS without reference", func(a *Agreement) { a.Kind = KindPKS }, "reference"},
		{"signature without key", func(a *Agreement) { a.Parties[0].Signature.KeyID = "" }, "parties[0].signature.key_id"},
		{"character outside the font", func(a *Agreement) { a.Purpose[0] += " 🤝" }, "purpose[0]"},
		{"invalid UTF-8", func(a *Agreement) { a.Parties[0].Office = "Bupati \xff" }, "parties[0].office"},
		{"control character", func(a *Agreement) { a.Scope[0] = "Smart\tCity" }, "scope[0]"},
		{"witness without office or region", func(a *Agreement) { a.Witnesses[2] = Witness{Name: "X"} }, "witnesses[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := seedKSB()
			tt.modify(&a)
			pdf, err := Render(a)
			if err == nil {
				t.Fatalf("Render succeeded (%d bytes), want an error on %s", len(pdf), tt.field)
			}
			var verr ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("error %v is a %T, want a ValidationError", err, err)
			}
			var fields []string
			for _, fe := range verr {
				fields = append(fields, fe.Field)
			}
			if len(fields) != 1 || fields[0] != tt.field {
				t.Errorf("error fields = %q, want [%q]; error: %v", fields, tt.field, err)
			}
			if !strings.HasPrefix(err.Error(), "invalid agreement: "+tt.field+": ") {
				t.Errorf("error message %q does not name the field first", err)
			}
		})
	}
	t.Run("messages", func(t *testing.T) {
		a := seedKSB()
		a.Parties = a.Parties[:1]
		a.Exchanges, a.Financing = nil, nil
		a.Date = time.Time{}
		_, err := Render(a)
		want := "invalid agreement: parties: an agreement needs at least two parties, got one; " +
			"date: the signing date is required"
		if err == nil || err.Error() != want {
			t.Errorf("error = %v, want %q", err, want)
		}
	})
}

func TestFontHas(t *testing.T) {
	var buf sfnt.Buffer
	for _, r := range "AZaz09éÉ“”‘’–—…·" {
		if !fontHas(&buf, r) {
			t.Errorf("font lacks %q", r)
		}
	}
	for _, r := range []rune{'🤝', 0x10FFFF, 0xE000} {
		if fontHas(&buf, r) {
			t.Errorf("font claims %U", r)
		}
	}
}

func BenchmarkRenderSeedKSB(b *testing.B) {
	a := seedKSB()
	var size int
	for b.Loop() {
		pdf, err := Render(a)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

// FuzzRender feeds arbitrary text into the free-text fields: Render must
// either refuse it with a ValidationError or produce a PDF whose text reads
// back, never panic.
func FuzzRender(f *testing.F) {
	f.Add("Kerja Sama Smart City", "Smart City", "Bupati Malang")
	f.Add("“kolaborasi” – (kurung) \\ garis", "e-Government", "")
	f.Add("🤝", "\x00", "\t")
	f.Add(strings.Repeat("sangat-panjang-tanpa-spasi", 20), "a", "b")
	f.Fuzz(func(t *testing.T, title, scope, witness string) {
		a := seedKSB()
		a.Title = title
		a.Scope = []string{scope}
		a.Witnesses = []Witness{{Office: witness, Region: "Pemerintah Kabupaten Malang"}}
		pdf, err := Render(a)
		if err != nil {
			var verr ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("error %v is not a ValidationError", err)
			}
			return
		}
		if _, _, err := pdftext.Extract(pdf); err != nil {
			t.Fatalf("rendered PDF does not read back: %v", err)
		}
	})
}

// TestRenderKeepsSignaturesWithText checks that the signatures never stand
// alone on a page: the closing article moves with them.
func TestRenderKeepsSignaturesWithText(t *testing.T) {
	for _, a := range []Agreement{seedKSB(), seedPKS(), threeParty()} {
		_, text, _ := render(t, a)
		for i, page := range strings.Split(text, "\f\n") {
			if strings.Contains(page, "PIHAK KESATU,  PIHAK KEDUA,") && !strings.Contains(page, "PENUTUP") {
				t.Errorf("%s: page %d has the signatures without the closing article", a.Title, i+1)
			}
		}
	}
}

// A draft carries the DRAF watermark on every page; a signed document none.
func TestRenderDraftWatermark(t *testing.T) {
	a := threeParty()
	a.Draft = true
	_, _, pages := render(t, a)
	if len(pages) < 2 {
		t.Fatalf("want a document of several pages, got %d", len(pages))
	}
	for i, p := range pages {
		if !slices.ContainsFunc(p.Runs, func(r pdftext.Run) bool { return strings.TrimSpace(r.Text) == "DRAF" }) {
			t.Errorf("page %d has no DRAF watermark", i+1)
		}
	}
	_, text, _ := render(t, threeParty())
	if slices.Contains(strings.Fields(text), "DRAF") {
		t.Error("a document that is not a draft carries the watermark")
	}
}

// Without an end date the Jangka Waktu article is still there, with
// visible blanks for the length and the end.
func TestRenderDurationBlanks(t *testing.T) {
	a := seedKSB()
	a.Duration = Duration{}
	_, text, _ := render(t, a)
	flat := strings.Join(strings.Fields(text), " ")
	want := "Kesepakatan Bersama ini berlaku untuk jangka waktu ...................., terhitung sejak tanggal 8 Maret 2017 sampai dengan tanggal ....................."
	if !strings.Contains(flat, want) {
		t.Errorf("no blank period:\n%s", flat)
	}
	if !slices.Contains(articleLines(strings.Split(text, "\n")), "JANGKA WAKTU") {
		t.Error("no Jangka Waktu article")
	}
}

// A signature recorded on another day than the signing date says both,
// so that a historical agreement recorded later does not contradict its
// opening; one recorded on the signing date says it was signed
// electronically then. A signatory named like the office is not repeated
// in the opening.
func TestRenderSignatureRecordedLater(t *testing.T) {
	a := seedKSB()
	a.Parties[0].Name = a.Parties[0].Office
	a.Parties[0].Signature = &Signature{SignedAt: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), KeyID: "f3f544318c0de7f8"}
	a.Parties[1].Signature = &Signature{SignedAt: time.Date(2017, 3, 8, 3, 15, 0, 0, time.UTC), KeyID: "13dc578b743c12c6"}
	_, text, pages := render(t, a)
	flat := strings.Join(strings.Fields(text), " ")
	// The signature blocks stand side by side: read each column alone.
	var left, right []string
	for _, r := range pages[len(pages)-1].Runs {
		if r.X < (marginLeft+textWidth/2)*72/25.4 { // points

			left = append(left, r.Text)
		} else {
			right = append(right, r.Text)
		}
	}
	for col, want := range map[*[]string]string{
		&left:  "(ditandatangani 8 Maret 2017; dicatat secara elektronik di Kolaborasi pada 1 Desember 2026 pukul 09.30 UTC, kunci f3f544318c0de7f8) WALI KOTA BLITAR",
		&right: "(ditandatangani secara elektronik pada 8 Maret 2017 pukul 03.15 UTC, kunci 13dc578b743c12c6)",
	} {
		if got := strings.Join(strings.Fields(strings.Join(*col, " ")), " "); !strings.Contains(got, want) {
			t.Errorf("no %q in the column:\n%s", want, got)
		}
	}
	if strings.Contains(flat, "Wali Kota Blitar, Wali Kota Blitar") {
		t.Error("the office is repeated as the signatory's name")
	}
}
