package app

// ResultSeq returns the change number of the index snapshot a search used
// (0 when it went to the database).
func ResultSeq(r *SolutionResults) int64 { return r.seq }
