package app

import (
	"context"

	"github.com/kolaborasi/kolaborasi"
)

// auditPageSize is the number of audit entries on one page.
const auditPageSize = 100

// AuditTrail returns a page of the audit trail, newest first: one region's
// for its administrators, or every region's (region "") for platform
// administrators. before is the ID the page starts below (0 for the newest).
func (a *App) AuditTrail(ctx context.Context, region string, before int64) ([]*kolaborasi.AuditEntry, error) {
	act := ActAuditRead
	if region == "" {
		act = ActAuditReadAll
	} else if !kolaborasi.ValidRegionCode(region) {
		return nil, errBadRegionCode(region)
	}
	if _, err := a.authorize(ctx, act, region); err != nil {
		return nil, err
	}
	return a.store.FindAuditEntries(ctx, kolaborasi.AuditFilter{RegionCode: region, Before: before, Limit: auditPageSize})
}
