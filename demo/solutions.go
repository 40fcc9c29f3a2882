package demo

import (
	"context"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// Sources of the demo's figures, in Indonesian as the pages show them.
// Kolaborasi has not checked them against the original documents; each claim
// names where it comes from, and where sources disagree the demo shows both.
// The only source text the demo has is the news article of the signing, known
// by its title (its outlet and address are not on record), so no claim
// carries a URL. The two figures not in that article (about Rp50 miliar,
// 5,33 % in 2024) come from Kolaborasi's design notes, and their source text
// says so. Offices are named, not the people who held them.
const (
	srcSigningArticle = "berita \"Blitar-Bandung Barter Program Smart City\" tentang penandatanganan Kesepakatan Bersama, 8 Maret 2017 (media dan alamatnya tidak tercatat; satu-satunya naskah sumber demo)"
	srcBandungCount   = "Wali Kota Bandung dalam " + srcSigningArticle + ": \"300 software smart city\""
	srcBandungHigh    = "Wali Kota Bandung dalam " + srcSigningArticle + ": belanja anggaran \"hingga Rp500 miliar\" untuk seluruh software smart city"
	srcBandungLow     = "pemberitaan media lain (2017): sekitar Rp50 miliar selama tiga tahun; angka ini dicatat dalam catatan rancangan Kolaborasi, judul dan nama media itu tidak tersedia bagi demo"
	srcBlitarClaim    = "Pemerintah Kota Blitar dalam " + srcSigningArticle + ": ekonomi tumbuh \"hingga 5,6 % per tahun\""
	srcBlitarBPS      = "BPS Kota Blitar: laju pertumbuhan ekonomi Kota Blitar 2024, 5,33 %; angka ini dicatat dalam catatan rancangan Kolaborasi, rilis BPS-nya tidak tersedia bagi demo"
	// DemoNote marks what the demo wrote itself rather than took from a source.
	DemoNote = "Uraian demo yang ditulis untuk Kolaborasi dari pemberitaan publik; rinciannya bersifat ilustratif."
)

// bandungApps are real names of Kota Bandung's applications with short
// descriptions written for the demo.
var bandungApps = []struct {
	name, short, long string
	dims              []kolaborasi.Dimension
	sectors           []kolaborasi.Sector
	started           int
}{
	{"Bandung Command Center", "Pusat kendali kota yang memantau pengaduan masyarakat, layanan, lalu lintas dan kedaruratan dalam satu ruang.",
		"Bandung Command Center menghimpun data dari kamera kota, pengaduan masyarakat yang masuk lewat media sosial dan aplikasi, serta aplikasi dinas sehingga pimpinan daerah dapat memantau dan menindaklanjuti masalah kota secara cepat.",
		[]kolaborasi.Dimension{kolaborasi.DimGovernance, kolaborasi.DimLiving}, []kolaborasi.Sector{"e-government", "public-safety"}, 2015},
	{"Panic Button", "Tombol darurat bagi warga untuk melaporkan kejahatan dan keadaan darurat.",
		"Panic Button menghubungkan warga yang menekan tombol darurat di ponselnya dengan petugas kepolisian dan layanan kedaruratan kota.",
		[]kolaborasi.Dimension{kolaborasi.DimSociety}, []kolaborasi.Sector{"public-safety"}, 2015},
	{"e-Budgeting", "Penyusunan anggaran daerah secara elektronik dan terbuka.",
		"e-Budgeting mencatat usulan dan pembahasan anggaran perangkat daerah secara daring sehingga perencanaan anggaran lebih transparan dan akuntabel.",
		[]kolaborasi.Dimension{kolaborasi.DimGovernance}, []kolaborasi.Sector{"e-government", "finance"}, 2014},
	{"Sabilulungan", "Pengelolaan hibah dan bantuan sosial secara daring.",
		"Sabilulungan menerima, memverifikasi dan mengumumkan usulan hibah dan bantuan sosial sehingga masyarakat dapat mengawasi penyalurannya.",
		[]kolaborasi.Dimension{kolaborasi.DimGovernance, kolaborasi.DimSociety}, []kolaborasi.Sector{"e-government", "finance"}, 2014},
	{"Hayu", "Aplikasi layanan dan informasi kota bagi warga.",
		"Hayu memudahkan warga menemukan layanan publik dan informasi kota dari ponsel.",
		[]kolaborasi.Dimension{kolaborasi.DimLiving}, []kolaborasi.Sector{"e-government"}, 2016},
	{"GAMPIL", "Perizinan daring: warga dan pelaku usaha mengurus izin tanpa antre.",
		"GAMPIL melayani pengajuan, pelacakan dan penerbitan izin secara daring bagi warga dan pelaku usaha.",
		[]kolaborasi.Dimension{kolaborasi.DimGovernance, kolaborasi.DimEconomy}, []kolaborasi.Sector{"e-government", "umkm"}, 2016},
	{"e-RK", "Rencana kerja pegawai yang dicatat dan dinilai secara elektronik.",
		"e-RK mencatat rencana dan capaian kerja pegawai sebagai dasar penilaian kinerja aparatur.",
		[]kolaborasi.Dimension{kolaborasi.DimGovernance}, []kolaborasi.Sector{"e-government"}, 2015},
}

// seedSolutions publishes the story's solutions through the app.
func seedSolutions(ctx context.Context, a *app.App) error {
	for _, x := range bandungApps {
		s := &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: Bandung,
			Name: kolaborasi.Texts{ID: x.name}, Short: kolaborasi.Texts{ID: x.short}, Long: kolaborasi.Texts{ID: x.long + " " + DemoNote},
			Dimensions: x.dims, Sectors: x.sectors, Maturity: kolaborasi.MaturityLive, StartedYear: x.started,
			// The code is the city's; it is offered by grant under a
			// cooperation agreement, not under an open licence.
			Licence: "LicenseRef-Kota-Bandung", Platforms: []string{"web"},
			Reuse:    []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah},
			Contacts: []kolaborasi.SolutionContact{{Name: "Diskominfo Kota Bandung (akun demo)", Email: "diskominfo@bandung.test"}},
			Links:    kolaborasi.SolutionLinks{Site: "https://www.bandung.go.id"}}
		if err := a.CreateSolution(ctx, s); err != nil {
			return fmt.Errorf("seed solution %s: %w", x.name, err)
		}
	}
	portfolio := &kolaborasi.Solution{Kind: kolaborasi.KindProgramme, RegionCode: Bandung,
		Name:  kolaborasi.Texts{ID: "Bandung Smart City", EN: "Bandung Smart City"},
		Short: kolaborasi.Texts{ID: "Program kota cerdas Kota Bandung: sekitar 300 aplikasi yang dapat direplikasi daerah lain.", EN: "Kota Bandung's smart-city programme: about 300 applications other regions may adopt."},
		Long: kolaborasi.Texts{ID: "Kota Bandung menyatakan memiliki sekitar 300 aplikasi kota cerdas dan menawarkannya kepada daerah lain melalui kerja sama (Wali Kota Bandung dalam berita penandatanganan Kesepakatan Bersama Blitar–Bandung, 8 Maret 2017). " +
			"Laporan media tentang besarnya belanja program ini tidak sama: berita penandatanganan itu menyebut hingga Rp500 miliar, media lain sekitar Rp50 miliar selama tiga tahun; sumber tiap angka tercantum pada bukti di bawah. " + DemoNote},
		Dimensions: kolaborasi.Dimensions, Sectors: []kolaborasi.Sector{"e-government"},
		Maturity: kolaborasi.MaturityLive, StartedYear: 2014,
		// The press disagrees on the spending, so no single cost is stated;
		// both figures are in the evidence with their sources.
		CostBuild: kolaborasi.Money{Source: "sumber berbeda: hingga Rp500 miliar menurut " + srcSigningArticle + "; sekitar Rp50 miliar selama tiga tahun menurut media lain (lihat bukti)"},
		// Claims have one text (kolaborasi.Claim): written in Indonesian.
		Evidence: []kolaborasi.Claim{
			{Text: "Aplikasi kota cerdas Kota Bandung yang dapat diadopsi daerah lain", Value: 300, Unit: "aplikasi", Period: "2017", Source: srcBandungCount},
			{Text: "Belanja program kota cerdas (menurut satu media)", Value: 500_000_000_000, Unit: "IDR", Period: "2017", Source: srcBandungHigh},
			{Text: "Belanja program kota cerdas selama tiga tahun (menurut media lain)", Value: 50_000_000_000, Unit: "IDR", Period: "tiga tahun hingga 2017", Source: srcBandungLow},
		},
		Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
	if err := a.CreateSolution(ctx, portfolio); err != nil {
		return fmt.Errorf("seed Bandung Smart City: %w", err)
	}
	blitar := &kolaborasi.Solution{Kind: kolaborasi.KindProgramme, RegionCode: Blitar,
		Name:  kolaborasi.Texts{ID: "Ekonomi Kerakyatan Kota Blitar", EN: "Kota Blitar people's economy programme"},
		Short: kolaborasi.Texts{ID: "Hibah modal bagi usaha kecil dan penguatan koperasi.", EN: "Capital grants for small businesses and support for cooperatives."},
		Long: kolaborasi.Texts{ID: "Program ekonomi kerakyatan Kota Blitar memberikan hibah modal kepada usaha mikro dan kecil serta memperkuat koperasi, " +
			"agar perekonomian rakyat tumbuh dari bawah. " + DemoNote},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimEconomy, kolaborasi.DimSociety}, Sectors: []kolaborasi.Sector{"umkm", "koperasi"},
		Maturity: kolaborasi.MaturityLive,
		Evidence: []kolaborasi.Claim{
			{Text: "Pertumbuhan ekonomi yang diklaim untuk program ini", Value: 5.6, Unit: "%/tahun", Period: "2017", Source: srcBlitarClaim},
			{Text: "Pertumbuhan ekonomi Kota Blitar yang diukur BPS", Value: 5.33, Unit: "%", Period: "2024", Source: srcBlitarBPS},
		},
		Contacts: []kolaborasi.SolutionContact{{Name: "Dinas Koperasi dan UM Kota Blitar (akun demo)", Email: "umkm@blitarkota.test"}},
		Reuse:    []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
	if err := a.CreateSolution(ctx, blitar); err != nil {
		return fmt.Errorf("seed Blitar's programme: %w", err)
	}
	return nil
}
