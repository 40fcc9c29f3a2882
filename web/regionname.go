package web

import (
	"regexp"
	"slices"
	"strings"
)

// regionCodePattern matches a province ("35") or kabupaten/kota ("35.72")
// code as typed into a region field.
var regionCodePattern = regexp.MustCompile(`^\d{2}(\.\d{2})?$`)

// regionSuggestion is a region offered for a name that fits several.
type regionSuggestion struct{ Code, Name string }

// maxRegionSuggestions bounds the regions suggested for an unclear name.
const maxRegionSuggestions = 8

// resolveRegion reads what someone typed into a region field: a code, or a
// region's name in any case ("kota blitar"). A code or a name that fits
// exactly one region gives its code; a part of a name that fits several
// ("Blitar": Kota and Kabupaten Blitar) gives no code but the regions it
// fits, by name, for the page to offer.
func resolveRegion(names map[string]string, input string) (string, []regionSuggestion) {
	in := strings.Join(strings.Fields(input), " ")
	if in == "" || regionCodePattern.MatchString(in) {
		return in, nil
	}
	var fits []regionSuggestion
	for code, name := range names {
		if strings.EqualFold(name, in) {
			return code, nil
		}
		if strings.Contains(strings.ToLower(name), strings.ToLower(in)) {
			fits = append(fits, regionSuggestion{code, name})
		}
	}
	if len(fits) == 1 {
		return fits[0].Code, nil
	}
	slices.SortFunc(fits, func(a, b regionSuggestion) int { return strings.Compare(a.Code, b.Code) })
	return "", fits[:min(len(fits), maxRegionSuggestions)]
}
