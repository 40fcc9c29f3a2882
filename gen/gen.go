package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// Marker ends every generated long description.
const Marker = "Data sintetis untuk uji beban."

type weighted[T any] struct {
	v T
	w int
}

func pick[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// Distributions, in percent.
var (
	kinds = []weighted[kolaborasi.SolutionKind]{{kolaborasi.KindSoftware, 60}, {kolaborasi.KindProgramme, 25}, {kolaborasi.KindService, 15}}
	dims  = []weighted[kolaborasi.Dimension]{{kolaborasi.DimGovernance, 35}, {kolaborasi.DimEconomy, 18}, {kolaborasi.DimSociety, 15},
		{kolaborasi.DimLiving, 14}, {kolaborasi.DimEnvironment, 10}, {kolaborasi.DimBranding, 8}}
	maturities = []weighted[kolaborasi.Maturity]{{kolaborasi.MaturityLive, 55}, {kolaborasi.MaturityPilot, 25}, {kolaborasi.MaturityIdea, 12}, {kolaborasi.MaturityRetired, 8}}
	licences   = []weighted[string]{{"MIT", 30}, {"Apache-2.0", 20}, {"GPL-3.0-or-later", 15}, {"AGPL-3.0-or-later", 15}, {"EUPL-1.2", 5}, {"LicenseRef-Proprietary", 15}}
	platforms  = []weighted[string]{{"web", 60}, {"android", 25}, {"ios", 10}, {"linux", 5}}
)

// topic is a field of work with its sector, dimension and words.
type topic struct {
	sector kolaborasi.Sector
	dim    kolaborasi.Dimension
	id, en []string // nouns in Indonesian and English, paired by index
	w      int
}

var topics = []topic{
	{"e-government", kolaborasi.DimGovernance, []string{"pengaduan masyarakat", "perizinan usaha", "kepegawaian", "arsip digital", "anggaran daerah", "tanda tangan elektronik", "layanan kependudukan"},
		[]string{"citizen complaints", "business permits", "civil service", "digital archive", "regional budget", "electronic signature", "population services"}, 30},
	{"umkm", kolaborasi.DimEconomy, []string{"pemasaran produk umkm", "modal usaha kecil", "pelatihan wirausaha", "pasar daring"}, []string{"small business marketing", "small business capital", "entrepreneur training", "online market"}, 12},
	{"ekonomi-kreatif", kolaborasi.DimBranding, []string{"festival kreatif", "kerajinan lokal", "kuliner daerah"}, []string{"creative festival", "local crafts", "regional cuisine"}, 6},
	{"koperasi", kolaborasi.DimEconomy, []string{"simpan pinjam koperasi", "rapat anggota koperasi", "perekonomian kerakyatan"}, []string{"cooperative savings and loans", "cooperative member meetings", "people's economy"}, 5},
	{"health", kolaborasi.DimLiving, []string{"antrean puskesmas", "gizi balita", "rujukan rumah sakit", "ambulans gawat darurat"}, []string{"health centre queues", "child nutrition", "hospital referrals", "emergency ambulance"}, 12},
	{"education", kolaborasi.DimSociety, []string{"penerimaan siswa baru", "perpustakaan digital", "beasiswa pelajar"}, []string{"school admissions", "digital library", "student scholarships"}, 9},
	{"transport", kolaborasi.DimLiving, []string{"parkir elektronik", "angkutan kota", "lampu lalu lintas"}, []string{"electronic parking", "city transport", "traffic lights"}, 7},
	{"environment", kolaborasi.DimEnvironment, []string{"bank sampah", "kualitas udara", "ruang terbuka hijau", "pengelolaan air"}, []string{"waste bank", "air quality", "green open space", "water management"}, 7},
	{"finance", kolaborasi.DimGovernance, []string{"pajak daerah", "retribusi pasar", "pembayaran nontunai"}, []string{"regional tax", "market levies", "cashless payment"}, 5},
	{"public-safety", kolaborasi.DimSociety, []string{"tombol darurat", "pemadam kebakaran", "kamera pengawas kota"}, []string{"panic button", "fire brigade", "city surveillance cameras"}, 4},
	{"tourism", kolaborasi.DimBranding, []string{"promosi pariwisata", "desa wisata", "kalender acara"}, []string{"tourism promotion", "tourist villages", "events calendar"}, 2},
	{"other", kolaborasi.DimSociety, []string{"kerja sama antar daerah", "forum warga", "data terbuka"}, []string{"inter-regional cooperation", "citizen forum", "open data"}, 1},
}

var (
	namePrefix = []string{"Sistem Informasi", "Aplikasi", "Portal", "Layanan", "Program", "Gerakan", "Dashboard", "Sistem Terpadu", "Pusat"}
	nameSuffix = []string{"Terpadu", "Digital", "Online", "Cerdas", "Bersama", "Warga", "Kota", "Mandiri", ""}
	verbsID    = []string{"mempermudah", "mempercepat", "mengelola", "memantau", "mengintegrasikan", "melayani", "mencatat", "menyederhanakan"}
	objectsID  = []string{"warga", "pelaku usaha", "perangkat daerah", "sekolah", "pasien", "koperasi", "petugas lapangan", "desa dan kelurahan"}
	extrasID   = []string{"dengan laporan harian bagi pimpinan daerah", "secara transparan dan akuntabel", "melalui aplikasi seluler",
		"dengan data yang terhubung antar dinas", "tanpa tatap muka", "dengan biaya rendah", "sejak diluncurkan oleh dinas terkait",
		"bekerja sama dengan kecamatan", "sesuai standar pelayanan minimal"}
	verbsEN = []string{"simplifies", "speeds up", "manages", "monitors", "integrates", "serves", "records"}
	objsEN  = []string{"citizens", "businesses", "regional agencies", "schools", "patients", "cooperatives", "field officers"}
)

// Solutions returns n synthetic solutions made from seed, spread over
// regions (the kabupaten/kota to publish from: the generator uses every one
// in turn, so each gets n/len(regions) or one more). Terms are not set.
func Solutions(seed uint64, n int, regions []string) []*kolaborasi.Solution {
	out := make([]*kolaborasi.Solution, 0, n)
	for i := range n {
		out = append(out, Solution(seed, i, regions))
	}
	return out
}

// Solution returns the i-th synthetic solution of the seed.
func Solution(seed uint64, i int, regions []string) *kolaborasi.Solution {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	tp := pick(r, topicWeights())
	k := r.IntN(len(tp.id))
	kind := pick(r, kinds)
	s := &kolaborasi.Solution{Kind: kind, RegionCode: regions[i%len(regions)], Synthetic: true,
		Maturity: pick(r, maturities), StartedYear: 2010 + r.IntN(16)}
	suffix := nameSuffix[r.IntN(len(nameSuffix))]
	s.Name.ID = strings.TrimSpace(fmt.Sprintf("%s %s %s", namePrefix[r.IntN(len(namePrefix))], titleCase(tp.id[k]), suffix))
	s.Short.ID = fmt.Sprintf("Solusi %s yang %s layanan bagi %s.", tp.id[k], verbsID[r.IntN(len(verbsID))], objectsID[r.IntN(len(objectsID))])
	s.Long.ID = fmt.Sprintf("%s %s urusan %s %s. Solusi ini %s %s %s. %s",
		capitalise(s.Name.ID), verbsID[r.IntN(len(verbsID))], tp.id[k], extrasID[r.IntN(len(extrasID))],
		verbsID[r.IntN(len(verbsID))], objectsID[r.IntN(len(objectsID))], extrasID[r.IntN(len(extrasID))], Marker)
	if r.IntN(100) < 35 {
		s.Name.EN = titleCase(tp.en[k]) + " " + []string{"System", "Portal", "App", "Programme", "Service"}[r.IntN(5)]
		s.Short.EN = fmt.Sprintf("A solution that %s %s for %s.", verbsEN[r.IntN(len(verbsEN))], tp.en[k], objsEN[r.IntN(len(objsEN))])
	}
	s.Dimensions = []kolaborasi.Dimension{tp.dim}
	if d := pick(r, dims); d != tp.dim && r.IntN(100) < 40 {
		s.Dimensions = append(s.Dimensions, d)
	}
	s.Sectors = []kolaborasi.Sector{tp.sector}
	if x := pick(r, topicWeights()).sector; x != tp.sector && r.IntN(100) < 25 {
		s.Sectors = append(s.Sectors, x)
	}
	switch kind {
	case kolaborasi.KindSoftware:
		s.Licence = pick(r, licences)
		s.Platforms = []string{pick(r, platforms)}
		s.Reuse = []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}
		if s.Licence == "LicenseRef-Proprietary" {
			s.Reuse = []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}
		} else if r.IntN(100) < 20 {
			s.Reuse = append(s.Reuse, kolaborasi.ReuseSharedService)
		}
		s.Links.Code = fmt.Sprintf("https://git.contoh.invalid/%s/%d", strings.ReplaceAll(s.RegionCode, ".", "-"), i)
	case kolaborasi.KindProgramme:
		s.Reuse = []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}
	default:
		s.Reuse = []kolaborasi.ReuseTerm{kolaborasi.ReuseSharedService}
	}
	s.Links.Site = fmt.Sprintf("https://solusi.contoh.invalid/%d", i)
	cost := int64(50+r.IntN(1950)) * 1_000_000
	s.CostBuild = kolaborasi.Money{IDR: cost, Source: "synthetic"}
	s.CostAdopt = kolaborasi.Money{IDR: cost / int64(3+r.IntN(8)), Source: "synthetic"}
	// Spread creation times over 2016-2026 so "newest" has an order.
	s.CreatedAt = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(10 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	s.UpdatedAt = s.CreatedAt
	return s
}

var topicW = func() []weighted[topic] {
	var out []weighted[topic]
	for _, t := range topics {
		out = append(out, weighted[topic]{t, t.w})
	}
	return out
}()

func topicWeights() []weighted[topic] { return topicW }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = capitalise(w)
	}
	return strings.Join(words, " ")
}
