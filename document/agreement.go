package document

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
)

// Kind says which document of the cooperation procedure is rendered.
type Kind string

const (
	// KindKSB is a Kesepakatan Bersama: the framework agreement signed by the
	// heads of region.
	KindKSB Kind = "KSB"
	// KindPKS is a Perjanjian Kerja Sama: the implementing agreement, signed by
	// the heads of region or by officials holding a surat kuasa.
	KindPKS Kind = "PKS"
)

// heading is the kind's name in capitals, as in the title.
func (k Kind) heading() string {
	if k == KindPKS {
		return "PERJANJIAN KERJA SAMA"
	}
	return "KESEPAKATAN BERSAMA"
}

// noun is the kind's name as written in running text.
func (k Kind) noun() string {
	if k == KindPKS {
		return "Perjanjian Kerja Sama"
	}
	return "Kesepakatan Bersama"
}

// Type is the legal type of the cooperation (PP 28/2018, Permendagri
// 22/2020).
type Type string

const (
	// TypeKSDDWajib is compulsory cooperation between bordering regions.
	TypeKSDDWajib Type = "KSDD_WAJIB"
	// TypeKSDDSukarela is voluntary cooperation between regions.
	TypeKSDDSukarela Type = "KSDD_SUKARELA"
	// TypeKSDPK is cooperation between a region and a third party.
	TypeKSDPK Type = "KSDPK"
	// TypeSinergi is cooperation with the central government.
	TypeSinergi Type = "SINERGI"
)

// phrase describes the type in running text, after "dalam rangka".
func (t Type) phrase() string {
	switch t {
	case TypeKSDDWajib:
		return "kerja sama wajib antardaerah yang berbatasan"
	case TypeKSDDSukarela:
		return "kerja sama sukarela antardaerah"
	case TypeKSDPK:
		return "kerja sama daerah dengan pihak ketiga"
	case TypeSinergi:
		return "sinergi kerja sama daerah dengan Pemerintah Pusat"
	}
	return ""
}

// Agreement is everything printed in one agreement document. Parties, Place,
// Date, Title, Kind and Type are required; the other articles are optional
// and are left out, with the remaining articles renumbered, when empty.
// Dispute and Closing fall back to standard clauses when empty.
type Agreement struct {
	// Kind is KSB or PKS.
	Kind Kind
	// Type is the legal type of the cooperation.
	Type Type
	// Title is the subject, printed after "TENTANG", for example "Kerja Sama
	// Pengembangan Smart City dan Ekonomi Kerakyatan".
	Title string
	// Parties are the parties in order: the first is PIHAK KESATU. At least two.
	Parties []Party
	// Witnesses (saksi) are printed in the SAKSI-SAKSI block; optional.
	Witnesses []Witness
	// Reference is the KSB that a PKS implements; required for a PKS and not
	// allowed on a KSB.
	Reference *Reference

	// Purpose (maksud dan tujuan) holds one paragraph per ayat.
	Purpose []string
	// Scope (ruang lingkup) lists the fields of cooperation, one per item.
	Scope []string
	// Implementation (pelaksanaan) holds one paragraph per ayat; the exchange
	// items follow them in the same article.
	Implementation []string
	// Exchanges are the items one party gives to another.
	Exchanges []Exchange
	// Financing (pembiayaan) names each party's source of funds.
	Financing []Funding
	// Duration (jangka waktu) is the period the agreement is in force.
	Duration Duration
	// Dispute (penyelesaian perselisihan) holds one paragraph per ayat; empty
	// means the standard clause (deliberation to reach consensus).
	Dispute []string
	// Closing (penutup) holds one paragraph per ayat; empty means the standard
	// clause on the number of originals.
	Closing []string

	// Place is the town of signing, for example "Blitar".
	Place string
	// Venue is the building, for example "Balai Kota Kusuma Wicitra"; optional.
	Venue string
	// Date is the signing date, taken in its own location. It also fixes the
	// PDF's creation date, so that output is reproducible.
	Date time.Time

	// VerifyURL is the public verification page. When set, the last page
	// carries a QR code to it with the URL printed beneath.
	VerifyURL string

	// Draft marks a document not yet signed by every party: each page
	// carries a large diagonal "DRAF" watermark behind the text.
	Draft bool
}

// Party is one party to the agreement and its signatory.
type Party struct {
	// Region is the party's name, for example "Pemerintah Kota Blitar".
	Region string
	// Office is the signatory's office, for example "Wali Kota Blitar" or
	// "Kepala Dinas Komunikasi dan Informatika Kota Blitar".
	Office string
	// Name is the signatory's name; optional.
	Name string
	// Address is where the party is seated ("berkedudukan di ..."); optional.
	Address string
	// Number is the party's number for this document, for example
	// "415.4/12/410.010.1/2017"; optional while drafting.
	Number string
	// Mandate is the surat kuasa under which an official signs for the head of
	// region; nil when the head signs.
	Mandate *Mandate
	// Signature is the party's electronic signature; nil when not signed.
	Signature *Signature
}

// Mandate is a surat kuasa: the power of attorney under which an official,
// such as the head of an OPD, signs on behalf of the head of region.
type Mandate struct {
	// Grantor is the office granting it, for example "Wali Kota Blitar".
	Grantor string
	// Number is the surat kuasa's number.
	Number string
	// Date is the surat kuasa's date.
	Date time.Time
}

// Signature is the state of a party's electronic signature, printed in its
// signature block.
type Signature struct {
	// SignedAt is when the signature was recorded on the platform. When its
	// date is not the agreement's signing date (Agreement.Date), as for an
	// agreement signed on paper and recorded later, the block gives both:
	// "ditandatangani 8 Maret 2017; dicatat ... pada 1 Desember 2026".
	SignedAt time.Time
	// KeyID identifies the signing key.
	KeyID string
}

// Witness is a witness (saksi) of the signing, usually another head of region.
type Witness struct {
	// Region is the witness's region, for example "Pemerintah Kabupaten Malang";
	// printed only when Office is empty.
	Region string
	// Office is the witness's office, for example "Bupati Malang".
	Office string
	// Name is the witness's name; optional.
	Name string
}

// Reference identifies the Kesepakatan Bersama that a PKS implements.
type Reference struct {
	// Title is the KSB's subject.
	Title string
	// Numbers are the KSB's numbers, one per party.
	Numbers []string
	// Date is the KSB's signing date.
	Date time.Time
}

// Exchange is an item that one party gives to another under the agreement:
// the "barter" of solutions.
type Exchange struct {
	// Giver and Receiver are indexes into Agreement.Parties.
	Giver, Receiver int
	// What is given, for example "aplikasi smart city Bandung Command Center".
	What string
	// Terms are the conditions of the transfer; optional.
	Terms string
}

// Funding names the source of funds of one party.
type Funding struct {
	// Party is an index into Agreement.Parties.
	Party int
	// Source is the source, for example "Anggaran Pendapatan dan Belanja
	// Daerah Kota Blitar".
	Source string
}

// Duration is the period an agreement is in force. A zero Start means the
// signing date; a zero End prints the article with visible blanks
// ("........") for the parties to fill in.
type Duration struct {
	// Start is the first day in force.
	Start time.Time
	// End is the last day in force.
	End time.Time
}

// FieldError is one problem with one field of an Agreement.
type FieldError struct {
	// Field names the field, for example "parties" or "parties[1].office".
	Field string
	// Message says what is wrong, in English.
	Message string
}

// ValidationError lists every problem found in an Agreement that Render
// refused. Callers map it to their own "invalid" error with field errors.
type ValidationError []FieldError

// Error joins the problems into one message.
func (e ValidationError) Error() string {
	parts := make([]string, len(e))
	for i, fe := range e {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return "invalid agreement: " + strings.Join(parts, "; ")
}

// validate reports every problem in a, or nil.
func (a *Agreement) validate() error {
	var errs ValidationError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	text := func(field, s string, required bool) {
		if strings.TrimSpace(s) == "" {
			if required {
				add(field, "is required")
			}
			return
		}
		if !utf8.ValidString(s) {
			add(field, "is not valid UTF-8")
			return
		}
		if r, ok := unprintable(s); ok {
			add(field, "contains the character %U, which the document font cannot show", r)
		}
	}
	texts := func(field string, ss []string) {
		for i, s := range ss {
			text(fmt.Sprintf("%s[%d]", field, i), s, true)
		}
	}

	switch a.Kind {
	case KindKSB, KindPKS:
	default:
		add("kind", "must be KSB or PKS, not %q", a.Kind)
	}
	if a.Type.phrase() == "" {
		add("type", "must be KSDD_WAJIB, KSDD_SUKARELA, KSDPK or SINERGI, not %q", a.Type)
	}
	text("title", a.Title, true)
	switch len(a.Parties) {
	case 0:
		add("parties", "an agreement needs at least two parties, got none")
	case 1:
		add("parties", "an agreement needs at least two parties, got one")
	}
	for i, p := range a.Parties {
		f := fmt.Sprintf("parties[%d]", i)
		text(f+".region", p.Region, true)
		text(f+".office", p.Office, true)
		text(f+".name", p.Name, false)
		text(f+".address", p.Address, false)
		text(f+".number", p.Number, false)
		if m := p.Mandate; m != nil {
			text(f+".mandate.grantor", m.Grantor, true)
			text(f+".mandate.number", m.Number, true)
			if m.Date.IsZero() {
				add(f+".mandate.date", "is required")
			}
		}
		if s := p.Signature; s != nil {
			text(f+".signature.key_id", s.KeyID, true)
			if s.SignedAt.IsZero() {
				add(f+".signature.signed_at", "is required")
			}
		}
	}
	for i, w := range a.Witnesses {
		f := fmt.Sprintf("witnesses[%d]", i)
		if strings.TrimSpace(w.Office) == "" && strings.TrimSpace(w.Region) == "" {
			add(f, "needs an office or a region")
		}
		text(f+".office", w.Office, false)
		text(f+".region", w.Region, false)
		text(f+".name", w.Name, false)
	}
	switch {
	case a.Kind == KindPKS && a.Reference == nil:
		add("reference", "a PKS must cite the Kesepakatan Bersama it implements")
	case a.Kind == KindKSB && a.Reference != nil:
		add("reference", "only a PKS cites a Kesepakatan Bersama")
	case a.Reference != nil:
		text("reference.title", a.Reference.Title, true)
		if len(a.Reference.Numbers) == 0 {
			add("reference.numbers", "is required")
		}
		texts("reference.numbers", a.Reference.Numbers)
		if a.Reference.Date.IsZero() {
			add("reference.date", "is required")
		}
	}
	texts("purpose", a.Purpose)
	texts("scope", a.Scope)
	texts("implementation", a.Implementation)
	texts("dispute", a.Dispute)
	texts("closing", a.Closing)
	party := func(field string, i int) {
		if i < 0 || i >= len(a.Parties) {
			add(field, "refers to party %d, but there are %d parties", i, len(a.Parties))
		}
	}
	for i, x := range a.Exchanges {
		f := fmt.Sprintf("exchanges[%d]", i)
		party(f+".giver", x.Giver)
		party(f+".receiver", x.Receiver)
		if x.Giver == x.Receiver {
			add(f, "a party cannot give to itself")
		}
		text(f+".what", x.What, true)
		text(f+".terms", x.Terms, false)
	}
	for i, fu := range a.Financing {
		f := fmt.Sprintf("financing[%d]", i)
		party(f+".party", fu.Party)
		text(f+".source", fu.Source, true)
	}
	if d := a.Duration; !d.End.IsZero() || !d.Start.IsZero() {
		switch {
		case d.End.IsZero():
			add("duration.end", "is required when a start is given")
		case civil(d.End).Before(civil(d.start(a.Date))):
			add("duration.end", "is before the start")
		}
	}
	text("place", a.Place, true)
	text("venue", a.Venue, false)
	if a.Date.IsZero() {
		add("date", "the signing date is required")
	}
	text("verify_url", a.VerifyURL, false)
	if errs != nil {
		return errs
	}
	return nil
}

// start is the first day in force: Start, or the signing date.
func (d Duration) start(signed time.Time) time.Time {
	if d.Start.IsZero() {
		return signed
	}
	return d.Start
}

// civil keeps only the calendar date of t, in UTC, so that dates in
// different locations compare and add as calendar dates.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// unprintable returns the first rune of s that cannot be printed: a control
// character or a character the embedded font lacks.
func unprintable(s string) (rune, bool) {
	var buf sfnt.Buffer
	for _, r := range s {
		if unicode.IsControl(r) || !fontHas(&buf, r) {
			return r, true
		}
	}
	return 0, false
}
