package web

import "github.com/kolaborasi/kolaborasi/app"

// routeTable lists every route Kolaborasi serves. Tests walk it: the OpenAPI
// document must describe every API route, every mutating route must state
// its authorisation policy, and every route's Cache-Control must follow its
// cache policy (private unless stated; public only for answers that never
// depend on who asks).
func (s *Server) routeTable() []route {
	return []route{
		// Operations.
		{method: "GET", pattern: "/healthz", h: s.handleHealthz},
		{method: "GET", pattern: "/readyz", h: s.handleReadyz},

		// Static files and map data.
		{method: "GET", pattern: "/assets/{name...}", h: s.handleAsset, cache: cachePublic},
		{method: "GET", pattern: "/peta/{file}", h: s.handleGeoJSON, cache: cachePublic},

		// Public images are public; an attachment is private (app decides).
		{method: "GET", pattern: "/berkas/{sha}", h: s.handleFile, cache: cachePerAnswer},

		// Pages.
		{method: "GET", pattern: "/{$}", h: s.uiHome},
		{method: "POST", pattern: "/bahasa", h: s.uiSetLanguage, policy: policyPublic},
		{method: "GET", pattern: "/wilayah", h: s.uiRegionList},
		{method: "GET", pattern: "/wilayah/{code}", h: s.uiRegionShow},

		// The solution catalog.
		{method: "GET", pattern: "/katalog", h: s.uiCatalog},
		{method: "GET", pattern: "/solusi/{id}", h: s.uiSolution},
		{method: "GET", pattern: "/solusi/{id}/publiccode.yml", h: s.uiSolutionPublicCode},
		{method: "GET", pattern: "/kelola/{code}/solusi/baru", h: s.uiSolutionNew, policy: string(app.ActSolutionPublish)},
		{method: "POST", pattern: "/kelola/{code}/solusi", h: s.uiSolutionCreate, form: s.uiSolutionNew, policy: string(app.ActSolutionPublish)},
		{method: "GET", pattern: "/solusi/{id}/ubah", h: s.uiSolutionEdit, policy: string(app.ActSolutionPublish)},
		{method: "POST", pattern: "/solusi/{id}", h: s.uiSolutionUpdate, form: s.uiSolutionEdit, policy: string(app.ActSolutionPublish)},
		{method: "POST", pattern: "/solusi/{id}/pensiun", h: s.uiSolutionRetire, policy: string(app.ActSolutionPublish)},
		{method: "POST", pattern: "/solusi/{id}/gambar", h: s.uiSolutionImage, form: s.uiSolutionEdit, policy: string(app.ActSolutionPublish), bodyLimit: app.MaxImageBytes + 64<<10},
		{method: "GET", pattern: "/kelola/{code}/impor", h: s.uiImportForm, policy: string(app.ActSolutionPublish)},
		{method: "POST", pattern: "/kelola/{code}/impor", h: s.uiImport, form: s.uiImportForm, policy: string(app.ActSolutionPublish), bodyLimit: validatorBodyLimit},

		// The self-service publiccode.yml validator: nothing is stored.
		{method: "GET", pattern: "/publiccode", h: s.uiValidatorForm},
		{method: "POST", pattern: "/publiccode", h: s.uiValidate, form: s.uiValidatorForm, policy: policyPublic, bodyLimit: validatorBodyLimit},

		// Cooperation agreements (K4): the public list and verification
		// page, drafting, signing, signing keys, the network and the log.
		{method: "GET", pattern: "/kerjasama", h: s.uiAgreementList},
		{method: "GET", pattern: "/kerjasama/{id}", h: s.uiAgreement},
		{method: "GET", pattern: "/kelola/{code}/kerjasama/baru", h: s.uiAgreementNew, policy: string(app.ActAgreementDraft)},
		{method: "POST", pattern: "/kelola/{code}/kerjasama", h: s.uiAgreementCreate, form: s.uiAgreementNew, policy: string(app.ActAgreementDraft)},
		{method: "GET", pattern: "/kerjasama/{id}/ubah", h: s.uiAgreementEdit, policy: string(app.ActAgreementDraft)},
		{method: "POST", pattern: "/kerjasama/{id}", h: s.uiAgreementUpdate, form: s.uiAgreementEdit, policy: string(app.ActAgreementDraft)},
		{method: "GET", pattern: "/kerjasama/{id}/adendum", h: s.uiAddendumForm, policy: string(app.ActAgreementDraft)},
		{method: "POST", pattern: "/kerjasama/{id}/adendum", h: s.uiAddendum, form: s.uiAddendumForm, policy: string(app.ActAgreementDraft)},
		{method: "POST", pattern: "/kerjasama/{id}/status", h: s.uiAgreementMove, policy: string(app.ActAgreementMove)},
		{method: "POST", pattern: "/kerjasama/{id}/lampiran", h: s.uiAgreementAttach, form: s.uiAgreement, policy: string(app.ActAgreementDraft), bodyLimit: app.MaxAttachmentBytes + 64<<10},
		{method: "GET", pattern: "/kerjasama/{id}/tanda-tangan", h: s.uiSignForm, policy: string(app.ActAgreementSign)},
		{method: "POST", pattern: "/kerjasama/{id}/tanda-tangan", h: s.uiSign, policy: string(app.ActAgreementSign)},
		{method: "GET", pattern: "/kelola/{code}/tenggat", h: s.uiDeadlines, policy: string(app.ActAgreementDeadlines)},
		{method: "GET", pattern: "/akun/kunci", h: s.uiMyKeys, policy: string(app.ActOwnAccount)},
		{method: "POST", pattern: "/akun/kunci", h: s.uiKeyRequest, policy: string(app.ActSigningKeyRequest)},
		{method: "GET", pattern: "/kelola/{code}/kunci", h: s.uiRegionKeys, policy: string(app.ActSigningKeyDecide)},
		{method: "POST", pattern: "/kelola/{code}/kunci/{id}/{decision}", h: s.uiKeyDecide, policy: string(app.ActSigningKeyDecide)},
		{method: "GET", pattern: "/jaringan", h: s.uiNetwork},
		{method: "GET", pattern: "/log", h: s.uiLog},

		// Indicators and observations (K5).
		{method: "GET", pattern: "/indikator", h: s.uiIndicators},
		{method: "GET", pattern: "/indikator/{code}", h: s.uiIndicator},
		{method: "GET", pattern: "/indikator/baru", h: s.uiIndicatorNew, policy: string(app.ActIndicatorManage)},
		{method: "POST", pattern: "/indikator", h: s.uiIndicatorCreate, form: s.uiIndicatorNew, policy: string(app.ActIndicatorManage)},
		{method: "GET", pattern: "/indikator/{code}/ubah", h: s.uiIndicatorEdit, policy: string(app.ActIndicatorManage)},
		{method: "POST", pattern: "/indikator/{code}", h: s.uiIndicatorUpdate, form: s.uiIndicatorEdit, policy: string(app.ActIndicatorManage)},
		{method: "GET", pattern: "/observasi/ekspor", h: s.uiObservationExport},
		{method: "GET", pattern: "/kelola/{code}/indikator/impor", h: s.uiObservationImportForm, policy: string(app.ActObservationImport)},
		{method: "POST", pattern: "/kelola/{code}/indikator/impor", h: s.uiObservationImport, form: s.uiObservationImportForm, policy: string(app.ActObservationImport), bodyLimit: importBodyLimit},
		// Rankings (K5): composite indices, their rankings and methodology.
		{method: "GET", pattern: "/peringkat", h: s.uiRankings},
		{method: "GET", pattern: "/peringkat/baru", h: s.uiRankingNew, policy: string(app.ActRankingManage)},
		{method: "POST", pattern: "/peringkat", h: s.uiRankingCreate, form: s.uiRankingNew, policy: string(app.ActRankingManage)},
		{method: "GET", pattern: "/peringkat/{slug}", h: s.uiRanking},
		{method: "GET", pattern: "/peringkat/{slug}/metode", h: s.uiRankingMethod},
		{method: "GET", pattern: "/peringkat/{slug}/daerah/{code}", h: s.uiRankingRegion},
		{method: "GET", pattern: "/peringkat/{slug}/ubah", h: s.uiRankingEdit, policy: string(app.ActRankingManage)},
		{method: "POST", pattern: "/peringkat/{slug}", h: s.uiRankingUpdate, form: s.uiRankingEdit, policy: string(app.ActRankingManage)},
		{method: "POST", pattern: "/peringkat/{slug}/hapus", h: s.uiRankingDelete, policy: string(app.ActRankingManage)},
		{method: "GET", pattern: "/api/v1/composite-indices", h: s.apiRankingList, api: true},
		{method: "POST", pattern: "/api/v1/composite-indices", h: s.apiRankingCreate, api: true, policy: string(app.ActRankingManage)},
		{method: "GET", pattern: "/api/v1/composite-indices/{slug}", h: s.apiRankingShow, api: true},
		{method: "PUT", pattern: "/api/v1/composite-indices/{slug}", h: s.apiRankingPut, api: true, policy: string(app.ActRankingManage)},
		{method: "DELETE", pattern: "/api/v1/composite-indices/{slug}", h: s.apiRankingDelete, api: true, policy: string(app.ActRankingManage)},
		{method: "GET", pattern: "/api/v1/composite-indices/{slug}/ranking", h: s.apiRanking, api: true},
		{method: "GET", pattern: "/api/v1/composite-indices/{slug}/regions/{code}/history", h: s.apiRankingHistory, api: true},
		{method: "GET", pattern: "/api/v1/indicators", h: s.apiIndicatorList, api: true},
		{method: "POST", pattern: "/api/v1/indicators", h: s.apiIndicatorCreate, api: true, policy: string(app.ActIndicatorManage)},
		{method: "GET", pattern: "/api/v1/indicators/{code}", h: s.apiIndicatorShow, api: true},
		{method: "PUT", pattern: "/api/v1/indicators/{code}", h: s.apiIndicatorPut, api: true, policy: string(app.ActIndicatorManage)},
		{method: "GET", pattern: "/api/v1/observations", h: s.apiObservations, api: true},
		{method: "POST", pattern: "/api/v1/observations/import", h: s.apiObservationImport, api: true, policy: string(app.ActObservationImport), bodyLimit: importBodyLimit},
		{method: "GET", pattern: "/api/v1/observations/export", h: s.apiObservationExport, api: true},

		// Accounts.
		{method: "GET", pattern: "/masuk", h: s.uiLoginForm},
		{method: "POST", pattern: "/masuk", h: s.uiLogin, policy: policyPublic},
		{method: "POST", pattern: "/keluar", h: s.uiLogout, policy: policySignedIn},
		{method: "GET", pattern: "/akun", h: s.uiAccount, policy: string(app.ActOwnAccount)},
		{method: "GET", pattern: "/ruang-kerja", h: s.uiWorkspace, policy: string(app.ActOwnAccount)},
		{method: "POST", pattern: "/akun/sandi", h: s.uiChangePassword, policy: string(app.ActOwnAccount)},
		{method: "POST", pattern: "/akun/token", h: s.uiCreateToken, policy: string(app.ActOwnAccount)},
		{method: "POST", pattern: "/akun/token/{id}/cabut", h: s.uiRevokeToken, policy: string(app.ActOwnAccount)},
		{method: "GET", pattern: "/tautan/{token}", h: s.uiLinkForm},
		{method: "POST", pattern: "/tautan/{token}", h: s.uiRedeemLink, policy: policyPublic},

		// Region administration.
		{method: "GET", pattern: "/kelola/{code}", h: s.uiManage, policy: string(app.ActUserManage)},
		{method: "POST", pattern: "/kelola/{code}/profil", h: s.uiUpdateProfile, form: s.uiManage, policy: string(app.ActRegionProfileUpdate)},
		{method: "POST", pattern: "/kelola/{code}/logo", h: s.uiUploadLogo, form: s.uiManage, policy: string(app.ActRegionProfileUpdate), bodyLimit: app.MaxImageBytes + 64<<10},
		{method: "POST", pattern: "/kelola/{code}/opd", h: s.uiCreateOPD, policy: string(app.ActOPDManage)},
		{method: "POST", pattern: "/kelola/{code}/opd/{id}", h: s.uiUpdateOPD, policy: string(app.ActOPDManage)},
		{method: "POST", pattern: "/kelola/{code}/opd/{id}/hapus", h: s.uiDeleteOPD, policy: string(app.ActOPDManage)},
		{method: "POST", pattern: "/kelola/{code}/pengguna", h: s.uiInviteUser, policy: string(app.ActUserManage)},
		{method: "POST", pattern: "/kelola/{code}/pengguna/{id}", h: s.uiUpdateUser, policy: string(app.ActUserManage)},
		{method: "POST", pattern: "/kelola/{code}/pengguna/{id}/reset", h: s.uiResetLink, policy: string(app.ActUserManage)},
		{method: "GET", pattern: "/kelola/{code}/audit", h: s.uiAudit, policy: string(app.ActAuditRead)},
		{method: "GET", pattern: "/kelola/{code}/audit.csv", h: s.uiAuditCSV, policy: string(app.ActAuditRead)},
		{method: "GET", pattern: "/audit", h: s.uiAudit, policy: string(app.ActAuditReadAll)},
		{method: "GET", pattern: "/audit.csv", h: s.uiAuditCSV, policy: string(app.ActAuditReadAll)},

		// JSON API.
		{method: "GET", pattern: "/api/v1/openapi.json", h: s.apiOpenAPI, api: true, cache: cachePublic},
		{method: "GET", pattern: "/api/v1/me", h: s.apiMe, api: true, policy: policySignedIn},
		{method: "GET", pattern: "/api/v1/me/workspace", h: s.apiWorkspace, api: true, policy: string(app.ActOwnAccount)},
		{method: "POST", pattern: "/api/v1/publiccode/validate", h: s.apiValidate, api: true, policy: policyPublic, bodyLimit: validatorBodyLimit},
		{method: "GET", pattern: "/api/v1/regions", h: s.apiRegionList, api: true},
		{method: "GET", pattern: "/api/v1/regions/{code}", h: s.apiRegionShow, api: true},
		{method: "PUT", pattern: "/api/v1/regions/{code}/profile", h: s.apiUpdateProfile, api: true, policy: string(app.ActRegionProfileUpdate)},
		{method: "POST", pattern: "/api/v1/regions/{code}/opds", h: s.apiCreateOPD, api: true, policy: string(app.ActOPDManage)},
		{method: "PATCH", pattern: "/api/v1/regions/{code}/opds/{id}", h: s.apiUpdateOPD, api: true, policy: string(app.ActOPDManage)},
		{method: "DELETE", pattern: "/api/v1/regions/{code}/opds/{id}", h: s.apiDeleteOPD, api: true, policy: string(app.ActOPDManage)},
		{method: "GET", pattern: "/api/v1/regions/{code}/audit", h: s.apiAudit, api: true, policy: string(app.ActAuditRead)},
		{method: "GET", pattern: "/api/v1/solutions", h: s.apiSolutionList, api: true},
		{method: "POST", pattern: "/api/v1/solutions", h: s.apiSolutionCreate, api: true, policy: string(app.ActSolutionPublish)},
		{method: "POST", pattern: "/api/v1/solutions/import", h: s.apiSolutionImport, api: true, policy: string(app.ActSolutionPublish), bodyLimit: validatorBodyLimit},
		{method: "GET", pattern: "/api/v1/solutions/{id}", h: s.apiSolutionShow, api: true},
		{method: "PATCH", pattern: "/api/v1/solutions/{id}", h: s.apiSolutionPatch, api: true, policy: string(app.ActSolutionPublish)},
		{method: "DELETE", pattern: "/api/v1/solutions/{id}", h: s.apiSolutionDelete, api: true, policy: string(app.ActSolutionPublish)},
		{method: "GET", pattern: "/api/v1/solutions/{id}/publiccode.yml", h: s.apiSolutionPublicCode, api: true},
		{method: "GET", pattern: "/api/v1/agreements", h: s.apiAgreementList, api: true},
		{method: "POST", pattern: "/api/v1/agreements", h: s.apiAgreementCreate, api: true, policy: string(app.ActAgreementDraft)},
		{method: "GET", pattern: "/api/v1/agreements/network", h: s.apiNetwork, api: true},
		{method: "GET", pattern: "/api/v1/agreements/{id}", h: s.apiAgreementShow, api: true},
		{method: "PUT", pattern: "/api/v1/agreements/{id}", h: s.apiAgreementUpdate, api: true, policy: string(app.ActAgreementDraft)},
		{method: "POST", pattern: "/api/v1/agreements/{id}/addenda", h: s.apiAgreementAddendum, api: true, policy: string(app.ActAgreementDraft)},
		{method: "POST", pattern: "/api/v1/agreements/{id}/status", h: s.apiAgreementMove, api: true, policy: string(app.ActAgreementMove)},
		{method: "POST", pattern: "/api/v1/agreements/{id}/attachments", h: s.apiAgreementAttach, api: true, policy: string(app.ActAgreementDraft), bodyLimit: app.MaxAttachmentBytes + 64<<10},
		{method: "GET", pattern: "/api/v1/agreements/{id}/events", h: s.apiAgreementEvents, api: true},
		{method: "GET", pattern: "/api/v1/agreements/{id}/signing-content", h: s.apiSigningContent, api: true},
		{method: "POST", pattern: "/api/v1/agreements/{id}/signatures", h: s.apiAgreementSign, api: true, policy: string(app.ActAgreementSign)},
		{method: "GET", pattern: "/api/v1/agreements/{id}/bundle", h: s.apiAgreementBundle, api: true},
		{method: "GET", pattern: "/api/v1/agreements/{id}/documents/{kind}", h: s.apiAgreementDocument, api: true},
		{method: "GET", pattern: "/api/v1/regions/{code}/agreement-deadlines", h: s.apiDeadlines, api: true, policy: string(app.ActAgreementDeadlines)},
		{method: "GET", pattern: "/api/v1/regions/{code}/signing-keys", h: s.apiRegionKeys, api: true, policy: string(app.ActSigningKeyDecide)},
		{method: "GET", pattern: "/api/v1/me/signing-keys", h: s.apiMyKeys, api: true, policy: string(app.ActOwnAccount)},
		{method: "POST", pattern: "/api/v1/signing-keys", h: s.apiKeyRequest, api: true, policy: string(app.ActSigningKeyRequest)},
		{method: "POST", pattern: "/api/v1/signing-keys/{id}/{decision}", h: s.apiKeyDecide, api: true, policy: string(app.ActSigningKeyDecide)},
		{method: "GET", pattern: "/api/v1/log/key", h: s.apiLogKey, api: true, cache: cachePublic},
		{method: "GET", pattern: "/api/v1/log/checkpoint", h: s.apiLogCheckpoint, api: true, cache: cachePublic},
		{method: "GET", pattern: "/api/v1/log/consistency", h: s.apiLogConsistency, api: true, cache: cachePublic},
		{method: "GET", pattern: "/api/v1/log/proof/{index}", h: s.apiLogProof, api: true, cache: cachePublic},
		{method: "GET", pattern: "/api/v1/log/entries", h: s.apiLogEntries, api: true, cache: cachePublic},

		// Adoptions and money saved (K5): pages, then the API.
		{method: "GET", pattern: "/adopsi/baru", h: s.uiAdoptionNew, policy: string(app.ActAdoptionRequest)},
		{method: "POST", pattern: "/adopsi", h: s.uiAdoptionCreate, form: s.uiAdoptionNew, policy: string(app.ActAdoptionRequest)},
		{method: "GET", pattern: "/adopsi/{id}", h: s.uiAdoption},
		{method: "POST", pattern: "/adopsi/{id}/keputusan", h: s.uiAdoptionDecide, form: s.uiAdoption, policy: string(app.ActAdoptionDecide)},
		{method: "POST", pattern: "/adopsi/{id}/tahap", h: s.uiAdoptionMove, form: s.uiAdoption, policy: string(app.ActAdoptionManage)},
		{method: "POST", pattern: "/adopsi/{id}/rincian", h: s.uiAdoptionDetails, form: s.uiAdoption, policy: string(app.ActAdoptionManage)},
		{method: "POST", pattern: "/adopsi/{id}/dokumen", h: s.uiAdoptionDocument, form: s.uiAdoption, policy: string(app.ActAdoptionManage), bodyLimit: app.MaxAttachmentBytes + 64<<10},
		{method: "POST", pattern: "/kerjasama/{id}/adopsi", h: s.uiAgreementAdoptions, form: s.uiAgreement, policy: string(app.ActAdoptionFromAgreement)},
		{method: "GET", pattern: "/penghematan", h: s.uiSavings},
		{method: "GET", pattern: "/api/v1/adoptions", h: s.apiAdoptionList, api: true},
		{method: "POST", pattern: "/api/v1/adoptions", h: s.apiAdoptionRequest, api: true, policy: string(app.ActAdoptionRequest)},
		{method: "GET", pattern: "/api/v1/adoptions/{id}", h: s.apiAdoptionShow, api: true},
		{method: "POST", pattern: "/api/v1/adoptions/{id}/decision", h: s.apiAdoptionDecide, api: true, policy: string(app.ActAdoptionDecide)},
		{method: "POST", pattern: "/api/v1/adoptions/{id}/stage", h: s.apiAdoptionMove, api: true, policy: string(app.ActAdoptionManage)},
		{method: "PUT", pattern: "/api/v1/adoptions/{id}/details", h: s.apiAdoptionDetails, api: true, policy: string(app.ActAdoptionManage)},
		{method: "POST", pattern: "/api/v1/adoptions/{id}/documents", h: s.apiAdoptionDocument, api: true, policy: string(app.ActAdoptionManage), bodyLimit: app.MaxAttachmentBytes + 64<<10},
		{method: "GET", pattern: "/api/v1/solutions/{id}/adopters", h: s.apiSolutionAdopters, api: true},
		{method: "POST", pattern: "/api/v1/agreements/{id}/adoptions", h: s.apiAgreementAdoptions, api: true, policy: string(app.ActAdoptionFromAgreement)},
		{method: "GET", pattern: "/api/v1/savings", h: s.apiSavings, api: true},
	}
}
