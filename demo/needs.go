package demo

import (
	"context"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// The regions of the synthetic 3-cycle: none of this happened; it shows
// how matchmaking closes an exchange among three regions.
const (
	Surakarta  = "33.72" // Kota Surakarta
	Denpasar   = "51.71" // Kota Denpasar
	Balikpapan = "64.71" // Kota Balikpapan
)

// SyntheticNote marks the demo's invented needs and solutions.
const SyntheticNote = "Data sintetis untuk demo pencocokan; tidak terjadi sungguhan."

// storyNeeds continue the barter of the story on the platform: what each
// city still looks for beyond what it already adopts (matchmaking leaves
// out what a region adopts; Blitar has the Command Center, Panic Button,
// e-Budgeting and a GAMPIL request, Bandung studies Blitar's programme).
// Kota Blitar looks for two more of Kota Bandung's applications, Kota
// Bandung for the cooperative bookkeeping Kota Blitar offers. The wording is
// the demo's own (the regions' real requests are not on record), so they
// are marked synthetic too.
var storyNeeds = []kolaborasi.Need{
	{RegionCode: Blitar, Title: "Informasi layanan publik di ponsel warga",
		Text:      "Warga menemukan layanan publik dan informasi kota dari ponsel: persyaratan, jadwal dan lokasi kantor pelayanan.",
		Dimension: kolaborasi.DimLiving, Sectors: []kolaborasi.Sector{"e-government"}, Priority: kolaborasi.PriorityHigh,
		BudgetMin: 100_000_000, BudgetMax: 400_000_000},
	{RegionCode: Blitar, Title: "Rencana dan penilaian kinerja pegawai elektronik",
		Text:      "Rencana dan capaian kerja pegawai dicatat secara elektronik sebagai dasar penilaian kinerja aparatur.",
		Dimension: kolaborasi.DimGovernance, Sectors: []kolaborasi.Sector{"e-government"}, Priority: kolaborasi.PriorityMedium,
		BudgetMin: 50_000_000, BudgetMax: 200_000_000},
	{RegionCode: Bandung, Title: "Pembukuan koperasi secara daring",
		Text:      "Koperasi mencatat simpanan, pinjaman dan rapat anggota secara daring, didampingi dinas koperasi.",
		Dimension: kolaborasi.DimEconomy, Sectors: []kolaborasi.Sector{"koperasi"}, Priority: kolaborasi.PriorityHigh},
}

// BlitarCooperatives is the synthetic solution Kota Blitar offers for Kota
// Bandung's need: the demo does not know Blitar's real cooperative tools.
const BlitarCooperatives = "Koperasi Daring Kota Blitar (sintetis)"

// cycleSolutions are the synthetic solutions of the needs: Blitar's for
// Bandung's need, then with cycleNeeds the synthetic 3-cycle Surakarta →
// Denpasar → Balikpapan → Surakarta.
var cycleSolutions = []struct {
	region, name, short string
	dim                 kolaborasi.Dimension
	sector              kolaborasi.Sector
}{
	{Blitar, BlitarCooperatives, "Koperasi mencatat simpanan, pinjaman dan rapat anggota secara daring; Dinas Koperasi dan UM mendampingi pengurusnya.",
		kolaborasi.DimEconomy, "koperasi"},
	{Surakarta, "e-Retribusi Pasar Tradisional", "Retribusi pasar tradisional dan data pedagang los dan kios tercatat secara elektronik.",
		kolaborasi.DimEconomy, "finance"},
	{Denpasar, "Bank Sampah Digital", "Bank sampah digital: nasabah rumah tangga menabung sampah terpilah dan petugas mencatat setoran.",
		kolaborasi.DimEnvironment, "environment"},
	{Balikpapan, "Peringatan Dini Banjir", "Sensor tinggi muka air di saluran drainase mengirim peringatan dini banjir ke ponsel penduduk.",
		kolaborasi.DimEnvironment, "environment"},
}

var cycleNeeds = []kolaborasi.Need{
	{RegionCode: Denpasar, Title: "Retribusi pasar tradisional", Text: "Pencatatan elektronik retribusi pasar tradisional dan data pedagang los dan kios.",
		Dimension: kolaborasi.DimEconomy, Sectors: []kolaborasi.Sector{"finance"}, Priority: kolaborasi.PriorityMedium},
	{RegionCode: Balikpapan, Title: "Bank sampah", Text: "Bank sampah bagi rumah tangga: nasabah menabung sampah terpilah.",
		Dimension: kolaborasi.DimEnvironment, Sectors: []kolaborasi.Sector{"environment"}, Priority: kolaborasi.PriorityMedium},
	{RegionCode: Surakarta, Title: "Peringatan dini banjir", Text: "Sensor tinggi muka air di saluran drainase dan peringatan dini banjir.",
		Dimension: kolaborasi.DimEnvironment, Sectors: []kolaborasi.Sector{"environment"}, Priority: kolaborasi.PriorityHigh},
}

// seedNeeds declares the story's needs and the synthetic cycle's
// solutions and needs (all marked synthetic), through the app.
func seedNeeds(ctx context.Context, a *app.App) error {
	var sols []*kolaborasi.Solution
	for _, x := range cycleSolutions {
		sols = append(sols, &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: x.region,
			Name: kolaborasi.Texts{ID: x.name}, Short: kolaborasi.Texts{ID: x.short}, Long: kolaborasi.Texts{ID: x.short + " " + SyntheticNote},
			Dimensions: []kolaborasi.Dimension{x.dim}, Sectors: []kolaborasi.Sector{x.sector}, Maturity: kolaborasi.MaturityPilot,
			Licence: "MIT", Platforms: []string{"web"}, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}, Synthetic: true})
	}
	if err := a.LoadSyntheticSolutions(ctx, sols); err != nil {
		return fmt.Errorf("seed the synthetic cycle's solutions: %w", err)
	}
	for _, list := range [][]kolaborasi.Need{storyNeeds, cycleNeeds} {
		for _, n := range list {
			n.Synthetic = true
			if err := a.CreateNeed(ctx, &n); err != nil {
				return fmt.Errorf("seed need %q of %s: %w", n.Title, n.RegionCode, err)
			}
		}
	}
	return nil
}
