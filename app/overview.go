package app

import (
	"context"

	"github.com/kolaborasi/kolaborasi"
)

// Overview is what the home page counts: the catalog, the regions taking
// part, the agreements signed, the adoptions and the money they saved.
type Overview struct {
	// Solutions counts the published (not retired) solutions.
	Solutions int
	// Regions counts the regions that publish a solution or are party to
	// a public agreement.
	Regions int
	// AgreementsSigned counts the public agreements whose KSB or PKS is
	// signed (the agreement is at or past the KSB's signatures).
	AgreementsSigned int
	// Savings is the national money saved, with its coverage (live
	// adoptions and how many of them have figures).
	Savings kolaborasi.SavingsTotal
}

// signedStatuses are the statuses an agreement reaches only once its KSB
// has been signed by every party.
var signedStatuses = map[kolaborasi.AgreementStatus]bool{
	kolaborasi.StatusKSBSigned: true, kolaborasi.StatusDPRDApproved: true, kolaborasi.StatusPKSDrafted: true,
	kolaborasi.StatusPKSSigned: true, kolaborasi.StatusActive: true, kolaborasi.StatusReported: true,
	kolaborasi.StatusEnded: true,
}

// Overview counts what the home page shows, from the catalog's index, one
// count of the public agreements and the money-saved report.
func (a *App) Overview(ctx context.Context) (*Overview, error) {
	o := &Overview{}
	res, err := a.SearchSolutions(ctx, SolutionQuery{Size: 1})
	if err != nil {
		return nil, err
	}
	o.Solutions = res.Total
	regions := map[string]bool{}
	for _, fc := range res.Facets[kolaborasi.FacetRegion] {
		if fc.Count > 0 {
			regions[fc.Value] = true
		}
	}
	// One aggregate read: walking every public agreement page by page
	// took 0.36 s per view at 20,000 agreements.
	tot, err := a.store.CountAgreements(ctx)
	if err != nil {
		return nil, err
	}
	for st, n := range tot.ByStatus {
		if signedStatuses[st] {
			o.AgreementsSigned += n
		}
	}
	for _, code := range tot.Regions {
		regions[code] = true
	}
	o.Regions = len(regions)
	rep, err := a.Savings(ctx, "nation", "")
	if err != nil {
		return nil, err
	}
	o.Savings = rep.Total
	return o, nil
}
