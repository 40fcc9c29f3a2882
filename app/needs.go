package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kolaborasi/kolaborasi"
)

// Limits on a need's texts.
const (
	MaxNeedTitle = 200
	MaxNeedText  = 4000
)

func needEntity(id int64) string { return "need:" + strconv.FormatInt(id, 10) }

// Need returns a need. Needs are public: a region declares them so that
// others can offer.
func (a *App) Need(ctx context.Context, id int64) (*kolaborasi.Need, error) {
	return a.store.FindNeed(ctx, id)
}

// Needs returns a region's needs (every status), oldest first.
func (a *App) Needs(ctx context.Context, region string) ([]*kolaborasi.Need, error) {
	if !kolaborasi.ValidRegionCode(region) {
		return nil, errBadRegionCode(region)
	}
	return a.store.FindNeeds(ctx, kolaborasi.NeedFilter{Region: region})
}

// OpenNeeds returns every open need, by region.
func (a *App) OpenNeeds(ctx context.Context) ([]*kolaborasi.Need, error) {
	return a.store.FindNeeds(ctx, kolaborasi.NeedFilter{Status: kolaborasi.NeedOpen})
}

// validateNeed checks and normalises a need's fields.
func validateNeed(n *kolaborasi.Need) error {
	f := map[string]string{}
	if !cleanText(&n.Title, 4*MaxNeedTitle) || n.Title == "" || utf8.RuneCountInString(n.Title) > MaxNeedTitle {
		f["title"] = fmt.Sprintf("is required, at most %d characters", MaxNeedTitle)
	}
	n.Text = cleanLongText(n.Text)
	switch {
	case n.Text == "":
		f["text"] = "describe what the region is looking for"
	case utf8.RuneCountInString(n.Text) > MaxNeedText:
		f["text"] = fmt.Sprintf("at most %d characters", MaxNeedText)
	}
	if n.Dimension != "" && !n.Dimension.Valid() {
		f["dimension"] = fmt.Sprintf("%q is not a smart-city dimension", n.Dimension)
	}
	if n.Sectors == nil {
		n.Sectors = []kolaborasi.Sector{}
	}
	for _, s := range n.Sectors {
		if !s.Valid() {
			f["sectors"] = fmt.Sprintf("%q is not a sector", s)
		}
	}
	if n.Priority == "" {
		n.Priority = kolaborasi.PriorityMedium
	} else if !n.Priority.Valid() {
		f["priority"] = "must be high, medium or low"
	}
	switch {
	case n.BudgetMin < 0:
		f["budget_min_idr"] = "cannot be negative"
	case n.BudgetMax < 0:
		f["budget_max_idr"] = "cannot be negative"
	case n.BudgetMax > 0 && n.BudgetMin > n.BudgetMax:
		f["budget_max_idr"] = "must be at least the minimum"
	}
	if !n.Status.Valid() {
		f["status"] = "must be open, met or withdrawn"
	}
	if len(f) > 0 {
		return errInvalid("The need is not complete or not valid.", f)
	}
	return nil
}

// cleanLongText trims white space and drops control characters other than
// line breaks and tabs, so a multi-line description stays as written.
func cleanLongText(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s))
}

// checkNeedOPD refuses an OPD of another region.
func checkNeedOPD(ctx context.Context, tx kolaborasi.Store, n *kolaborasi.Need) error {
	if n.OPDID == 0 {
		return nil
	}
	o, err := tx.FindOPD(ctx, n.OPDID)
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND || err == nil && o.RegionCode != n.RegionCode {
		return errInvalid("The need is not complete or not valid.", map[string]string{"opd_id": "must be an OPD of the region"})
	}
	return err
}

// CreateNeed declares a new open need of n.RegionCode and sets its ID and
// version. Only the System actor (the demo) may mark a need synthetic.
func (a *App) CreateNeed(ctx context.Context, n *kolaborasi.Need) error {
	if kolaborasi.UserFrom(ctx) != kolaborasi.System {
		n.Synthetic = false
	}
	n.Status = kolaborasi.NeedOpen
	if err := validateNeed(n); err != nil {
		return err
	}
	if !kolaborasi.ValidRegionCode(n.RegionCode) {
		return errBadRegionCode(n.RegionCode)
	}
	return a.change(ctx, ActNeedManage, n.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := checkNeedOPD(ctx, tx, n); err != nil {
			return "", "", err
		}
		if _, err := tx.FindRegion(ctx, n.RegionCode); err != nil {
			return "", "", err
		}
		n.CreatedAt, n.UpdatedAt = a.now(), a.now()
		n.AuthorID = kolaborasi.UserFrom(ctx).ID
		if err := tx.CreateNeed(ctx, n); err != nil {
			return "", "", err
		}
		return needEntity(n.ID), fmt.Sprintf("declared need %q", n.Title), nil
	})
}

// UpdateNeed saves n as the next version of the stored need with its ID:
// its texts, facets, budget and status. n.Version must be the version the
// editor read; a need stays with its region.
func (a *App) UpdateNeed(ctx context.Context, n *kolaborasi.Need) (err error) {
	old, err := a.store.FindNeed(ctx, n.ID)
	if err != nil {
		return err
	}
	if n.RegionCode != old.RegionCode {
		return errInvalid("A need stays with the region that declared it.", map[string]string{"region_code": "cannot change"})
	}
	n.Synthetic, n.CreatedAt = old.Synthetic, old.CreatedAt
	if err := validateNeed(n); err != nil {
		return err
	}
	read := n.Version
	defer func() {
		if err != nil {
			n.Version = read
		}
	}()
	return a.change(ctx, ActNeedManage, old.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		n.Version = read
		if err := checkNeedOPD(ctx, tx, n); err != nil {
			return "", "", err
		}
		n.UpdatedAt = a.now()
		n.AuthorID = kolaborasi.UserFrom(ctx).ID
		if err := tx.UpdateNeed(ctx, n); err != nil {
			return "", "", err
		}
		return needEntity(n.ID), fmt.Sprintf("saved need version %d", n.Version) + "; " + diffSummary(
			"title", old.Title, n.Title, "status", string(old.Status), string(n.Status), "priority", string(old.Priority), string(n.Priority)), nil
	})
}

// WithdrawNeed marks a need withdrawn: it stays readable but leaves
// matchmaking. version is the version the editor read.
func (a *App) WithdrawNeed(ctx context.Context, id int64, version int) (*kolaborasi.Need, error) {
	n, err := a.store.FindNeed(ctx, id)
	if err != nil {
		return nil, err
	}
	n.Version, n.Status = version, kolaborasi.NeedWithdrawn
	if err := a.UpdateNeed(ctx, n); err != nil {
		return nil, err
	}
	return n, nil
}
