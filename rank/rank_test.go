package rank

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

const eps = 1e-9

// table is a compact way to write observations: region → indicator → value
// (NaN for missing), all in one period.
type table map[string]map[string]float64

func dataOf(period string, t table) *Data {
	d := NewData()
	for r, row := range t {
		for i, v := range row {
			if !math.IsNaN(v) {
				d.Add(r, i, period, v)
			}
		}
	}
	return d
}

func mustCompute(t *testing.T, idx Index, d *Data) []PeriodResult {
	t.Helper()
	out, err := Compute(idx, d)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return out
}

// want is a region's expected score and rank.
type want struct {
	region string
	score  float64
	rank   int
}

func checkResults(t *testing.T, got []Result, ws []want) {
	t.Helper()
	if len(got) != len(ws) {
		t.Fatalf("got %d results %+v, want %d", len(got), got, len(ws))
	}
	for n, w := range ws {
		g := got[n]
		if g.Region != w.region || math.Abs(g.Score-w.score) > 1e-6 || g.Rank != w.rank {
			t.Errorf("result %d = %s score %.9f rank %d, want %s score %.9f rank %d",
				n, g.Region, g.Score, g.Rank, w.region, w.score, w.rank)
		}
		sum := 0.0
		for _, c := range g.Components {
			sum += c.Contribution
		}
		if math.Abs(sum-g.Score) > 1e-6 {
			t.Errorf("%s: contributions sum to %v, score %v", g.Region, sum, g.Score)
		}
	}
}

// Two indicators, x (higher is better, weight 3) and y (lower is better,
// weight 1): shares 0.75 and 0.25.
var twoIndicators = []Component{
	{Indicator: "x", Weight: 3, Direction: HigherIsBetter},
	{Indicator: "y", Weight: 1, Direction: LowerIsBetter},
}

var abc = table{
	"A": {"x": 10, "y": 1},
	"B": {"x": 20, "y": 3},
	"C": {"x": 30, "y": 5},
}

func TestMinMaxByHand(t *testing.T) {
	// x normalised: A 0, B .5, C 1; y (lower better): A 1, B .5, C 0.
	// A = 100(.75·0 + .25·1) = 25, B = 50, C = 75.
	idx := Index{Name: "t", Components: twoIndicators, Normalisation: MinMax, Missing: Exclude, Regions: []string{"A", "B", "C"}}
	out := mustCompute(t, idx, dataOf("2024", abc))
	if len(out) != 1 || out[0].Period != "2024" {
		t.Fatalf("periods = %+v", out)
	}
	checkResults(t, out[0].Results, []want{{"C", 75, 1}, {"B", 50, 2}, {"A", 25, 3}})
	c := out[0].Results[0].Components
	if c[0].Normalised != 1 || c[1].Normalised != 0 || c[0].Weight != 0.75 || c[0].Contribution != 75 || c[0].Value != 30 {
		t.Errorf("C's components = %+v", c)
	}
}

func TestZScoreByHand(t *testing.T) {
	// x: mean 20, population sd √(200/3); z = ∓√1.5 for A and C, 0 for B.
	// y: mean 3, sd √(8/3); z = ∓√1.5, flipped (lower is better).
	// A = .75·(−√1.5) + .25·√1.5 = −√1.5/2; B = 0; C = +√1.5/2.
	idx := Index{Name: "t", Components: twoIndicators, Normalisation: ZScore, Missing: Exclude, Regions: []string{"A", "B", "C"}}
	out := mustCompute(t, idx, dataOf("2024", abc))
	h := math.Sqrt(1.5) / 2
	checkResults(t, out[0].Results, []want{{"C", h, 1}, {"B", 0, 2}, {"A", -h, 3}})
	if z := out[0].Results[2].Components[1].Normalised; math.Abs(z-math.Sqrt(1.5)) > eps {
		t.Errorf("A's y z-score = %v, want +√1.5", z)
	}
}

// Missing values: D has no x. x: A 0, B 10, C 20 → .0 .5 1; y (higher,
// range 0..10): A 1, B 0, C .5, D 1; equal weights.
var missing = table{
	"A": {"x": 0, "y": 10},
	"B": {"x": 10, "y": 0},
	"C": {"x": 20, "y": 5},
	"D": {"x": math.NaN(), "y": 10},
}

func missingIndex(policy MissingPolicy, minCoverage float64) Index {
	return Index{
		Name: "t",
		Components: []Component{
			{Indicator: "x", Weight: 1, Direction: HigherIsBetter},
			{Indicator: "y", Weight: 1, Direction: HigherIsBetter},
		},
		Normalisation: MinMax, Missing: policy, MinCoverage: minCoverage,
		Regions: []string{"A", "B", "C", "D"},
	}
}

func TestMissingExclude(t *testing.T) {
	out := mustCompute(t, missingIndex(Exclude, 0), dataOf("2024", missing))
	checkResults(t, out[0].Results, []want{{"C", 75, 1}, {"A", 50, 2}, {"B", 25, 3}})
	if !reflect.DeepEqual(out[0].Excluded, []Excluded{{Region: "D", Coverage: 0.5}}) {
		t.Errorf("excluded = %+v", out[0].Excluded)
	}
}

func TestMissingReweight(t *testing.T) {
	// D is scored on y alone: 100, with coverage .5.
	out := mustCompute(t, missingIndex(Reweight, 0.5), dataOf("2024", missing))
	checkResults(t, out[0].Results, []want{{"D", 100, 1}, {"C", 75, 2}, {"A", 50, 3}, {"B", 25, 4}})
	d := out[0].Results[0]
	if d.Coverage != 0.5 || !d.Components[0].Missing || d.Components[0].Weight != 0 || d.Components[1].Weight != 1 {
		t.Errorf("D = %+v", d)
	}
	// Above D's coverage, D is excluded.
	out = mustCompute(t, missingIndex(Reweight, 0.6), dataOf("2024", missing))
	checkResults(t, out[0].Results, []want{{"C", 75, 1}, {"A", 50, 2}, {"B", 25, 3}})
	if len(out[0].Excluded) != 1 || out[0].Excluded[0].Region != "D" {
		t.Errorf("excluded = %+v", out[0].Excluded)
	}
}

func TestMissingMeanAndTies(t *testing.T) {
	// D's x is imputed as the mean 10 → .5; D = 100(.5·.5 + .5·1) = 75,
	// tied with C: both rank 1, listed by code, then A 3rd, B 4th.
	out := mustCompute(t, missingIndex(Mean, 0.5), dataOf("2024", missing))
	checkResults(t, out[0].Results, []want{{"C", 75, 1}, {"D", 75, 1}, {"A", 50, 3}, {"B", 25, 4}})
	x := out[0].Results[1].Components[0]
	if !x.Imputed || !x.Missing || x.Value != 10 || x.Normalised != 0.5 || out[0].Results[1].Coverage != 0.5 {
		t.Errorf("D's imputed x = %+v", x)
	}
	out = mustCompute(t, missingIndex(Mean, 1), dataOf("2024", missing))
	if len(out[0].Results) != 3 || out[0].Excluded[0].Region != "D" {
		t.Errorf("MinCoverage 1 should exclude D: %+v", out[0])
	}
}

func TestTiesCompetitionRankingByCode(t *testing.T) {
	d := dataOf("2024", table{"Z": {"x": 5}, "M": {"x": 5}, "A": {"x": 1}, "Q": {"x": 5}, "B": {"x": 1}, "K": {"x": 9}})
	idx := Index{Name: "t", Components: []Component{{Indicator: "x", Weight: 1, Direction: HigherIsBetter}},
		Normalisation: ZScore, Missing: Exclude, Regions: []string{"Z", "M", "A", "Q", "B", "K"}}
	out := mustCompute(t, idx, d)
	var got []string
	var ranks []int
	for _, r := range out[0].Results {
		got = append(got, r.Region)
		ranks = append(ranks, r.Rank)
	}
	if !reflect.DeepEqual(got, []string{"K", "M", "Q", "Z", "A", "B"}) || !reflect.DeepEqual(ranks, []int{1, 2, 2, 2, 5, 5}) {
		t.Errorf("order %v ranks %v", got, ranks)
	}
}

func TestZeroSpread(t *testing.T) {
	// x is equal everywhere: it separates no one (0.5 / 0), y decides.
	d := dataOf("2024", table{"A": {"x": 7, "y": 1}, "B": {"x": 7, "y": 2}})
	for _, tc := range []struct {
		norm   Normalisation
		x      float64
		scores []want
	}{
		{MinMax, 0.5, []want{{"A", 75, 1}, {"B", 25, 2}}}, // 100(.5·.5 + .5·1), 100(.5·.5 + 0)
		{ZScore, 0, []want{{"A", 0.5, 1}, {"B", -0.5, 2}}},
	} {
		idx := Index{Name: "t", Normalisation: tc.norm, Missing: Exclude, Regions: []string{"A", "B"}, Components: []Component{
			{Indicator: "x", Weight: 1, Direction: HigherIsBetter}, {Indicator: "y", Weight: 1, Direction: LowerIsBetter}}}
		out := mustCompute(t, idx, d)
		checkResults(t, out[0].Results, tc.scores)
		if n := out[0].Results[0].Components[0].Normalised; n != tc.x {
			t.Errorf("%s: x normalised to %v, want %v", tc.norm, n, tc.x)
		}
	}
	// A single region: every normalised value is neutral.
	idx := Index{Name: "t", Normalisation: MinMax, Missing: Exclude, Regions: []string{"A"},
		Components: []Component{{Indicator: "x", Weight: 1, Direction: HigherIsBetter}}}
	checkResults(t, mustCompute(t, idx, d)[0].Results, []want{{"A", 50, 1}})
}

func TestDirection(t *testing.T) {
	d := dataOf("2024", table{"A": {"p": 10}, "B": {"p": 20}})
	for _, tc := range []struct {
		dir   Direction
		first string
	}{{HigherIsBetter, "B"}, {LowerIsBetter, "A"}} {
		for _, norm := range []Normalisation{MinMax, ZScore} {
			idx := Index{Name: "t", Normalisation: norm, Missing: Exclude, Regions: []string{"A", "B"},
				Components: []Component{{Indicator: "p", Weight: 2, Direction: tc.dir}}}
			if got := mustCompute(t, idx, d)[0].Results[0].Region; got != tc.first {
				t.Errorf("%s %s: first %s, want %s", norm, tc.dir, got, tc.first)
			}
		}
	}
}

func TestPeriodsDroppedAndOutsideRegions(t *testing.T) {
	d := NewData()
	d.Add("A", "x", "2024", 1)
	d.Add("B", "x", "2024", 2)
	d.Add("A", "y", "2023", 5)
	d.Add("B", "y", "2023", 3)
	d.Add("Z", "x", "2022", 100) // outside the region set: no 2022 ranking
	d.Add("A", "other", "2021", 1)
	idx := Index{Name: "t", Normalisation: MinMax, Missing: Reweight, MinCoverage: 0.1, Regions: []string{"A", "B", "C"},
		Components: []Component{{Indicator: "x", Weight: 1, Direction: HigherIsBetter}, {Indicator: "y", Weight: 1, Direction: HigherIsBetter}}}
	out := mustCompute(t, idx, d)
	if len(out) != 2 || out[0].Period != "2023" || out[1].Period != "2024" {
		t.Fatalf("periods: %+v", out)
	}
	if !reflect.DeepEqual(out[0].Dropped, []string{"x"}) || !reflect.DeepEqual(out[1].Dropped, []string{"y"}) {
		t.Errorf("dropped %v %v", out[0].Dropped, out[1].Dropped)
	}
	checkResults(t, out[0].Results, []want{{"A", 100, 1}, {"B", 0, 2}})
	// Z is not in the set and does not move the 2024 minimum; C has
	// nothing and is excluded with coverage 0.
	checkResults(t, out[1].Results, []want{{"B", 100, 1}, {"A", 0, 2}})
	if !reflect.DeepEqual(out[1].Excluded, []Excluded{{Region: "C"}}) {
		t.Errorf("excluded %+v", out[1].Excluded)
	}
	// Coverage counts real values against the whole index: 0.5 here.
	if out[1].Results[0].Coverage != 0.5 {
		t.Errorf("coverage %v", out[1].Results[0].Coverage)
	}
	// Under Exclude nobody is complete when a component has no values.
	idx.Missing = Exclude
	out = mustCompute(t, idx, d)
	if len(out[0].Results) != 0 || len(out[0].Excluded) != 3 {
		t.Errorf("exclude with a dropped component: %+v", out[0])
	}
}

func TestHistory(t *testing.T) {
	d := NewData()
	// A climbs from last to first; C has no 2023 value.
	for _, o := range []struct {
		r, p string
		v    float64
	}{{"A", "2022", 1}, {"B", "2022", 2}, {"C", "2022", 3}, {"A", "2023", 2}, {"B", "2023", 1}, {"A", "2024", 9}, {"B", "2024", 5}, {"C", "2024", 4}} {
		d.Add(o.r, "x", o.p, o.v)
	}
	idx := Index{Name: "t", Normalisation: MinMax, Missing: Exclude, Regions: []string{"A", "B", "C"},
		Components: []Component{{Indicator: "x", Weight: 1, Direction: HigherIsBetter}}}
	out := mustCompute(t, idx, d)
	got := History(out, "A")
	wantA := []HistoryPoint{
		{Period: "2022", Ranked: true, Rank: 3, Of: 3, Score: 0, Coverage: 1},
		{Period: "2023", Ranked: true, Rank: 1, Of: 2, Score: 100, Coverage: 1},
		{Period: "2024", Ranked: true, Rank: 1, Of: 3, Score: 100, Coverage: 1},
	}
	if !reflect.DeepEqual(got, wantA) {
		t.Errorf("History(A) = %+v", got)
	}
	gotC := History(out, "C")
	if len(gotC) != 3 || gotC[1].Ranked || gotC[1].Of != 2 || gotC[2].Rank != 3 {
		t.Errorf("History(C) = %+v", gotC)
	}
	if h := History(out, "nowhere"); h != nil {
		t.Errorf("History of an unknown region = %+v", h)
	}
}

func TestValidate(t *testing.T) {
	valid := Index{Name: "SPBE+", Normalisation: MinMax, Missing: Reweight, MinCoverage: 0.5, Regions: []string{"3578", "3173"},
		Components: []Component{{Indicator: "spbe", Weight: 2, Direction: HigherIsBetter}, {Indicator: "poverty", Weight: 1, Direction: LowerIsBetter}}}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid index: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Index)
		wants []Problem
	}{
		{"no name", func(i *Index) { i.Name = " " }, []Problem{{"name", ProblemRequired}}},
		{"no components", func(i *Index) { i.Components = nil }, []Problem{{"components", ProblemRequired}}},
		{"zero weight", func(i *Index) { i.Components[1].Weight = 0 }, []Problem{{"components[1].weight", ProblemNotPositive}}},
		{"negative weight", func(i *Index) { i.Components[0].Weight = -1 }, []Problem{{"components[0].weight", ProblemNotPositive}}},
		{"NaN weight", func(i *Index) { i.Components[0].Weight = math.NaN() }, []Problem{{"components[0].weight", ProblemNotPositive}}},
		{"infinite weight", func(i *Index) { i.Components[0].Weight = math.Inf(1) }, []Problem{{"components[0].weight", ProblemNotPositive}}},
		{"duplicate indicator", func(i *Index) { i.Components[1].Indicator = "spbe" }, []Problem{{"components[1].indicator", ProblemDuplicate}}},
		{"empty indicator", func(i *Index) { i.Components[0].Indicator = "" }, []Problem{{"components[0].indicator", ProblemRequired}}},
		{"bad direction", func(i *Index) { i.Components[0].Direction = "up" }, []Problem{{"components[0].direction", ProblemUnknown}}},
		{"no direction", func(i *Index) { i.Components[1].Direction = "" }, []Problem{{"components[1].direction", ProblemRequired}}},
		{"bad normalisation", func(i *Index) { i.Normalisation = "rank" }, []Problem{{"normalisation", ProblemUnknown}}},
		{"no policy", func(i *Index) { i.Missing = "" }, []Problem{{"missing", ProblemRequired}}},
		{"bad policy", func(i *Index) { i.Missing = "zero" }, []Problem{{"missing", ProblemUnknown}}},
		{"coverage zero", func(i *Index) { i.MinCoverage = 0 }, []Problem{{"min_coverage", ProblemOutOfRange}}},
		{"coverage above one", func(i *Index) { i.MinCoverage = 1.5 }, []Problem{{"min_coverage", ProblemOutOfRange}}},
		{"exclude ignores coverage", func(i *Index) { i.Missing, i.MinCoverage = Exclude, 7 }, nil},
		{"no regions", func(i *Index) { i.Regions = nil }, []Problem{{"regions", ProblemRequired}}},
		{"duplicate region", func(i *Index) { i.Regions = append(i.Regions, "3578") }, []Problem{{"regions[2]", ProblemDuplicate}}},
		{"several", func(i *Index) { i.Name, i.Normalisation = "", "" }, []Problem{{"name", ProblemRequired}, {"normalisation", ProblemRequired}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx := valid
			idx.Components = append([]Component(nil), valid.Components...)
			idx.Regions = append([]string(nil), valid.Regions...)
			tc.edit(&idx)
			err := idx.Validate()
			if tc.wants == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Problems, tc.wants) {
				t.Fatalf("Validate = %v, want %v", err, tc.wants)
			}
			if _, err := Compute(idx, NewData()); !errors.As(err, &ve) {
				t.Errorf("Compute accepted an invalid index: %v", err)
			}
		})
	}
}

func TestFormula(t *testing.T) {
	idx := Index{Name: "Kota cerdas", Normalisation: ZScore, Missing: Exclude, MinCoverage: 0.3, Regions: []string{"a", "b", "c"},
		Components: []Component{{Indicator: "spbe", Weight: 3, Direction: HigherIsBetter}, {Indicator: "poverty", Weight: 1, Direction: LowerIsBetter}}}
	want := Formula{Name: "Kota cerdas", Normalisation: ZScore, Missing: Exclude, MinCoverage: 1, Scale: ScaleZ, Regions: 3,
		Components: []FormulaComponent{
			{Indicator: "spbe", Direction: HigherIsBetter, Weight: 3, Share: 0.75},
			{Indicator: "poverty", Direction: LowerIsBetter, Weight: 1, Share: 0.25},
		}}
	if got := idx.Formula(); !reflect.DeepEqual(got, want) {
		t.Errorf("Formula = %+v\nwant %+v", got, want)
	}
	idx.Normalisation, idx.Missing = MinMax, Mean
	if f := idx.Formula(); f.Scale != ScalePercent || f.MinCoverage != 0.3 {
		t.Errorf("Formula = %+v", f)
	}
}

func TestData(t *testing.T) {
	d := NewData()
	d.Add("A", "x", "2024-Q2", 1)
	d.Add("A", "x", "2024-Q1", 2)
	d.Add("A", "x", "2024-Q2", 3) // replaces 1
	d.Add("B", "x", "2024-Q1", math.Inf(1))
	if p := d.Periods(); !reflect.DeepEqual(p, []string{"2024-Q1", "2024-Q2"}) {
		t.Errorf("Periods = %v", p)
	}
	if v, ok := d.Value("A", "x", "2024-Q2"); !ok || v != 3 {
		t.Errorf("A x 2024-Q2 = %v %v", v, ok)
	}
	if _, ok := d.Value("B", "x", "2024-Q1"); ok {
		t.Error("an infinite value is recorded")
	}
	if _, ok := d.Value("B", "x", "2024-Q2"); ok {
		t.Error("a value nobody added")
	}
	d.Add("B", "x", "2023-Q4", 5) // a new period after the matrix was built
	if v, ok := d.Value("B", "x", "2023-Q4"); !ok || v != 5 || d.Periods()[0] != "2023-Q4" {
		t.Errorf("after a later Add: %v %v %v", v, ok, d.Periods())
	}
}
