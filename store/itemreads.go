package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// itemReads coalesces concurrent reads of single solutions as JSON (the
// API item, FindSolutionJSON) into one statement per batch (K8). Each read
// joins the batch that starts next after it arrived, never one already
// running, so its answer is read from the database after the call began:
// as fresh as a statement of its own, only sharing the statement (and, on
// PostgreSQL, the round trip) with the reads that arrived meanwhile. It
// keeps nothing between batches: there is no cache.
//
// Only on PostgreSQL, where each statement is a round trip to another
// process (the item at 64 clients: half the CPU per request, twice the
// requests per second); on SQLite a read is a few microseconds in this
// process and batching them gained nothing measurable, so each read runs
// its own statement there.
//
// At most itemBatchesRunning batches run at once; a read that finds fewer
// running starts one at once, alone, so a read without company waits for
// nothing. The others wait for a batch to finish and go together in the
// next, up to itemBatchMax reads each.
type itemReads struct {
	mu      sync.Mutex
	waiting []*itemRead
	running int
	// batches and reads count the statements run and the reads they
	// answered (ItemReadStats).
	batches, reads atomic.Int64
}

// itemRead is one read waiting for its batch.
type itemRead struct {
	id      int64
	doc     []byte
	version int
	err     error
	done    chan struct{}
}

const (
	// itemBatchesRunning bounds the batches running at once: on 2 cores,
	// a few statements keep the database busy while the next batch fills.
	itemBatchesRunning = 4
	// itemBatchMax bounds the reads of one statement.
	itemBatchMax = 128
)

// ItemReadStats reports how many statements FindSolutionJSON ran and how
// many reads they answered.
func (db *DB) ItemReadStats() (batches, reads int64) {
	return db.items.batches.Load(), db.items.reads.Load()
}

// readItem returns solution id as FindSolutionJSON does, read in a batch.
func (s *Store) readItem(ctx context.Context, id int64) ([]byte, int, error) {
	b := &s.db.items
	r := &itemRead{id: id, done: make(chan struct{})}
	b.mu.Lock()
	b.waiting = append(b.waiting, r)
	var batch []*itemRead
	if b.running < itemBatchesRunning {
		b.running++
		batch = b.takeLocked()
	}
	b.mu.Unlock()
	if batch != nil {
		// This read starts a batch (with any that waited) and runs it
		// here; the batches after it run on their own goroutine, so that
		// this caller is not kept for the others.
		s.runItems(ctx, batch)
		b.next(s)
	}
	select {
	case <-r.done:
		return r.doc, r.version, r.err
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
}

// takeLocked takes the next batch of waiting reads (under mu).
func (b *itemReads) takeLocked() []*itemRead {
	n := min(len(b.waiting), itemBatchMax)
	batch := b.waiting[:n:n]
	b.waiting = b.waiting[n:]
	if len(b.waiting) == 0 {
		b.waiting = nil
	}
	return batch
}

// next hands the slot of a finished batch to the reads that arrived
// meanwhile, in a goroutine of their own, or gives it up.
func (b *itemReads) next(s *Store) {
	b.mu.Lock()
	if len(b.waiting) == 0 {
		b.running--
		b.mu.Unlock()
		return
	}
	batch := b.takeLocked()
	b.mu.Unlock()
	go func() {
		s.runItems(context.Background(), batch)
		b.next(s)
	}()
}

// itemBatchTimeout bounds a batch statement, which no single caller's
// cancellation may stop (the others wait for it).
const itemBatchTimeout = 30 * time.Second

// runItems reads the batch's solutions in one statement and answers each
// read. The statement runs without the starting caller's cancellation:
// the other reads of the batch still want their answers.
func (s *Store) runItems(ctx context.Context, batch []*itemRead) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), itemBatchTimeout)
	defer cancel()
	s.db.items.batches.Add(1)
	s.db.items.reads.Add(int64(len(batch)))
	found, err := s.solutionJSONByID(ctx, batch)
	for _, r := range batch {
		switch {
		case err != nil:
			r.err = err
		case found[r.id] == nil:
			r.err = notFound(fmt.Errorf("find solution %d: %w", r.id, sql.ErrNoRows), "Solution %d does not exist.", r.id)
		default:
			r.doc, r.version, r.err = found[r.id].doc, found[r.id].version, found[r.id].err
		}
		close(r.done)
	}
}

type itemRow struct {
	doc     []byte
	version int
	err     error
}

// itemColumns are what solutionJSON needs of a row.
const itemColumns = `s.id, s.version, s.adoptions, s.created_at, s.updated_at, s.data`

// solutionJSONByID reads the solutions of the batch's IDs, each encoded by
// solutionJSON: with one prepared statement for one ID, else with one
// prepared statement taking the IDs as one array.
func (s *Store) solutionJSONByID(ctx context.Context, batch []*itemRead) (map[int64]*itemRow, error) {
	var rows *sql.Rows
	var err error
	if len(batch) == 1 {
		rows, err = s.queryPrepared(ctx, `SELECT `+itemColumns+` FROM solutions s WHERE s.id = ?`, batch[0].id)
	} else {
		ids := make([]int64, len(batch))
		for i, r := range batch {
			ids[i] = r.id
		}
		rows, err = s.queryPrepared(ctx, `SELECT `+itemColumns+` FROM solutions s WHERE s.id = ANY(?)`, ids)
	}
	if err != nil {
		return nil, fmt.Errorf("find solutions: %w", err)
	}
	defer rows.Close()
	found := make(map[int64]*itemRow, len(batch))
	for rows.Next() {
		var id int64
		var version, adoptions int
		var created, updated nullTime
		var data string
		if err := rows.Scan(&id, &version, &adoptions, &created, &updated, &data); err != nil {
			return nil, fmt.Errorf("scan solution: %w", err)
		}
		doc, err := solutionJSON(id, version, adoptions, created.Time, updated.Time, data)
		found[id] = &itemRow{doc: doc, version: version, err: err}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find solutions: %w", err)
	}
	return found, nil
}
