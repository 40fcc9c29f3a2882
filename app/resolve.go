package app

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// Forms let people name regions and catalog solutions by name, as they
// know them; these functions turn such a name into the code or number the
// application stores, and say clearly when a name is unknown or fits more
// than one.

// foldName lowers a name and collapses its spaces, for comparison.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// regionPrefixes are the words before a region's own name.
var regionPrefixes = []string{"kabupaten ", "kab. ", "kab ", "kota ", "provinsi ", "prov. "}

func bareRegionName(folded string) string {
	for _, p := range regionPrefixes {
		if rest, ok := strings.CutPrefix(folded, p); ok {
			return rest
		}
	}
	return folded
}

// ResolveRegion returns the code of the region text names: a code as it
// is ("35.72"), a full name ("Kota Blitar", in any case), or a name
// without its kind ("Bandung Barat") when only one region has it. An
// empty text gives "".
func (a *App) ResolveRegion(ctx context.Context, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || kolaborasi.ValidRegionCode(text) {
		return text, nil
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return "", err
	}
	want := foldName(text)
	var exact, bare []string
	for code, name := range names {
		switch n := foldName(name); {
		case n == want:
			exact = append(exact, code)
		case bareRegionName(n) == bareRegionName(want):
			bare = append(bare, code)
		}
	}
	found := exact
	if len(found) == 0 {
		found = bare
	}
	switch len(found) {
	case 0:
		return "", kolaborasi.Errorf(kolaborasi.EINVALID, "There is no region named %q; choose one of the suggestions or write its code, such as 35.72.", text)
	case 1:
		return found[0], nil
	}
	sort.Strings(found)
	var list []string
	for _, code := range found {
		list = append(list, names[code]+" ("+code+")")
	}
	return "", kolaborasi.Errorf(kolaborasi.EINVALID, "%q names more than one region: %s; choose one.", text, strings.Join(list, ", "))
}

// PartySolutions returns the live catalog solutions of the regions, for
// the drafting form to suggest: what parties can give one another.
func (a *App) PartySolutions(ctx context.Context, regions []string) ([]*kolaborasi.Solution, error) {
	if len(regions) == 0 {
		return nil, nil
	}
	res, err := a.SearchSolutions(ctx, SolutionQuery{Facets: map[string][]string{kolaborasi.FacetRegion: regions}, Size: MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := make([]*kolaborasi.Solution, 0, len(res.Items))
	for _, h := range res.Items {
		out = append(out, h.Solution)
	}
	return out, nil
}

// ResolveSolution returns the number of the catalog solution text names:
// a number ("12" or "#12") of any solution, or the name (Indonesian or
// English, in any case) of a solution of one of the regions. An empty
// text gives 0.
func (a *App) ResolveSolution(ctx context.Context, text string, regions []string) (int64, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(text, "#"), 10, 64); err == nil {
		return id, nil
	}
	sols, err := a.PartySolutions(ctx, regions)
	if err != nil {
		return 0, err
	}
	want := foldName(text)
	var found []*kolaborasi.Solution
	for _, s := range sols {
		if foldName(s.Name.ID) == want || foldName(s.Name.EN) == want {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return 0, kolaborasi.Errorf(kolaborasi.EINVALID, "No solution of the parties is named %q; choose one of the suggestions or write its number, such as #12.", text)
	case 1:
		return found[0].ID, nil
	}
	var list []string
	for _, s := range found {
		list = append(list, "#"+strconv.FormatInt(s.ID, 10))
	}
	return 0, kolaborasi.Errorf(kolaborasi.EINVALID, "%q names more than one solution (%s); write the number of the one you mean.", text, strings.Join(list, ", "))
}
