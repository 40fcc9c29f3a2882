package kolaborasi

import "strings"

// JoinNames lists names the way a sentence of the language does:
// Indonesian "A dan B", "A, B, dan C"; English "A and B", "A, B and C".
// Every place that joins region, party or other names into running text
// uses it (pages, agreement titles, documents).
func JoinNames(lang string, names []string) string {
	if lang == "en" {
		return joinNames(names, "and", false)
	}
	return joinNames(names, "dan", true)
}

// JoinNamesWith joins the Indonesian way with another conjunction before
// the last item ("1 dan Nomor 2").
func JoinNamesWith(names []string, conj string) string { return joinNames(names, conj, true) }

func joinNames(names []string, conj string, serialComma bool) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " " + conj + " " + names[1]
	}
	last := ", "
	if !serialComma {
		last = " "
	}
	return strings.Join(names[:len(names)-1], ", ") + last + conj + " " + names[len(names)-1]
}
