package web

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

type managePage struct {
	pageBase
	Region *kolaborasi.Region
	OPDs   []*kolaborasi.OPD
	Users  []*kolaborasi.User
	Kinds  []kolaborasi.OPDKind
	Roles  []kolaborasi.Role
	// GrantsRegionAdmin says whether the user may grant region_admin.
	GrantsRegionAdmin bool
	// NewLink is a one-time link (invitation or reset) to show once.
	NewLink      string
	NewLinkFor   string
	NewLinkReset bool
}

func (s *Server) managePage(r *http.Request) (managePage, error) {
	ctx := r.Context()
	p := managePage{pageBase: s.base(r, "kelola"), Kinds: kolaborasi.OPDKinds, Roles: kolaborasi.RegionRoles}
	var err error
	if p.Region, err = s.app.Region(ctx, r.PathValue("code")); err != nil {
		return p, err
	}
	// Users first: it is the authorised call, so a visitor without rights
	// gets 401/403 before anything else is read.
	if p.Users, err = s.app.Users(ctx, p.Region.Code); err != nil {
		return p, err
	}
	if p.OPDs, err = s.app.OPDs(ctx, p.Region.Code); err != nil {
		return p, err
	}
	p.GrantsRegionAdmin = app.Allowed(p.User, app.ActRegionAdminManage, "")
	return p, nil
}

func (s *Server) uiManage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.managePage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "manage", p)
}

func manageURL(code string) string { return "/kelola/" + code }

func (s *Server) uiUpdateProfile(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	p := kolaborasi.RegionProfile{HeadTitle: r.PostFormValue("head_title"), Address: r.PostFormValue("address"),
		Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"), Website: r.PostFormValue("website")}
	if err := s.app.UpdateRegionProfile(r.Context(), code, p); err != nil {
		return s.refuse(w, r, s.uiManage, "", err)
	}
	return redirectFlash(w, r, manageURL(code), "flash.profile_saved")
}

func (s *Server) uiUploadLogo(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	f, _, err := r.FormFile("logo")
	if err != nil {
		return s.refuse(w, r, s.uiManage, "logo", &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Choose an image file (PNG or JPEG, at most 512 KiB).",
			Fields: map[string]string{"logo": "choose a PNG or JPEG file"}})
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, app.MaxImageBytes+1))
	if err != nil {
		return s.refuse(w, r, s.uiManage, "logo", kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read."))
	}
	if err := s.app.UploadRegionLogo(r.Context(), code, data); err != nil {
		return s.refuse(w, r, s.uiManage, "logo", err)
	}
	return redirectFlash(w, r, manageURL(code), "flash.logo_saved")
}

func formOPD(r *http.Request) *kolaborasi.OPD {
	return &kolaborasi.OPD{RegionCode: r.PathValue("code"), Name: r.PostFormValue("name"),
		ShortName: r.PostFormValue("short_name"), Kind: kolaborasi.OPDKind(r.PostFormValue("kind"))}
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such item.")
	}
	return id, nil
}

func (s *Server) uiCreateOPD(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.CreateOPD(r.Context(), formOPD(r)); err != nil {
		return err
	}
	return redirectFlash(w, r, manageURL(r.PathValue("code")), "flash.opd_saved")
}

func (s *Server) uiUpdateOPD(w http.ResponseWriter, r *http.Request) error {
	o := formOPD(r)
	var err error
	if o.ID, err = pathID(r); err != nil {
		return err
	}
	if err := s.app.UpdateOPD(r.Context(), o); err != nil {
		return err
	}
	return redirectFlash(w, r, manageURL(o.RegionCode), "flash.opd_saved")
}

func (s *Server) uiDeleteOPD(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.app.DeleteOPD(r.Context(), r.PathValue("code"), id); err != nil {
		return err
	}
	return redirectFlash(w, r, manageURL(r.PathValue("code")), "flash.opd_deleted")
}

func formUser(r *http.Request) app.UserInput {
	r.ParseForm()
	in := app.UserInput{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Region: r.PathValue("code"),
		Status: kolaborasi.UserStatus(r.PostForm.Get("status"))}
	in.OPDID, _ = strconv.ParseInt(r.PostForm.Get("opd"), 10, 64)
	for _, role := range r.PostForm["roles"] {
		in.Roles = append(in.Roles, kolaborasi.Role(role))
	}
	return in
}

// linkURL is the absolute URL of a one-time link, for the administrator to
// pass on.
func (s *Server) linkURL(token string) string {
	return s.absURL("/tautan/" + url.PathEscape(token))
}

func (s *Server) uiInviteUser(w http.ResponseWriter, r *http.Request) error {
	u, token, err := s.app.InviteUser(r.Context(), formUser(r))
	if err != nil {
		return err
	}
	p, err := s.managePage(r)
	if err != nil {
		return err
	}
	p.NewLink, p.NewLinkFor = s.linkURL(token), u.Email
	return s.render(w, r, http.StatusOK, "manage", p)
}

func (s *Server) uiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.app.UpdateUserAccess(r.Context(), id, formUser(r)); err != nil {
		return err
	}
	return redirectFlash(w, r, manageURL(r.PathValue("code")), "flash.user_saved")
}

func (s *Server) uiResetLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	token, err := s.app.IssueResetLink(r.Context(), r.PathValue("code"), id)
	if err != nil {
		return err
	}
	p, err := s.managePage(r)
	if err != nil {
		return err
	}
	for _, u := range p.Users {
		if u.ID == id {
			p.NewLinkFor = u.Email
		}
	}
	p.NewLink, p.NewLinkReset = s.linkURL(token), true
	return s.render(w, r, http.StatusOK, "manage", p)
}

type auditPage struct {
	pageBase
	Region  *kolaborasi.Region
	Entries []*kolaborasi.AuditEntry
	Next    string
	CSV     string
}

// auditRegion is the region of an audit route: "" for the platform-wide
// trail at /audit.
func (s *Server) auditEntries(r *http.Request) (string, []*kolaborasi.AuditEntry, error) {
	region := r.PathValue("code")
	before, _ := strconv.ParseInt(r.URL.Query().Get("sebelum"), 10, 64)
	entries, err := s.app.AuditTrail(r.Context(), region, before)
	return region, entries, err
}

func (s *Server) uiAudit(w http.ResponseWriter, r *http.Request) error {
	region, entries, err := s.auditEntries(r)
	if err != nil {
		return err
	}
	p := auditPage{pageBase: s.base(r, "kelola"), Entries: entries, CSV: "/audit.csv"}
	if region != "" {
		if p.Region, err = s.app.Region(r.Context(), region); err != nil {
			return err
		}
		p.CSV = manageURL(region) + "/audit.csv"
	}
	if len(entries) == 100 {
		p.Next = "?sebelum=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	return s.render(w, r, http.StatusOK, "audit", p)
}

// uiAuditCSV exports the whole trail the user may read, newest first.
func (s *Server) uiAuditCSV(w http.ResponseWriter, r *http.Request) error {
	region, entries, err := s.auditEntries(r)
	if err != nil {
		return err
	}
	name := "audit-kolaborasi.csv"
	if region != "" {
		name = "audit-" + region + ".csv"
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "time_utc", "actor_id", "actor", "region", "action", "entity", "summary", "request_id"})
	for {
		for _, e := range entries {
			cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), strconv.FormatInt(e.ActorID, 10),
				csvSafe(e.ActorName), e.RegionCode, e.Action, e.Entity, csvSafe(e.Summary), e.RequestID})
		}
		if len(entries) < 100 {
			break
		}
		if entries, err = s.app.AuditTrail(r.Context(), region, entries[len(entries)-1].ID); err != nil {
			cw.Flush()
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formulas in user-provided text (CSV
// injection): a leading =, +, - or @ is prefixed with an apostrophe.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// handleFile serves a file by its hash. Its content never changes, so a
// public file (an image, an attachment of a public agreement) may be kept by
// every cache for a year; any other file is private to those who may read it
// (the route's default, private, no-store).
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) error {
	f, public, err := s.app.FileAccess(r.Context(), r.PathValue("sha"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	if public {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(f.Data)
	return err
}
