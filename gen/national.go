package gen

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
)

// Plan is the shape of a generated data set: how many of each entity. The
// counts are totals over the regions the data set spreads over, except
// where the name says "per".
type Plan struct {
	Name       string
	Solutions  int
	Agreements int // between two autonomous regions; most KSBs signed
	Adoptions  int
	Producers  int
	// ProductsPerProducer is how many products each producer offers.
	ProductsPerProducer int
	NeedsPerRegion      int
	// Observations: every seed indicator yearly from FirstYear to 2025,
	// and MonthlyIndicators synthetic monthly indicators over Months
	// months ending December 2025, for every region.
	FirstYear         int
	MonthlyIndicators int
	Months            int
}

// National is the national shape of K8: about 165,000 solutions, 20,000
// agreements, 200,000 adoptions, 200,000 products and, over 552 regions,
// about 10^7 observations (60 monthly indicators × 300 months × 552 ≈ 9.9
// million, plus the seed indicators' years).
var National = Plan{Name: "national", Solutions: 165_000, Agreements: 20_000, Adoptions: 200_000,
	Producers: 50_000, ProductsPerProducer: 4, NeedsPerRegion: 3, FirstYear: 2015, MonthlyIndicators: 60, Months: 300}

// Province is a small data set over one province and its kabupaten/kota,
// small enough for a test.
var Province = Plan{Name: "province", Solutions: 390, Agreements: 40, Adoptions: 200,
	Producers: 40, ProductsPerProducer: 2, NeedsPerRegion: 1, FirstYear: 2021, MonthlyIndicators: 2, Months: 24}

// ProvinceCode is the province of the province scale: Jawa Timur.
const ProvinceCode = "35"

// SyntheticSource is the source of every generated observation.
const SyntheticSource = "Data sintetis kolaborasi gen (bukan angka resmi)"

// rng returns the generator of the i-th entity of a kind: the same seed,
// kind and index always give the same numbers, whatever else is made.
func rng(seed uint64, kind string, i int) *rand.Rand {
	h := sha256.Sum256([]byte(kind))
	var k uint64
	for _, b := range h[:8] {
		k = k<<8 | uint64(b)
	}
	return rand.New(rand.NewPCG(seed^k, uint64(i)))
}

// SigningKey returns the Ed25519 key of region's generated signatory,
// derived from the seed: anyone who knows the seed can sign with it, which
// is why only synthetic agreements are ever signed with it.
func SigningKey(seed uint64, region string) ed25519.PrivateKey {
	s := sha256.Sum256(fmt.Appendf(nil, "kolaborasi gen signing key %d %s", seed, region))
	return ed25519.NewKeyFromSeed(s[:])
}

// Agreement is a generated KSB between two regions.
type Agreement struct {
	Content kolaborasi.AgreementContent
	// Status is how far it goes: draft, offered or ksb_signed.
	Status kolaborasi.AgreementStatus
}

// MakeAgreement returns the i-th agreement of the seed between two
// different regions of parties (autonomous regions).
func MakeAgreement(seed uint64, i int, parties []string) Agreement {
	r := rng(seed, "agreement", i)
	// The status is drawn first, so it does not depend on the parties.
	status := kolaborasi.StatusKSBSigned
	switch r.IntN(10) {
	case 0:
		status = kolaborasi.StatusDraft
	case 1:
		status = kolaborasi.StatusOffered
	}
	a := parties[r.IntN(len(parties))]
	b := parties[r.IntN(len(parties)-1)]
	if b == a {
		b = parties[len(parties)-1]
	}
	tp := pick(r, topicWeights())
	k := r.IntN(len(tp.id))
	other := pick(r, topicWeights())
	scope := []string{titleCase(tp.id[k])}
	if other.sector != tp.sector {
		scope = append(scope, titleCase(other.id[r.IntN(len(other.id))]))
	}
	c := kolaborasi.AgreementContent{
		Type:  kolaborasi.KSDDSukarela,
		Title: fmt.Sprintf("Kerja Sama %s (sintetis %d)", titleCase(tp.id[k]), i),
		Purpose: []string{fmt.Sprintf("Kesepakatan Bersama ini dimaksudkan agar PARA PIHAK saling berbagi solusi %s %s. %s",
			tp.id[k], extrasID[r.IntN(len(extrasID))], Marker)},
		Parties:   []kolaborasi.AgreementParty{{Region: a}, {Region: b}},
		Scope:     scope,
		Exchanges: []kolaborasi.ExchangeItem{{Giver: 0, Receivers: []int{1}, Programme: "solusi " + tp.id[k], Terms: []string{"training"}}},
		Financing: []kolaborasi.Funding{{Party: 0, Source: "apbd"}, {Party: 1, Source: "apbd"}},
		SignDate:  fmt.Sprintf("%d-%02d-%02d", 2016+r.IntN(10), 1+r.IntN(12), 1+r.IntN(28)),
		// Sharing solutions burdens no one and is paid from the current
		// APBD: no DPRD approval.
		BudgetedInAPBD: true,
	}
	return Agreement{Content: c, Status: status}
}

// Adoption is a generated adoption: the index of the solution adopted (in
// generation order), the adopting region, and how it goes.
type Adoption struct {
	Solution int
	Adopter  string
	// Pending leaves it requested; Decline declines it; otherwise it is
	// accepted and moved through Stages.
	Pending, Decline bool
	Stages           []kolaborasi.AdoptionStage
}

var stages = []kolaborasi.AdoptionStage{kolaborasi.StageStudyVisit, kolaborasi.StageAgreement, kolaborasi.StageTransfer,
	kolaborasi.StagePilot, kolaborasi.StageLive}

// MakeAdoption returns the i-th adoption of the seed of one of n solutions
// by one of regions (the caller skips the adopter's own solutions and
// retired ones).
func MakeAdoption(seed uint64, i, n int, regions []string) Adoption {
	r := rng(seed, "adoption", i)
	ad := Adoption{Solution: r.IntN(n), Adopter: regions[r.IntN(len(regions))]}
	switch x := r.IntN(20); {
	case x == 0:
		ad.Pending = true
	case x == 1:
		ad.Decline = true
	default:
		ad.Stages = stages[:r.IntN(len(stages)+1)]
	}
	return ad
}

var (
	foods      = []string{"keripik singkong", "sambal", "kopi bubuk", "dodol", "abon ikan", "kerupuk", "madu hutan", "teh herbal"}
	crafts     = []string{"anyaman bambu", "batik tulis", "tenun ikat", "ukiran kayu", "gerabah", "tas rajut"}
	categories = []kolaborasi.ProductCategory{"food", "beverage", "craft", "batik-textile", "fashion", "souvenir", "agriculture", "fishery"}
)

// MakeProducer returns the i-th producer of the seed, in one of regions.
func MakeProducer(seed uint64, i int, regions []string) *kolaborasi.Producer {
	r := rng(seed, "producer", i)
	p := &kolaborasi.Producer{RegionCode: regions[i%len(regions)], Synthetic: true,
		About: kolaborasi.Texts{ID: "Produsen contoh. " + Marker}}
	switch x := r.IntN(10); {
	case x < 6:
		p.Kind = kolaborasi.ProducerUMKM
		p.Name = fmt.Sprintf("UMKM %s %d", titleCase(foods[r.IntN(len(foods))]), i)
		p.Capital = int64(10+r.IntN(990)) * 1_000_000
	case x < 8:
		p.Kind = kolaborasi.ProducerCreative
		p.Name = fmt.Sprintf("Sanggar %s %d", titleCase(crafts[r.IntN(len(crafts))]), i)
		p.Subsector = "craft"
	default:
		p.Kind = kolaborasi.ProducerCooperative
		p.Name = fmt.Sprintf("Koperasi Produsen %d", i)
		p.CoopType = "producer"
		p.Members = kolaborasi.MinCooperativeMembers + r.IntN(200)
	}
	return p
}

// MakeProduct returns the j-th product of the i-th producer of the seed.
func MakeProduct(seed uint64, i, j int) *kolaborasi.Product {
	r := rng(seed, "product", i*1000+j)
	name := foods[r.IntN(len(foods))]
	if r.IntN(3) == 0 {
		name = crafts[r.IntN(len(crafts))]
	}
	lo := int64(5+r.IntN(200)) * 1000
	return &kolaborasi.Product{Name: kolaborasi.Texts{ID: titleCase(name) + " " + strconv.Itoa(j+1)},
		Description: kolaborasi.Texts{ID: fmt.Sprintf("%s buatan produsen setempat. %s", capitalise(name), Marker)},
		Category:    categories[r.IntN(len(categories))], PriceMin: lo, PriceMax: lo + int64(r.IntN(100))*1000,
		Unit: "buah", Availability: kolaborasi.Available, Synthetic: true}
}

// MakeNeed returns the j-th need of region.
func MakeNeed(seed uint64, region string, j int) *kolaborasi.Need {
	r := rng(seed, "need "+region, j)
	tp := pick(r, topicWeights())
	k := r.IntN(len(tp.id))
	return &kolaborasi.Need{RegionCode: region, Title: "Mencari solusi " + tp.id[k],
		Text:      fmt.Sprintf("Daerah mencari solusi %s yang %s %s. %s", tp.id[k], verbsID[r.IntN(len(verbsID))], objectsID[r.IntN(len(objectsID))], Marker),
		Dimension: tp.dim, Sectors: []kolaborasi.Sector{tp.sector},
		Priority:  []kolaborasi.NeedPriority{kolaborasi.PriorityHigh, kolaborasi.PriorityMedium, kolaborasi.PriorityLow}[r.IntN(3)],
		Synthetic: true}
}

// MonthlyIndicator returns the k-th synthetic monthly indicator.
func MonthlyIndicator(k int) *kolaborasi.Indicator {
	return &kolaborasi.Indicator{Code: fmt.Sprintf("sintetis.bulanan-%02d", k+1), Framework: kolaborasi.FrameworkCustom,
		Name: kolaborasi.Texts{ID: fmt.Sprintf("Indikator bulanan sintetis %d", k+1), EN: fmt.Sprintf("Synthetic monthly indicator %d", k+1)},
		Unit: "indeks", Direction: kolaborasi.HigherIsBetter, PeriodKind: kolaborasi.Monthly,
		Description: kolaborasi.Texts{ID: "Indikator buatan untuk uji beban. " + Marker}, Source: SyntheticSource}
}

// Observation is one generated figure.
type Observation struct {
	Region, Indicator, Period string
	Value                     float64
}

// Observations calls fn with every observation of region: the yearly
// indicators (codes) from p.FirstYear to 2025 and p's monthly indicators.
func (p Plan) Observations(seed uint64, region string, yearly []string, fn func(Observation)) {
	r := rng(seed, "observations "+region, 0)
	for _, code := range yearly {
		level := 1 + r.Float64()*99
		for y := p.FirstYear; y <= 2025; y++ {
			fn(Observation{region, code, strconv.Itoa(y), round2(level * (1 + 0.02*float64(y-p.FirstYear) + 0.05*r.NormFloat64()))})
		}
	}
	for k := range p.MonthlyIndicators {
		code := MonthlyIndicator(k).Code
		level := 10 + r.Float64()*90
		for m := range p.Months {
			month := 2025*12 + 11 - (p.Months - 1 - m) // December 2025 is the last
			fn(Observation{region, code, fmt.Sprintf("%d-%02d", month/12, month%12+1), round2(level * (1 + 0.1*math.Sin(float64(m)/6) + 0.03*r.NormFloat64()))})
		}
	}
}

// ObservationCount is how many observations Observations makes per region.
func (p Plan) ObservationCount(yearly int) int {
	return yearly*(2026-p.FirstYear) + p.MonthlyIndicators*p.Months
}

func round2(v float64) float64 { return math.Round(math.Abs(v)*100) / 100 }
