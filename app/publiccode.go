package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/publiccode"
)

// maturityOf maps publiccode.yml's developmentStatus to a maturity.
var maturityOf = map[string]kolaborasi.Maturity{
	"concept": kolaborasi.MaturityIdea, "development": kolaborasi.MaturityPilot, "beta": kolaborasi.MaturityPilot,
	"stable": kolaborasi.MaturityLive, "obsolete": kolaborasi.MaturityRetired,
}

// statusOf maps a maturity back to a developmentStatus.
var statusOf = map[kolaborasi.Maturity]string{
	kolaborasi.MaturityIdea: "concept", kolaborasi.MaturityPilot: "beta",
	kolaborasi.MaturityLive: "stable", kolaborasi.MaturityRetired: "obsolete",
}

// descLang picks the description key of the file for lang ("id" or "en"):
// the first key (in sorted order) whose primary subtag is lang.
func descLang(f *publiccode.File, lang string) string {
	keys := make([]string, 0, len(f.Description))
	for k := range f.Description {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.EqualFold(k, lang) || strings.HasPrefix(strings.ToLower(k), lang+"-") {
			return k
		}
	}
	return ""
}

// fromPublicCode maps a valid publiccode.yml to the fields of a software
// solution it describes. Descriptions in languages other than Indonesian
// and English are shown in the English fields when neither exists (the
// file keeps them all for export).
func fromPublicCode(f *publiccode.File, s *kolaborasi.Solution) {
	s.Kind = kolaborasi.KindSoftware
	s.Name = kolaborasi.Texts{ID: f.Name}
	s.Short, s.Long = kolaborasi.Texts{}, kolaborasi.Texts{}
	s.Links = kolaborasi.SolutionLinks{Code: f.URL, Site: f.LandingURL}
	idKey, enKey := descLang(f, "id"), descLang(f, "en")
	if idKey == "" && enKey == "" {
		keys := make([]string, 0, len(f.Description))
		for k := range f.Description {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) > 0 {
			enKey = keys[0]
		}
	}
	if d, ok := f.Description[idKey]; ok && idKey != "" {
		s.Short.ID, s.Long.ID = strings.TrimSpace(d.ShortDescription), strings.TrimSpace(d.LongDescription)
		if d.LocalisedName != "" && d.LocalisedName != f.Name {
			s.Name.ID = d.LocalisedName
		}
		s.Links.Docs = d.Documentation
	}
	if d, ok := f.Description[enKey]; ok && enKey != "" {
		s.Short.EN, s.Long.EN = strings.TrimSpace(d.ShortDescription), strings.TrimSpace(d.LongDescription)
		if d.LocalisedName != "" && d.LocalisedName != f.Name {
			s.Name.EN = d.LocalisedName
		}
		if s.Links.Docs == "" {
			s.Links.Docs = d.Documentation
		}
	}
	if !validWebURL(s.Links.Docs) {
		s.Links.Docs = ""
	}
	if !validWebURL(s.Links.Site) {
		s.Links.Site = ""
	}
	if m, ok := maturityOf[f.DevelopmentStatus]; ok {
		s.Maturity = m
	}
	s.Licence = f.Legal.License
	s.Platforms = slices.Clone(f.Platforms)
	s.Contacts = nil
	for _, c := range f.Maintenance.Contacts {
		contact := kolaborasi.SolutionContact{Name: c.Name, Role: c.Affiliation, Phone: c.Phone}
		if validEmail(c.Email) {
			contact.Email = c.Email
		}
		s.Contacts = append(s.Contacts, contact)
	}
	if len(s.Contacts) > 10 {
		s.Contacts = s.Contacts[:10]
	}
	if len(s.Dimensions) == 0 {
		s.Dimensions = []kolaborasi.Dimension{kolaborasi.DimGovernance}
	}
	if len(s.Sectors) == 0 {
		s.Sectors = []kolaborasi.Sector{"e-government"}
	}
	if len(s.Reuse) == 0 {
		s.Reuse = []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}
	}
}

// errPublicCode is the error of a file with errors; the messages are in
// the Result returned beside it.
func errPublicCode(r publiccode.Result) error {
	errs := r.Errors()
	e := &kolaborasi.Error{Code: kolaborasi.EINVALID,
		Message: fmt.Sprintf("The publiccode.yml file has %d errors; nothing was saved.", len(errs)),
		Fields:  map[string]string{}}
	if len(errs) > 0 {
		m := errs[0]
		at := fmt.Sprintf("%d:%d", m.Line, m.Column)
		if sp := m.ShownPath(); sp != "" {
			at += " " + sp + ":"
		}
		e.Fields["publiccode"] = at + " " + m.Text
	}
	return e
}

// ImportPublicCode creates or updates the region's software solution
// described by a publiccode.yml file, matched by the file's url. A file
// with errors changes nothing: the solution keeps its last good version,
// and the returned Result holds every message of the new file (also for
// a valid file, which may carry warnings). The file is kept verbatim so
// that ExportPublicCode gives it back.
//
// Fields the file does not describe (dimensions, sectors, reuse terms,
// costs, evidence) keep what editors set; new solutions start with
// governance, e-government and open-licence reuse.
func (a *App) ImportPublicCode(ctx context.Context, region string, data []byte) (*kolaborasi.Solution, publiccode.Result, error) {
	if !kolaborasi.ValidRegionCode(region) {
		return nil, publiccode.Result{}, errBadRegionCode(region)
	}
	if _, err := a.authorize(ctx, ActSolutionPublish, region); err != nil {
		return nil, publiccode.Result{}, err
	}
	f, res := publiccode.Parse(data)
	var old *kolaborasi.Solution
	if f != nil && f.URL != "" {
		s, err := a.store.FindSolutionByCode(ctx, region, f.URL)
		if err == nil {
			old = s
		} else if kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			return nil, res, err
		}
	}
	if !res.Valid() {
		return old, res, errPublicCode(res)
	}
	s := &kolaborasi.Solution{RegionCode: region}
	if old != nil {
		c := *old
		s = &c
	}
	fromPublicCode(f, s)
	s.PublicCode = string(data)
	if err := validateSolution(s); err != nil {
		return old, res, err
	}
	err := a.change(ctx, ActSolutionPublish, region, func(tx kolaborasi.Store) (string, string, error) {
		if err := a.prepareSolution(ctx, tx, s); err != nil {
			return "", "", err
		}
		if old == nil {
			s.CreatedAt = s.UpdatedAt
			if err := tx.CreateSolution(ctx, s); err != nil {
				return "", "", err
			}
			return solutionEntity(s.ID), fmt.Sprintf("imported publiccode.yml of %s", f.URL), nil
		}
		if err := tx.UpdateSolution(ctx, s); err != nil {
			return "", "", err
		}
		return solutionEntity(s.ID), fmt.Sprintf("imported publiccode.yml of %s as version %d", f.URL, s.Version), nil
	})
	if err != nil {
		return old, res, err
	}
	return s, res, nil
}

// ExportPublicCode writes a software solution as publiccode.yml: the file
// it was imported from with the fields editors changed since written over
// it, and organisation.uri naming the region (publiccode.RegionURI). A
// solution made in Kolaborasi gets a new file of the latest version.
func (a *App) ExportPublicCode(ctx context.Context, id int64) ([]byte, error) {
	s, err := a.SharedSolution(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.exportPublicCode(ctx, s)
}

// exportPublicCode writes s as publiccode.yml (see ExportPublicCode),
// without changing it.
func (a *App) exportPublicCode(ctx context.Context, s *kolaborasi.Solution) ([]byte, error) {
	f, err := a.publicCodeFile(ctx, s)
	if err != nil {
		return nil, err
	}
	return publiccode.Marshal(f)
}

// publicCodeFile is the valid publiccode.yml file of s (see
// ExportPublicCode), or why it cannot be one.
func (a *App) publicCodeFile(ctx context.Context, s *kolaborasi.Solution) (*publiccode.File, error) {
	id := s.ID
	if s.Kind != kolaborasi.KindSoftware {
		return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "Only software solutions have a publiccode.yml; solution %d is a %s.", id, s.Kind)
	}
	// The region's name is reference data (RegionNames), not read again.
	names, err := a.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	regionName, ok := names[s.RegionCode]
	if !ok {
		return nil, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Region %s does not exist.", s.RegionCode)
	}
	var f *publiccode.File
	if s.PublicCode != "" {
		parsed, res := publiccode.Parse([]byte(s.PublicCode))
		if parsed == nil || !res.Valid() {
			return nil, fmt.Errorf("stored publiccode.yml of solution %d no longer parses", id)
		}
		f = parsed
	} else {
		ready := false
		f = &publiccode.File{PublicCodeYmlVersion: publiccode.LatestVersion, SoftwareType: "standalone/web",
			Description: map[string]publiccode.Description{}, Maintenance: publiccode.Maintenance{Type: "internal"},
			Localisation: publiccode.Localisation{LocalisationReady: &ready}}
		for _, l := range []struct {
			lang        string
			short, long string
		}{{"id", s.Short.ID, s.Long.ID}, {"en", s.Short.EN, s.Long.EN}} {
			if l.short != "" || l.long != "" {
				f.Description[l.lang] = publiccode.Description{Features: []string{l.short}}
				f.Localisation.AvailableLanguages = append(f.Localisation.AvailableLanguages, l.lang)
			}
		}
	}
	// Write over the file only what differs from what importing it gives,
	// so that an unchanged solution exports its file's content unchanged.
	var was kolaborasi.Solution
	fromPublicCode(f, &was)
	if s.Name.ID != was.Name.ID {
		f.Name = s.Name.ID
		if f.Name == "" {
			f.Name = s.Name.EN
		}
	}
	if s.Links.Code != was.Links.Code {
		f.URL = s.Links.Code
	}
	if s.Links.Site != was.Links.Site {
		f.LandingURL = s.Links.Site
	}
	for _, lang := range []string{"id", "en"} {
		short, long, wasShort, wasLong := s.Short.ID, s.Long.ID, was.Short.ID, was.Long.ID
		if lang == "en" {
			short, long, wasShort, wasLong = s.Short.EN, s.Long.EN, was.Short.EN, was.Long.EN
		}
		if short == wasShort && long == wasLong {
			continue
		}
		key := descLang(f, lang)
		if key == "" && lang == "en" && descLang(f, "id") == "" && len(f.Description) > 0 {
			continue // the English fields showed another language; keep it
		}
		if key == "" {
			key = lang
		}
		d := f.Description[key]
		d.ShortDescription, d.LongDescription = short, long
		f.Description[key] = d
	}
	if statusOf[s.Maturity] != "" && s.Maturity != was.Maturity {
		f.DevelopmentStatus = statusOf[s.Maturity]
	}
	if s.Licence != was.Licence {
		f.Legal.License = s.Licence
	}
	if !slices.Equal(s.Platforms, was.Platforms) {
		f.Platforms = slices.Clone(s.Platforms)
	}
	if !slices.Equal(s.Contacts, was.Contacts) {
		f.Maintenance.Contacts = nil
		for _, c := range s.Contacts {
			f.Maintenance.Contacts = append(f.Maintenance.Contacts, publiccode.Contact{Name: c.Name, Email: c.Email, Phone: c.Phone, Affiliation: c.Role})
		}
	}
	if s.PublicCode == "" && len(f.Maintenance.Contacts) == 0 {
		f.Maintenance.Type = "none"
	}
	// organisation exists since 0.5; older files keep their shape.
	if f.PublicCodeYmlVersion >= "0.5" {
		if f.Organisation == nil {
			f.Organisation = &publiccode.Organisation{}
		}
		f.Organisation.URI = publiccode.RegionURI(s.RegionCode)
		f.Organisation.Name = "Pemerintah " + regionName
	}
	// A solution made here may lack what the standard requires (a code
	// repository, a long enough description): say what, rather than
	// exporting an invalid file.
	if res := publiccode.Validate(f); !res.Valid() {
		e := &kolaborasi.Error{Code: kolaborasi.EINVALID, Fields: map[string]string{},
			Message: "This solution cannot be exported as a valid publiccode.yml yet; complete what is listed."}
		for _, m := range res.Errors() {
			switch {
			case m.Path == "url" && m.Code == publiccode.CodeMissingKey:
				// The file's url is the solution's code repository.
				e.Fields["links.code"] = "A publiccode.yml needs the address of the code repository."
			case m.Code == publiccode.CodeMissingKey:
				e.Fields[m.Path] = "A publiccode.yml needs this."
			default:
				e.Fields[m.Path] = m.Text
			}
		}
		return nil, e
	}
	return f, nil
}
