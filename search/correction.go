package search

// correctIndonesian repairs known mistakes of the Snowball stage
// (StemIndonesian) for words that matter on this platform. It works on
// stems, not on written words, so every inflected form of a word gets the
// same repair. second is non-empty when the stem stands for two words.
//
// The corrections, each tested in correction_test.go:
//
//	Snowball stem  →  term(s)      why
//	rjasama        →  kerja, sama  "kerjasama": ke- taken for a prefix
//	kerjasama      →  kerja, sama  "bekerjasama", "dikerjasamakan"
//	ekonom         →  ekonomi      "ekonomi" loses its final i, "perekonomian" keeps it
//	industr        →  industri     the same for "industri" / "perindustrian"
//	teknolog       →  teknologi    the same for "teknologi"
//
// "kerjasama" is written both as one word and as "kerja sama"; the compound
// becomes the two terms kerja and sama at consecutive positions, so a query
// for either spelling matches both (sama is therefore not a stop word).
// Mapping to one term instead would need the analyser to look ahead across
// words and would stop "kerja" alone from matching "kerja sama".
func correctIndonesian(stem string) (term, second string) {
	switch stem {
	case "rjasama", "kerjasama":
		return "kerja", "sama"
	case "ekonom":
		return "ekonomi", ""
	case "industr":
		return "industri", ""
	case "teknolog":
		return "teknologi", ""
	}
	return stem, ""
}
