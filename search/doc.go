// Package search analyses text for full-text search over solutions and
// parses users' search queries. It is pure logic: no SQL, no HTTP.
//
// One Analyzer serves both storage engines. The store indexes the terms of
// Analyzer.Terms (joined with spaces) and searches with the terms of a
// Query from ParseQuery, so SQLite FTS5 and PostgreSQL see the same,
// already analysed tokens and match the same documents. The Query tree
// carries everything a store needs to compile it to an FTS5 MATCH
// expression or a tsquery: stemmed terms, prefix flags, phrases, OR groups
// and negation.
//
// Indonesian is stemmed by StemIndonesian, this package's implementation of
// the Snowball Indonesian algorithm, checked against PostgreSQL's
// indonesian_stem dictionary, followed by a small correction table
// (correction.go); English by Porter2 (github.com/kljensen/snowball).
// The stop-word lists stopwords_id.txt and stopwords_en.txt are written for
// this project under the project licence.
//
// MakeSnippet and Highlights show where a query matched a text, on the
// same analysed terms, so a query for "aduan" highlights "mengadukan".
package search
