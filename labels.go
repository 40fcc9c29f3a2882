package kolaborasi

// Labels are the display names of the solution kinds, smart-city
// dimensions and sectors, in Indonesian and English, keyed like the web
// message catalog ("kind.software", "dimension.governance", "sector.umkm").
// The web locale files show the same texts (a test there checks that they
// agree), and a solution's search terms include the labels of its values
// (Solution.SearchTexts), so a search for "UMKM" finds what the sector
// facet counts as UMKM.
var Labels = map[string]Texts{
	"kind." + string(KindSoftware):  {ID: "Perangkat lunak", EN: "Software"},
	"kind." + string(KindProgramme): {ID: "Program", EN: "Programme"},
	"kind." + string(KindService):   {ID: "Layanan", EN: "Service"},

	"dimension." + string(DimGovernance):  {ID: "Smart governance", EN: "Smart governance"},
	"dimension." + string(DimBranding):    {ID: "Smart branding", EN: "Smart branding"},
	"dimension." + string(DimEconomy):     {ID: "Smart economy", EN: "Smart economy"},
	"dimension." + string(DimLiving):      {ID: "Smart living", EN: "Smart living"},
	"dimension." + string(DimSociety):     {ID: "Smart society", EN: "Smart society"},
	"dimension." + string(DimEnvironment): {ID: "Smart environment", EN: "Smart environment"},

	"sector.e-government":    {ID: "E-government", EN: "E-government"},
	"sector.umkm":            {ID: "UMKM", EN: "SMEs (UMKM)"},
	"sector.ekonomi-kreatif": {ID: "Ekonomi kreatif", EN: "Creative economy"},
	"sector.koperasi":        {ID: "Koperasi", EN: "Cooperatives"},
	"sector.health":          {ID: "Kesehatan", EN: "Health"},
	"sector.education":       {ID: "Pendidikan", EN: "Education"},
	"sector.transport":       {ID: "Transportasi", EN: "Transport"},
	"sector.environment":     {ID: "Lingkungan hidup", EN: "Environment"},
	"sector.finance":         {ID: "Keuangan daerah", EN: "Public finance"},
	"sector.public-safety":   {ID: "Ketertiban dan keamanan", EN: "Public safety"},
	"sector.tourism":         {ID: "Pariwisata", EN: "Tourism"},
	"sector.other":           {ID: "Lainnya", EN: "Other sectors"},
}

// SearchTexts returns the texts of s that the search index holds: its
// name, short and long descriptions, the labels of its kind, dimensions
// and sectors, and regionName, the name of the publishing region ("Kota
// Blitar"), as an Indonesian text.
func (s *Solution) SearchTexts(regionName string) []Texts {
	out := make([]Texts, 0, 5+len(s.Dimensions)+len(s.Sectors))
	out = append(out, s.Name, s.Short, s.Long, Labels["kind."+string(s.Kind)])
	for _, d := range s.Dimensions {
		out = append(out, Labels["dimension."+string(d)])
	}
	for _, v := range s.Sectors {
		out = append(out, Labels["sector."+string(v)])
	}
	return append(out, Texts{ID: regionName})
}
