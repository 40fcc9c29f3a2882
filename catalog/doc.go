// Package catalog is the in-process search index of the solution catalog: an
// accelerator kept in step with the database, which stays the source of
// truth.
//
// It holds, per analysed term, the sorted list of documents containing it
// (with term frequencies for ranking), per document its sequence of term
// IDs (to check phrases; uvarints in shared arena blocks), per facet value
// a bitset of documents, and for the region and province (514 and 38
// values, one per document) each document's value instead of bitsets. A
// search turns the text query into a bitset of matches (AND of clauses, OR
// of alternatives, phrases checked on the candidates, prefixes expanded over
// the sorted dictionary), ANDs the facet filters (the region and province
// by looking up each match's value), counts every facet value with a
// popcount of its bitset against the matches (region and province in one
// walk over the matches instead), and orders one page
// (newest, most adopted, or BM25 relevance). See docs/BENCHMARKS.md (K8)
// for the memory it holds at 165,000 solutions.
//
// Concurrency: the searchable state is an immutable Snapshot, published
// with one atomic pointer store. Searches load the pointer and never take a
// lock. The one writer (Index.Apply, serialised by the Index's mutex)
// builds the next snapshot beside the published one: it copies what it
// changes (the dead and retired bitsets, the facet bitsets and maps it
// touches, the 128-term chunks of posting lists it touches) and otherwise
// only appends past the ends the published snapshot reads (documents,
// posting lists, per-document facet values), so readers of older snapshots
// are never disturbed. A changed document gets a new ordinal and its old
// one is marked dead, so applying a change never rewrites posting lists.
// The sort orders (newest, most adopted) are kept as sorted slices of live
// ordinals and patched: each removed and added ordinal is placed by binary
// search and the slice is copied once around them (no re-sort); the
// prefix dictionary is merged with the new terms. BM25 uses the number,
// total length and per-term document frequency of live documents only.
// Builder loads a new index in batches, with one sort at the end and the
// posting lists made at their exact sizes by counting.
//
// Persistence (persist.go): Snapshot.Encode writes the live documents,
// the dictionary, facets and orders in a checksummed binary form; Decode
// checks it strictly (it may have been damaged or replaced) and rebuilds
// the posting lists the way Builder does. The app keeps one such snapshot
// per index in the database and starts from it.
//
// The app builds the index from the stored terms on its first search and
// then applies every row whose change number (solutions.seq) is above the
// snapshot's; each search first reads the one-row counter, so several
// server copies agree with the database and with each other (see
// app/catalog.go for the consistency guarantee). The match semantics are
// those of the SQL search (see store/search.go); tests check the index
// against a scan of the documents and, in app, against the SQL search.
package catalog
