//go:build race

package app_test

// raceDetector is true when the tests run under the race detector, which
// makes them several times slower: long property tests then run fewer
// iterations.
const raceDetector = true
