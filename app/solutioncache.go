package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/search"
)

// solutionCacheSize bounds the decoded solutions kept for reads (K8.1):
// the pages of the common searches and the most visited solutions. A
// generated solution takes about 3 KB decoded, so the cache holds about
// 25 MB at most. It was 4,096: the 200 searches of the benchmark's mix
// show about 5,000 solutions, and an LRU smaller than what is read in
// turn keeps almost none of it, so every search decoded its page again;
// under a memory limit that garbage cost 40 % of the searches (K8
// memory, docs/BENCHMARKS.md).
const solutionCacheSize = 8192

// solutionCache keeps decoded solutions for the read paths (search result
// pages, the solution page and the API item), so that a read does not
// decode the stored JSON document again. Each copy is checked against its
// row's change number (Solution.Seq) before it is used: against the
// catalog snapshot's number of the document for search results, and in
// the same statement that would read the row for items
// (FindSolutionIfChanged). Every write stamps the rows it changes with a
// new change number (solution_seq), on every server copy's database, so a
// copy is never served after its row changed, whichever copy wrote it.
//
// The cache's own copies never leave it: readers get a shallow copy of the
// struct (a few hundred bytes, no decoding), so setting a field of a
// result, or saving it, leaves the cached copy as it was. The slices and
// maps a result holds are shared: read them, or replace them, but never
// change their elements. Editing paths read a fresh copy (Solution).
type solutionCache struct {
	lru *lru.Cache[int64, *cachedSolution]
}

// cachedSolution is one decoded solution and what reads derive from it.
type cachedSolution struct {
	sol *kolaborasi.Solution
	// exportErr is the outcome of checking the publiccode.yml export
	// (exportDone once known), kept per version for the solution page.
	exportMu   sync.Mutex
	exportDone bool
	exportErr  error
	// texts are the descriptions analysed for snippets (long and short,
	// Indonesian and English), made once on the first search that shows
	// the solution.
	textsOnce sync.Once
	texts     [4]*search.AnalysedText
	// encoded is sol as JSON (kolaborasi.MarshalJSON), made once on the first
	// list that shows it.
	encodeOnce sync.Once
	encoded    []byte
	encodeErr  error
}

// json returns the cached solution encoded as the API encodes it.
func (e *cachedSolution) json() ([]byte, error) {
	e.encodeOnce.Do(func() { e.encoded, e.encodeErr = kolaborasi.MarshalJSON(e.sol) })
	return e.encoded, e.encodeErr
}

// analysed returns the descriptions of s analysed for snippets: the cached
// ones when the cache holds s at its change number, else analysed now.
func (c *solutionCache) analysed(s *kolaborasi.Solution) func(lang string, long bool) *search.AnalysedText {
	index := func(lang string, long bool) int {
		i := 0
		if lang == search.LangEnglish {
			i = 2
		}
		if !long {
			i++
		}
		return i
	}
	if e := c.get(s.ID, s.Seq); e != nil {
		e.textsOnce.Do(func() {
			for _, lang := range []string{search.LangIndonesian, search.LangEnglish} {
				for _, long := range []bool{true, false} {
					e.texts[index(lang, long)] = search.Analyse(descriptionOf(e.sol, lang, long), lang)
				}
			}
		})
		return func(lang string, long bool) *search.AnalysedText { return e.texts[index(lang, long)] }
	}
	return func(lang string, long bool) *search.AnalysedText {
		return search.Analyse(descriptionOf(s, lang, long), lang)
	}
}

func newSolutionCache() *solutionCache {
	c, err := lru.New[int64, *cachedSolution](solutionCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &solutionCache{lru: c}
}

// get returns the cached copy of solution id if it is at change number seq.
func (c *solutionCache) get(id, seq int64) *cachedSolution {
	if c == nil {
		return nil
	}
	if e, ok := c.lru.Get(id); ok && e.sol.Seq == seq {
		return e
	}
	return nil
}

// put caches a solution just read and returns its entry.
func (c *solutionCache) put(s *kolaborasi.Solution) *cachedSolution {
	e := &cachedSolution{sol: s}
	if c != nil {
		c.lru.Add(s.ID, e)
	}
	return e
}

// WithoutSolutionCache makes every read decode the stored solution (for
// comparisons in benchmarks and tests).
func WithoutSolutionCache() Option { return func(a *App) { a.solutions = nil } }

// solutionsAt returns the solutions with the IDs, in that order, whose
// documents the catalog snapshot holds at the change numbers seqs: cached
// copies at those numbers, the rest read in one statement (as stored now:
// possibly newer than the snapshot). IDs no longer stored are left out.
func (a *App) solutionsAt(ctx context.Context, ids, seqs []int64) ([]*kolaborasi.Solution, error) {
	out := make([]*kolaborasi.Solution, len(ids))
	var missing []int64
	for i, id := range ids {
		if e := a.solutions.get(id, seqs[i]); e != nil {
			out[i] = e.copy()
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		read, err := a.store.FindSolutionsByID(ctx, missing)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]*kolaborasi.Solution, len(read))
		for _, s := range read {
			byID[s.ID] = a.solutions.put(s).copy()
		}
		for i, id := range ids {
			if out[i] == nil {
				out[i] = byID[id]
			}
		}
	}
	kept := out[:0]
	for _, s := range out {
		if s != nil {
			kept = append(kept, s)
		}
	}
	return kept, nil
}

// sharedSolution returns the cache entry of solution id as stored now.
func (a *App) sharedSolution(ctx context.Context, id int64) (*cachedSolution, error) {
	return a.cachedSolution(id, func(known int64) (*kolaborasi.Solution, error) {
		return a.store.FindSolutionIfChanged(ctx, id, known)
	})
}

// cachedSolution returns the cache entry of solution id as stored now,
// read by find: a FindSolutionIfChanged given the change number of the
// cached copy (0 when there is none), which returns nil when it is current.
func (a *App) cachedSolution(id int64, find func(known int64) (*kolaborasi.Solution, error)) (*cachedSolution, error) {
	var known int64
	var e *cachedSolution
	if a.solutions != nil {
		if e, _ = a.solutions.lru.Get(id); e != nil {
			known = e.sol.Seq
		}
	}
	s, err := find(known)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return e, nil
	}
	return a.solutions.put(s), nil
}

// SharedSolution returns the solution for showing it, from the decoded
// copies when the row has not changed: its slices and maps may be shared
// with other requests and must not be changed in place. Editing paths use
// Solution.
func (a *App) SharedSolution(ctx context.Context, id int64) (*kolaborasi.Solution, error) {
	e, err := a.sharedSolution(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.copy(), nil
}

// copy returns a shallow copy of the cached solution for a reader.
func (e *cachedSolution) copy() *kolaborasi.Solution {
	c := *e.sol
	return &c
}

// PublicCodeExportProblem says why the solution as stored now cannot be
// exported as a valid publiccode.yml (an invalid error listing what to
// complete), or nil when it can; the answer is kept per version.
func (a *App) PublicCodeExportProblem(ctx context.Context, id int64) error {
	e, err := a.sharedSolution(ctx, id)
	if err != nil {
		return err
	}
	return a.exportProblem(ctx, e)
}

// exportProblem is PublicCodeExportProblem of the cached solution e.
func (a *App) exportProblem(ctx context.Context, e *cachedSolution) error {
	e.exportMu.Lock()
	defer e.exportMu.Unlock()
	if e.exportDone {
		return e.exportErr
	}
	_, err := a.publicCodeFile(ctx, e.sol)
	var ke *kolaborasi.Error
	// Keep the verdict on the solution, not a failure to reach it.
	if err == nil || errors.As(err, &ke) && ke.Code == kolaborasi.EINVALID {
		e.exportDone, e.exportErr = true, err
	}
	return err
}

// SolutionJSON returns solution id as stored now encoded as its JSON
// object (as encoding/json encodes the Solution that SharedSolution
// returns, members possibly in another order) and its version, read in
// one statement without decoding the stored document: the API's item
// answer (K8.1).
func (a *App) SolutionJSON(ctx context.Context, id int64) ([]byte, int, error) {
	return a.store.FindSolutionJSON(ctx, id)
}

// facetCacheSize bounds the filter combinations whose facet counts are
// kept: the browsing lists (no query, a few facets chosen).
const facetCacheSize = 256

// facetCache keeps the facet counts of catalog lists without a query, per
// filter, with the change number of the index snapshot they were counted
// on: counting the facets of every listed solution was two thirds of a
// list's time at national scale (K8), and they change only when a
// solution does. A count is used only for a search on the same snapshot
// (the same change number), so it is never staler than the list it comes
// with.
type facetCache struct {
	lru *lru.Cache[string, facetCounts]
}

type facetCounts struct {
	seq    int64
	total  int
	facets map[string][]kolaborasi.FacetCount
	// encoded is facets as JSON, made on the first list that wants it.
	encoded *encodedFacets
}

// encodedFacets is one kept set of facet counts encoded as the API
// encodes it (kolaborasi.MarshalJSON), once: the catalog list's facets are
// about 20 KB of JSON, encoded with reflection on every list before.
type encodedFacets struct {
	once sync.Once
	json []byte
	err  error
}

func (e *encodedFacets) get(facets map[string][]kolaborasi.FacetCount) ([]byte, error) {
	e.once.Do(func() { e.json, e.err = kolaborasi.MarshalJSON(facets) })
	return e.json, e.err
}

func newFacetCache() *facetCache {
	c, err := lru.New[string, facetCounts](facetCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &facetCache{lru: c}
}

// facetKey names the filter of a list without a query; "" for one with a
// query (not cached).
func facetKey(f kolaborasi.SolutionFilter) string {
	if f.Text != nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "retired=%t", f.IncludeRetired)
	for _, name := range slices.Sorted(maps.Keys(f.Facets)) {
		fmt.Fprintf(&b, "\x00%s=%q", name, slices.Sorted(slices.Values(f.Facets[name])))
	}
	return b.String()
}

// searchListed runs searchPage, taking the facet counts of a list without
// a query from the cache when they were counted on the same snapshot:
// the search then skips counting them. The counts are shared: read them
// only. The counts' encoding kept with them is returned too (nil for
// counts not kept).
func (a *App) searchListed(ctx context.Context, f kolaborasi.SolutionFilter, alt *kolaborasi.TextQuery) (*kolaborasi.SolutionPage, int64, bool, *encodedFacets, error) {
	key := facetKey(f)
	if key == "" || a.listFacets == nil || f.NoFacets {
		page, seq, usedAlt, err := a.searchPage(ctx, f, alt)
		return page, seq, usedAlt, nil, err
	}
	if known, ok := a.listFacets.lru.Get(key); ok {
		g := f
		g.NoFacets = true
		page, seq, usedAlt, err := a.searchPage(ctx, g, alt)
		if err != nil {
			return nil, 0, false, nil, err
		}
		if seq != 0 && seq == known.seq && page.Total == known.total {
			page.Facets = known.facets
			return page, seq, usedAlt, known.encoded, nil
		}
	}
	page, seq, usedAlt, err := a.searchPage(ctx, f, alt)
	if err == nil && seq != 0 && page.Facets != nil {
		kept := facetCounts{seq: seq, total: page.Total, facets: page.Facets, encoded: &encodedFacets{}}
		a.listFacets.lru.Add(key, kept)
		return page, seq, usedAlt, kept.encoded, nil
	}
	return page, seq, usedAlt, nil, err
}
