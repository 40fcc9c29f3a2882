package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

const regionColumns = `r.code, r.name, r.short_name, r.type, r.province_code, p.name, r.autonomous,
	r.population, r.population_male, r.population_female, r.area_km2, r.lat, r.lng,
	r.head_title, r.address, r.phone, r.email, r.website, r.logo_sha256, r.profile_updated_at`

const regionFrom = ` FROM regions r JOIN regions p ON p.code = r.province_code`

func scanRegion(sc interface{ Scan(...any) error }) (*kolaborasi.Region, error) {
	var r regionRow
	if err := sc.Scan(r.dests()...); err != nil {
		return nil, err
	}
	return r.region(), nil
}

// regionRow holds regionColumns as read (scanRegion), for statements that
// read more beside them (FindSolutionWithRegion).
type regionRow struct {
	r       kolaborasi.Region
	updated nullTime
}

func (row *regionRow) dests() []any {
	r := &row.r
	return []any{&r.Code, &r.Name, &r.ShortName, &r.Type, &r.ProvinceCode, &r.ProvinceName, &r.Autonomous,
		&r.Population, &r.PopulationMale, &r.PopulationFemale, &r.AreaKm2, &r.Lat, &r.Lng,
		&r.Profile.HeadTitle, &r.Profile.Address, &r.Profile.Phone, &r.Profile.Email, &r.Profile.Website,
		&r.Profile.LogoSHA256, &row.updated}
}

func (row *regionRow) region() *kolaborasi.Region {
	r := row.r
	r.Profile.UpdatedAt = row.updated.Time
	return &r
}

// LoadRegions implements kolaborasi.RegionStore. Reference columns are
// overwritten; profile columns are set only where they are still empty.
func (s *Store) LoadRegions(ctx context.Context, regions []kolaborasi.Region) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		for _, r := range regions {
			_, err := t.exec(ctx, `INSERT INTO regions (code, name, short_name, type, province_code, autonomous,
				population, population_male, population_female, area_km2, lat, lng, head_title)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
					type = excluded.type, province_code = excluded.province_code, autonomous = excluded.autonomous,
					population = excluded.population, population_male = excluded.population_male,
					population_female = excluded.population_female, area_km2 = excluded.area_km2,
					lat = excluded.lat, lng = excluded.lng,
					head_title = CASE WHEN regions.head_title = '' THEN excluded.head_title ELSE regions.head_title END`,
				r.Code, r.Name, r.ShortName, string(r.Type), r.ProvinceCode, r.Autonomous,
				r.Population, r.PopulationMale, r.PopulationFemale, r.AreaKm2, r.Lat, r.Lng, r.Profile.HeadTitle)
			if err != nil {
				return fmt.Errorf("load region %s: %w", r.Code, err)
			}
		}
		return nil
	})
}

// FindRegion implements kolaborasi.RegionStore.
func (s *Store) FindRegion(ctx context.Context, code string) (*kolaborasi.Region, error) {
	r, err := scanRegion(s.queryRowPrepared(ctx, `SELECT `+regionColumns+regionFrom+` WHERE r.code = ?`, code))
	if err != nil {
		return nil, notFound(fmt.Errorf("find region %s: %w", code, err), "Region %s does not exist.", code)
	}
	return r, nil
}

// regionWhere builds the WHERE clause of a region filter.
func regionWhere(f kolaborasi.RegionFilter) (string, []any) {
	var where []string
	var args []any
	if f.Type != "" {
		where, args = append(where, "r.type = ?"), append(args, string(f.Type))
	}
	if f.ProvinceCode != "" {
		where, args = append(where, "r.province_code = ?"), append(args, f.ProvinceCode)
	}
	if f.Autonomous != nil {
		where, args = append(where, "r.autonomous = ?"), append(args, *f.Autonomous)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, `lower(r.name) LIKE ? ESCAPE '\'`), append(args, "%"+likeEscape(strings.ToLower(q))+"%")
	}
	if f.After != "" {
		where, args = append(where, "r.code > ?"), append(args, f.After)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// CountRegions implements kolaborasi.RegionStore.
func (s *Store) CountRegions(ctx context.Context, f kolaborasi.RegionFilter) (int, error) {
	f.After = ""
	where, args := regionWhere(f)
	var n int
	if err := s.queryRow(ctx, `SELECT count(*) FROM regions r`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count regions: %w", err)
	}
	return n, nil
}

// FindRegions implements kolaborasi.RegionStore.
func (s *Store) FindRegions(ctx context.Context, f kolaborasi.RegionFilter) ([]*kolaborasi.Region, error) {
	where, args := regionWhere(f)
	q := `SELECT ` + regionColumns + regionFrom + where + " ORDER BY r.code"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find regions: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, fmt.Errorf("scan region: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UpdateRegionProfile implements kolaborasi.RegionStore.
func (s *Store) UpdateRegionProfile(ctx context.Context, code string, p kolaborasi.RegionProfile) error {
	res, err := s.exec(ctx, `UPDATE regions SET head_title = ?, address = ?, phone = ?, email = ?, website = ?,
		logo_sha256 = ?, profile_updated_at = ? WHERE code = ?`,
		p.HeadTitle, p.Address, p.Phone, p.Email, p.Website, p.LogoSHA256, dbTime(p.UpdatedAt), code)
	if err != nil {
		return fmt.Errorf("update region profile %s: %w", code, err)
	}
	return requireRow(res, "Region %s does not exist.", code)
}

const opdColumns = `id, region_code, name, short_name, kind`

func scanOPD(sc interface{ Scan(...any) error }) (*kolaborasi.OPD, error) {
	var o kolaborasi.OPD
	if err := sc.Scan(&o.ID, &o.RegionCode, &o.Name, &o.ShortName, &o.Kind); err != nil {
		return nil, err
	}
	return &o, nil
}

// FindOPDs implements kolaborasi.RegionStore.
func (s *Store) FindOPDs(ctx context.Context, regionCode string) ([]*kolaborasi.OPD, error) {
	rows, err := s.query(ctx, `SELECT `+opdColumns+` FROM opds WHERE region_code = ? ORDER BY kind, name`, regionCode)
	if err != nil {
		return nil, fmt.Errorf("find OPDs of %s: %w", regionCode, err)
	}
	defer rows.Close()
	var out []*kolaborasi.OPD
	for rows.Next() {
		o, err := scanOPD(rows)
		if err != nil {
			return nil, fmt.Errorf("scan OPD: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FindOPD implements kolaborasi.RegionStore.
func (s *Store) FindOPD(ctx context.Context, id int64) (*kolaborasi.OPD, error) {
	o, err := scanOPD(s.queryRow(ctx, `SELECT `+opdColumns+` FROM opds WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find OPD %d: %w", id, err), "OPD %d does not exist.", id)
	}
	return o, nil
}

// CreateOPD implements kolaborasi.RegionStore.
func (s *Store) CreateOPD(ctx context.Context, o *kolaborasi.OPD) error {
	err := s.writer().QueryRowContext(ctx, s.db.engine.rebind(`INSERT INTO opds (region_code, name, short_name, kind)
		VALUES (?, ?, ?, ?) RETURNING id`), o.RegionCode, o.Name, o.ShortName, string(o.Kind)).Scan(&o.ID)
	if err != nil {
		return translate(fmt.Errorf("create OPD: %w", err), "An OPD with this name")
	}
	return nil
}

// UpdateOPD implements kolaborasi.RegionStore.
func (s *Store) UpdateOPD(ctx context.Context, o *kolaborasi.OPD) error {
	res, err := s.exec(ctx, `UPDATE opds SET name = ?, short_name = ?, kind = ? WHERE id = ?`,
		o.Name, o.ShortName, string(o.Kind), o.ID)
	if err != nil {
		return translate(fmt.Errorf("update OPD %d: %w", o.ID, err), "An OPD with this name")
	}
	return requireRow(res, "OPD %d does not exist.", o.ID)
}

// DeleteOPD implements kolaborasi.RegionStore.
func (s *Store) DeleteOPD(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, `DELETE FROM opds WHERE id = ?`, id)
	if err != nil {
		return translate(fmt.Errorf("delete OPD %d: %w", id, err), "The OPD")
	}
	return requireRow(res, "OPD %d does not exist.", id)
}

// requireRow turns an update or delete that touched no row into not_found.
func requireRow(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, format, args...)
	}
	return nil
}

// likeEscape escapes the LIKE wildcards in s for use with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// dbTime prepares a time for storage: UTC, microsecond precision (what
// PostgreSQL keeps), and NULL for the zero time.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// nullTime scans a nullable timestamp from either engine: PostgreSQL returns
// time.Time, SQLite a time.Time or its text form.
type nullTime struct{ Time time.Time }

// Scan implements sql.Scanner.
func (n *nullTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		n.Time = time.Time{}
	case time.Time:
		n.Time = v.UTC()
	case string:
		return n.parse(v)
	case []byte:
		return n.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a time", v)
	}
	return nil
}

func (n *nullTime) parse(s string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			n.Time = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("cannot parse time %q", s)
}

// Meta implements kolaborasi.Store. A missing key reads as "".
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta implements kolaborasi.Store.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write meta %s: %w", key, err)
	}
	return nil
}
