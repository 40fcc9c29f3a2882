package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

const solutionColumns = `s.id, s.version, s.adoptions, s.created_at, s.updated_at, s.seq, s.data, s.terms`

func scanSolution(sc interface{ Scan(...any) error }) (*kolaborasi.Solution, error) {
	var r solutionRow
	if err := sc.Scan(r.dests()...); err != nil {
		return nil, err
	}
	return r.solution()
}

// solutionRow holds the columns of a solution as read (scanSolution), for
// statements that read more beside them (FindSolutionWithRegion).
type solutionRow struct {
	id, seq            int64
	version, adoptions int
	created, updated   nullTime
	data, terms        sql.NullString
}

func (r *solutionRow) dests() []any {
	return []any{&r.id, &r.version, &r.adoptions, &r.created, &r.updated, &r.seq, &r.data, &r.terms}
}

// solution decodes the row; nil when the statement left the document out
// (FindSolutionIfChanged: unchanged).
func (r *solutionRow) solution() (*kolaborasi.Solution, error) {
	if !r.data.Valid {
		return nil, nil
	}
	var s kolaborasi.Solution
	if err := json.Unmarshal([]byte(r.data.String), &s); err != nil {
		return nil, fmt.Errorf("decode solution %d: %w", r.id, err)
	}
	s.ID, s.Version, s.Adoptions, s.Terms, s.Seq = r.id, r.version, r.adoptions, r.terms.String, r.seq
	s.CreatedAt, s.UpdatedAt = r.created.Time, r.updated.Time
	return &s, nil
}

// rowDocument is the form of a solution in its row's data: every field of
// its JSON encoding but those kept in columns beside it (the shallower
// fields, always zero and omitted, hide the solution's). Reads decode it
// as a Solution and set the columns; the API's item answer splices the
// columns in front of it (solutionJSON) instead of decoding it.
type rowDocument struct {
	*kolaborasi.Solution
	ID        struct{} `json:"id,omitzero"`
	Adoptions struct{} `json:"adoptions,omitzero"`
	Version   struct{} `json:"version,omitzero"`
	CreatedAt struct{} `json:"created_at,omitzero"`
	UpdatedAt struct{} `json:"updated_at,omitzero"`
}

// rowJSON is the stored form of a solution in its row (rowDocument),
// encoded as the API encodes answers: without escaping <, > and &.
func rowJSON(s *kolaborasi.Solution) (string, error) {
	return encodeJSON(rowDocument{Solution: s})
}

// versionJSON is the stored form of a saved version: every field, for
// the history (which has no columns beside it for the adoptions and the
// dates).
func versionJSON(s *kolaborasi.Solution) (string, error) {
	return encodeJSON(s)
}

func encodeJSON(v any) (string, error) {
	b, err := kolaborasi.MarshalJSON(v)
	if err != nil {
		return "", fmt.Errorf("encode solution: %w", err)
	}
	return string(b), nil
}

// oldRowPrefix starts the data of a row written before rowDocument (the
// whole solution, its ID first): such a row is decoded and encoded again.
const oldRowPrefix = `{"id":`

// solutionJSON encodes a solution read from its columns and its row's
// data as the JSON object encoding/json makes of the Solution that
// FindSolution returns (the same members, the column members first),
// without decoding the data unless it is of the old form.
func solutionJSON(id int64, version, adoptions int, created, updated time.Time, data string) ([]byte, error) {
	if strings.HasPrefix(data, oldRowPrefix) || !strings.HasPrefix(data, "{") || !strings.HasSuffix(data, "}") {
		var s kolaborasi.Solution
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return nil, fmt.Errorf("decode solution %d: %w", id, err)
		}
		s.ID, s.Version, s.Adoptions, s.CreatedAt, s.UpdatedAt = id, version, adoptions, created, updated
		out, err := encodeJSON(&s)
		return []byte(out), err
	}
	c, err := created.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("encode solution %d: %w", id, err)
	}
	u, err := updated.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("encode solution %d: %w", id, err)
	}
	out := make([]byte, 0, len(data)+160)
	out = append(out, `{"id":`...)
	out = strconv.AppendInt(out, id, 10)
	out = append(out, `,"adoptions":`...)
	out = strconv.AppendInt(out, int64(adoptions), 10)
	out = append(out, `,"version":`...)
	out = strconv.AppendInt(out, int64(version), 10)
	out = append(out, `,"created_at":`...)
	out = append(out, c...)
	out = append(out, `,"updated_at":`...)
	out = append(out, u...)
	if rest := strings.TrimSpace(data[1:]); rest != "}" {
		out = append(out, ',')
	}
	return append(out, data[1:]...), nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateSolution implements kolaborasi.SolutionStore.
func (s *Store) CreateSolution(ctx context.Context, sol *kolaborasi.Solution) error {
	return s.CreateSolutions(ctx, []*kolaborasi.Solution{sol})
}

// createBatch is how many solutions CreateSolutions writes per multi-row
// INSERT of facets and versions.
const createBatch = 200

// CreateSolutions implements kolaborasi.SolutionStore: solution rows one by
// one (each needs its ID back), facet and version rows in multi-row
// INSERTs, all in one transaction.
func (s *Store) CreateSolutions(ctx context.Context, ss []*kolaborasi.Solution) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		seq, err := t.nextSeq(ctx)
		if err != nil {
			return err
		}
		for start := 0; start < len(ss); start += createBatch {
			batch := ss[start:min(start+createBatch, len(ss))]
			for _, sol := range batch {
				if sol.CreatedAt.IsZero() {
					sol.CreatedAt = sol.UpdatedAt
				}
				sol.Version, sol.Seq = 1, seq
				data, err := rowJSON(sol)
				if err != nil {
					return err
				}
				err = t.queryRowW(ctx, `INSERT INTO solutions (kind, region_code, opd_id, maturity, code_url, adoptions, seq,
					version, created_at, updated_at, data, terms, cost_build_idr, synthetic)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
					string(sol.Kind), sol.RegionCode, nullID(sol.OPDID), string(sol.Maturity), sol.Links.Code, sol.Adoptions, seq,
					sol.Version, dbTime(sol.CreatedAt), dbTime(sol.UpdatedAt), data, sol.Terms, sol.CostBuild.IDR, sol.Synthetic).Scan(&sol.ID)
				if err != nil {
					return translate(fmt.Errorf("create solution %q: %w", sol.Name.Get("id"), err),
						"A solution of this region with the code repository "+sol.Links.Code)
				}
			}
			if err := t.insertFacets(ctx, batch); err != nil {
				return err
			}
			if err := t.insertVersions(ctx, batch); err != nil {
				return err
			}
		}
		return nil
	})
}

// nextSeq increments the change counter of solutions in the transaction
// and returns the new value. On PostgreSQL the row lock makes a second
// writer wait until the first commits, so a reader that sees number n has
// seen every change numbered below n.
func (s *Store) nextSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.queryRowW(ctx, `UPDATE solution_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("advance the solution change counter: %w", err)
	}
	s.took("solution", seq)
	return seq, nil
}

// queryRowW runs a query that writes and returns a row on the writer.
func (s *Store) queryRowW(ctx context.Context, query string, args ...any) *sql.Row {
	return s.writer().QueryRowContext(ctx, s.db.engine.rebind(query), args...)
}

func (s *Store) insertFacets(ctx context.Context, ss []*kolaborasi.Solution) error {
	var vals []string
	var args []any
	for _, sol := range ss {
		for facet, values := range sol.FacetValues() {
			seen := map[string]bool{}
			for _, v := range values {
				if v == "" || seen[v] {
					continue
				}
				seen[v] = true
				vals, args = append(vals, "(?, ?, ?)"), append(args, facet, v, sol.ID)
			}
		}
	}
	if len(vals) == 0 {
		return nil
	}
	if _, err := s.exec(ctx, `INSERT INTO solution_facets (facet, value, solution_id) VALUES `+strings.Join(vals, ", "), args...); err != nil {
		return fmt.Errorf("store solution facets: %w", err)
	}
	return nil
}

func (s *Store) insertVersions(ctx context.Context, ss []*kolaborasi.Solution) error {
	vals := make([]string, 0, len(ss))
	args := make([]any, 0, 6*len(ss))
	for _, sol := range ss {
		data, err := versionJSON(sol)
		if err != nil {
			return err
		}
		vals = append(vals, "(?, ?, ?, ?, ?, ?)")
		args = append(args, sol.ID, sol.Version, dbTime(sol.UpdatedAt), sol.AuthorID, sol.AuthorName, data)
	}
	if _, err := s.exec(ctx, `INSERT INTO solution_versions (solution_id, version, at, author_id, author_name, data) VALUES `+
		strings.Join(vals, ", "), args...); err != nil {
		return fmt.Errorf("store solution versions: %w", err)
	}
	return nil
}

// UpdateSolution implements kolaborasi.SolutionStore.
// sol.Version is the version read; it is raised only when the update
// commits (the transaction may run more than once, see InTx).
func (s *Store) UpdateSolution(ctx context.Context, sol *kolaborasi.Solution) error {
	read, readSeq := sol.Version, sol.Seq
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		seq, err := t.nextSeq(ctx)
		if err != nil {
			return err
		}
		sol.Version, sol.Seq = read+1, seq
		data, err := rowJSON(sol)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE solutions SET kind = ?, region_code = ?, opd_id = ?, maturity = ?, code_url = ?, seq = ?,
			version = ?, updated_at = ?, data = ?, terms = ?, cost_build_idr = ?, synthetic = ? WHERE id = ? AND version = ?`,
			string(sol.Kind), sol.RegionCode, nullID(sol.OPDID), string(sol.Maturity), sol.Links.Code, seq,
			sol.Version, dbTime(sol.UpdatedAt), data, sol.Terms, sol.CostBuild.IDR, sol.Synthetic, sol.ID, read)
		if err != nil {
			return translate(fmt.Errorf("update solution %d: %w", sol.ID, err),
				"A solution of this region with the code repository "+sol.Links.Code)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("rows affected: %w", err)
		} else if n == 0 {
			if _, err := t.FindSolution(ctx, sol.ID); err != nil {
				return err
			}
			return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Solution %d was changed by someone else since version %d; reload it and make your change again.", sol.ID, read)
		}
		if _, err := t.exec(ctx, `DELETE FROM solution_facets WHERE solution_id = ?`, sol.ID); err != nil {
			return fmt.Errorf("clear solution facets: %w", err)
		}
		if err := t.insertFacets(ctx, []*kolaborasi.Solution{sol}); err != nil {
			return err
		}
		return t.insertVersions(ctx, []*kolaborasi.Solution{sol})
	})
	if err != nil {
		sol.Version, sol.Seq = read, readSeq
	}
	return err
}

// FindSolution implements kolaborasi.SolutionStore.
func (s *Store) FindSolution(ctx context.Context, id int64) (*kolaborasi.Solution, error) {
	sol, err := scanSolution(s.queryRow(ctx, `SELECT `+solutionColumns+` FROM solutions s WHERE s.id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find solution %d: %w", id, err), "Solution %d does not exist.", id)
	}
	return sol, nil
}

// FindSolutionIfChanged implements kolaborasi.SolutionStore: one
// statement that returns the document only when the row's change number
// differs from known.
func (s *Store) FindSolutionIfChanged(ctx context.Context, id, known int64) (*kolaborasi.Solution, error) {
	sol, err := scanSolution(s.queryRowPrepared(ctx, `SELECT `+solutionIfChangedColumns+` FROM solutions s WHERE s.id = ?`, known, known, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find solution %d: %w", id, err), "Solution %d does not exist.", id)
	}
	return sol, nil
}

// solutionIfChangedColumns are a solution's columns with its document and
// terms only when its change number differs from the first two arguments.
const solutionIfChangedColumns = `s.id, s.version, s.adoptions, s.created_at, s.updated_at, s.seq,
		CASE WHEN s.seq = ? THEN NULL ELSE s.data END, CASE WHEN s.seq = ? THEN NULL ELSE s.terms END`

// FindSolutionWithRegion implements kolaborasi.SolutionStore:
// FindSolutionIfChanged and the solution's region in one statement (the
// solution page shows both; on PostgreSQL every statement is a round trip
// to the database server).
func (s *Store) FindSolutionWithRegion(ctx context.Context, id, known int64) (*kolaborasi.Solution, *kolaborasi.Region, error) {
	var sr solutionRow
	var rr regionRow
	err := s.queryRowPrepared(ctx, `SELECT `+solutionIfChangedColumns+`, `+regionColumns+`
		FROM solutions s JOIN regions r ON r.code = s.region_code JOIN regions p ON p.code = r.province_code
		WHERE s.id = ?`, known, known, id).Scan(append(sr.dests(), rr.dests()...)...)
	if err != nil {
		return nil, nil, notFound(fmt.Errorf("find solution %d with its region: %w", id, err), "Solution %d does not exist.", id)
	}
	sol, err := sr.solution()
	if err != nil {
		return nil, nil, err
	}
	return sol, rr.region(), nil
}

// FindSolutionJSON implements kolaborasi.SolutionStore: one statement
// reading the columns and the row's data, spliced without decoding it.
// On PostgreSQL, outside a transaction, the statement is shared with the
// reads that arrived while the previous ones ran (readBatches).
func (s *Store) FindSolutionJSON(ctx context.Context, id int64) ([]byte, int, error) {
	if s.tx == nil && s.db.engine == Postgres {
		return s.readItem(ctx, id)
	}
	var row itemRow
	if err := s.queryRowPrepared(ctx, itemByID, id).Scan(row.dests()...); err != nil {
		return nil, 0, notFound(fmt.Errorf("find solution %d: %w", id, err), "Solution %d does not exist.", id)
	}
	it, err := row.item()
	return it.doc, it.version, err
}

// FindSolutionByCode implements kolaborasi.SolutionStore.
func (s *Store) FindSolutionByCode(ctx context.Context, region, url string) (*kolaborasi.Solution, error) {
	sol, err := scanSolution(s.queryRow(ctx, `SELECT `+solutionColumns+` FROM solutions s
		WHERE s.region_code = ? AND s.code_url = ? AND s.code_url <> ''`, region, url))
	if err != nil {
		return nil, notFound(fmt.Errorf("find solution by code %s: %w", url, err), "Region %s has no solution with the code repository %s.", region, url)
	}
	return sol, nil
}

// FindSolutionVersions implements kolaborasi.SolutionStore.
func (s *Store) FindSolutionVersions(ctx context.Context, id int64) ([]*kolaborasi.SolutionVersion, error) {
	return s.solutionVersions(ctx, id, true)
}

// FindSolutionVersionLog implements kolaborasi.SolutionStore.
func (s *Store) FindSolutionVersionLog(ctx context.Context, id int64) ([]*kolaborasi.SolutionVersion, error) {
	return s.solutionVersions(ctx, id, false)
}

// solutionVersions reads the versions of a solution, newest first, with
// their documents decoded when withData.
func (s *Store) solutionVersions(ctx context.Context, id int64, withData bool) ([]*kolaborasi.SolutionVersion, error) {
	data := `''`
	if withData {
		data = `data`
	}
	rows, err := s.queryPrepared(ctx, `SELECT version, at, author_id, author_name, `+data+` FROM solution_versions
		WHERE solution_id = ? ORDER BY version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("find versions of solution %d: %w", id, err)
	}
	defer rows.Close()
	var out []*kolaborasi.SolutionVersion
	for rows.Next() {
		var v kolaborasi.SolutionVersion
		var at nullTime
		var data string
		if err := rows.Scan(&v.Version, &at, &v.AuthorID, &v.AuthorName, &data); err != nil {
			return nil, fmt.Errorf("scan solution version: %w", err)
		}
		v.At = at.Time
		if withData {
			v.Solution = new(kolaborasi.Solution)
			if err := json.Unmarshal([]byte(data), v.Solution); err != nil {
				return nil, fmt.Errorf("decode version %d of solution %d: %w", v.Version, id, err)
			}
			v.Solution.ID, v.Solution.Version = id, v.Version
		}
		out = append(out, &v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read versions of solution %d: %w", id, err)
	}
	if len(out) == 0 {
		if _, err := s.FindSolution(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SearchSolutions implements kolaborasi.SolutionStore. The text query runs
// on the engine's own full-text index over the pre-analysed terms (FTS5 or
// a tsvector with a GIN index); facets are filtered and counted through
// solution_facets, counting only over the matched set.
func (s *Store) SearchSolutions(ctx context.Context, f kolaborasi.SolutionFilter) (*kolaborasi.SolutionPage, error) {
	var with string
	var args []any
	from := ` FROM solutions s`
	score := "0"
	if f.Text != nil {
		w, arg, err := s.textMatches("solutions", "solutions_fts", f.Text)
		if err != nil {
			return nil, err
		}
		with, args = w, append(args, arg)
		from += ` JOIN m ON m.id = s.id`
		score = "m.score"
	}
	where, fargs := facetFilters(f.Facets, "solution_facets", "solution_id", "s")
	args = append(args, fargs...)
	retiredAsked := slices.Contains(f.Facets[kolaborasi.FacetMaturity], string(kolaborasi.MaturityRetired))
	if !f.IncludeRetired && !retiredAsked {
		where = append(where, `s.maturity <> 'retired'`)
	}
	base := from
	if len(where) > 0 {
		base += ` WHERE ` + strings.Join(where, ` AND `)
	}

	page := &kolaborasi.SolutionPage{Facets: map[string][]kolaborasi.FacetCount{}}
	if err := s.queryRow(ctx, with+`SELECT count(*)`+base, args...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("count solutions: %w", err)
	}
	if page.Total == 0 {
		return page, nil
	}

	order := ` ORDER BY s.created_at DESC, s.id DESC`
	switch {
	case f.Sort == kolaborasi.SortAdopted:
		order = ` ORDER BY s.adoptions DESC, s.id DESC`
	case f.Sort == kolaborasi.SortRelevance && f.Text != nil:
		order = ` ORDER BY ` + score + ` DESC, s.id DESC`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.query(ctx, with+`SELECT `+solutionColumns+base+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, fmt.Errorf("search solutions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sol, err := scanSolution(rows)
		if err != nil {
			return nil, fmt.Errorf("scan solution: %w", err)
		}
		page.Solutions = append(page.Solutions, sol)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search solutions: %w", err)
	}
	rows.Close()

	if f.NoFacets {
		return page, nil
	}
	page.Facets, err = s.countFacets(ctx, with+`SELECT f.facet, f.value, count(*) FROM solution_facets f
		WHERE f.solution_id IN (SELECT s.id`+base+`) GROUP BY f.facet, f.value`, args...)
	if err != nil {
		return nil, err
	}
	return page, nil
}

// FindSolutionsByID implements kolaborasi.SolutionStore.
func (s *Store) FindSolutionsByID(ctx context.Context, ids []int64) ([]*kolaborasi.Solution, error) {
	byID := make(map[int64]*kolaborasi.Solution, len(ids))
	err := inChunks(ids, func(args []any) error {
		rows, err := s.query(ctx, `SELECT `+solutionColumns+` FROM solutions s WHERE s.id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
		if err != nil {
			return fmt.Errorf("find solutions by ID: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			sol, err := scanSolution(rows)
			if err != nil {
				return fmt.Errorf("scan solution: %w", err)
			}
			byID[sol.ID] = sol
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find solutions by ID: %w", err)
		}
		return nil
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	out := make([]*kolaborasi.Solution, 0, len(ids))
	for _, id := range ids {
		if sol := byID[id]; sol != nil {
			out = append(out, sol)
		}
	}
	return out, nil
}

// maxInArgs bounds the parameters of one IN list: SQLite allows 32,766
// per statement, PostgreSQL 65,535.
const maxInArgs = 1000

// inChunks calls fn with the IDs as arguments, at most maxInArgs at a
// time (none for no IDs), so that a list of any length can be read.
func inChunks(ids []int64, fn func(args []any) error) error {
	for chunk := range slices.Chunk(ids, maxInArgs) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := fn(args); err != nil {
			return err
		}
	}
	return nil
}

// SolutionSeq implements kolaborasi.SolutionStore. Every search and list
// reads it first; on PostgreSQL, outside a transaction, the statement is
// shared with the reads that arrived while the previous ones ran
// (readBatches).
func (s *Store) SolutionSeq(ctx context.Context) (int64, error) {
	if s.tx == nil && s.db.engine == Postgres {
		return s.db.seqs.read(ctx, struct{}{}, s.runSeqs)
	}
	return s.solutionSeq(ctx)
}

// solutionSeq reads the solution change counter in a statement of its own.
func (s *Store) solutionSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.queryRowPrepared(ctx, `SELECT seq FROM solution_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read the solution change counter: %w", err)
	}
	return seq, nil
}

// EachSolutionEntryChangedAfter implements kolaborasi.SolutionStore. The
// rows and their facets are read in one read-only transaction (a snapshot
// of one committed state on both engines), in batches of entryBatch
// solutions in ID order, so that the first build of an index holds one
// batch of rows at a time rather than the whole table.
//
// A catch-up (seq > 0) reads the changed rows through the index on seq:
// ordered by id, SQLite's planner walked the whole table instead, reading
// every row at national scale for each edit; they are put in ID order here.
func (s *Store) EachSolutionEntryChangedAfter(ctx context.Context, seq int64, fn func(*kolaborasi.SolutionEntry) error) error {
	return s.readTx(ctx, func(t *Store) error {
		if seq > 0 {
			entries, err := t.solutionEntries(ctx, changedEntriesQuery, seq)
			if err != nil {
				return err
			}
			slices.SortFunc(entries, func(a, b *kolaborasi.SolutionEntry) int { return cmp.Compare(a.ID, b.ID) })
			return t.withFacets(ctx, entries, fn, changedFacetsQuery, seq)
		}
		for after := int64(0); ; {
			entries, err := t.solutionEntries(ctx, batchEntriesQuery, after, entryBatch)
			if err != nil || len(entries) == 0 {
				return err
			}
			last := entries[len(entries)-1].ID
			if err := t.withFacets(ctx, entries, fn, batchFacetsQuery, after, last); err != nil {
				return err
			}
			after = last
		}
	})
}

// entryBatch is how many solutions a first build reads at a time (a
// variable for the test of batches).
var entryBatch = 4096

// withFacets reads the facet rows of entries (in ID order) by query, in ID
// order, adds them to their entries, and calls fn for each entry.
func (s *Store) withFacets(ctx context.Context, entries []*kolaborasi.SolutionEntry, fn func(*kolaborasi.SolutionEntry) error, query string, args ...any) error {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read solution facets: %w", err)
	}
	defer rows.Close()
	// Both lists are in ID order: a merge.
	i := 0
	for rows.Next() {
		var id int64
		var facet, value string
		if err := rows.Scan(&id, &facet, &value); err != nil {
			return fmt.Errorf("scan solution facet: %w", err)
		}
		for i < len(entries) && entries[i].ID < id {
			i++
		}
		if i < len(entries) && entries[i].ID == id {
			e := entries[i]
			e.Facets[facet] = append(e.Facets[facet], value)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read solution facets: %w", err)
	}
	for _, e := range entries {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

const (
	entryColumns        = `SELECT s.id, s.created_at, s.adoptions, s.maturity, s.terms, s.seq FROM solutions s`
	batchEntriesQuery   = entryColumns + ` WHERE s.id > ? ORDER BY s.id LIMIT ?`
	changedEntriesQuery = entryColumns + ` WHERE s.seq > ? ORDER BY s.seq`
	batchFacetsQuery    = `SELECT f.solution_id, f.facet, f.value FROM solution_facets f
		WHERE f.solution_id > ? AND f.solution_id <= ? ORDER BY f.solution_id`
	changedFacetsQuery = `SELECT f.solution_id, f.facet, f.value FROM solution_facets f
		WHERE f.solution_id IN (SELECT s.id FROM solutions s WHERE s.seq > ?) ORDER BY f.solution_id`
)

// solutionEntries reads index entries (without facets) by query.
func (s *Store) solutionEntries(ctx context.Context, query string, args ...any) ([]*kolaborasi.SolutionEntry, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read solutions: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.SolutionEntry
	for rows.Next() {
		var e kolaborasi.SolutionEntry
		var created nullTime
		if err := rows.Scan(&e.ID, &created, &e.Adoptions, &e.Maturity, &e.Terms, &e.Seq); err != nil {
			return nil, fmt.Errorf("scan solution: %w", err)
		}
		e.CreatedAt, e.Facets = created.Time, make(map[string][]string, 8)
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read solutions: %w", err)
	}
	return out, nil
}

// eachSolution calls fn for every solution the query returns (the query
// selects solutionColumns); what names them in errors.
func (s *Store) eachSolution(ctx context.Context, what string, fn func(*kolaborasi.Solution) error, query string, args ...any) error {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		sol, err := scanSolution(rows)
		if err != nil {
			return fmt.Errorf("scan solution: %w", err)
		}
		if err := fn(sol); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// reanalyseBatch is how many solutions ReanalyseSolutions rewrites per
// transaction: short transactions, so that a re-analysis of a large
// catalog at start does not hold the writer for long.
const reanalyseBatch = 500

// ReanalyseSolutions implements kolaborasi.SolutionStore. It walks the
// solutions in ID order, one batch per transaction.
func (s *Store) ReanalyseSolutions(ctx context.Context, terms func(*kolaborasi.Solution) string) (int, error) {
	return reanalyse(ctx, s, "solution", (*Store).solutionsAfter, (*Store).nextSeq,
		func(sol *kolaborasi.Solution) (int64, int, string) { return sol.ID, sol.Version, terms(sol) },
		`UPDATE solutions SET terms = ?, seq = ? WHERE id = ? AND version = ?`)
}

// reanalyse rewrites the stored search terms of every row of a table in ID
// order, reanalyseBatch rows per transaction, each batch under a new value
// of the table's change counter (nextSeq) so that in-process indexes take
// the new terms in. read returns the batch after an ID; row gives a row's
// ID, version and new terms. The version guard in update leaves a row saved
// since it was read with the terms its writer computed.
func reanalyse[T any](ctx context.Context, s *Store, what string, read func(t *Store, ctx context.Context, after int64, limit int) ([]T, error),
	nextSeq func(t *Store, ctx context.Context) (int64, error), row func(T) (id int64, version int, terms string), update string) (int, error) {
	done := 0
	for after := int64(0); ; {
		n := 0
		err := s.InTx(ctx, func(tx kolaborasi.Store) error {
			t := tx.(*Store)
			batch, err := read(t, ctx, after, reanalyseBatch)
			if err != nil || len(batch) == 0 {
				return err
			}
			seq, err := nextSeq(t, ctx)
			if err != nil {
				return err
			}
			last := after
			for _, x := range batch {
				id, version, terms := row(x)
				if _, err := t.exec(ctx, update, terms, seq, id, version); err != nil {
					return fmt.Errorf("store the terms of %s %d: %w", what, id, err)
				}
				last = id
			}
			// Set only once the batch is done: InTx may run this again.
			n, after = len(batch), last
			return nil
		})
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		done += n
	}
}

// solutionsAfter returns up to limit solutions with IDs above after, in ID
// order.
func (s *Store) solutionsAfter(ctx context.Context, after int64, limit int) ([]*kolaborasi.Solution, error) {
	var out []*kolaborasi.Solution
	err := s.eachSolution(ctx, "solutions", func(sol *kolaborasi.Solution) error {
		out = append(out, sol)
		return nil
	}, `SELECT `+solutionColumns+` FROM solutions s WHERE s.id > ? ORDER BY s.id LIMIT ?`, after, limit)
	return out, err
}

// seqScanner scans the solution columns followed by the change number.
type seqScanner struct {
	rows *sql.Rows
	seq  *int64
}

func (sc seqScanner) Scan(dest ...any) error { return sc.rows.Scan(append(dest, sc.seq)...) }
