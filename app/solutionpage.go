package app

import (
	"context"
	"errors"

	"github.com/kolaborasi/kolaborasi"
)

// SolutionPage is what the solution page shows of a solution as stored
// now: the solution, its versions and its adopters, and whether it can be
// exported as publiccode.yml.
type SolutionPage struct {
	// Solution is shared with other readers (see SharedSolution).
	Solution *kolaborasi.Solution
	// Region is the solution's region (its publisher) as stored now.
	Region *kolaborasi.Region
	// History is every saved version, newest first (SolutionHistory).
	History []*kolaborasi.SolutionVersion
	// Adopters are the live adoptions, one per region (SolutionAdopters).
	Adopters []*kolaborasi.Adoption
	// ExportProblem, for a software solution, is why it cannot be
	// exported as a valid publiccode.yml (an invalid error listing what to
	// complete), nil when it can (PublicCodeExportProblem).
	ExportProblem error
}

// SolutionPage reads solution id as stored now with what its page shows
// beside it, in as few statements as the solution needs (K8): the row's
// change check, read in one statement with the publishing region, and only
// what the row cannot answer itself.
//
//   - The newest version in the history is the solution itself: every save
//     writes the version's number, time and author to the row and to the
//     version log in one transaction. A solution never edited (version 1)
//     has no other, so its log is not read.
//   - The row's adoption count is the number of regions with a live
//     adoption, recounted in the transaction of every adoption write: the
//     adoptions are read only when it is above zero.
//   - The export verdict is kept with the cached version and takes the
//     region's name from the reference data.
func (a *App) SolutionPage(ctx context.Context, id int64) (*SolutionPage, error) {
	var region *kolaborasi.Region
	e, err := a.cachedSolution(id, func(known int64) (s *kolaborasi.Solution, err error) {
		s, region, err = a.store.FindSolutionWithRegion(ctx, id, known)
		return s, err
	})
	if err != nil {
		return nil, err
	}
	s := e.copy()
	p := &SolutionPage{Solution: s, Region: region}
	if s.Version > 1 {
		if p.History, err = a.store.FindSolutionVersionLog(ctx, id); err != nil {
			return nil, err
		}
	} else {
		p.History = []*kolaborasi.SolutionVersion{{Version: s.Version, At: s.UpdatedAt, AuthorID: s.AuthorID, AuthorName: s.AuthorName}}
	}
	if s.Adoptions > 0 {
		if p.Adopters, err = a.solutionAdopters(ctx, id); err != nil {
			return nil, err
		}
	}
	if s.Kind == kolaborasi.KindSoftware {
		err := a.exportProblem(ctx, e)
		var ke *kolaborasi.Error
		if err != nil && !(errors.As(err, &ke) && ke.Code == kolaborasi.EINVALID) {
			return nil, err
		}
		p.ExportProblem = err
	}
	return p, nil
}
