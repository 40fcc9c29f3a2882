package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/publiccode"
)

// formRows is how many evidence and contact rows the form offers; blank
// rows are ignored, so pages work without scripts.
const formRows = 3

type solutionFormPage struct {
	pageBase
	S          *kolaborasi.Solution
	Region     *kolaborasi.Region
	OPDs       []*kolaborasi.OPD
	New        bool
	Action     string
	Evidence   []kolaborasi.Claim
	Contacts   []kolaborasi.SolutionContact
	Platforms  string
	Errors     fieldErrors
	Message    string
	Kinds      []kolaborasi.SolutionKind
	Dimensions []kolaborasi.Dimension
	Sectors    []kolaborasi.Sector
	Maturities []kolaborasi.Maturity
	ReuseTerms []kolaborasi.ReuseTerm
}

// Has reports whether a list field of the solution holds v, for checkboxes.
func (p solutionFormPage) Has(field, v string) bool {
	switch field {
	case "dimensions":
		for _, d := range p.S.Dimensions {
			if string(d) == v {
				return true
			}
		}
	case "sectors":
		for _, d := range p.S.Sectors {
			if string(d) == v {
				return true
			}
		}
	case "reuse":
		for _, d := range p.S.Reuse {
			if string(d) == v {
				return true
			}
		}
	}
	return false
}

func (s *Server) solutionForm(r *http.Request, sol *kolaborasi.Solution, isNew bool) (solutionFormPage, error) {
	p := solutionFormPage{pageBase: s.base(r, "katalog"), S: sol, New: isNew, Kinds: kolaborasi.SolutionKinds,
		Dimensions: kolaborasi.Dimensions, Sectors: kolaborasi.Sectors, Maturities: kolaborasi.Maturities, ReuseTerms: kolaborasi.ReuseTerms,
		Platforms: strings.Join(sol.Platforms, ", ")}
	var err error
	if p.Region, err = s.app.Region(r.Context(), sol.RegionCode); err != nil {
		return p, err
	}
	if p.OPDs, err = s.app.OPDs(r.Context(), sol.RegionCode); err != nil {
		return p, err
	}
	p.Action = "/solusi/" + strconv.FormatInt(sol.ID, 10)
	if isNew {
		p.Action = "/kelola/" + sol.RegionCode + "/solusi"
	}
	p.Evidence = append(append([]kolaborasi.Claim{}, sol.Evidence...), make([]kolaborasi.Claim, formRows)...)[:max(formRows, len(sol.Evidence)+1)]
	p.Contacts = append(append([]kolaborasi.SolutionContact{}, sol.Contacts...), make([]kolaborasi.SolutionContact, formRows)...)[:max(formRows, len(sol.Contacts)+1)]
	return p, nil
}

func (s *Server) uiSolutionNew(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActSolutionPublish, code); err != nil {
		return err
	}
	sol := &kolaborasi.Solution{RegionCode: code, Kind: kolaborasi.KindProgramme, Maturity: kolaborasi.MaturityLive}
	p, err := s.solutionForm(r, sol, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "solution_form", p)
}

func (s *Server) uiSolutionEdit(w http.ResponseWriter, r *http.Request) error {
	sol, err := s.solutionFromPath(r, s.app.Solution)
	if err != nil {
		return err
	}
	if err := s.app.Check(r.Context(), app.ActSolutionPublish, sol.RegionCode); err != nil {
		return err
	}
	p, err := s.solutionForm(r, sol, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "solution_form", p)
}

// formSolution reads the publishing form into a solution.
func formSolution(r *http.Request, sol *kolaborasi.Solution) {
	f := r.PostForm
	num := func(k string) int64 {
		n, _ := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(f.Get(k)), ".", ""), ",", ""), 10, 64)
		return n
	}
	sol.Kind = kolaborasi.SolutionKind(f.Get("kind"))
	sol.OPDID = num("opd")
	sol.Name = kolaborasi.Texts{ID: f.Get("name_id"), EN: f.Get("name_en")}
	sol.Short = kolaborasi.Texts{ID: f.Get("short_id"), EN: f.Get("short_en")}
	sol.Long = kolaborasi.Texts{ID: f.Get("long_id"), EN: f.Get("long_en")}
	sol.Dimensions, sol.Sectors, sol.Reuse = nil, nil, nil
	for _, v := range f["dimensions"] {
		sol.Dimensions = append(sol.Dimensions, kolaborasi.Dimension(v))
	}
	for _, v := range f["sectors"] {
		sol.Sectors = append(sol.Sectors, kolaborasi.Sector(v))
	}
	for _, v := range f["reuse"] {
		sol.Reuse = append(sol.Reuse, kolaborasi.ReuseTerm(v))
	}
	sol.Maturity = kolaborasi.Maturity(f.Get("maturity"))
	sol.StartedYear = int(num("started_year"))
	sol.CostBuild = kolaborasi.Money{IDR: num("cost_build"), Source: strings.TrimSpace(f.Get("cost_build_source"))}
	sol.CostAdopt = kolaborasi.Money{IDR: num("cost_adopt"), Source: strings.TrimSpace(f.Get("cost_adopt_source"))}
	sol.Licence = strings.TrimSpace(f.Get("licence"))
	sol.Platforms = nil
	for _, p := range strings.Split(f.Get("platforms"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			sol.Platforms = append(sol.Platforms, p)
		}
	}
	sol.Links = kolaborasi.SolutionLinks{Site: strings.TrimSpace(f.Get("link_site")), Code: strings.TrimSpace(f.Get("link_code")),
		Docs: strings.TrimSpace(f.Get("link_docs"))}
	sol.Evidence = nil
	for i, text := range f["evidence_text"] {
		if strings.TrimSpace(text) == "" {
			continue
		}
		c := kolaborasi.Claim{Text: text, Unit: at(f["evidence_unit"], i), Period: at(f["evidence_period"], i),
			Source: strings.TrimSpace(at(f["evidence_source_name"], i)), SourceURL: strings.TrimSpace(at(f["evidence_source"], i))}
		c.Value, _ = strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(at(f["evidence_value"], i)), ",", "."), 64)
		sol.Evidence = append(sol.Evidence, c)
	}
	sol.Contacts = nil
	for i, name := range f["contact_name"] {
		if strings.TrimSpace(name) == "" {
			continue
		}
		sol.Contacts = append(sol.Contacts, kolaborasi.SolutionContact{Name: name, Role: at(f["contact_role"], i),
			Email: strings.TrimSpace(at(f["contact_email"], i)), Phone: at(f["contact_phone"], i)})
	}
	if v, err := strconv.Atoi(f.Get("version")); err == nil {
		sol.Version = v
	}
}

func at(vs []string, i int) string {
	if i < len(vs) {
		return vs[i]
	}
	return ""
}

// formError re-renders the form with what the user entered and what is
// wrong, for an invalid entry; other errors go to the error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, sol *kolaborasi.Solution, isNew bool, err error) error {
	if kolaborasi.ErrorCode(err) != kolaborasi.EINVALID && kolaborasi.ErrorCode(err) != kolaborasi.ECONFLICT {
		return err
	}
	p, ferr := s.solutionForm(r, sol, isNew)
	if ferr != nil {
		return err
	}
	p.Message, p.Errors = p.tr.explain(err)
	return s.render(w, r, map[string]int{kolaborasi.EINVALID: http.StatusBadRequest, kolaborasi.ECONFLICT: http.StatusConflict}[kolaborasi.ErrorCode(err)], "solution_form", p)
}

func (s *Server) uiSolutionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	sol := &kolaborasi.Solution{RegionCode: r.PathValue("code")}
	formSolution(r, sol)
	if err := s.app.CreateSolution(r.Context(), sol); err != nil {
		return s.formError(w, r, sol, true, err)
	}
	return redirectFlash(w, r, "/solusi/"+strconv.FormatInt(sol.ID, 10), "flash.solution_saved")
}

func (s *Server) uiSolutionUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	old, err := s.solutionFromPath(r, s.app.Solution)
	if err != nil {
		return err
	}
	sol := *old
	formSolution(r, &sol)
	if err := s.app.UpdateSolution(r.Context(), &sol); err != nil {
		return s.formError(w, r, &sol, false, err)
	}
	return redirectFlash(w, r, "/solusi/"+strconv.FormatInt(sol.ID, 10), "flash.solution_saved")
}

func (s *Server) uiSolutionRetire(w http.ResponseWriter, r *http.Request) error {
	sol, err := s.solutionFromPath(r, s.app.Solution)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.app.RetireSolution(r.Context(), sol.ID, version); err != nil {
		return err
	}
	return redirectFlash(w, r, "/solusi/"+strconv.FormatInt(sol.ID, 10), "flash.solution_retired")
}

func (s *Server) uiSolutionImage(w http.ResponseWriter, r *http.Request) error {
	sol, err := s.solutionFromPath(r, s.app.Solution)
	if err != nil {
		return err
	}
	// A refused upload shows the form again, the reason beside the field.
	refused := func(err error) error {
		if code := kolaborasi.ErrorCode(err); code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
			return err
		}
		// The app names the field by the image's role; the form has one.
		if e := (*kolaborasi.Error)(nil); errors.As(err, &e) && e.Fields["image"] == "" {
			err = &kolaborasi.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{"image": e.Message}}
		}
		return s.formError(w, r, sol, false, err)
	}
	f, _, err := r.FormFile("image")
	if err != nil {
		return refused(&kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Choose an image file (PNG or JPEG, at most 512 KiB).",
			Fields: map[string]string{"image": "choose a PNG or JPEG file"}})
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, app.MaxImageBytes+1))
	if err != nil {
		return refused(kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read."))
	}
	if _, err := s.app.UploadSolutionImage(r.Context(), sol.ID, r.PostFormValue("role"), data); err != nil {
		return refused(err)
	}
	return redirectFlash(w, r, "/solusi/"+strconv.FormatInt(sol.ID, 10)+"/ubah", "flash.image_saved")
}

type importPage struct {
	pageBase
	Region   *kolaborasi.Region
	Solution *kolaborasi.Solution
	Report   *publiccode.Report
	Kept     bool
	Source   string
	Lines    []validatorLine
	Unplaced []publiccode.Message
}

// Sentence returns a message in the page's language.
func (p importPage) Sentence(m publiccode.Message) string { return m.Sentence(p.Lang) }

func (s *Server) uiImportForm(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActSolutionPublish, code); err != nil {
		return err
	}
	region, err := s.app.Region(r.Context(), code)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "import", importPage{pageBase: s.base(r, "katalog"), Region: region})
}

func (s *Server) uiImport(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActSolutionPublish, code); err != nil {
		return err
	}
	data, err := readYAML(r)
	if err != nil {
		return s.refuse(w, r, s.uiImportForm, "file", err)
	}
	region, err := s.app.Region(r.Context(), code)
	if err != nil {
		return err
	}
	sol, res, err := s.app.ImportPublicCode(r.Context(), code, data)
	p := importPage{pageBase: s.base(r, "katalog"), Region: region, Solution: sol}
	rep := publiccode.NewReport("publiccode.yml", res)
	p.Report = &rep
	status := http.StatusOK
	if err != nil {
		if kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
			return err
		}
		// A rejected update keeps the last good version: say so.
		p.Kept, status = sol != nil, http.StatusUnprocessableEntity
		p.Source = string(data)
		p.Lines, p.Unplaced = placeMessages(p.Source, res)
	}
	return s.render(w, r, status, "import", p)
}

// placeMessages splits a source into numbered lines with their messages;
// messages without a line come back separately.
func placeMessages(source string, res publiccode.Result) ([]validatorLine, []publiccode.Message) {
	var lines []validatorLine
	if len(source) <= publiccode.MaxSize && !strings.ContainsRune(source, 0) {
		for i, line := range strings.Split(strings.TrimSuffix(source, "\n"), "\n") {
			lines = append(lines, validatorLine{Number: i + 1, Text: line})
		}
	}
	var unplaced []publiccode.Message
	for _, m := range res.Messages {
		if m.Line >= 1 && m.Line <= len(lines) {
			lines[m.Line-1].Messages = append(lines[m.Line-1].Messages, m)
		} else {
			unplaced = append(unplaced, m)
		}
	}
	return lines, unplaced
}
