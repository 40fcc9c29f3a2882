// Package demo seeds a fresh database with the story Kolaborasi was built
// for: Kota Blitar and Kota Bandung exchanging their programmes, witnessed by
// four regional heads of Jawa Timur (see docs/DEMO.md). It goes through the
// app layer like any other caller, as the System actor, so the seeded data
// obeys every rule and appears in the audit trail.
package demo

import (
	"context"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// The regions of the story.
const (
	Blitar      = "35.72" // Kota Blitar
	Bandung     = "32.73" // Kota Bandung
	Malang      = "35.07" // Kabupaten Malang, witness
	Mojokerto   = "35.76" // Kota Mojokerto, witness
	Probolinggo = "35.13" // Kabupaten Probolinggo, witness
	Kediri      = "35.06" // Kabupaten Kediri, witness
)

// StoryRegions lists the six regions of the story, the two parties first.
var StoryRegions = []string{Blitar, Bandung, Malang, Mojokerto, Probolinggo, Kediri}

// profiles are public facts about the regions' offices: the office title
// and the government website. Addresses are given only where they are the
// well-known seat of the office.
var profiles = map[string]kolaborasi.RegionProfile{
	Blitar:      {HeadTitle: "Wali Kota Blitar", Address: "Jl. Merdeka No. 105, Kota Blitar, Jawa Timur", Website: "https://blitarkota.go.id"},
	Bandung:     {HeadTitle: "Wali Kota Bandung", Address: "Jl. Wastukencana No. 2, Kota Bandung, Jawa Barat", Website: "https://www.bandung.go.id"},
	Malang:      {HeadTitle: "Bupati Malang", Website: "https://malangkab.go.id"},
	Mojokerto:   {HeadTitle: "Wali Kota Mojokerto", Website: "https://mojokertokota.go.id"},
	Probolinggo: {HeadTitle: "Bupati Probolinggo", Website: "https://probolinggokab.go.id"},
	Kediri:      {HeadTitle: "Bupati Kediri", Website: "https://kedirikab.go.id"},
}

// opds are typical perangkat daerah of a kota; the demo marks them as an
// illustration, not an official nomenclature of each region.
var opds = []kolaborasi.OPD{
	{Name: "Sekretariat Daerah", ShortName: "Setda", Kind: kolaborasi.OPDSecretariat},
	{Name: "Bagian Kerja Sama Sekretariat Daerah", ShortName: "Bag. Kerja Sama", Kind: kolaborasi.OPDSecretariat},
	{Name: "Inspektorat Daerah", ShortName: "Inspektorat", Kind: kolaborasi.OPDInspectorate},
	{Name: "Dinas Komunikasi dan Informatika", ShortName: "Diskominfo", Kind: kolaborasi.OPDDinas},
	{Name: "Dinas Koperasi dan Usaha Mikro", ShortName: "Dinkop UM", Kind: kolaborasi.OPDDinas},
	{Name: "Dinas Perdagangan dan Perindustrian", ShortName: "Disdagin", Kind: kolaborasi.OPDDinas},
	{Name: "Badan Perencanaan Pembangunan Daerah", ShortName: "Bappeda", Kind: kolaborasi.OPDBadan},
	{Name: "Badan Pengelolaan Keuangan dan Aset Daerah", ShortName: "BPKAD", Kind: kolaborasi.OPDBadan},
}

// Seed fills an empty, migrated database that already holds the regions.
func Seed(ctx context.Context, a *app.App) error {
	ctx = kolaborasi.WithUser(ctx, kolaborasi.System)
	for _, code := range StoryRegions {
		if err := a.UpdateRegionProfile(ctx, code, profiles[code]); err != nil {
			return fmt.Errorf("seed profile of %s: %w", code, err)
		}
	}
	for _, code := range []string{Blitar, Bandung} {
		for _, o := range opds {
			o.RegionCode = code
			if err := a.CreateOPD(ctx, &o); err != nil {
				return fmt.Errorf("seed OPD %s of %s: %w", o.Name, code, err)
			}
		}
	}
	return nil
}
