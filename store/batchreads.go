package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// readBatches coalesces concurrent reads of one kind into one statement
// per batch (K8): the API item (FindSolutionJSON) and the solution change
// counter every search and list reads first (SolutionSeq). Each read joins
// the batch that starts next after it arrived, never one already running,
// so its answer is read from the database after the call began: as fresh
// as a statement of its own, only sharing the statement (and, on
// PostgreSQL, the round trip) with the reads that arrived meanwhile. It
// keeps nothing between batches: there is no cache.
//
// Only on PostgreSQL, where each statement is a round trip to another
// process (the item at 64 clients: half the CPU per request, twice the
// requests per second); on SQLite a read is a few microseconds in this
// process and batching them gained nothing measurable, so each read runs
// its own statement there. Not for the solution page's read either: its
// rendering keeps the server so busy that few reads meet, and sharing its
// statement measured no faster.
//
// At most batchesRunning batches of a kind run at once; a read that finds
// fewer running starts one at once, alone, so a read without company
// waits for nothing. The others wait for a batch to finish and go together
// in the next, up to batchMax reads each.
type readBatches[K, V any] struct {
	mu      sync.Mutex
	waiting []*batchRead[K, V]
	running int
	// batches and reads count the statements run and the reads they
	// answered (ItemReadStats, SeqReadStats).
	batches, reads atomic.Int64
}

// batchRead is one read waiting for its batch: its key, and its answer
// once done is closed.
type batchRead[K, V any] struct {
	key  K
	val  V
	err  error
	done chan struct{}
}

// batchRunner reads the keys of a batch in one statement and sets each
// read's val or err.
type batchRunner[K, V any] func(ctx context.Context, batch []*batchRead[K, V])

const (
	// batchesRunning bounds the batches of a kind running at once: on 2
	// cores, a few statements keep the database busy while the next batch
	// fills.
	batchesRunning = 4
	// batchMax bounds the reads of one statement.
	batchMax = 128
	// batchTimeout bounds a batch statement, which no single caller's
	// cancellation may stop (the others wait for it).
	batchTimeout = 30 * time.Second
)

// read returns the answer to key, read by run in a batch.
func (b *readBatches[K, V]) read(ctx context.Context, key K, run batchRunner[K, V]) (V, error) {
	r := &batchRead[K, V]{key: key, done: make(chan struct{})}
	b.mu.Lock()
	b.waiting = append(b.waiting, r)
	var batch []*batchRead[K, V]
	if b.running < batchesRunning {
		b.running++
		batch = b.takeLocked()
	}
	b.mu.Unlock()
	if batch != nil {
		// This read starts a batch (with any that waited) and runs it
		// here; the batches after it run on their own goroutine, so that
		// this caller is not kept for the others.
		b.run(ctx, batch, run)
		b.next(run)
	}
	select {
	case <-r.done:
		return r.val, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// takeLocked takes the next batch of waiting reads (under mu).
func (b *readBatches[K, V]) takeLocked() []*batchRead[K, V] {
	n := min(len(b.waiting), batchMax)
	batch := b.waiting[:n:n]
	b.waiting = b.waiting[n:]
	if len(b.waiting) == 0 {
		b.waiting = nil
	}
	return batch
}

// next hands the slot of a finished batch to the reads that arrived
// meanwhile, in a goroutine of their own, or gives it up.
func (b *readBatches[K, V]) next(run batchRunner[K, V]) {
	b.mu.Lock()
	if len(b.waiting) == 0 {
		b.running--
		b.mu.Unlock()
		return
	}
	batch := b.takeLocked()
	b.mu.Unlock()
	go func() {
		b.run(context.Background(), batch, run)
		b.next(run)
	}()
}

// run runs one batch and answers its reads. The statement runs without
// the starting caller's cancellation: the other reads of the batch still
// want their answers.
func (b *readBatches[K, V]) run(ctx context.Context, batch []*batchRead[K, V], run batchRunner[K, V]) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	defer cancel()
	b.batches.Add(1)
	b.reads.Add(int64(len(batch)))
	run(ctx, batch)
	for _, r := range batch {
		close(r.done)
	}
}

// ItemReadStats reports how many statements FindSolutionJSON ran and how
// many reads they answered.
func (db *DB) ItemReadStats() (batches, reads int64) {
	return db.items.batches.Load(), db.items.reads.Load()
}

// SeqReadStats reports how many statements SolutionSeq ran and how many
// reads they answered.
func (db *DB) SeqReadStats() (batches, reads int64) {
	return db.seqs.batches.Load(), db.seqs.reads.Load()
}

// item is the answer to an item read: the solution as JSON.
type item struct {
	doc     []byte
	version int
}

// readItem returns solution id as FindSolutionJSON does, read in a batch.
func (s *Store) readItem(ctx context.Context, id int64) ([]byte, int, error) {
	it, err := s.db.items.read(ctx, id, s.runItems)
	return it.doc, it.version, err
}

// itemRow holds what solutionJSON needs of a row, as read.
type itemRow struct {
	id                 int64
	version, adoptions int
	created, updated   nullTime
	data               string
}

// itemColumns are the columns of an itemRow; itemByID reads one.
const (
	itemColumns = `s.id, s.version, s.adoptions, s.created_at, s.updated_at, s.data`
	itemByID    = `SELECT ` + itemColumns + ` FROM solutions s WHERE s.id = ?`
)

func (r *itemRow) dests() []any {
	return []any{&r.id, &r.version, &r.adoptions, &r.created, &r.updated, &r.data}
}

// item encodes the row as the API's item (solutionJSON).
func (r *itemRow) item() (item, error) {
	doc, err := solutionJSON(r.id, r.version, r.adoptions, r.created.Time, r.updated.Time, r.data)
	return item{doc, r.version}, err
}

// runItems reads the batch's solutions: with the statement of a single
// read for one ID, else with one prepared statement taking the IDs as one
// array.
func (s *Store) runItems(ctx context.Context, batch []*batchRead[int64, item]) {
	var rows *sql.Rows
	var err error
	if len(batch) == 1 {
		rows, err = s.queryPrepared(ctx, itemByID, batch[0].key)
	} else {
		ids := make([]int64, len(batch))
		for i, r := range batch {
			ids[i] = r.key
		}
		rows, err = s.queryPrepared(ctx, `SELECT `+itemColumns+` FROM solutions s WHERE s.id = ANY(?)`, ids)
	}
	type found struct {
		it  item
		err error
	}
	byID := make(map[int64]found, len(batch))
	if err == nil {
		err = eachRow(rows, func(rows *sql.Rows) error {
			var row itemRow
			if err := rows.Scan(row.dests()...); err != nil {
				return err
			}
			it, err := row.item()
			byID[row.id] = found{it, err}
			return nil
		})
	}
	for _, r := range batch {
		f, ok := byID[r.key]
		switch {
		case err != nil:
			r.err = fmt.Errorf("find solutions: %w", err)
		case !ok:
			r.err = notFound(fmt.Errorf("find solution %d: %w", r.key, sql.ErrNoRows), "Solution %d does not exist.", r.key)
		default:
			r.val, r.err = f.it, f.err
		}
	}
}

// runSeqs reads the solution change counter once for the whole batch.
func (s *Store) runSeqs(ctx context.Context, batch []*batchRead[struct{}, int64]) {
	seq, err := s.solutionSeq(ctx)
	for _, r := range batch {
		r.val, r.err = seq, err
	}
}

// eachRow calls scan for each row and closes rows.
func eachRow(rows *sql.Rows, scan func(*sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
