package storetest

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// agreementFixture stores the regions, a user and a file agreements refer to.
func agreementFixture(t *testing.T, s kolaborasi.Store) (*kolaborasi.User, *kolaborasi.File) {
	t.Helper()
	ctx := context.Background()
	LoadRegions(t, s)
	u := &kolaborasi.User{Email: "walikota@blitarkota.test", Name: "Wali Kota Blitar", RegionCode: "35.72",
		Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}, Status: kolaborasi.UserActive, CreatedAt: time.Now()}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	f := &kolaborasi.File{SHA256: strings.Repeat("ab", 32),
		ContentType: "application/pdf", Size: 4, Data: []byte("%PDF"), CreatedAt: time.Now()}
	if err := s.PutFile(ctx, f); err != nil {
		t.Fatal(err)
	}
	return u, f
}

func testAgreements(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	u, f := agreementFixture(t, s)
	at := time.Date(2026, 11, 27, 9, 30, 15, 123456000, time.UTC)
	content := kolaborasi.AgreementContent{Type: kolaborasi.KSDDSukarela, Title: "KSB Blitar–Bandung", Purpose: []string{"Berbagi."},
		Parties:   []kolaborasi.AgreementParty{{Region: "35.72", Name: "Pemerintah Kota Blitar", Office: "Wali Kota Blitar"}, {Region: "32.73", Name: "Pemerintah Kota Bandung", Office: "Wali Kota Bandung"}},
		Witnesses: []kolaborasi.AgreementWitness{{Region: "35.07", Office: "Bupati Malang"}},
		Scope:     []string{"Smart City", "Koperasi"}, Exchanges: []kolaborasi.ExchangeItem{{Giver: 1, Receivers: []int{0}, SolutionID: 42, Programme: "aplikasi", Terms: []string{"hibah"}}},
		Financing: []kolaborasi.Funding{{Party: 0, Source: "apbd"}}, SignDate: "2017-03-08", BudgetedInAPBD: true}
	ag := &kolaborasi.Agreement{Version: 1, Status: kolaborasi.StatusDraft, Content: content, CreatedBy: u.ID, CreatedAt: at, UpdatedAt: at}
	if err := s.CreateAgreement(ctx, ag); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindAgreement(ctx, ag.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(content)
	gotJSON, _ := json.Marshal(got.Content)
	if string(want) != string(gotJSON) || !got.CreatedAt.Equal(at) || got.Status != kolaborasi.StatusDraft || got.Frozen {
		t.Fatalf("round trip:\n got %s %+v\nwant %s", gotJSON, got, want)
	}
	_, err = s.FindAgreement(ctx, ag.ID+100, 0)
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// Filters: drafts are hidden unless asked for.
	count := func(f kolaborasi.AgreementFilter) int {
		t.Helper()
		ags, err := s.FindAgreements(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(ags)
	}
	if n := count(kolaborasi.AgreementFilter{}); n != 0 {
		t.Errorf("%d public agreements, want 0 (draft)", n)
	}
	totals := func() *kolaborasi.AgreementTotals {
		t.Helper()
		tot, err := s.CountAgreements(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return tot
	}
	if tot := totals(); len(tot.ByStatus) != 0 || len(tot.Regions) != 0 {
		t.Errorf("totals with only a draft: %+v, want none", tot)
	}
	for _, f := range []kolaborasi.AgreementFilter{{Region: "32.73"}, {Sector: "Koperasi"}, {Type: kolaborasi.KSDDSukarela}, {Year: 2017}} {
		f.IncludeDrafts = true
		if n := count(f); n != 1 {
			t.Errorf("filter %+v: %d, want 1", f, n)
		}
	}
	for _, f := range []kolaborasi.AgreementFilter{{Region: "35.07"}, {Sector: "Health"}, {Type: kolaborasi.KSDPK}, {Year: 2018}, {Before: ag.ID}} {
		f.IncludeDrafts = true
		if n := count(f); n != 0 {
			t.Errorf("filter %+v: %d, want 0", f, n)
		}
	}

	// Status moves are compare-and-set.
	due := at.Add(24 * time.Hour)
	if err := s.SetAgreementStatus(ctx, ag.ID, 1, kolaborasi.StatusDraft, kolaborasi.StatusOffered, due, at); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.SetAgreementStatus(ctx, ag.ID, 1, kolaborasi.StatusDraft, kolaborasi.StatusOffered, due, at), kolaborasi.ECONFLICT)
	got, _ = s.FindAgreement(ctx, ag.ID, 1)
	if got.Status != kolaborasi.StatusOffered || !got.ReportDue.Equal(due) {
		t.Errorf("after move: %s %v", got.Status, got.ReportDue)
	}
	// Counted once public: the parties' regions, not the witness's.
	if tot := totals(); len(tot.ByStatus) != 1 || tot.ByStatus[kolaborasi.StatusOffered] != 1 ||
		strings.Join(tot.Regions, " ") != "32.73 35.72" {
		t.Errorf("totals once offered: %+v, want 1 offered, regions 32.73 35.72", tot)
	}
	ev := &kolaborasi.AgreementEvent{AgreementID: ag.ID, Version: 1, From: kolaborasi.StatusDraft, To: kolaborasi.StatusOffered,
		At: at, ActorID: u.ID, ActorRole: "coordinator", Region: "35.72", LogIndex: 0}
	if err := s.CreateAgreementEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	evs, err := s.FindAgreementEvents(ctx, ag.ID)
	if err != nil || len(evs) != 1 || *evs[0] != *ev {
		t.Errorf("events %+v, %v", evs, err)
	}

	// Attachments refer to stored files; names are unique per version.
	att := &kolaborasi.AgreementAttachment{Name: "KAK.pdf", Kind: kolaborasi.AttachKAK, SHA256: f.SHA256, Size: f.Size, Party: "35.72",
		Signed: true, UploadedBy: u.ID, UploadedAt: at}
	if err := s.AddAgreementAttachment(ctx, ag.ID, 1, att); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.AddAgreementAttachment(ctx, ag.ID, 1, att), kolaborasi.ECONFLICT)
	missing := *att
	missing.Name, missing.SHA256 = "Other.pdf", "cd"+f.SHA256[2:]
	wantCode(t, s.AddAgreementAttachment(ctx, ag.ID, 1, &missing), kolaborasi.EINVALID)

	// Keys.
	pub := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	k := &kolaborasi.SigningKey{KeyID: ledger.KeyID(pub), PublicKey: pub, Region: "35.72", UserID: u.ID, Office: "Wali Kota Blitar",
		Status: kolaborasi.KeyPending, CreatedAt: at, RegLogIndex: -1, RevokeLogIndex: -1}
	if err := s.CreateSigningKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateSigningKey(ctx, k), kolaborasi.ECONFLICT)
	k.Status, k.DecidedBy, k.DecidedAt, k.RegLogIndex = kolaborasi.KeyActive, u.ID, at, 3
	if err := s.UpdateSigningKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	gk, err := s.FindSigningKey(ctx, k.KeyID)
	if err != nil || gk.Status != kolaborasi.KeyActive || gk.RegLogIndex != 3 || string(gk.PublicKey) != string(pub) || !gk.DecidedAt.Equal(at) {
		t.Errorf("key %+v, %v", gk, err)
	}
	if ks, err := s.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{Region: "35.72", Status: kolaborasi.KeyActive}); err != nil || len(ks) != 1 {
		t.Errorf("keys %v, %v", ks, err)
	}
	if ks, _ := s.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{UserID: u.ID + 1}); len(ks) != 0 {
		t.Errorf("another user's keys: %v", ks)
	}
	_, err = s.FindSigningKey(ctx, "0000000000000000")
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// A signature freezes the version; one per party, role and stage.
	sig := &kolaborasi.AgreementSignature{Stage: "ksb", Party: "35.72", Role: "signatory", KeyID: k.KeyID, Signature: make([]byte, 64),
		SignerID: u.ID, SignedAt: at, LogIndex: 4}
	if err := s.CreateAgreementSignature(ctx, ag.ID, 1, sig); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateAgreementSignature(ctx, ag.ID, 1, sig), kolaborasi.ECONFLICT)
	got, _ = s.FindAgreement(ctx, ag.ID, 0)
	if !got.Frozen || len(got.Signatures) != 1 || got.Signatures[0].KeyID != k.KeyID || len(got.Attachments) != 1 || !got.Attachments[0].Signed {
		t.Fatalf("after signing: %+v", got)
	}
	got.Content.Title = "changed"
	wantCode(t, s.UpdateAgreementContent(ctx, got, time.Time{}), kolaborasi.ECONFLICT)

	// A new version; the latest is what FindAgreement(0) and lists return.
	v2 := &kolaborasi.Agreement{ID: ag.ID, Version: 2, Status: kolaborasi.StatusDraft, Content: content, CreatedBy: u.ID, CreatedAt: at, UpdatedAt: at}
	v2.Content.Scope = []string{"Kesehatan"}
	if err := s.CreateAgreementVersion(ctx, v2); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateAgreementVersion(ctx, v2), kolaborasi.ECONFLICT)
	v2.Content.Title = "Addendum"
	// An editor who read the version before another save conflicts; the
	// save of the one who read the current state goes through.
	readAt := v2.UpdatedAt
	v2.UpdatedAt = at.Add(time.Minute)
	if err := s.UpdateAgreementContent(ctx, v2, readAt); err != nil {
		t.Fatal(err)
	}
	stale := *v2
	stale.Content.Title = "Lost update"
	stale.UpdatedAt = at.Add(2 * time.Minute)
	wantCode(t, s.UpdateAgreementContent(ctx, &stale, readAt), kolaborasi.ECONFLICT)
	if err := s.UpdateAgreementContent(ctx, v2, at.Add(time.Minute)); err != nil {
		t.Fatalf("update with the current time: %v", err)
	}
	latest, _ := s.FindAgreement(ctx, ag.ID, 0)
	v1, _ := s.FindAgreement(ctx, ag.ID, 1)
	if latest.Version != 2 || latest.Content.Title != "Addendum" || v1.Content.Title != content.Title {
		t.Errorf("versions: latest %d %q, v1 %q", latest.Version, latest.Content.Title, v1.Content.Title)
	}
	if n := count(kolaborasi.AgreementFilter{Sector: "Koperasi", IncludeDrafts: true}); n != 0 {
		t.Errorf("the old version's sector still matches")
	}
	if n := count(kolaborasi.AgreementFilter{Sector: "Kesehatan", IncludeDrafts: true}); n != 1 {
		t.Errorf("the new version's sector does not match")
	}

	// Without drafts, a list shows each agreement's latest version that is
	// not a draft: the signed version 1 stays listed beside its draft
	// addendum, and filters apply to that version.
	shown, err := s.FindAgreements(ctx, kolaborasi.AgreementFilter{})
	if err != nil || len(shown) != 1 || shown[0].Version != 1 || shown[0].Content.Title != content.Title {
		t.Fatalf("public list beside a draft addendum: %+v, %v", shown, err)
	}
	if want := (kolaborasi.AgreementNewest{Version: 2, Public: 1}); shown[0].Newest != want {
		t.Errorf("newest %+v, want %+v", shown[0].Newest, want)
	}
	if tot := totals(); len(tot.ByStatus) != 1 || tot.ByStatus[kolaborasi.StatusOffered] != 1 {
		t.Errorf("totals beside a draft addendum: %+v, want the public version 1 counted once", tot)
	}
	if n := count(kolaborasi.AgreementFilter{Sector: "Koperasi"}); n != 1 {
		t.Errorf("the public version's sector does not match: %d", n)
	}
	if n := count(kolaborasi.AgreementFilter{Sector: "Kesehatan"}); n != 0 {
		t.Errorf("the draft's sector matches in the public list: %d", n)
	}
	// The parties may announce the draft; only a draft takes the mark.
	if latest.Announced {
		t.Error("a new version is announced by default")
	}
	if err := s.SetAgreementAnnounced(ctx, ag.ID, 2, true); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.SetAgreementAnnounced(ctx, ag.ID, 1, true), kolaborasi.ECONFLICT)
	v1, _ = s.FindAgreement(ctx, ag.ID, 1)
	latest, _ = s.FindAgreement(ctx, ag.ID, 0)
	if want := (kolaborasi.AgreementNewest{Version: 2, Public: 1, Announced: true}); v1.Newest != want || latest.Newest != want {
		t.Errorf("newest after announcing: v1 %+v, latest %+v, want %+v", v1.Newest, latest.Newest, want)
	}
	if v1.Announced || !latest.Announced {
		t.Errorf("announced: v1 %v, v2 %v", v1.Announced, latest.Announced)
	}
	// Once offered, the addendum is the public version.
	if err := s.SetAgreementStatus(ctx, ag.ID, 2, kolaborasi.StatusDraft, kolaborasi.StatusOffered, time.Time{}, at); err != nil {
		t.Fatal(err)
	}
	shown, err = s.FindAgreements(ctx, kolaborasi.AgreementFilter{})
	if err != nil || len(shown) != 1 || shown[0].Version != 2 || shown[0].Newest.Public != 2 {
		t.Errorf("public list after the addendum is offered: %+v, %v", shown, err)
	}
}

// logHashes adapts the store to ledger.HashReader.
type logHashes struct{ s kolaborasi.Store }

func (h logHashes) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	hs, err := h.s.ReadLogHashes(ctx, indexes)
	out := make([]tlog.Hash, len(hs))
	for i := range hs {
		out[i] = hs[i]
	}
	return out, err
}

func testPublicLog(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	_, _, err := s.LogKey(ctx)
	wantCode(t, err, kolaborasi.ENOTFOUND)
	if err := s.InitLogKey(ctx, "verifier-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.InitLogKey(ctx, "verifier-2"); err != nil {
		t.Fatal(err)
	}
	if sk, vk, err := s.LogKey(ctx); err != nil || sk != "" || vk != "verifier-1" {
		t.Errorf("log key %q %q %v: the first stored verifier must stay, and no signing key is stored", sk, vk, err)
	}
	if err := s.ClearLogSigner(ctx); err != nil {
		t.Fatal(err)
	}
	if sk, vk, err := s.LogKey(ctx); err != nil || sk != "" || vk != "verifier-1" {
		t.Errorf("after ClearLogSigner: log key %q %q %v", sk, vk, err)
	}
	if cp, size, err := s.LatestCheckpoint(ctx); err != nil || cp != nil || size != 0 {
		t.Errorf("empty log: %q %d %v", cp, size, err)
	}
	if _, err := s.LockLog(ctx); err == nil {
		t.Error("LockLog outside a transaction succeeded")
	}
	mem := &ledger.MemoryStore{}
	appendBatch := func(n int, agreement string) *ledger.Batch {
		t.Helper()
		var b *ledger.Batch
		err := s.InTx(ctx, func(tx kolaborasi.Store) error {
			size, err := tx.LockLog(ctx)
			if err != nil {
				return err
			}
			entries := make([]ledger.Entry, n)
			for i := range entries {
				entries[i] = &ledger.StatusChange{AgreementID: agreement, Version: 1, From: "draft", To: "offered", ActorRole: "coordinator", Time: time.Unix(int64(i+1), 0)}
			}
			if b, err = ledger.AppendBatch(ctx, logHashes{tx}, size, entries); err != nil {
				return err
			}
			la := &kolaborasi.LogAppend{OldSize: size, HashIndex: b.HashIndex, Size: b.Size, Checkpoint: []byte("checkpoint " + agreement), At: time.Now()}
			for i, rec := range b.Records {
				la.Records = append(la.Records, kolaborasi.LogRecord{Index: size + int64(i), Type: "status_change", AgreementID: agreement, Version: 1, Data: rec})
			}
			for _, h := range b.Hashes {
				la.Hashes = append(la.Hashes, h)
			}
			return tx.AppendLog(ctx, la)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := mem.WriteHashes(ctx, b.HashIndex, b.Hashes); err != nil {
			t.Fatal(err)
		}
		return b
	}
	appendBatch(3, "1")
	b := appendBatch(1200, "2") // more rows than one INSERT holds
	cp, size, err := s.LatestCheckpoint(ctx)
	if err != nil || size != 1203 || string(cp) != "checkpoint 2" {
		t.Fatalf("checkpoint %q %d %v", cp, size, err)
	}
	root, err := ledger.TreeRoot(ctx, logHashes{s}, size)
	if err != nil || root != b.Root {
		t.Fatalf("root from the store %v, %v; want %v", root, err, b.Root)
	}
	memRoot, _ := ledger.TreeRoot(ctx, mem, size)
	if memRoot != root {
		t.Error("the store's tree differs from the in-memory one")
	}
	p, err := ledger.ProveInclusion(ctx, logHashes{s}, size, 1000)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.FindLogRecords(ctx, 1000, 1001)
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %v, %v", recs, err)
	}
	if err := ledger.CheckInclusion(p, size, root, 1000, recs[0].Data); err != nil {
		t.Error(err)
	}
	// Repeated and unordered indexes are served in the order asked.
	hs, err := s.ReadLogHashes(ctx, []int64{5, 0, 5})
	if err != nil || hs[0] != hs[2] || hs[0] == hs[1] {
		t.Errorf("ReadLogHashes: %v", err)
	}
	if _, err := s.ReadLogHashes(ctx, []int64{1 << 40}); err == nil {
		t.Error("a missing hash was read")
	}
	if recs, _ := s.FindAgreementLogRecords(ctx, "1", 1, nil, size); len(recs) != 3 {
		t.Errorf("%d records of agreement 1, want 3", len(recs))
	}
	if recs, _ := s.FindAgreementLogRecords(ctx, "2", 1, []string{"0000000000000000"}, 10); len(recs) != 7 {
		t.Errorf("%d records of agreement 2 below 10, want 7", len(recs))
	}
	// An append computed against an old size is a conflict.
	err = s.InTx(ctx, func(tx kolaborasi.Store) error {
		return tx.AppendLog(ctx, &kolaborasi.LogAppend{OldSize: 3, Size: 4, HashIndex: 0,
			Records: []kolaborasi.LogRecord{{Index: 3, Type: "status_change", Data: []byte("{}")}}, Checkpoint: []byte("x"), At: time.Now()})
	})
	wantCode(t, err, kolaborasi.ECONFLICT)
}
