package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// indicatorFormPage defines or changes an indicator (platform
// administrators).
type indicatorFormPage struct {
	pageBase
	Ind        *kolaborasi.Indicator
	IsNew      bool
	Message    string
	Errors     fieldErrors
	Frameworks []kolaborasi.Framework
	Dimensions []kolaborasi.Dimension
	Kinds      []kolaborasi.PeriodKind
	Directions []kolaborasi.Direction
}

func (s *Server) indicatorForm(w http.ResponseWriter, r *http.Request, ind *kolaborasi.Indicator, isNew bool, status int, err error) error {
	if cerr := s.app.Check(r.Context(), app.ActIndicatorManage, ""); cerr != nil {
		return cerr
	}
	p := indicatorFormPage{pageBase: s.base(r, "indikator"), Ind: ind, IsNew: isNew, Frameworks: kolaborasi.Frameworks,
		Dimensions: kolaborasi.Dimensions, Kinds: []kolaborasi.PeriodKind{kolaborasi.Yearly, kolaborasi.Quarterly, kolaborasi.Monthly},
		Directions: []kolaborasi.Direction{kolaborasi.HigherIsBetter, kolaborasi.LowerIsBetter}}
	if err != nil {
		p.Message, p.Errors = p.tr.explain(err)
	}
	return s.render(w, r, status, "indicator_form", p)
}

func (s *Server) uiIndicatorNew(w http.ResponseWriter, r *http.Request) error {
	return s.indicatorForm(w, r, &kolaborasi.Indicator{Framework: kolaborasi.FrameworkCustom, Direction: kolaborasi.HigherIsBetter,
		PeriodKind: kolaborasi.Yearly}, true, http.StatusOK, nil)
}

func (s *Server) uiIndicatorEdit(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.app.Indicator(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return s.indicatorForm(w, r, ind, false, http.StatusOK, nil)
}

// formIndicator reads the form's fields.
func formIndicator(r *http.Request, code string) *kolaborasi.Indicator {
	v := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	return &kolaborasi.Indicator{Code: code, Framework: kolaborasi.Framework(v("framework")), FrameworkCode: v("framework_code"),
		Name: kolaborasi.Texts{ID: v("name_id"), EN: v("name_en")}, Theme: v("theme"), Dimension: kolaborasi.Dimension(v("dimension")),
		Unit: v("unit"), Direction: kolaborasi.Direction(v("direction")), PeriodKind: kolaborasi.PeriodKind(v("period_kind")),
		Description: kolaborasi.Texts{ID: v("description_id"), EN: v("description_en")}, Source: v("source"), SourceURL: v("source_url")}
}

func (s *Server) saveIndicator(w http.ResponseWriter, r *http.Request, ind *kolaborasi.Indicator, isNew bool) error {
	if err := s.app.SaveIndicator(r.Context(), ind, isNew); err != nil {
		switch kolaborasi.ErrorCode(err) {
		case kolaborasi.EINVALID:
			return s.indicatorForm(w, r, ind, isNew, http.StatusBadRequest, err)
		case kolaborasi.ECONFLICT:
			return s.indicatorForm(w, r, ind, isNew, http.StatusConflict, err)
		}
		return err
	}
	return redirectFlash(w, r, "/indikator/"+url.PathEscape(ind.Code), "flash.indicator_saved")
}

func (s *Server) uiIndicatorCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	return s.saveIndicator(w, r, formIndicator(r, strings.TrimSpace(r.PostForm.Get("code"))), true)
}

func (s *Server) uiIndicatorUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	return s.saveIndicator(w, r, formIndicator(r, r.PathValue("code")), false)
}
