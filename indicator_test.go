package kolaborasi

import (
	"slices"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]Period{
		"2024": {Yearly, 2024, 0}, " 2024 ": {Yearly, 2024, 0}, "2024-Q1": {Quarterly, 2024, 1}, "2024-q4": {Quarterly, 2024, 4},
		"2024-03": {Monthly, 2024, 3}, "1900-12": {Monthly, 1900, 12}, "2199": {Yearly, 2199, 0},
	} {
		got, err := ParsePeriod(in)
		if err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "24", "1899", "2200", "2024-Q5", "2024-Q0", "2024-13", "2024-00", "2024-3", "2024/03", "15/03/2024",
		"2024-03-15", "+202", "-2024", "2024Q1", "Q1 2024", "２０２４"} {
		if p, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", in, p)
		}
	}
	for _, s := range []string{"2024", "2024-Q3", "2024-07"} {
		if p, _ := ParsePeriod(s); p.String() != s {
			t.Errorf("%q formats as %q", s, p.String())
		}
	}
}

func TestParsePeriodAs(t *testing.T) {
	cases := []struct {
		kind PeriodKind
		in   string
		want string
	}{
		{Yearly, "2024", "2024"}, {Quarterly, "2024-Q2", "2024-Q2"}, {Monthly, "2024-11", "2024-11"},
		// A date stands for the period containing it.
		{Yearly, "2024-03-15", "2024"}, {Quarterly, "2024-05-31", "2024-Q2"}, {Monthly, "2024-12-01", "2024-12"},
	}
	for _, c := range cases {
		p, err := ParsePeriodAs(c.kind, c.in)
		if err != nil || p.String() != c.want {
			t.Errorf("ParsePeriodAs(%s, %q) = %v, %v; want %s", c.kind, c.in, p, err, c.want)
		}
	}
	for _, c := range []struct {
		kind PeriodKind
		in   string
	}{{Yearly, "2024-Q1"}, {Quarterly, "2024"}, {Monthly, "2024-Q1"}, {Yearly, "2024-02-30"}, {Monthly, "1899-12-31"}} {
		if p, err := ParsePeriodAs(c.kind, c.in); err == nil {
			t.Errorf("ParsePeriodAs(%s, %q) = %v, want an error", c.kind, c.in, p)
		}
	}
}

func TestPeriodOrder(t *testing.T) {
	var ps []Period
	for _, s := range []string{"2025", "2024-02", "2024-Q1", "2024", "2023-12", "2024-01", "2024-Q2"} {
		p, _ := ParsePeriod(s)
		ps = append(ps, p)
	}
	slices.SortFunc(ps, Period.Compare)
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{"2023-12", "2024", "2024-Q1", "2024-01", "2024-02", "2024-Q2", "2025"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Within one kind the canonical text sorts as the periods do.
	months := []string{"2023-12", "2024-01", "2024-10"}
	if !slices.IsSorted(months) {
		t.Fatal("months do not sort as text")
	}
	if d := PeriodOf(Quarterly, time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC)); d.String() != "2024-Q3" {
		t.Fatalf("PeriodOf = %v", d)
	}
}

func TestValidIndicatorCode(t *testing.T) {
	for _, c := range []string{"bps.pertumbuhan-ekonomi", "iso37120.5.1", "ab", "x_1"} {
		if !ValidIndicatorCode(c) {
			t.Errorf("%q refused", c)
		}
	}
	for _, c := range []string{"", "a", "1abc", "Bps.x", "a b", "a/b", string(make([]byte, 65))} {
		if ValidIndicatorCode(c) {
			t.Errorf("%q accepted", c)
		}
	}
}
