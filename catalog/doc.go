// Package catalog is the in-process search index of the solution catalog: an
// accelerator kept in step with the database, which stays the source of
// truth.
//
// It holds, per analysed term, the sorted list of documents containing it
// (with term frequencies for ranking), per document its sequence of term
// IDs (to check phrases), and per facet value a bitset of documents. A
// search turns the text query into a bitset of matches (AND of clauses, OR
// of alternatives, phrases checked on the candidates, prefixes expanded over
// the sorted dictionary), ANDs the facet filters, counts every facet value
// with a popcount of its bitset against the matches (region, with 514 values,
// and province in one walk over the matches instead), and orders one page
// (newest, most adopted, or BM25 relevance). Memory at 165,000 solutions is
// about 80 MB.
//
// The app builds it from the stored terms on its first search and then
// applies every row whose change number (solutions.seq) is above the one it
// has seen; each search first reads the one-row counter, so several server
// copies agree with the database and with each other. A changed document gets a new
// ordinal and its old one is marked dead, so applying a change never
// rewrites posting lists. The match semantics are those of the SQL search
// (see store/search.go); app tests check that both give the same results
// on the fixed corpus of store/storetest.
package catalog
