package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// workspaceLink is one thing a workspace offers: a catalog key naming it and
// the page where it is done. {code} stands for the user's region.
type workspaceLink struct {
	Label string `json:"label"`
	Key   string `json:"label_key"`
	Href  string `json:"href"`
}

// workspaceLinks maps each workspace action to the existing pages that do
// it. Which actions a user sees is app.Capabilities' decision.
var workspaceLinks = map[app.Action][]workspaceLink{
	app.ActSolutionPublish:     {{Key: "workspace.publish", Href: "/kelola/{code}/solusi/baru"}, {Key: "workspace.import", Href: "/kelola/{code}/impor"}},
	app.ActObservationImport:   {{Key: "workspace.observations", Href: "/kelola/{code}/indikator/impor"}},
	app.ActProductEdit:         {{Key: "workspace.producers", Href: "/kelola/{code}/produsen/baru"}, {Key: "workspace.products", Href: "/kelola/{code}/produk/baru"}},
	app.ActProductFeature:      {{Key: "workspace.feature", Href: "/kelola/{code}/produk#tampilkan"}},
	app.ActNeedManage:          {{Key: "workspace.needs", Href: "/wilayah/{code}/kebutuhan"}},
	app.ActAgreementDraft:      {{Key: "workspace.draft", Href: "/kelola/{code}/kerjasama/baru"}, {Key: "workspace.partners", Href: "/wilayah/{code}/mitra"}},
	app.ActAgreementDeadlines:  {{Key: "workspace.deadlines", Href: "/kelola/{code}/tenggat"}},
	app.ActSigningKeyRequest:   {{Key: "workspace.my_keys", Href: "/akun/kunci"}},
	app.ActAgreementSign:       {{Key: "workspace.sign", Href: "/kerjasama?wilayah={code}"}},
	app.ActSigningKeyDecide:    {{Key: "workspace.approve_keys", Href: "/kelola/{code}/kunci"}},
	app.ActUserManage:          {{Key: "workspace.users", Href: "/kelola/{code}#pengguna"}},
	app.ActRegionProfileUpdate: {{Key: "workspace.profile", Href: "/kelola/{code}#profil"}},
	app.ActAuditRead:           {{Key: "workspace.audit", Href: "/kelola/{code}/audit"}},
	app.ActAuditReadAll:        {{Key: "workspace.audit_all", Href: "/audit"}},
	app.ActRankingManage:       {{Key: "workspace.rankings", Href: "/peringkat/baru"}, {Key: "workspace.rankings_list", Href: "/peringkat"}},
}

// workspaceAction is an allowed action with its links.
type workspaceAction struct {
	Action app.Action      `json:"action"`
	Links  []workspaceLink `json:"links"`
}

// workspaceActions returns the links of the allowed actions for region.
func workspaceActions(can []app.Action, region string, tr translator) []workspaceAction {
	out := []workspaceAction{}
	for _, act := range can {
		wa := workspaceAction{Action: act, Links: []workspaceLink{}}
		for _, l := range workspaceLinks[act] {
			l.Href = strings.ReplaceAll(l.Href, "{code}", region)
			l.Label = tr.T(l.Key)
			wa.Links = append(wa.Links, l)
		}
		out = append(out, wa)
	}
	return out
}

type workspacePage struct {
	pageBase
	W       *app.Workspace
	Region  *kolaborasi.Region
	Actions []workspaceAction
	// Adoptions are the adoption lists with names (K5).
	Adoptions *workspaceAdoptions
}

// Pending reports whether anything waits for the user.
func (p workspacePage) Pending() bool {
	return len(p.W.Drafts)+len(p.W.ToSign)+len(p.W.Keys)+len(p.W.Deadlines)+len(p.W.Adoptions.Incoming)+len(p.W.Adoptions.InProgress) > 0
}

func (s *Server) uiWorkspace(w http.ResponseWriter, r *http.Request) error {
	ws, err := s.app.MyWorkspace(r.Context())
	if err != nil {
		return err
	}
	p := workspacePage{pageBase: s.base(r, "ruang-kerja"), W: ws}
	p.Actions = workspaceActions(ws.Can, ws.Region, p.tr)
	if p.Adoptions, err = s.workspaceAdoptions(r.Context(), p.Lang, ws.Adoptions); err != nil {
		return err
	}
	if ws.Region != "" {
		if p.Region, err = s.app.Region(r.Context(), ws.Region); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "workspace", p)
}

// apiWorkspace answers GET /me/workspace: the JSON form of the workspace.
func (s *Server) apiWorkspace(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	ws, err := s.app.MyWorkspace(r.Context())
	if err != nil {
		return err
	}
	type agreementRef struct {
		ID      int64                      `json:"id"`
		Version int64                      `json:"version"`
		Title   string                     `json:"title"`
		Status  kolaborasi.AgreementStatus `json:"status"`
		Href    string                     `json:"href"`
	}
	ref := func(ag *kolaborasi.Agreement, href string) agreementRef {
		return agreementRef{ID: ag.ID, Version: ag.Version, Title: ag.Content.Title, Status: ag.Status, Href: href}
	}
	type signature struct {
		Agreement agreementRef `json:"agreement"`
		Stage     string       `json:"stage"`
		Role      string       `json:"role"`
	}
	out := struct {
		Region     string                   `json:"region,omitempty"`
		Actions    []workspaceAction        `json:"actions"`
		Drafts     []agreementRef           `json:"drafts"`
		Signatures []signature              `json:"signatures"`
		Keys       []*kolaborasi.SigningKey `json:"signing_keys"`
		Deadlines  []apiDeadline            `json:"deadlines"`
		Adoptions  app.AdoptionWork         `json:"adoptions"`
	}{Region: ws.Region, Actions: workspaceActions(ws.Can, ws.Region, s.cat.translator(r)), Drafts: []agreementRef{},
		Signatures: []signature{}, Keys: ws.Keys, Deadlines: apiDeadlines(ws.Deadlines), Adoptions: ws.Adoptions}
	if out.Keys == nil {
		out.Keys = []*kolaborasi.SigningKey{}
	}
	for _, ag := range ws.Drafts {
		out.Drafts = append(out.Drafts, ref(ag, agreementURL(ag.ID)))
	}
	for _, ps := range ws.ToSign {
		out.Signatures = append(out.Signatures, signature{Agreement: ref(ps.Agreement, agreementURL(ps.Agreement.ID)+"/tanda-tangan"), Stage: ps.Stage, Role: ps.Role})
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: out})
}

// HasAction reports whether the workspace offers the action.
func (p workspacePage) HasAction(act string) bool {
	return slices.Contains(p.W.Can, app.Action(act))
}
