package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

const adoptionColumns = `id, version, created_at, updated_at, data`

func scanAdoption(sc interface{ Scan(...any) error }) (*kolaborasi.Adoption, error) {
	var id int64
	var version int
	var created, updated nullTime
	var data string
	if err := sc.Scan(&id, &version, &created, &updated, &data); err != nil {
		return nil, err
	}
	var a kolaborasi.Adoption
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return nil, fmt.Errorf("decode adoption %d: %w", id, err)
	}
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, version, created.Time, updated.Time
	if a.History == nil {
		a.History = []kolaborasi.AdoptionChange{}
	}
	a.Documents = []kolaborasi.AdoptionDocument{}
	return &a, nil
}

// adoptionJSON is the stored form of an adoption; documents live in their
// own table.
func adoptionJSON(a *kolaborasi.Adoption) (string, error) {
	c := *a
	c.Documents = nil
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("encode adoption: %w", err)
	}
	return string(b), nil
}

// idrColumn is the column value of an optional amount: NULL when unknown.
func idrColumn(m *kolaborasi.Money) any {
	if m == nil {
		return nil
	}
	return m.IDR
}

const openAdoptionExists = "An open adoption of this solution by this region"

// CreateAdoption implements kolaborasi.AdoptionStore.
func (s *Store) CreateAdoption(ctx context.Context, a *kolaborasi.Adoption) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		// The change counter first: the lock order of docs/ARCHITECTURE.md.
		seq, err := t.nextSeq(ctx)
		if err != nil {
			return err
		}
		a.Version = 1
		data, err := adoptionJSON(a)
		if err != nil {
			return err
		}
		err = t.queryRowW(ctx, `INSERT INTO adoptions (solution_id, adopter_region, source_region, agreement_id, stage, state,
			version, created_at, updated_at, data, spent_idr, planned_idr, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.SolutionID, a.AdopterRegion, a.SourceRegion, a.AgreementID, string(a.Stage), string(a.State),
			a.Version, dbTime(a.CreatedAt), dbTime(a.UpdatedAt), data, idrColumn(a.Spent), idrColumn(a.Planned), a.Synthetic).Scan(&a.ID)
		if err != nil {
			return translate(fmt.Errorf("create adoption: %w", err), openAdoptionExists)
		}
		return t.recountAdoptions(ctx, a.SolutionID, seq)
	})
}

// UpdateAdoption implements kolaborasi.AdoptionStore. a.Version is raised
// only when the update commits (the transaction may run again, see InTx).
func (s *Store) UpdateAdoption(ctx context.Context, a *kolaborasi.Adoption) error {
	read := a.Version
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		seq, err := t.nextSeq(ctx)
		if err != nil {
			return err
		}
		a.Version = read + 1
		data, err := adoptionJSON(a)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE adoptions SET agreement_id = ?, stage = ?, state = ?, version = ?, updated_at = ?, data = ?,
			spent_idr = ?, planned_idr = ?, synthetic = ? WHERE id = ? AND version = ?`,
			a.AgreementID, string(a.Stage), string(a.State), a.Version, dbTime(a.UpdatedAt), data,
			idrColumn(a.Spent), idrColumn(a.Planned), a.Synthetic, a.ID, read)
		if err != nil {
			return translate(fmt.Errorf("update adoption %d: %w", a.ID, err), openAdoptionExists)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("rows affected: %w", err)
		} else if n == 0 {
			if _, err := t.FindAdoption(ctx, a.ID); err != nil {
				return err
			}
			return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Adoption %d was changed by someone else since version %d; reload it and make your change again.", a.ID, read)
		}
		return t.recountAdoptions(ctx, a.SolutionID, seq)
	})
	if err != nil {
		a.Version = read
	}
	return err
}

// recountAdoptionsSQL is recountAdoptions' statement: it reads the
// adoptions of one solution through the index adoptions_solution.
const recountAdoptionsSQL = `UPDATE solutions SET seq = ?, adoptions = (SELECT COUNT(DISTINCT adopter_region) FROM adoptions
		WHERE solution_id = ? AND state = 'accepted' AND stage <> 'stopped') WHERE id = ?`

// recountAdoptions sets the solution's adoptions column to the number of
// distinct regions with a live adoption of it (accepted, not stopped) and
// stamps the row with the change number, so that in-process catalog
// indexes catch up with the new count.
func (s *Store) recountAdoptions(ctx context.Context, solutionID, seq int64) error {
	_, err := s.exec(ctx, recountAdoptionsSQL, seq, solutionID, solutionID)
	if err != nil {
		return fmt.Errorf("recount adoptions of solution %d: %w", solutionID, err)
	}
	return nil
}

// FindAdoption implements kolaborasi.AdoptionStore.
func (s *Store) FindAdoption(ctx context.Context, id int64) (*kolaborasi.Adoption, error) {
	a, err := scanAdoption(s.queryRow(ctx, `SELECT `+adoptionColumns+` FROM adoptions WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find adoption %d: %w", id, err), "Adoption %d does not exist.", id)
	}
	rows, err := s.query(ctx, `SELECT name, sha256, size, uploaded_by, uploaded_at FROM adoption_documents
		WHERE adoption_id = ? ORDER BY uploaded_at, name`, id)
	if err != nil {
		return nil, fmt.Errorf("find adoption documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d kolaborasi.AdoptionDocument
		var at nullTime
		if err := rows.Scan(&d.Name, &d.SHA256, &d.Size, &d.UploadedBy, &at); err != nil {
			return nil, fmt.Errorf("scan adoption document: %w", err)
		}
		d.UploadedAt = at.Time
		a.Documents = append(a.Documents, d)
	}
	return a, rows.Err()
}

// FindAdoptions implements kolaborasi.AdoptionStore.
func (s *Store) FindAdoptions(ctx context.Context, f kolaborasi.AdoptionFilter) ([]*kolaborasi.Adoption, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.SolutionID != 0 {
		add("solution_id = ?", f.SolutionID)
	}
	if f.AdopterRegion != "" {
		add("adopter_region = ?", f.AdopterRegion)
	}
	if f.SourceRegion != "" {
		add("source_region = ?", f.SourceRegion)
	}
	if f.Region != "" {
		where, args = append(where, "(adopter_region = ? OR source_region = ?)"), append(args, f.Region, f.Region)
	}
	if f.Province != "" {
		// Region codes of a province start with its code and a dot.
		where, args = append(where, "adopter_region >= ? AND adopter_region < ?"), append(args, f.Province+".", f.Province+"/")
	}
	if f.AgreementID != 0 {
		add("agreement_id = ?", f.AgreementID)
	}
	if f.AcceptedOr != "" {
		where, args = append(where, "(state = 'accepted' OR adopter_region = ? OR source_region = ?)"), append(args, f.AcceptedOr, f.AcceptedOr)
	}
	if f.Before != 0 {
		add("id < ?", f.Before)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return []*kolaborasi.Adoption{}, nil
		}
		where = append(where, "id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Stage != "" {
		add("stage = ?", string(f.Stage))
	}
	if f.State != "" {
		add("state = ?", string(f.State))
	}
	q := `SELECT ` + adoptionColumns + ` FROM adoptions`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find adoptions: %w", err)
	}
	defer rows.Close()
	out := []*kolaborasi.Adoption{}
	for rows.Next() {
		a, err := scanAdoption(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// savingRowsSQL reads the live adoptions (Adoption.Live) with their
// solutions' figures from the indexes adoptions_live_figures and
// solutions_figures alone; a scope adds its condition on adopter_region.
// The figures' columns follow data and terms in the rows, so reading them
// from a table row reads its whole document (on SQLite, its chain of
// overflow pages). SQLite prefers the solution's row by its rowid to the
// covering index, hence INDEXED BY there (savingRowsQuery).
const savingRowsSQL = `SELECT a.id, a.solution_id, a.adopter_region, s.cost_build_idr, a.spent_idr, a.planned_idr,
	a.synthetic OR s.synthetic FROM adoptions a JOIN solutions s%s ON s.id = a.solution_id
	WHERE a.state = 'accepted' AND a.stage <> 'stopped'`

// savingRowsQuery is savingRowsSQL for an engine.
func savingRowsQuery(e Engine) string {
	if e == SQLite {
		return fmt.Sprintf(savingRowsSQL, " INDEXED BY solutions_figures")
	}
	return fmt.Sprintf(savingRowsSQL, "")
}

// EachSavingRow implements kolaborasi.AdoptionStore.
func (s *Store) EachSavingRow(ctx context.Context, province, region string, fn func(*kolaborasi.SavingRow) error) error {
	q, args := savingRowsQuery(s.db.engine), []any{}
	switch {
	case region != "":
		q, args = q+` AND a.adopter_region = ?`, append(args, region)
	case province != "":
		// Region codes of a province start with its code and a dot.
		q, args = q+` AND a.adopter_region >= ? AND a.adopter_region < ?`, append(args, province+".", province+"/")
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read saving figures: %w", err)
	}
	defer rows.Close()
	// The adopter region repeats on many rows: scanned as raw bytes and
	// interned.
	regions := interner{}
	var r kolaborasi.SavingRow
	var adopter sql.RawBytes
	var spent, planned sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&r.AdoptionID, &r.SolutionID, &adopter, &r.BuildIDR, &spent, &planned, &r.Synthetic); err != nil {
			return fmt.Errorf("scan saving figures: %w", err)
		}
		r.AdopterRegion = regions.of(adopter)
		r.Spent = kolaborasi.IDRFigure{IDR: spent.Int64, Known: spent.Valid}
		r.Planned = kolaborasi.IDRFigure{IDR: planned.Int64, Known: planned.Valid}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read saving figures: %w", err)
	}
	return nil
}

// AddAdoptionDocument implements kolaborasi.AdoptionStore.
func (s *Store) AddAdoptionDocument(ctx context.Context, id int64, d *kolaborasi.AdoptionDocument) error {
	_, err := s.exec(ctx, `INSERT INTO adoption_documents (adoption_id, name, sha256, size, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, d.Name, d.SHA256, d.Size, d.UploadedBy, dbTime(d.UploadedAt))
	return translate(err, fmt.Sprintf("A document named %q", d.Name))
}

// FindFileAdoptions implements kolaborasi.AdoptionStore.
func (s *Store) FindFileAdoptions(ctx context.Context, sha256 string) ([]int64, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT adoption_id FROM adoption_documents WHERE sha256 = ? ORDER BY adoption_id`, sha256)
	if err != nil {
		return nil, fmt.Errorf("find adoptions of file: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// openAdoptionsQuery reads the open adoptions from the partial index
// adoptions_open_pairs, which holds exactly them (its condition is
// Adoption.Open's) with every column the statement reads.
const openAdoptionsQuery = `SELECT adopter_region, solution_id FROM adoptions WHERE state <> 'declined' AND stage <> 'stopped'`

// EachOpenAdoption implements kolaborasi.AdoptionStore.
func (s *Store) EachOpenAdoption(ctx context.Context, fn func(adopterRegion string, solutionID int64) error) error {
	rows, err := s.query(ctx, openAdoptionsQuery)
	if err != nil {
		return fmt.Errorf("read open adoptions: %w", err)
	}
	defer rows.Close()
	regions := interner{}
	var adopter sql.RawBytes
	var solution int64
	for rows.Next() {
		if err := rows.Scan(&adopter, &solution); err != nil {
			return fmt.Errorf("scan open adoptions: %w", err)
		}
		if err := fn(regions.of(adopter), solution); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read open adoptions: %w", err)
	}
	return nil
}

// interner makes each distinct value scanned as raw bytes a string once:
// region codes repeat on many rows of a long read.
type interner map[string]string

func (in interner) of(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}
