package publiccode

import "strings"

// RegionURIPrefix starts every Kolaborasi region URI (see the package documentation for why a URN).
const RegionURIPrefix = "urn:kolaborasi:region:"

// ValidRegionCode reports whether code has the shape of a Kemendagri region code Kolaborasi uses: a two-digit
// province ("35") or a province and a two-digit regency or city ("35.72" = Kota Blitar).
func ValidRegionCode(code string) bool {
	if len(code) != 2 && len(code) != 5 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if i == 2 {
			if c != '.' {
				return false
			}
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// RegionURI returns the organisation.uri for a region code, e.g. "32.73" -> "urn:kolaborasi:region:32.73".
// It returns "" when the code does not have the NN or NN.NN shape.
func RegionURI(code string) string {
	if !ValidRegionCode(code) {
		return ""
	}
	return RegionURIPrefix + code
}

// ParseRegionURI extracts the region code from a URI made by RegionURI. The "urn" and namespace parts are matched
// case-insensitively, as RFC 8141 says of the URN scheme and namespace identifier.
func ParseRegionURI(uri string) (code string, ok bool) {
	if len(uri) <= len(RegionURIPrefix) || !strings.EqualFold(uri[:len(RegionURIPrefix)], RegionURIPrefix) {
		return "", false
	}
	code = uri[len(RegionURIPrefix):]
	if !ValidRegionCode(code) {
		return "", false
	}
	return code, true
}
