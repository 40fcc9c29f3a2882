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

// Password is the password of every demo account. The demo database is
// thrown away when the demo stops; never use these accounts elsewhere.
const Password = "kolaborasi-demo-2017"

// Account is a demo login.
type Account struct {
	Email  string
	Name   string
	Region string
	Roles  []kolaborasi.Role
	OPD    string // short name of the account's OPD, if any
}

// Accounts are the demo's people, by office rather than by name: the two
// parties' officers and heads, the four witnesses, a platform administrator
// and a national observer.
var Accounts = []Account{
	{Email: "admin@kolaborasi.test", Name: "Admin Platform", Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}},
	{Email: "pengamat@kemendagri.test", Name: "Pengamat Kemendagri", Roles: []kolaborasi.Role{kolaborasi.RoleObserver}},
	{Email: "admin@blitarkota.test", Name: "Admin Kota Blitar", Region: Blitar, Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, OPD: "Diskominfo"},
	{Email: "walikota@blitarkota.test", Name: "Wali Kota Blitar", Region: Blitar, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}},
	{Email: "kerjasama@blitarkota.test", Name: "Bagian Kerja Sama Kota Blitar", Region: Blitar, Roles: []kolaborasi.Role{kolaborasi.RoleCoordinator}, OPD: "Bag. Kerja Sama"},
	{Email: "umkm@blitarkota.test", Name: "Dinas Koperasi dan UM Kota Blitar", Region: Blitar, Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, OPD: "Dinkop UM"},
	{Email: "admin@bandung.test", Name: "Admin Kota Bandung", Region: Bandung, Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, OPD: "Diskominfo"},
	{Email: "walikota@bandung.test", Name: "Wali Kota Bandung", Region: Bandung, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}},
	{Email: "kerjasama@bandung.test", Name: "Bagian Kerja Sama Kota Bandung", Region: Bandung, Roles: []kolaborasi.Role{kolaborasi.RoleCoordinator}, OPD: "Bag. Kerja Sama"},
	{Email: "diskominfo@bandung.test", Name: "Diskominfo Kota Bandung", Region: Bandung, Roles: []kolaborasi.Role{kolaborasi.RoleEditor, kolaborasi.RoleViewer}, OPD: "Diskominfo"},
	{Email: "bupati@malangkab.test", Name: "Bupati Malang", Region: Malang, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}},
	{Email: "walikota@mojokertokota.test", Name: "Wali Kota Mojokerto", Region: Mojokerto, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}},
	{Email: "bupati@probolinggokab.test", Name: "Bupati Probolinggo", Region: Probolinggo, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}},
	{Email: "bupati@kedirikab.test", Name: "Bupati Kediri", Region: Kediri, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}},
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
	// Accounts go through the real invitation flow: an invitation link,
	// redeemed with the demo password.
	users := map[string]*kolaborasi.User{}
	for _, acc := range Accounts {
		in := app.UserInput{Email: acc.Email, Name: acc.Name, Region: acc.Region, Roles: acc.Roles, Status: kolaborasi.UserActive}
		if acc.OPD != "" {
			opds, err := a.OPDs(ctx, acc.Region)
			if err != nil {
				return err
			}
			for _, o := range opds {
				if o.ShortName == acc.OPD {
					in.OPDID = o.ID
				}
			}
		}
		u, token, err := a.InviteUser(ctx, in)
		if err != nil {
			return fmt.Errorf("seed account %s: %w", acc.Email, err)
		}
		if _, err := a.RedeemLink(ctx, token, Password); err != nil {
			return fmt.Errorf("set password of %s: %w", acc.Email, err)
		}
		users[acc.Email] = u
	}
	if err := seedSolutions(ctx, a); err != nil {
		return err
	}
	if err := seedIndicators(ctx, a); err != nil {
		return err
	}
	if err := seedAgreements(ctx, a, users); err != nil {
		return err
	}
	if err := seedAdoptions(ctx, a, users); err != nil {
		return err
	}
	if err := seedRankings(ctx, a); err != nil {
		return err
	}
	if err := seedProducts(ctx, a, users); err != nil {
		return err
	}
	return seedNeeds(ctx, a)
}
