package rank_test

import (
	"fmt"

	"github.com/kolaborasi/kolaborasi/rank"
)

func ExampleCompute() {
	d := rank.NewData()
	for _, o := range []struct {
		region, indicator, period string
		value                     float64
	}{
		{"3578", "spbe", "2024", 3.9}, {"3578", "poverty", "2024", 4.2},
		{"3273", "spbe", "2024", 4.1}, {"3273", "poverty", "2024", 3.9},
		{"1371", "spbe", "2024", 3.2}, {"1371", "poverty", "2024", 4.4},
	} {
		d.Add(o.region, o.indicator, o.period, o.value)
	}
	idx := rank.Index{
		Name: "Kota cerdas",
		Components: []rank.Component{
			{Indicator: "spbe", Weight: 2, Direction: rank.HigherIsBetter},
			{Indicator: "poverty", Weight: 1, Direction: rank.LowerIsBetter},
		},
		Normalisation: rank.MinMax,
		Missing:       rank.Exclude,
		Regions:       []string{"3578", "3273", "1371"},
	}
	periods, err := rank.Compute(idx, d)
	if err != nil {
		panic(err)
	}
	for _, p := range periods {
		for _, r := range p.Results {
			fmt.Printf("%s %d. %s %.1f\n", p.Period, r.Rank, r.Region, r.Score)
		}
	}
	// 3578: SPBE (3.9 − 3.2) / 0.9 = 0.78, poverty (4.4 − 4.2) / 0.5 = 0.4;
	// 100 · (2/3 · 0.78 + 1/3 · 0.4) = 65.2.

	// Output:
	// 2024 1. 3273 100.0
	// 2024 2. 3578 65.2
	// 2024 3. 1371 0.0
}
