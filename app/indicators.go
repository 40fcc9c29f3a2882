package app

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/xuri/excelize/v2"
)

//go:embed indicators.toml
var seedIndicators []byte

// metaIndicators records which version of the seed indicators is loaded.
const metaIndicators = "indicators_version"

type seedIndicator struct {
	Code          string           `toml:"code"`
	Framework     string           `toml:"framework"`
	FrameworkCode string           `toml:"framework_code"`
	Name          kolaborasi.Texts `toml:"name"`
	Theme         string           `toml:"theme"`
	Dimension     string           `toml:"dimension"`
	Unit          string           `toml:"unit"`
	Direction     string           `toml:"direction"`
	PeriodKind    string           `toml:"period_kind"`
	Description   kolaborasi.Texts `toml:"description"`
	Source        string           `toml:"source"`
	SourceURL     string           `toml:"source_url"`
}

// SeedIndicators returns the starting set of indicators shipped with
// Kolaborasi (app/indicators.toml).
func SeedIndicators() ([]*kolaborasi.Indicator, error) {
	var f struct {
		Indicator []seedIndicator `toml:"indicator"`
	}
	md, err := toml.Decode(string(seedIndicators), &f)
	if err != nil {
		return nil, fmt.Errorf("read the seed indicators: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("read the seed indicators: unknown keys %v", und)
	}
	out := make([]*kolaborasi.Indicator, 0, len(f.Indicator))
	for _, s := range f.Indicator {
		ind := &kolaborasi.Indicator{Code: s.Code, Framework: kolaborasi.Framework(s.Framework), FrameworkCode: s.FrameworkCode, Name: s.Name,
			Theme: s.Theme, Dimension: kolaborasi.Dimension(s.Dimension), Unit: s.Unit, Direction: kolaborasi.Direction(s.Direction),
			PeriodKind: kolaborasi.PeriodKind(s.PeriodKind), Description: s.Description, Source: s.Source, SourceURL: s.SourceURL}
		if err := validateIndicator(ind); err != nil {
			return nil, fmt.Errorf("seed indicator %s: %w", s.Code, err)
		}
		out = append(out, ind)
	}
	return out, nil
}

// loadSeedIndicators writes the seed indicators when the stored version of
// the seed differs; definitions of the same code are replaced, others
// (defined by administrators) are kept.
func (a *App) loadSeedIndicators(ctx context.Context) (bool, error) {
	sum := sha256.Sum256(seedIndicators)
	version := fmt.Sprintf("%x", sum[:8])
	inds, err := SeedIndicators()
	if err != nil {
		return false, err
	}
	loaded := false
	err = a.store.InTx(ctx, func(tx kolaborasi.Store) error {
		have, err := tx.Meta(ctx, metaIndicators)
		if err != nil || have == version {
			return err
		}
		for _, ind := range inds {
			ind.UpdatedAt = a.now()
			if old, err := tx.Indicator(ctx, ind.Code); err == nil {
				ind.CreatedAt = old.CreatedAt
			}
			if err := tx.PutIndicator(ctx, ind); err != nil {
				return err
			}
		}
		loaded = true
		return tx.SetMeta(ctx, metaIndicators, version)
	})
	return loaded, err
}

// validateIndicator checks a definition.
func validateIndicator(ind *kolaborasi.Indicator) error {
	f := map[string]string{}
	if !kolaborasi.ValidIndicatorCode(ind.Code) {
		f["code"] = "Use 2 to 64 lower-case letters, digits, '-', '_' or '.', starting with a letter."
	} else if ind.Code == "baru" {
		// /indikator/baru is the form for a new indicator.
		f["code"] = "This word is reserved for the page of a new indicator; choose another code."
	}
	if !ind.Framework.Valid() {
		f["framework"] = "Choose one of the frameworks."
	}
	if strings.TrimSpace(ind.Name.ID) == "" {
		f["name.id"] = "The Indonesian name is required."
	}
	if strings.TrimSpace(ind.Unit) == "" {
		f["unit"] = "The unit is required."
	}
	if !ind.Direction.Valid() {
		f["direction"] = "Say whether higher or lower is better."
	}
	if !ind.PeriodKind.Valid() {
		f["period_kind"] = "Choose year, quarter or month."
	}
	if ind.Dimension != "" && !ind.Dimension.Valid() {
		f["dimension"] = "Choose one of the smart-city dimensions."
	}
	if strings.TrimSpace(ind.Source) == "" {
		f["source"] = "Say who publishes the figures."
	}
	for k, v := range map[string]string{"name.id": ind.Name.ID, "name.en": ind.Name.EN, "theme": ind.Theme, "unit": ind.Unit,
		"framework_code": ind.FrameworkCode, "source": ind.Source, "source_url": ind.SourceURL} {
		if utf8.RuneCountInString(v) > 200 {
			f[k] = "At most 200 characters."
		}
	}
	for k, v := range map[string]string{"description.id": ind.Description.ID, "description.en": ind.Description.EN} {
		if utf8.RuneCountInString(v) > 4000 {
			f[k] = "At most 4000 characters."
		}
	}
	if len(f) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The indicator is not valid.", Fields: f}
	}
	return nil
}

// Indicators returns every indicator.
func (a *App) Indicators(ctx context.Context) ([]*kolaborasi.Indicator, error) {
	return a.store.Indicators(ctx)
}

// Indicator returns one indicator.
func (a *App) Indicator(ctx context.Context, code string) (*kolaborasi.Indicator, error) {
	return a.store.Indicator(ctx, code)
}

// SaveIndicator creates (create) or replaces an indicator definition:
// platform administrators only. Creating an existing code is a conflict,
// replacing a missing one not_found.
func (a *App) SaveIndicator(ctx context.Context, ind *kolaborasi.Indicator, create bool) error {
	if err := validateIndicator(ind); err != nil {
		return err
	}
	return a.change(ctx, ActIndicatorManage, "", func(tx kolaborasi.Store) (string, string, error) {
		old, err := tx.Indicator(ctx, ind.Code)
		switch {
		case create && err == nil:
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Indicator %s already exists.", ind.Code)
		case !create && err != nil:
			return "", "", err
		case err == nil:
			ind.CreatedAt = old.CreatedAt
		case kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND:
			return "", "", err
		}
		ind.UpdatedAt = a.now()
		if create {
			ind.CreatedAt = ind.UpdatedAt
		}
		if err := tx.PutIndicator(ctx, ind); err != nil {
			return "", "", err
		}
		if create {
			return "indicator:" + ind.Code, fmt.Sprintf("Defined indicator %s.", ind.Code), nil
		}
		return "indicator:" + ind.Code, fmt.Sprintf("Changed indicator %s.", ind.Code), nil
	})
}

// MaxObservations caps what one query of observations returns (exports
// stream and are not capped).
const MaxObservations = 10000

// Observations returns the observations the filter selects, at most
// MaxObservations (or the filter's smaller limit).
func (a *App) Observations(ctx context.Context, f kolaborasi.ObservationFilter) ([]*kolaborasi.Observation, error) {
	if f.Limit <= 0 || f.Limit > MaxObservations {
		f.Limit = MaxObservations
	}
	if err := checkObservationFilter(f); err != nil {
		return nil, err
	}
	var out []*kolaborasi.Observation
	err := a.store.Observations(ctx, f, func(o *kolaborasi.Observation) error { out = append(out, o); return nil })
	return out, err
}

func checkObservationFilter(f kolaborasi.ObservationFilter) error {
	fields := map[string]string{}
	for k, v := range map[string]string{"from": f.From, "to": f.To} {
		if v != "" {
			if _, err := kolaborasi.ParsePeriod(v); err != nil {
				fields[k] = "Write a year (2024), a quarter (2024-Q1) or a month (2024-03)."
			}
		}
	}
	if f.Region != "" && !kolaborasi.ValidRegionCode(f.Region) {
		fields["region"] = "Not a region code."
	}
	if f.ProvinceCode != "" && (len(f.ProvinceCode) != 2 || !kolaborasi.ValidRegionCode(f.ProvinceCode)) {
		fields["province"] = "Not a province code."
	}
	if len(fields) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The filter is not valid.", Fields: fields}
	}
	return nil
}

// LatestObservations returns the region's latest value of each indicator.
func (a *App) LatestObservations(ctx context.Context, region string) ([]*kolaborasi.Observation, error) {
	return a.store.LatestObservations(ctx, region)
}

// ImportReport says what an import did or found.
type ImportReport struct {
	// Rows is how many data rows the file holds.
	Rows      int `json:"rows"`
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Problems lists the first MaxImportProblems problems; MoreProblems
	// counts the rest. Nothing is stored when there is any.
	Problems     []obsfile.Problem `json:"problems"`
	MoreProblems int               `json:"more_problems"`
}

// MaxImportProblems caps the problems an import reports.
const MaxImportProblems = 200

// importBatch is how many rows an import checks against the database and
// writes at a time.
const importBatch = 500

// ImportObservations reads a CSV or XLSX file of observations and stores
// all of its rows or none. Every row is checked (the region exists and the
// user may import for it, the indicator exists, the period is of the
// indicator's kind, the value is a number, the unit is the indicator's,
// no row repeats another's region, indicator and period); with any
// problem nothing is stored and the report lists them (an invalid error).
// Otherwise the rows are written in one transaction, in batches, as the
// file is read: new ones inserted, changed ones updated, equal ones left
// alone, so importing the same file again changes nothing.
//
// region is the region the user imports for ("" for a platform
// administrator's import of any regions); a region editor may import only
// rows of their own region.
func (a *App) ImportObservations(ctx context.Context, region string, r io.Reader, format obsfile.Format, maxBytes int64) (*ImportReport, error) {
	if _, err := a.authorize(ctx, ActObservationImport, region); err != nil {
		return nil, err
	}
	inds, err := a.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Problems: []obsfile.Problem{}}
	attempts := 0
	err = a.change(ctx, ActObservationImport, region, func(tx kolaborasi.Store) (string, string, error) {
		// The file is read as it is written: a transaction the database
		// asks to run again cannot read it again.
		if attempts++; attempts > 1 {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The import met a concurrent change and stored nothing; send the file again.")
		}
		im := newImporter(ctx, a, tx, inds, names, rep)
		rd, err := obsfile.Open(r, format, maxBytes)
		if err != nil {
			return "", "", im.fatal(err)
		}
		defer rd.Close()
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "", "", im.fatal(err)
			}
			if err := im.add(row); err != nil {
				return "", "", err
			}
		}
		if err := im.flush(); err != nil {
			return "", "", err
		}
		if rep.Rows == 0 {
			im.problem(obsfile.Problem{Row: 2, Message: "the file holds no observations"})
		}
		if len(rep.Problems) > 0 {
			return "", "", importError(rep)
		}
		return "observations", fmt.Sprintf("Imported %d observations: %d new, %d changed, %d unchanged.", rep.Rows, rep.Inserted, rep.Updated, rep.Unchanged), nil
	})
	if err != nil {
		return rep, err
	}
	return rep, nil
}

// importError is the invalid error of a refused import: one field per
// problem, named by row and column.
func importError(rep *ImportReport) error {
	e := kolaborasi.Errorf(kolaborasi.EINVALID, "The file was not imported: %d problems; nothing was stored.", len(rep.Problems)+rep.MoreProblems)
	e.Fields = map[string]string{}
	for _, p := range rep.Problems {
		key := fmt.Sprintf("row %d", p.Row)
		if p.Column != "" {
			key += ", " + p.Column
		}
		if p.Row == 0 {
			key = "file"
		}
		if prev, ok := e.Fields[key]; ok {
			e.Fields[key] = prev + "; " + p.Message
		} else {
			e.Fields[key] = p.Message
		}
	}
	return e
}

// importer checks and writes the rows of one import.
type importer struct {
	ctx   context.Context
	a     *App
	tx    kolaborasi.Store
	u     *kolaborasi.User
	rep   *ImportReport
	inds  map[string]*kolaborasi.Indicator
	ind   map[string]uint64 // indicator code → number, for the seen keys
	reg   map[string]uint64 // region code → number
	names map[string]string
	may   map[string]bool // region → the user may import for it
	// seen maps a compact key of each row (region, indicator, period
	// numbers) to its row: 12 bytes a row instead of three strings.
	seen  map[uint64]int32
	batch []*kolaborasi.Observation
}

func newImporter(ctx context.Context, a *App, tx kolaborasi.Store, inds []*kolaborasi.Indicator, names map[string]string, rep *ImportReport) *importer {
	im := &importer{ctx: ctx, a: a, tx: tx, u: kolaborasi.UserFrom(ctx), rep: rep, inds: map[string]*kolaborasi.Indicator{},
		ind: map[string]uint64{}, reg: map[string]uint64{}, names: names, may: map[string]bool{}, seen: map[uint64]int32{}}
	for i, ind := range inds {
		im.inds[ind.Code] = ind
		im.ind[ind.Code] = uint64(i)
	}
	i := uint64(0)
	for code := range names {
		im.reg[code] = i
		i++
	}
	return im
}

func (im *importer) problem(p obsfile.Problem) {
	if len(im.rep.Problems) < MaxImportProblems {
		im.rep.Problems = append(im.rep.Problems, p)
	} else {
		im.rep.MoreProblems++
	}
}

// fatal records a problem that ends the file and returns the import's
// error; other errors (the database's) pass through.
func (im *importer) fatal(err error) error {
	if errors.Is(err, obsfile.ErrTooLarge) {
		return kolaborasi.Errorf(kolaborasi.ETOOLARGE, "The file is larger than %d MiB; split it into smaller files.", obsfile.MaxBytes>>20)
	}
	var p *obsfile.Problem
	if !errors.As(err, &p) {
		return err
	}
	im.problem(*p)
	return importError(im.rep)
}

func (im *importer) add(row *obsfile.Row) error {
	im.rep.Rows++
	for _, p := range row.Problems {
		im.problem(p)
	}
	ok := len(row.Problems) == 0
	bad := func(col, format string, args ...any) {
		im.problem(obsfile.Problem{Row: row.Line, Column: col, Message: fmt.Sprintf(format, args...)})
		ok = false
	}
	regNo, known := im.reg[row.Region]
	if row.Region != "" && !known {
		bad(obsfile.ColRegion, "no region has the code %q", row.Region)
	}
	if known {
		may, asked := im.may[row.Region]
		if !asked {
			may = Allowed(im.u, ActObservationImport, row.Region)
			im.may[row.Region] = may
		}
		if !may {
			bad(obsfile.ColRegion, "your account may not import observations for region %s", row.Region)
		}
	}
	ind := im.inds[row.Indicator]
	if row.Indicator != "" && ind == nil {
		bad(obsfile.ColIndicator, "no indicator has the code %q", row.Indicator)
	}
	var period kolaborasi.Period
	if ind != nil && row.Period != "" {
		p, err := kolaborasi.ParsePeriodAs(ind.PeriodKind, row.Period)
		if err != nil {
			bad(obsfile.ColPeriod, "%v", err)
		}
		period = p
		if row.Unit != "" && !strings.EqualFold(strings.TrimSpace(row.Unit), ind.Unit) {
			bad(obsfile.ColUnit, "the unit %q differs from the indicator's unit %q", row.Unit, ind.Unit)
		}
	}
	if !ok {
		return nil
	}
	key := regNo<<40 | im.ind[ind.Code]<<24 | uint64(period.Year)<<4 | uint64(period.Part)
	if first, dup := im.seen[key]; dup {
		bad("", "the same region, indicator and period as row %d", first)
		return nil
	}
	im.seen[key] = int32(row.Line)
	if len(im.rep.Problems) > 0 {
		return nil // nothing will be stored: only check the rest
	}
	name := im.u.Name
	if im.u.Email != "" {
		name = fmt.Sprintf("%s <%s>", im.u.Name, im.u.Email)
	}
	im.batch = append(im.batch, &kolaborasi.Observation{RegionCode: row.Region, Indicator: ind.Code, Period: period.String(), Value: row.Value,
		Source: row.Source, Note: row.Note, RecordedBy: im.u.ID, RecordedByName: name, RecordedAt: im.a.now()})
	if len(im.batch) >= importBatch {
		return im.flush()
	}
	return nil
}

// flush writes the batch: reads which rows exist, inserts the new ones,
// updates the changed ones.
func (im *importer) flush() error {
	batch := im.batch
	im.batch = im.batch[:0]
	if len(batch) == 0 || len(im.rep.Problems) > 0 {
		return nil
	}
	keys := make([]kolaborasi.ObservationKey, len(batch))
	for i, o := range batch {
		keys[i] = o.Key()
	}
	have, err := im.tx.ExistingObservations(im.ctx, keys)
	if err != nil {
		return err
	}
	write := batch[:0:0]
	for _, o := range batch {
		old := have[o.Key()]
		switch {
		case old == nil:
			im.rep.Inserted++
		case sameValue(old.Value, o.Value) && old.Source == o.Source && old.Note == o.Note:
			im.rep.Unchanged++
			continue
		default:
			im.rep.Updated++
		}
		write = append(write, o)
	}
	return im.tx.UpsertObservations(im.ctx, write)
}

// sameValue reports whether two values agree within the 15 significant
// digits a spreadsheet keeps (excelize cuts the 16th): an XLSX export of
// 1/3 imports unchanged.
func sameValue(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-14*max(math.Abs(a), math.Abs(b))
}

// ExportObservations writes the observations the filter selects as a CSV
// or XLSX file with the columns of obsfile.Columns: a file it writes
// imports again unchanged.
func (a *App) ExportObservations(ctx context.Context, f kolaborasi.ObservationFilter, format obsfile.Format, w io.Writer) error {
	f.Limit = 0
	if err := checkObservationFilter(f); err != nil {
		return err
	}
	inds, err := a.store.Indicators(ctx)
	if err != nil {
		return err
	}
	units := map[string]string{}
	for _, ind := range inds {
		units[ind.Code] = ind.Unit
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return err
	}
	cells := func(o *kolaborasi.Observation) []string {
		return []string{o.RegionCode, names[o.RegionCode], o.Indicator, o.Period, obsfile.FormatNumber(o.Value), units[o.Indicator], o.Source, o.Note}
	}
	csvCells := func(o *kolaborasi.Observation) []string {
		c := cells(o)
		for _, i := range []int{1, 6, 7} { // the free texts
			c[i] = obsfile.QuoteText(c[i])
		}
		return c
	}
	switch format {
	case obsfile.CSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(obsfile.Columns); err != nil {
			return err
		}
		err := a.store.Observations(ctx, f, func(o *kolaborasi.Observation) error { return cw.Write(csvCells(o)) })
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case obsfile.XLSX:
		return a.exportXLSX(ctx, f, w, cells)
	}
	return kolaborasi.Errorf(kolaborasi.EINVALID, "Choose the format csv or xlsx.")
}

// exportXLSX streams the rows into a worksheet (excelize's StreamWriter
// keeps large sheets in a temporary file, not memory).
func (a *App) exportXLSX(ctx context.Context, f kolaborasi.ObservationFilter, w io.Writer, cells func(*kolaborasi.Observation) []string) error {
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := make([]any, len(obsfile.Columns))
	for i, c := range obsfile.Columns {
		header[i] = c
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	err = a.store.Observations(ctx, f, func(o *kolaborasi.Observation) error {
		n++
		c := cells(o)
		row := []any{c[0], c[1], c[2], c[3], o.Value, c[5], c[6], c[7]}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

// EachObservation calls fn for every observation the filter selects,
// uncapped (pages that aggregate a whole indicator).
func (a *App) EachObservation(ctx context.Context, f kolaborasi.ObservationFilter, fn func(*kolaborasi.Observation) error) error {
	if err := checkObservationFilter(f); err != nil {
		return err
	}
	return a.store.Observations(ctx, f, fn)
}
