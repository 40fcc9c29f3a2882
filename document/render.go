package document

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/kolaborasi/kolaborasi"
)

// Page geometry in millimetres: A4 with the wide left margin of Indonesian
// official documents (room for binding) and 2–2.5 cm elsewhere.
const (
	pageHeight   = 297.0
	marginLeft   = 30.0
	marginRight  = 20.0
	marginTop    = 25.0
	marginBottom = 25.0
	textWidth    = 210.0 - marginLeft - marginRight

	bodySize  = 11.0 // points
	smallSize = 9.0
	lineH     = 5.5 // body line height
	smallH    = 4.2 // small line height

	clauseLabelW = 10.0 // "(1)" labels
	itemLabelW   = 7.0  // "a." and "1." labels
	signSpace    = 26.0 // room for a wet signature or the e-signature note
	qrSide       = 30.0

	pageCountAlias = "{kolaborasi-jumlah-halaman}"

	// blank stands for what is not known yet (a number, a date), for the
	// parties to fill in by hand.
	blank = "...................."

	watermark     = "DRAF"
	watermarkSize = 120.0 // points
)

// Render lays a out as a PDF: the centred title, the parties' numbers, the
// opening with the signing date in words, the parties, the articles
// (numbered in order, empty optional ones left out), the signature blocks,
// the witnesses and, when a.VerifyURL is set, a QR code to the verification
// page. The output depends only on a: rendering the same Agreement twice
// gives the same bytes. An invalid Agreement gives a ValidationError.
func Render(a Agreement) ([]byte, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	r := newRenderer(&a)
	r.title()
	r.opening()
	r.articles()
	r.signatures()
	r.witnesses()
	if err := r.verification(); err != nil {
		return nil, fmt.Errorf("render agreement: %w", err)
	}
	var buf bytes.Buffer
	if err := r.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render agreement: %w", err)
	}
	return buf.Bytes(), nil
}

// renderer carries the document being drawn.
type renderer struct {
	pdf *fpdf.Fpdf
	a   *Agreement
}

func newRenderer(a *Agreement) *renderer {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	// Reproducible output: resources in sorted order, dates from the input.
	pdf.SetCatalogSort(true)
	created := civil(a.Date)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetProducer("Kolaborasi", true)
	pdf.SetCreator("Kolaborasi", true)
	pdf.SetTitle(a.Kind.noun()+" tentang "+a.Title, true)
	pdf.SetLang("id-ID")
	for _, f := range fontFaces {
		pdf.AddUTF8FontFromBytes(fontFamily, f.style, f.ttf)
	}
	// fpdf replaces this alias with the page count when it closes the
	// document; it is long so that agreement text never contains it.
	pdf.AliasNbPages(pageCountAlias)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont(fontFamily, "", smallSize)
		pdf.CellFormat(0, smallH, "Halaman "+strconv.Itoa(pdf.PageNo())+" dari "+pageCountAlias, "", 0, "C", false, 0, "")
	})
	if a.Draft {
		// The header runs first on every page, so the watermark lies
		// beneath the text; fpdf restores font and colours after it.
		pdf.SetHeaderFunc(func() {
			pdf.SetFont(fontFamily, "B", watermarkSize)
			pdf.SetTextColor(225, 225, 225)
			cx, cy := 105.0, pageHeight/2
			pdf.TransformBegin()
			pdf.TransformRotate(45, cx, cy)
			pdf.Text(cx-pdf.GetStringWidth(watermark)/2, cy+watermarkSize*0.35/2, watermark)
			pdf.TransformEnd()
			pdf.SetTextColor(0, 0, 0)
		})
	}
	pdf.AddPage()
	return &renderer{pdf: pdf, a: a}
}

// font selects the document font in style "" or "B" at size points.
func (r *renderer) font(style string, size float64) {
	r.pdf.SetFont(fontFamily, style, size)
}

// keep starts a new page unless h millimetres fit on this one, so that a
// heading stays with its text and a signature block is not split.
func (r *renderer) keep(h float64) {
	if r.pdf.GetY()+h > pageHeight-marginBottom {
		r.pdf.AddPage()
	}
}

// centred writes text centred over the text width, wrapping if needed.
func (r *renderer) centred(text string, style string) {
	r.font(style, bodySize)
	r.pdf.MultiCell(0, lineH, text, "", "C", false)
}

// paragraph writes justified text over the text width.
func (r *renderer) paragraph(text string) {
	r.font("", bodySize)
	r.pdf.MultiCell(0, lineH, text, "", "J", false)
}

// item writes a labelled paragraph with a hanging indent: the label at
// indent, the text in a block to its right.
func (r *renderer) item(indent, labelW float64, label, text string) {
	r.font("", bodySize)
	r.pdf.SetX(marginLeft + indent)
	r.pdf.CellFormat(labelW, lineH, label, "", 0, "L", false, 0, "")
	r.pdf.MultiCell(textWidth-indent-labelW, lineH, text, "", "J", false)
}

// title writes the centred title block and the parties' numbers.
func (r *renderer) title() {
	a := r.a
	lines := []string{a.Kind.heading(), "ANTARA"}
	for i, p := range a.Parties {
		name := strings.ToUpper(p.Region)
		switch {
		case i == len(a.Parties)-1:
			lines = append(lines, "DAN", name)
		case len(a.Parties) > 2:
			lines = append(lines, name+",")
		default:
			lines = append(lines, name)
		}
	}
	lines = append(lines, "TENTANG")
	for _, l := range lines {
		r.centred(l, "B")
	}
	r.centred(strings.ToUpper(a.Title), "B")
	r.pdf.Ln(lineH / 2)
	for _, p := range a.Parties {
		n := p.Number
		if n == "" {
			n = blank
		}
		r.centred("NOMOR : "+n, "B")
	}
	r.pdf.Ln(lineH)
}

// opening writes the date and place in words, the parties and the recital.
func (r *renderer) opening() {
	a := r.a
	place := a.Place
	if a.Venue != "" {
		place = a.Venue + ", " + a.Place
	}
	r.paragraph("Pada hari ini " + spellDate(a.Date) + ", bertempat di " + place +
		", yang bertanda tangan di bawah ini:")
	r.pdf.Ln(lineH / 3)
	for i, p := range a.Parties {
		var b strings.Builder
		if p.Name != "" && p.Name != p.Office {
			b.WriteString(p.Name + ", ")
		}
		b.WriteString(p.Office)
		if p.Address != "" {
			b.WriteString(", berkedudukan di " + p.Address)
		}
		b.WriteString(", dalam hal ini bertindak untuk dan atas nama " + p.Region)
		if m := p.Mandate; m != nil {
			b.WriteString(" berdasarkan Surat Kuasa " + m.Grantor + " Nomor " + m.Number +
				" tanggal " + FormatDate(m.Date))
		}
		b.WriteString(", selanjutnya disebut " + partyLabel(i) + ".")
		r.item(0, itemLabelW, strconv.Itoa(i+1)+".", b.String())
		r.pdf.Ln(lineH / 3)
	}
	labels := make([]string, len(a.Parties))
	for i := range a.Parties {
		labels[i] = partyLabel(i)
	}
	recital := join(labels) + " yang selanjutnya secara bersama-sama disebut PARA PIHAK dan " +
		"secara sendiri-sendiri disebut PIHAK, "
	if ref := a.Reference; ref != nil {
		recital += "dengan memperhatikan Kesepakatan Bersama Nomor " +
			join(ref.Numbers, "dan Nomor") + " tanggal " + FormatDate(ref.Date) +
			" tentang " + ref.Title + ", "
	}
	recital += "sepakat untuk mengadakan " + a.Kind.noun() + " tentang " + a.Title +
		" dalam rangka " + a.Type.phrase() + ", dengan ketentuan sebagai berikut:"
	r.paragraph(recital)
}

// partyLabel names party i (from 0) as the document does: "PIHAK KESATU".
func partyLabel(i int) string {
	return "PIHAK " + strings.ToUpper(ordinal(i+1))
}

// join lists items the Indonesian way: "a dan b", "a, b, dan c". An optional
// conjunction replaces "dan".
func join(items []string, conj ...string) string {
	if len(conj) > 0 {
		return kolaborasi.JoinNamesWith(items, conj[0])
	}
	return kolaborasi.JoinNames("id", items)
}

// clause is one ayat of an article, optionally followed by a lettered list.
type clause struct {
	text  string
	items []string
}

// article is one Pasal: a heading and its clauses.
type article struct {
	heading string
	clauses []clause
}

// articles writes the articles, numbering those that are present.
func (r *renderer) articles() {
	var present []article
	for _, art := range r.articleList() {
		if len(art.clauses) > 0 {
			present = append(present, art)
		}
	}
	for i, art := range present {
		n := i + 1
		r.pdf.Ln(lineH / 2)
		if i == len(present)-1 {
			// Keep the closing article with the first signature row, so
			// that no page carries signatures alone, unless together they
			// would not fit on any page.
			need := articleHeadH + r.clausesHeight(art.clauses) + lineH +
				r.signatureRow([]int{0, 1}).height()
			if need <= pageHeight-marginTop-marginBottom {
				r.keep(need)
			}
		}
		r.keep(4 * lineH)
		r.centred("Pasal "+strconv.Itoa(n), "B")
		r.centred(art.heading, "B")
		r.pdf.Ln(lineH / 3)
		r.clauses(art.clauses)
	}
}

// articleHeadH is the height of an article's "Pasal N" and heading lines
// and the space after them.
const articleHeadH = 2*lineH + lineH/3

// clausesHeight estimates the height clauses will take, wrapping as
// clauses does.
func (r *renderer) clausesHeight(cs []clause) float64 {
	r.font("", bodySize)
	lines := func(text string, w float64) float64 {
		return float64(len(r.pdf.SplitText(text, w))) * lineH
	}
	var h float64
	indent := 0.0
	for _, c := range cs {
		if len(cs) > 1 {
			h += lines(c.text, textWidth-clauseLabelW)
			indent = clauseLabelW
		} else {
			h += lines(c.text, textWidth)
		}
		for j, it := range c.items {
			h += lines(it+listEnd(j, len(c.items)), textWidth-indent-itemLabelW)
		}
	}
	return h
}

// clauses writes an article's body: a single clause as a plain paragraph,
// several as numbered ayat "(1)", "(2)", each with its lettered list.
func (r *renderer) clauses(cs []clause) {
	numbered := len(cs) > 1
	for i, c := range cs {
		indent := 0.0
		if numbered {
			r.item(0, clauseLabelW, "("+strconv.Itoa(i+1)+")", c.text)
			indent = clauseLabelW
		} else {
			r.paragraph(c.text)
		}
		for j, it := range c.items {
			r.item(indent, itemLabelW, letter(j)+".", it+listEnd(j, len(c.items)))
		}
	}
}

// letter is the label of the i-th (from 0) item of a lettered list: a, b,
// ..., z, aa, ab, ...
func letter(i int) string {
	if i < 26 {
		return string(rune('a' + i))
	}
	return letter(i/26-1) + letter(i%26)
}

// listEnd is the punctuation after item i of n in a legal list: ";" after
// each item, "; dan" after the one before last, "." after the last.
func listEnd(i, n int) string {
	switch {
	case i == n-1:
		return "."
	case i == n-2:
		return "; dan"
	}
	return ";"
}

// paras turns paragraphs into plain clauses.
func paras(ps []string) []clause {
	cs := make([]clause, len(ps))
	for i, p := range ps {
		cs[i] = clause{text: p}
	}
	return cs
}

// articleList builds every article in order; empty ones are skipped by the
// caller.
func (r *renderer) articleList() []article {
	a := r.a
	noun := a.Kind.noun()

	var scope []clause
	if len(a.Scope) > 0 {
		scope = []clause{{text: "Ruang lingkup " + noun + " ini meliputi:", items: a.Scope}}
	}

	impl := paras(a.Implementation)
	if len(a.Exchanges) > 0 {
		items := make([]string, len(a.Exchanges))
		for i, x := range a.Exchanges {
			s := partyLabel(x.Giver) + " memberikan kepada " + partyLabel(x.Receiver) + " " + x.What
			if x.Terms != "" {
				s += ", dengan ketentuan " + x.Terms
			}
			items[i] = s
		}
		impl = append(impl, clause{
			text:  "Dalam pelaksanaan " + noun + " ini, PARA PIHAK saling memberikan:",
			items: items,
		})
	}

	var financing []clause
	if len(a.Financing) > 0 {
		items := make([]string, len(a.Financing))
		for i, f := range a.Financing {
			items[i] = partyLabel(f.Party) + ": " + f.Source
		}
		financing = []clause{{
			text: "Biaya yang timbul sebagai akibat pelaksanaan " + noun +
				" ini dibebankan kepada masing-masing PIHAK sesuai dengan ketentuan " +
				"peraturan perundang-undangan, yang bersumber dari:",
			items: items,
		}}
	}

	// The period is always stated; when its end is not known yet, blanks
	// show what remains to be filled in.
	start := a.Duration.start(a.Date)
	length, end := blank, blank
	if d := a.Duration; !d.End.IsZero() {
		length, end = period(start, d.End), FormatDate(d.End)
	}
	duration := paras([]string{
		noun + " ini berlaku untuk jangka waktu " + length +
			", terhitung sejak tanggal " + FormatDate(start) + " sampai dengan tanggal " + end + ".",
		noun + " ini dapat diperpanjang atau diakhiri sebelum jangka waktunya berakhir " +
			"atas kesepakatan PARA PIHAK.",
	})

	dispute := paras(a.Dispute)
	if len(dispute) == 0 {
		dispute = paras([]string{
			"Apabila terjadi perselisihan dalam pelaksanaan " + noun + " ini, PARA PIHAK " +
				"sepakat menyelesaikannya secara musyawarah untuk mufakat.",
			"Apabila musyawarah sebagaimana dimaksud pada ayat (1) tidak mencapai mufakat, " +
				"perselisihan diselesaikan sesuai dengan ketentuan peraturan perundang-undangan.",
		})
	}

	closing := paras(a.Closing)
	if len(closing) == 0 {
		later := "Perjanjian Kerja Sama"
		if a.Kind == KindPKS {
			later = "adendum"
		}
		closing = paras([]string{
			"Hal-hal yang belum diatur dalam " + noun + " ini akan diatur kemudian atas " +
				"kesepakatan PARA PIHAK dan dituangkan dalam " + later + ".",
			noun + " ini dibuat dalam rangkap " + withWords(len(a.Parties)) + " asli, " +
				"masing-masing bermeterai cukup dan mempunyai kekuatan hukum yang sama.",
		})
	}

	return []article{
		{"MAKSUD DAN TUJUAN", paras(a.Purpose)},
		{"RUANG LINGKUP", scope},
		{"PELAKSANAAN", impl},
		{"PEMBIAYAAN", financing},
		{"JANGKA WAKTU", duration},
		{"PENYELESAIAN PERSELISIHAN", dispute},
		{"PENUTUP", closing},
	}
}

// period writes the length from start to end inclusive in the largest whole
// unit: "5 (lima) tahun", "18 (delapan belas) bulan" or "45 (empat puluh
// lima) hari". A period that ends on the anniversary itself also counts as
// whole, as agreements are written both ways.
func period(start, end time.Time) string {
	s, e := civil(start), civil(end)
	next := e.AddDate(0, 0, 1)
	whole := func(t time.Time) bool { return t.Equal(next) || t.Equal(e) }
	for y := 1; !s.AddDate(y, 0, 0).After(next); y++ {
		if whole(s.AddDate(y, 0, 0)) {
			return withWords(y) + " tahun"
		}
	}
	for m := 1; !s.AddDate(0, m, 0).After(next); m++ {
		if whole(s.AddDate(0, m, 0)) {
			return withWords(m) + " bulan"
		}
	}
	return withWords(int(next.Sub(s).Hours()/24)) + " hari"
}

// signatures writes the signature blocks, two parties side by side per row;
// a lone last party is centred.
func (r *renderer) signatures() {
	r.pdf.Ln(lineH)
	for i := 0; i < len(r.a.Parties); i += 2 {
		row := []int{i}
		if i+1 < len(r.a.Parties) {
			row = append(row, i+1)
		}
		r.drawSignatureRow(r.signatureRow(row))
	}
}

// sigRow is one laid-out row of signature blocks: per column, the lines
// above the signing space, the e-signature note inside it and the name
// below it.
type sigRow struct {
	xs               []float64
	head, note, name [][]string
}

func (s sigRow) height() float64 {
	return float64(maxLen(s.head)+maxLen(s.name))*lineH + signSpace + lineH
}

// signatureRow lays out the blocks of the parties at the given indexes.
func (r *renderer) signatureRow(idx []int) sigRow {
	colW := textWidth / 2
	xs := []float64{marginLeft, marginLeft + colW}
	if len(idx) == 1 {
		xs = []float64{marginLeft + colW/2}
	}
	head := make([][]string, len(idx))
	note := make([][]string, len(idx))
	name := make([][]string, len(idx))
	for c, i := range idx {
		p := r.a.Parties[i]
		r.font("B", bodySize)
		head[c] = []string{partyLabel(i) + ","}
		if p.Mandate != nil {
			// An official signing under a surat kuasa signs "atas nama"
			// (a.n.) the head of region who granted it.
			head[c] = append(head[c], r.pdf.SplitText("a.n. "+strings.ToUpper(p.Mandate.Grantor), colW-4)...)
		}
		head[c] = append(head[c], r.pdf.SplitText(strings.ToUpper(p.Office)+",", colW-4)...)
		if s := p.Signature; s != nil {
			r.font("", smallSize)
			note[c] = r.pdf.SplitText(signatureNote(r.a.Date, s), colW-8)
		}
		// An electronic signature needs no name line to sign over; a wet
		// one gets a dotted line when the signatory is not named yet.
		n := ""
		switch {
		case p.Name != "":
			n = strings.ToUpper(p.Name)
		case p.Signature == nil:
			n = "(...................................)"
		}
		if n != "" {
			r.font("B", bodySize)
			name[c] = r.pdf.SplitText(n, colW-4)
		}
	}
	return sigRow{xs: xs, head: head, note: note, name: name}
}

// signatureNote describes an electronic signature in its block. A
// signature recorded on the signing date was made on the platform; one
// recorded on another day records an agreement signed on that date, so the
// note gives both dates rather than contradict the opening.
func signatureNote(signed time.Time, s *Signature) string {
	at := s.SignedAt.UTC()
	recorded := FormatDate(at) + " pukul " + at.Format("15.04") + " UTC, kunci " + s.KeyID
	if civil(at).Equal(civil(signed)) {
		return "(ditandatangani secara elektronik pada " + recorded + ")"
	}
	return "(ditandatangani " + FormatDate(signed) + "; dicatat secara elektronik di Kolaborasi pada " + recorded + ")"
}

// drawSignatureRow writes a row of signature blocks, on a new page if it
// does not fit on this one.
func (r *renderer) drawSignatureRow(s sigRow) {
	const colW = textWidth / 2
	r.keep(s.height())
	r.font("B", bodySize)
	r.columns(s.xs, colW, lineH, s.head)
	top := r.pdf.GetY()
	r.font("", smallSize)
	r.pdf.SetY(top + (signSpace-float64(maxLen(s.note))*smallH)/2)
	r.columns(s.xs, colW, smallH, s.note)
	r.pdf.SetY(top + signSpace)
	r.font("B", bodySize)
	r.columns(s.xs, colW, lineH, s.name)
	r.pdf.Ln(lineH)
}

// columns writes lines centred in side-by-side columns of width w starting
// at xs, row by row, and leaves the position below the longest column.
func (r *renderer) columns(xs []float64, w, h float64, cols [][]string) {
	y := r.pdf.GetY()
	for row := range maxLen(cols) {
		for c, lines := range cols {
			if row < len(lines) {
				r.pdf.SetXY(xs[c], y)
				r.pdf.CellFormat(w, h, lines[row], "", 0, "C", false, 0, "")
			}
		}
		y += h
	}
	r.pdf.SetXY(marginLeft, y)
}

func maxLen(cols [][]string) int {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	return n
}

// witnesses writes the SAKSI-SAKSI block: each witness numbered on the left
// with a numbered dotted line to sign on the right.
func (r *renderer) witnesses() {
	ws := r.a.Witnesses
	if len(ws) == 0 {
		return
	}
	colW := textWidth / 2
	const rowH = 2 * lineH
	r.keep(2*lineH + 2*rowH)
	r.centred("SAKSI-SAKSI", "B")
	r.pdf.Ln(lineH / 2)
	for i, w := range ws {
		label := w.Office
		if label == "" {
			label = w.Region
		}
		if w.Name != "" {
			label += " (" + w.Name + ")"
		}
		r.keep(rowH)
		y := r.pdf.GetY()
		r.font("", bodySize)
		num := strconv.Itoa(i+1) + "."
		r.pdf.SetXY(marginLeft, y)
		r.pdf.CellFormat(itemLabelW, lineH, num, "", 0, "L", false, 0, "")
		r.pdf.MultiCell(colW-itemLabelW, lineH, label, "", "L", false)
		bottom := r.pdf.GetY()
		r.pdf.SetXY(marginLeft+colW, y)
		r.pdf.CellFormat(colW, lineH, num+" ......................................", "", 0, "L", false, 0, "")
		r.pdf.SetXY(marginLeft, max(bottom, y+rowH))
	}
}

// verification draws the QR code to the public verification page, with its
// URL beneath, centred below the signatures.
func (r *renderer) verification() error {
	u := r.a.VerifyURL
	if u == "" {
		return nil
	}
	img, _, err := qrPNG(u)
	if err != nil {
		return err
	}
	r.font("", smallSize)
	urlLines := r.pdf.SplitText(u, textWidth)
	r.pdf.Ln(lineH)
	r.keep(smallH + qrSide + float64(len(urlLines))*smallH + 2)
	r.pdf.CellFormat(0, smallH, "Verifikasi keaslian dokumen ini:", "", 1, "C", false, 0, "")
	opts := fpdf.ImageOptions{ImageType: "PNG"}
	r.pdf.RegisterImageOptionsReader("qr", opts, bytes.NewReader(img))
	y := r.pdf.GetY() + 1
	r.pdf.ImageOptions("qr", marginLeft+(textWidth-qrSide)/2, y, qrSide, qrSide, false, opts, 0, "")
	r.pdf.SetY(y + qrSide + 1)
	for _, l := range urlLines {
		r.pdf.CellFormat(0, smallH, l, "", 1, "C", false, 0, "")
	}
	return r.pdf.Error()
}
