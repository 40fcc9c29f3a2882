package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// MaxPageSize is the largest page any list returns.
const MaxPageSize = 100

// errBadRegionCode explains what a region code looks like.
func errBadRegionCode(code string) error {
	return &kolaborasi.Error{Code: kolaborasi.EINVALID,
		Message: "\"" + code + "\" is not a region code: write the Kemendagri code with a dot, such as 35 for a province or 35.72 for a kabupaten/kota.",
		Fields:  map[string]string{"code": "must look like 35 or 35.72"}}
}

// Region returns the region with the code.
func (a *App) Region(ctx context.Context, code string) (*kolaborasi.Region, error) {
	if !kolaborasi.ValidRegionCode(code) {
		return nil, errBadRegionCode(code)
	}
	return a.store.FindRegion(ctx, code)
}

// Regions returns one page of the regions matching f. A zero or too large
// f.Limit is clamped to MaxPageSize.
func (a *App) Regions(ctx context.Context, f kolaborasi.RegionFilter) ([]*kolaborasi.Region, error) {
	fields := map[string]string{}
	if f.Type != "" && !f.Type.Valid() {
		fields["type"] = "must be provinsi, kabupaten or kota"
	}
	if f.ProvinceCode != "" && (len(f.ProvinceCode) != 2 || !kolaborasi.ValidRegionCode(f.ProvinceCode)) {
		fields["province"] = "must be a two-digit province code such as 35"
	}
	if f.After != "" && !kolaborasi.ValidRegionCode(f.After) {
		fields["page[after]"] = "is not a cursor this API returned"
	}
	f.Query = strings.TrimSpace(f.Query)
	if len(f.Query) > 100 {
		fields["q"] = "must be at most 100 characters"
	}
	if f.Limit < 0 {
		fields["page[size]"] = "must be between 1 and 100"
	}
	if len(fields) > 0 {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The region filter is not valid.", Fields: fields}
	}
	if f.Limit == 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	return a.store.FindRegions(ctx, f)
}

// RegionSummary holds the national figures of the home page.
type RegionSummary struct {
	Provinces  int
	Autonomous int // autonomous kabupaten and kota
	Population int64
}

// Summary counts provinces and autonomous kabupaten/kota and adds up the
// population.
func (a *App) Summary(ctx context.Context) (RegionSummary, error) {
	provinces, err := a.Provinces(ctx)
	if err != nil {
		return RegionSummary{}, err
	}
	sum := RegionSummary{Provinces: len(provinces)}
	for _, p := range provinces {
		sum.Population += p.Population
	}
	yes := true
	for _, t := range []kolaborasi.RegionType{kolaborasi.Regency, kolaborasi.City} {
		n, err := a.store.CountRegions(ctx, kolaborasi.RegionFilter{Type: t, Autonomous: &yes})
		if err != nil {
			return RegionSummary{}, err
		}
		sum.Autonomous += n
	}
	return sum, nil
}

// Provinces returns the 38 provinces.
func (a *App) Provinces(ctx context.Context) ([]*kolaborasi.Region, error) {
	return a.store.FindRegions(ctx, kolaborasi.RegionFilter{Type: kolaborasi.Province})
}

// RegionsOfProvince returns the kabupaten/kota of a province.
func (a *App) RegionsOfProvince(ctx context.Context, province string) ([]*kolaborasi.Region, error) {
	if len(province) != 2 || !kolaborasi.ValidRegionCode(province) {
		return nil, errBadRegionCode(province)
	}
	rs, err := a.store.FindRegions(ctx, kolaborasi.RegionFilter{ProvinceCode: province})
	if err != nil {
		return nil, err
	}
	out := rs[:0]
	for _, r := range rs {
		if r.Type != kolaborasi.Province {
			out = append(out, r)
		}
	}
	return out, nil
}

// OPDs returns the perangkat daerah of a region.
func (a *App) OPDs(ctx context.Context, code string) ([]*kolaborasi.OPD, error) {
	if !kolaborasi.ValidRegionCode(code) {
		return nil, errBadRegionCode(code)
	}
	return a.store.FindOPDs(ctx, code)
}

// UpdateRegionProfile replaces the editable profile of a region.
func (a *App) UpdateRegionProfile(ctx context.Context, code string, p kolaborasi.RegionProfile) error {
	if !kolaborasi.ValidRegionCode(code) {
		return errBadRegionCode(code)
	}
	if err := validateProfile(&p); err != nil {
		return err
	}
	return a.change(ctx, ActRegionProfileUpdate, code, func(tx kolaborasi.Store) (string, string, error) {
		old, err := tx.FindRegion(ctx, code)
		if err != nil {
			return "", "", err
		}
		if p.LogoSHA256 == "" {
			p.LogoSHA256 = old.Profile.LogoSHA256
		}
		p.UpdatedAt = a.now()
		if err := tx.UpdateRegionProfile(ctx, code, p); err != nil {
			return "", "", err
		}
		return "region:" + code, diffSummary(
			"head_title", old.Profile.HeadTitle, p.HeadTitle,
			"address", old.Profile.Address, p.Address,
			"phone", old.Profile.Phone, p.Phone,
			"email", old.Profile.Email, p.Email,
			"website", old.Profile.Website, p.Website,
			"logo", old.Profile.LogoSHA256, p.LogoSHA256), nil
	})
}

func validateProfile(p *kolaborasi.RegionProfile) error {
	fields := map[string]string{}
	p.HeadTitle = strings.TrimSpace(p.HeadTitle)
	p.Address = strings.TrimSpace(p.Address)
	p.Phone = strings.TrimSpace(p.Phone)
	p.Email = strings.TrimSpace(p.Email)
	p.Website = strings.TrimSpace(p.Website)
	if p.HeadTitle == "" || len(p.HeadTitle) > 120 {
		fields["head_title"] = "is required, at most 120 characters"
	}
	if len(p.Address) > 300 {
		fields["address"] = "must be at most 300 characters"
	}
	if len(p.Phone) > 40 {
		fields["phone"] = "must be at most 40 characters"
	}
	if p.Email != "" && !validEmail(p.Email) {
		fields["email"] = "must be an e-mail address"
	}
	if p.Website != "" && !validWebURL(p.Website) {
		fields["website"] = "must be an http or https address"
	}
	if len(fields) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The region profile is not valid.", Fields: fields}
	}
	return nil
}

// CreateOPD adds a perangkat daerah to a region.
func (a *App) CreateOPD(ctx context.Context, o *kolaborasi.OPD) error {
	if err := validateOPD(o); err != nil {
		return err
	}
	return a.change(ctx, ActOPDManage, o.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.CreateOPD(ctx, o); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("opd:%d", o.ID), fmt.Sprintf("created %q (%s, %s)", o.Name, o.ShortName, o.Kind), nil
	})
}

// UpdateOPD changes an OPD's name, short name and kind.
func (a *App) UpdateOPD(ctx context.Context, o *kolaborasi.OPD) error {
	if err := validateOPD(o); err != nil {
		return err
	}
	old, err := a.store.FindOPD(ctx, o.ID)
	if err != nil {
		return err
	}
	if old.RegionCode != o.RegionCode {
		// The region in the request must be the OPD's own; otherwise an
		// admin of one region could edit another's OPD by its ID.
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "OPD %d does not exist in region %s.", o.ID, o.RegionCode)
	}
	return a.change(ctx, ActOPDManage, old.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.UpdateOPD(ctx, o); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("opd:%d", o.ID), diffSummary("name", old.Name, o.Name, "short_name", old.ShortName, o.ShortName,
			"kind", string(old.Kind), string(o.Kind)), nil
	})
}

// DeleteOPD removes an OPD of a region.
func (a *App) DeleteOPD(ctx context.Context, region string, id int64) error {
	old, err := a.store.FindOPD(ctx, id)
	if err != nil {
		return err
	}
	if old.RegionCode != region {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "OPD %d does not exist in region %s.", id, region)
	}
	return a.change(ctx, ActOPDManage, old.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.DeleteOPD(ctx, id); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("opd:%d", id), fmt.Sprintf("deleted %q", old.Name), nil
	})
}

func validateOPD(o *kolaborasi.OPD) error {
	fields := map[string]string{}
	o.Name = strings.TrimSpace(o.Name)
	o.ShortName = strings.TrimSpace(o.ShortName)
	if !kolaborasi.ValidRegionCode(o.RegionCode) {
		fields["region_code"] = "must look like 35.72"
	}
	if o.Name == "" || len(o.Name) > 200 {
		fields["name"] = "is required, at most 200 characters"
	}
	if len(o.ShortName) > 40 {
		fields["short_name"] = "must be at most 40 characters"
	}
	if !o.Kind.Valid() {
		fields["kind"] = "must be one of sekretariat, inspektorat, dinas, badan, kecamatan, lainnya"
	}
	if len(fields) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The OPD is not valid.", Fields: fields}
	}
	return nil
}

// RegionNames maps every region code to its name. Names are reference data
// that change only with a new release, so the map is read once.
func (a *App) RegionNames(ctx context.Context) (map[string]string, error) {
	names, _, err := a.regionReferences(ctx)
	return names, err
}

// RegionReference returns the reference data of the region with the code
// (name, type, province, population, area, point), read once with
// RegionNames, without its profile, which the region edits (Region reads
// it). The region is shared: read it only.
func (a *App) RegionReference(ctx context.Context, code string) (*kolaborasi.Region, error) {
	_, refs, err := a.regionReferences(ctx)
	if err != nil {
		return nil, err
	}
	r := refs[code]
	if r == nil {
		return nil, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Region %s does not exist.", code)
	}
	return r, nil
}

// regionReferences returns the names and the reference data of every
// region, read once (again after LoadReferenceData loads new data).
func (a *App) regionReferences(ctx context.Context) (map[string]string, map[string]*kolaborasi.Region, error) {
	a.namesMu.Lock()
	defer a.namesMu.Unlock()
	if a.names != nil {
		return a.names, a.refs, nil
	}
	rs, err := a.store.FindRegions(ctx, kolaborasi.RegionFilter{})
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(rs))
	refs := make(map[string]*kolaborasi.Region, len(rs))
	for _, r := range rs {
		names[r.Code] = r.Name
		r.Profile = kolaborasi.RegionProfile{}
		refs[r.Code] = r
	}
	a.names, a.refs = names, refs
	return names, refs, nil
}

// OPD returns one perangkat daerah.
func (a *App) OPD(ctx context.Context, id int64) (*kolaborasi.OPD, error) {
	return a.store.FindOPD(ctx, id)
}
