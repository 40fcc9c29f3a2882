package wilayah

import (
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

func TestRegionsMatchTheOfficialCounts(t *testing.T) {
	rs, version, err := Regions()
	if err != nil {
		t.Fatal(err)
	}
	if len(version) != 16 {
		t.Errorf("version = %q, want 16 hex digits", version)
	}
	count := map[kolaborasi.RegionType]int{}
	autonomous, administrative := 0, 0
	var population int64
	for _, r := range rs {
		count[r.Type]++
		if r.Type == kolaborasi.Province {
			population += r.Population
			continue
		}
		if r.Autonomous {
			autonomous++
		} else {
			administrative++
			if r.ProvinceCode != "31" {
				t.Errorf("%s %s is administrative outside Jakarta", r.Code, r.Name)
			}
		}
		if r.Population <= 0 || r.AreaKm2 <= 0 || r.Lat == 0 || r.Lng == 0 {
			t.Errorf("%s %s lacks population, area or point: %+v", r.Code, r.Name, r)
		}
	}
	want := map[kolaborasi.RegionType]int{kolaborasi.Province: 38, kolaborasi.Regency: 416, kolaborasi.City: 98}
	for typ, n := range want {
		if count[typ] != n {
			t.Errorf("%s: %d regions, want %d", typ, count[typ], n)
		}
	}
	if autonomous != 508 || administrative != 6 {
		t.Errorf("autonomous = %d, administrative = %d; want 508 and 6", autonomous, administrative)
	}
	if population != 284973643 {
		t.Errorf("national population = %d, want 284973643", population)
	}
}

func TestKotaBlitar(t *testing.T) {
	rs, _, err := Regions()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Code != "35.72" {
			continue
		}
		if r.Name != "Kota Blitar" || r.Type != kolaborasi.City || r.ProvinceName != "Jawa Timur" ||
			r.Population != 161204 || r.AreaKm2 != 33.203 || r.Profile.HeadTitle != "Wali Kota Blitar" || !r.Autonomous {
			t.Errorf("Kota Blitar = %+v", r)
		}
		return
	}
	t.Fatal("35.72 missing")
}

func TestMapOf(t *testing.T) {
	m, err := MapOf("35.72", []string{"35.05", "35.72", "35.07"}, 320)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Region, "M") || !strings.HasSuffix(m.Region, "Z") {
		t.Errorf("region path = %.40q", m.Region)
	}
	if !strings.HasPrefix(m.ViewBox, "0 0 320 ") {
		t.Errorf("viewBox = %q", m.ViewBox)
	}
	// Kabupaten Blitar (35.05) surrounds the kota; Kabupaten Malang is far
	// outside the padded frame.
	if len(m.Context) != 1 {
		t.Errorf("context paths = %d, want 1 (Kabupaten Blitar)", len(m.Context))
	}
	if _, err := MapOf("99.99", nil, 320); err == nil {
		t.Error("MapOf(99.99) succeeded")
	}
}

func TestNationalMap(t *testing.T) {
	n, err := NationalMap()
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Provinces) != 38 || !strings.HasPrefix(n.ViewBox, "0 0 1000 ") {
		t.Fatalf("%d provinces, viewBox %q", len(n.Provinces), n.ViewBox)
	}
	size := 0
	for _, p := range n.Provinces {
		size += len(p)
	}
	// Dropping sub-unit detail keeps the whole map small enough for a page.
	if size > 120_000 {
		t.Errorf("national map is %d bytes of path data", size)
	}
	// Kota Blitar lies in Java, left of Bandung's east and south of it.
	bx, by := n.Project(112.17, -8.09)
	dx, dy := n.Project(107.61, -6.91)
	if !(bx > dx && by > dy) {
		t.Errorf("Blitar at (%.0f,%.0f), Bandung at (%.0f,%.0f)", bx, by, dx, dy)
	}
}
