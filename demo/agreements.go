package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// KSB is the content of the story's Kesepakatan Bersama between Kota Blitar
// and Kota Bandung, signed on 8 March 2017 at Balai Kota Kusuma Wicitra,
// Blitar, witnessed by four regional heads of Jawa Timur. The purpose
// paraphrases press reports of the signing; document numbers and the
// period are left out because the demo does not know them (the PDF shows
// blanks). Its signatures are recorded when the demo is seeded, so the
// agreement page and the PDF say it was signed on 8 March 2017 and recorded
// on the platform later.
var KSB = kolaborasi.AgreementContent{
	Type:  kolaborasi.KSDDSukarela,
	Title: "Kerja Sama Pengembangan Smart City, E-Government, Usaha Kecil dan Menengah, Ekonomi Kreatif dan Koperasi",
	Purpose: []string{
		"Kesepakatan Bersama ini dimaksudkan sebagai landasan kerja sama PARA PIHAK dalam pengembangan kota cerdas dan pemberdayaan ekonomi kerakyatan.",
		"Kesepakatan Bersama ini bertujuan agar PARA PIHAK saling berbagi aplikasi, program dan pengalaman untuk meningkatkan pelayanan publik dan kesejahteraan masyarakat.",
	},
	Parties: []kolaborasi.AgreementParty{
		{Region: Blitar, Name: "Pemerintah Kota Blitar", Office: "Wali Kota Blitar"},
		{Region: Bandung, Name: "Pemerintah Kota Bandung", Office: "Wali Kota Bandung"},
	},
	Witnesses: []kolaborasi.AgreementWitness{
		{Region: Malang, Office: "Bupati Malang"},
		{Region: Mojokerto, Office: "Wali Kota Mojokerto"},
		{Region: Probolinggo, Office: "Bupati Probolinggo"},
		{Region: Kediri, Office: "Bupati Kediri"},
	},
	Scope: []string{"Smart City", "E-Government", "Pengembangan Usaha Kecil dan Menengah", "Ekonomi Kreatif", "Koperasi"},
	Exchanges: []kolaborasi.ExchangeItem{
		{Giver: 1, Receivers: []int{0}, Programme: "aplikasi smart city Kota Bandung (antara lain Bandung Command Center, Panic Button, e-Budgeting)",
			Terms: []string{"hibah", "training"}},
		{Giver: 0, Receivers: []int{1}, Programme: "program ekonomi kerakyatan Kota Blitar (bantuan modal usaha kecil dan penguatan koperasi)",
			Terms: []string{"mentoring", "study-visit"}},
	},
	Financing: []kolaborasi.Funding{{Party: 0, Source: "apbd"}, {Party: 1, Source: "apbd"}},
	Place:     "Blitar",
	Venue:     "Balai Kota Kusuma Wicitra",
	SignDate:  "2017-03-08",
	// Exchanging applications and programmes burdens neither community
	// nor region and each side pays from its current APBD: no DPRD approval.
	BudgetedInAPBD: true,
}

// seedAgreements drafts, negotiates and signs the story's KSB through the
// app as the right demo users (users, by e-mail): the two cooperation
// offices draft and move it, the two Wali Kota register keys and sign. Each
// region has one administrator, so under the four-eyes rule the platform
// administrator approves the keys. The demo's private keys are generated here and discarded when
// seeding ends: the signatures and the public log are real, the keys are
// throwaway, and no one can sign with them again.
func seedAgreements(ctx context.Context, a *app.App, users map[string]*kolaborasi.User) error {
	as := func(email string) (context.Context, error) {
		u, ok := users[email]
		if !ok {
			return nil, fmt.Errorf("demo account %s missing", email)
		}
		return kolaborasi.WithUser(ctx, u), nil
	}
	step := func(email string, fn func(ctx context.Context) error) error {
		uctx, err := as(email)
		if err != nil {
			return err
		}
		return fn(uctx)
	}
	var ag *kolaborasi.Agreement
	err := step("kerjasama@blitarkota.test", func(ctx context.Context) (err error) {
		ag, err = a.CreateAgreement(ctx, KSB)
		if err != nil {
			return err
		}
		return a.MoveAgreement(ctx, ag.ID, kolaborasi.StatusOffered)
	})
	if err != nil {
		return fmt.Errorf("seed KSB draft: %w", err)
	}
	if err := step("kerjasama@bandung.test", func(ctx context.Context) error {
		return a.MoveAgreement(ctx, ag.ID, kolaborasi.StatusKSBNegotiated)
	}); err != nil {
		return fmt.Errorf("seed KSB negotiation: %w", err)
	}
	for _, s := range []struct{ head, admin, region string }{
		{"walikota@blitarkota.test", "admin@kolaborasi.test", Blitar},
		{"walikota@bandung.test", "admin@kolaborasi.test", Bandung},
	} {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		var key *kolaborasi.SigningKey
		if err := step(s.head, func(ctx context.Context) (err error) {
			key, err = a.RequestSigningKey(ctx, pub, "")
			return err
		}); err != nil {
			return fmt.Errorf("seed key of %s: %w", s.head, err)
		}
		if err := step(s.admin, func(ctx context.Context) error { return a.ApproveSigningKey(ctx, key.KeyID) }); err != nil {
			return fmt.Errorf("approve key of %s: %w", s.head, err)
		}
		err = step(s.head, func(ctx context.Context) error {
			c, err := a.SigningContent(ctx, ag.ID, ag.Version, s.region, ledger.RoleSignatory, ledger.StageKSB, key.KeyID)
			if err != nil {
				return err
			}
			sig, err := ledger.Sign(priv, c)
			if err != nil {
				return err
			}
			_, err = a.SignAgreement(ctx, app.SignInput{AgreementID: ag.ID, Version: ag.Version, Stage: ledger.StageKSB,
				Party: s.region, Role: ledger.RoleSignatory, KeyID: key.KeyID, Signature: sig})
			return err
		})
		if err != nil {
			return fmt.Errorf("seed signature of %s: %w", s.head, err)
		}
	}
	return nil
}
