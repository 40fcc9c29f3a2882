package rank

import (
	"math"
	"slices"
)

// Data holds observations (region × indicator × period → value) for
// ranking. Fill it with Add, one call per observation as read from the
// store; Compute turns it once into a dense matrix (period, region,
// indicator) with NaN for missing values and reuses it until the next Add.
//
// Periods are ordered by their labels' byte order, which is chronological
// for the platform's period forms within one kind ("2024", "2024-Q1",
// "2024-03"). A Data is not safe for concurrent Add; concurrent Compute
// calls are safe once the matrix is built (call Periods or Compute once
// first).
type Data struct {
	regions, indicators, periods []string
	region, indicator, period    map[string]int
	obs                          []observation

	// dense is the matrix built from obs, nil when stale. Its period axis
	// is in sorted label order (sorted).
	dense  []float64
	sorted []string
}

type observation struct {
	r, i, p int32
	v       float64
}

// NewData returns an empty Data.
func NewData() *Data {
	return &Data{region: map[string]int{}, indicator: map[string]int{}, period: map[string]int{}}
}

// Add records one observation. A later Add for the same region, indicator
// and period replaces the earlier value; NaN and infinite values are
// recorded as missing.
func (d *Data) Add(region, indicator, period string, value float64) {
	if math.IsInf(value, 0) {
		value = math.NaN()
	}
	d.obs = append(d.obs, observation{
		r: int32(intern(&d.regions, d.region, region)),
		i: int32(intern(&d.indicators, d.indicator, indicator)),
		p: int32(intern(&d.periods, d.period, period)),
		v: value,
	})
	d.dense = nil
}

func intern(names *[]string, index map[string]int, name string) int {
	if i, ok := index[name]; ok {
		return i
	}
	index[name] = len(*names)
	*names = append(*names, name)
	return len(*names) - 1
}

// Periods returns the periods seen, in order.
func (d *Data) Periods() []string {
	d.build()
	return slices.Clone(d.sorted)
}

// Value returns the value of an observation and whether there is one.
func (d *Data) Value(region, indicator, period string) (float64, bool) {
	r, ok1 := d.region[region]
	i, ok2 := d.indicator[indicator]
	p, ok3 := d.period[period]
	if !ok1 || !ok2 || !ok3 {
		return math.NaN(), false
	}
	d.build()
	v := d.dense[d.at(d.rank(p), r, i)]
	return v, !math.IsNaN(v)
}

// rank is the sorted position of period index p.
func (d *Data) rank(p int) int {
	k, _ := slices.BinarySearch(d.sorted, d.periods[p])
	return k
}

func (d *Data) at(k, r, i int) int {
	return (k*len(d.regions)+r)*len(d.indicators) + i
}

func (d *Data) build() {
	if d.dense != nil {
		return
	}
	d.sorted = slices.Clone(d.periods)
	slices.Sort(d.sorted)
	pos := make([]int, len(d.periods)) // period index → sorted position
	for i, p := range d.periods {
		pos[i], _ = slices.BinarySearch(d.sorted, p)
	}
	d.dense = make([]float64, len(d.periods)*len(d.regions)*len(d.indicators))
	for i := range d.dense {
		d.dense[i] = math.NaN()
	}
	for _, o := range d.obs {
		d.dense[d.at(pos[o.p], int(o.r), int(o.i))] = o.v
	}
}
