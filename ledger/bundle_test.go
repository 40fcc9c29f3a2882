package ledger

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/sample-bundle.* and the fuzz seed corpora")

func regEntry(priv ed25519.PrivateKey, region, office string) *KeyRegistered {
	pub := priv.Public().(ed25519.PublicKey)
	return &KeyRegistered{Region: region, KeyID: KeyID(pub), PublicKey: pub, HolderOffice: office, ApprovedBy: "Bagian Kerja Sama " + region}
}

func sigEntry(t testing.TB, priv ed25519.PrivateKey, av AgreementVersion, party, stage string) *SignatureEntry {
	t.Helper()
	return roleSigEntry(t, priv, av, party, RoleSignatory, stage)
}

func roleSigEntry(t testing.TB, priv ed25519.PrivateKey, av AgreementVersion, party, role, stage string) *SignatureEntry {
	t.Helper()
	c := SignedContent{AgreementVersion: av, Party: party, Role: role, Stage: stage, KeyID: KeyID(priv.Public().(ed25519.PublicKey))}
	sig, err := Sign(priv, c)
	if err != nil {
		t.Fatal(err)
	}
	h, err := av.ContentHash()
	if err != nil {
		t.Fatal(err)
	}
	return &SignatureEntry{AgreementID: av.AgreementID, Version: av.Version, Stage: stage, Party: party, Role: role, KeyID: c.KeyID, Signature: sig, ContentHash: h}
}

// bundleFixture is a log of a few hundred entries holding the KSB of Kota
// Blitar and Kota Bandung: two registered keys, two signatures, the
// version's status changes from draft to ksb_signed, and elsewhere a key of
// another region registered and revoked.
type bundleFixture struct {
	log               *testLog
	av                AgreementVersion
	blitar, bandung   ed25519.PrivateKey
	bundleEntries     []LoggedEntry
	regBlitar, regBdg int64
	sigBlitar, sigBdg int64
	// statuses are the log indexes of the status changes draft → offered
	// → ksb_negotiated → ksb_signed.
	statuses []int64
	bundle   []byte
}

// status logs a status change of the fixture's version.
func (f *bundleFixture) status(from, to string) int64 {
	return f.log.add(&StatusChange{AgreementID: f.av.AgreementID, Version: f.av.Version, From: from, To: to,
		ActorRole: "coordinator", Time: time.Date(2017, 3, 8, 5, 0, int(f.log.size), 0, time.UTC)})
}

func (f *bundleFixture) fill(n int) {
	var batch []Entry
	for range n {
		batch = append(batch, testEntry(int(f.log.size)+len(batch)))
	}
	f.log.add(batch...)
}

func (f *bundleFixture) logged(index int64) LoggedEntry {
	return LoggedEntry{Index: index, Entry: f.log.entries[index]}
}

func (f *bundleFixture) build(t testing.TB, av AgreementVersion, entries []LoggedEntry) []byte {
	t.Helper()
	b, err := BuildBundle(context.Background(), f.log.store, f.log.checkpoint(), f.log.verifier, av, CompletedStage(entries), entries)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newBundleFixture(t testing.TB) *bundleFixture {
	t.Helper()
	f := &bundleFixture{log: newTestLog(t, DefaultOrigin, 1), av: sampleVersion(), blitar: testKey(1), bandung: testKey(2)}
	malang := testKey(3)
	f.fill(17)
	f.regBlitar = f.log.add(regEntry(f.blitar, "35.72", "Wali Kota Blitar"))
	f.fill(40)
	f.log.add(regEntry(malang, "35.07", "Bupati Malang"))
	f.fill(30)
	f.log.add(&KeyRevoked{KeyID: KeyID(malang.Public().(ed25519.PublicKey)), Reason: "token lost"})
	f.fill(12)
	f.statuses = append(f.statuses, f.status(StatusDraft, "offered"))
	f.fill(9)
	f.regBdg = f.log.add(regEntry(f.bandung, "32.73", "Wali Kota Bandung"))
	f.fill(30)
	f.statuses = append(f.statuses, f.status("offered", "ksb_negotiated"))
	f.fill(71)
	f.sigBlitar = f.log.add(sigEntry(t, f.blitar, f.av, "35.72", StageKSB))
	f.fill(23)
	f.sigBdg = f.log.add(sigEntry(t, f.bandung, f.av, "32.73", StageKSB))
	f.statuses = append(f.statuses, f.status("ksb_negotiated", "ksb_signed"))
	f.fill(57)
	f.bundleEntries = []LoggedEntry{f.logged(f.sigBdg), f.logged(f.regBlitar), f.logged(f.sigBlitar), f.logged(f.regBdg)}
	for _, i := range f.statuses {
		f.bundleEntries = append(f.bundleEntries, f.logged(i))
	}
	f.bundle = f.build(t, f.av, f.bundleEntries)
	return f
}

func TestVerifyBundle(t *testing.T) {
	f := newBundleFixture(t)
	rep, err := VerifyBundle(f.bundle, f.log.vkey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := TreeRoot(context.Background(), f.log.store, f.log.size)
	hash, _ := f.av.ContentHash()
	sigs := []SignatureReport{
		{Index: f.sigBlitar, Party: "35.72", Name: "Pemerintah Kota Blitar", Role: RoleSignatory, Stage: StageKSB, KeyID: KeyID(f.blitar.Public().(ed25519.PublicKey)),
			HolderOffice: "Wali Kota Blitar", ApprovedBy: "Bagian Kerja Sama 35.72", KeyIndex: f.regBlitar, RevokedIndex: -1, Valid: true},
		{Index: f.sigBdg, Party: "32.73", Name: "Pemerintah Kota Bandung", Role: RoleSignatory, Stage: StageKSB, KeyID: KeyID(f.bandung.Public().(ed25519.PublicKey)),
			HolderOffice: "Wali Kota Bandung", ApprovedBy: "Bagian Kerja Sama 32.73", KeyIndex: f.regBdg, RevokedIndex: -1, Valid: true},
	}
	want := Report{
		Origin: DefaultOrigin, TreeSize: f.log.size, Root: root,
		AgreementID: f.av.AgreementID, Version: 1, ContentHash: hash,
		Stage: StageKSB, Status: "ksb_signed", StatusIndex: f.statuses[2],
		Signatures: sigs,
		Stages:     []StageReport{{Stage: StageKSB, SignedIndex: f.statuses[2], Signatories: sigs}},
	}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("Report (-want +got):\n%s", diff)
	}
	if f.log.size < 280 {
		t.Errorf("fixture log has only %d entries", f.log.size)
	}
	// The bundle is compact canonical JSON that a generic parser reads.
	var generic map[string]any
	if err := json.Unmarshal(f.bundle, &generic); err != nil {
		t.Fatal(err)
	}
	if len(generic) != 5 || bytes.ContainsAny(f.bundle, " \n") && !bytes.Contains(f.bundle, []byte(`\n`)) {
		t.Errorf("unexpected bundle shape: %d members", len(generic))
	}
}

// TestSampleBundleGolden pins the bundle format: testdata/sample-bundle.json
// verifies with testdata/sample-bundle.vkey. Run with -update to rewrite it
// and the fuzz seeds after a deliberate format change.
func TestSampleBundleGolden(t *testing.T) {
	f := newBundleFixture(t)
	golden := filepath.Join("testdata", "sample-bundle.json")
	vkeyFile := filepath.Join("testdata", "sample-bundle.vkey")
	if *update {
		writeFile(t, golden, f.bundle)
		writeFile(t, vkeyFile, []byte(f.log.vkey+"\n"))
		writeFile(t, filepath.Join("testdata", "fuzz", "FuzzVerifyBundle", "sample"), fuzzSeed(f.bundle))
		writeFile(t, filepath.Join("testdata", "fuzz", "FuzzVerifyBundle", "empty-object"), fuzzSeed([]byte(`{}`)))
		writeFile(t, filepath.Join("testdata", "fuzz", "FuzzParseCheckpoint", "sample"), fuzzSeed([]byte(mustBundle(t, f.bundle).Checkpoint)))
		writeFile(t, filepath.Join("testdata", "fuzz", "FuzzParseCheckpoint", "body"), fuzzSeed([]byte("kolaborasi.id/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")))
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.bundle, want) {
		t.Errorf("bundle differs from %s; run go test -run TestSampleBundleGolden -update after a deliberate change", golden)
	}
	vkey, err := os.ReadFile(vkeyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyBundle(want, strings.TrimSpace(string(vkey))); err != nil {
		t.Errorf("golden bundle does not verify: %v", err)
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fuzzSeed encodes data as a "go test fuzz v1" corpus file.
func fuzzSeed(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

func mustBundle(t testing.TB, data []byte) *Bundle {
	t.Helper()
	b, err := ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBundleEveryByteChange changes each byte of the sample bundle in
// several ways; every changed bundle must fail to verify.
func TestBundleEveryByteChange(t *testing.T) {
	f := newBundleFixture(t)
	if _, err := VerifyBundle(f.bundle, f.log.vkey); err != nil {
		t.Fatal(err)
	}
	changed := make([]byte, len(f.bundle))
	tried := 0
	// Besides two bit flips, each position gets a printable character from
	// a list of JSON-significant and base64 characters, in turn.
	printable := []byte("A0\"\\ =b7{,/+n")
	for i, orig := range f.bundle {
		other := printable[i%len(printable)]
		if other == orig {
			other = printable[(i+1)%len(printable)]
		}
		for _, b := range []byte{orig ^ 0x01, orig ^ 0x20, other} {
			if b == orig {
				continue
			}
			copy(changed, f.bundle)
			changed[i] = b
			tried++
			if _, err := VerifyBundle(changed, f.log.vkey); err == nil {
				t.Errorf("byte %d changed from %q to %q still verifies: …%s…", i, orig, b, context20(changed, i))
			}
		}
	}
	t.Logf("%d changes of a %d-byte bundle, all rejected", tried, len(f.bundle))

	// Leaving out any entries fails too: every proper subset of the
	// bundle's entries, rebuilt with valid proofs and the stage the
	// builder would claim for it, and again claiming the full stage.
	n := len(f.bundleEntries)
	for mask := 1; mask < 1<<n-1; mask++ {
		var kept []LoggedEntry
		for i, le := range f.bundleEntries {
			if mask&(1<<i) != 0 {
				kept = append(kept, le)
			}
		}
		for _, data := range [][]byte{f.build(t, f.av, kept), f.buildStage(t, f.av, StageKSB, kept)} {
			if _, err := VerifyBundle(data, f.log.vkey); err == nil {
				t.Errorf("bundle with only entries %v verifies", indexes(kept))
			}
		}
	}
	t.Logf("%d subsets of the %d entries, all rejected", 1<<n-2, n)
}

func indexes(les []LoggedEntry) []int64 {
	out := make([]int64, len(les))
	for i, le := range les {
		out[i] = le.Index
	}
	return out
}

func (f *bundleFixture) buildStage(t testing.TB, av AgreementVersion, stage string, entries []LoggedEntry) []byte {
	t.Helper()
	b, err := BuildBundle(context.Background(), f.log.store, f.log.checkpoint(), f.log.verifier, av, stage, entries)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// without returns the fixture's bundle entries except those at the indexes.
func (f *bundleFixture) without(drop ...int64) []LoggedEntry {
	var out []LoggedEntry
	for _, le := range f.bundleEntries {
		if !slices.Contains(drop, le.Index) {
			out = append(out, le)
		}
	}
	return out
}

// TestBundleIncomplete: a bundle must prove the stage it claims, so the
// removals an attacker would make to hide a party, and a log rebuilt under
// another key, all fail; what a complete bundle proves is reported.
func TestBundleIncomplete(t *testing.T) {
	f := newBundleFixture(t)
	cases := map[string]struct {
		data []byte
		want error
	}{
		"Bandung's signature and key registration":      {f.build(t, f.av, f.without(f.sigBdg, f.regBdg)), ErrIncomplete},
		"all status changes":                            {f.buildStage(t, f.av, StageKSB, f.without(f.statuses...)), ErrIncomplete},
		"the start draft → offered":                     {f.build(t, f.av, f.without(f.statuses[0])), ErrIncomplete},
		"Bandung's acceptance offered → ksb_negotiated": {f.build(t, f.av, f.without(f.statuses[1])), ErrIncomplete},
		"the completion ksb_signed":                     {f.build(t, f.av, f.without(f.statuses[2])), ErrIncomplete},
		"a PKS claimed with only the KSB":               {f.buildStage(t, f.av, StagePKS, f.bundleEntries), ErrIncomplete},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rep, err := VerifyBundle(tc.data, f.log.vkey)
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyBundle = %v, want %v", err, tc.want)
			}
			t.Log(err)
			for _, s := range rep.Signatures {
				if !s.Valid {
					t.Errorf("signature %d reported invalid: %s", s.Index, s.Problem)
				}
			}
		})
	}
	rep, err := VerifyBundle(f.build(t, f.av, f.without(f.sigBdg, f.regBdg)), f.log.vkey)
	if len(rep.Stages) != 1 || !slices.Equal(rep.Stages[0].Missing, []string{"32.73 Pemerintah Kota Bandung"}) ||
		!strings.Contains(err.Error(), "32.73 Pemerintah Kota Bandung has no valid KSB signature") {
		t.Errorf("missing Bandung: %v, %+v", err, rep.Stages)
	}

	// A witness's KSB signature logged after the KSB was complete does not
	// belong to it.
	malang := testKey(7)
	reg := f.log.add(regEntry(malang, "35.07", "Bupati Malang"))
	late := f.log.add(roleSigEntry(t, malang, f.av, "35.07", RoleWitness, StageKSB))
	if _, err := VerifyBundle(f.build(t, f.av, append([]LoggedEntry{f.logged(reg), f.logged(late)}, f.bundleEntries...)), f.log.vkey); !errors.Is(err, ErrVerify) || errors.Is(err, ErrIncomplete) {
		t.Errorf("witness signature after the stage: %v", err)
	}

	// The PKS, signed after the KSB, proves both stages.
	pks := []int64{f.status("ksb_signed", "pks_drafted")}
	pks = append(pks, f.log.add(sigEntry(t, f.bandung, f.av, "32.73", StagePKS)), f.log.add(sigEntry(t, f.blitar, f.av, "35.72", StagePKS)))
	pks = append(pks, f.status("pks_drafted", "pks_signed"), f.status("pks_signed", "active"))
	entries := slices.Clone(f.bundleEntries)
	for _, i := range pks {
		entries = append(entries, f.logged(i))
	}
	rep, err = VerifyBundle(f.build(t, f.av, entries), f.log.vkey)
	if err != nil || rep.Stage != StagePKS || len(rep.Stages) != 2 || rep.Status != "active" ||
		rep.Stages[1].SignedIndex != pks[3] || rep.Stages[1].Signatories[0].Party != "35.72" || len(rep.Stages[1].Signatories) != 2 {
		t.Errorf("PKS bundle: %v, %+v", err, rep)
	}
	// Without one party's PKS signature it proves the KSB only.
	short := slices.DeleteFunc(slices.Clone(entries), func(le LoggedEntry) bool { return le.Index == pks[1] })
	if _, err := VerifyBundle(f.buildStage(t, f.av, StagePKS, short), f.log.vkey); !errors.Is(err, ErrIncomplete) {
		t.Errorf("PKS without Bandung: %v", err)
	}
	if rep, err := VerifyBundle(f.buildStage(t, f.av, StageKSB, short), f.log.vkey); err != nil || rep.Stage != StageKSB {
		t.Errorf("KSB of the same entries: %v", err)
	}
}

// TestBundleRebuiltLog: whoever rebuilds the log under a key of their own
// (new signatory keys, new signatures, a checkpoint of their own) makes a
// bundle that verifies only against their key, never the genuine one.
func TestBundleRebuiltLog(t *testing.T) {
	f := newBundleFixture(t)
	forged := &bundleFixture{log: newTestLog(t, DefaultOrigin, 9), av: f.av, blitar: testKey(11), bandung: testKey(12)}
	forged.av.Content = bytes.Replace(f.av.Content, []byte("Smart City"), []byte("Smart Kota"), 1)
	forged.regBlitar = forged.log.add(regEntry(forged.blitar, "35.72", "Wali Kota Blitar"))
	forged.regBdg = forged.log.add(regEntry(forged.bandung, "32.73", "Wali Kota Bandung"))
	forged.statuses = []int64{forged.status(StatusDraft, "offered"), forged.status("offered", "ksb_negotiated")}
	forged.sigBlitar = forged.log.add(sigEntry(t, forged.blitar, forged.av, "35.72", StageKSB))
	forged.sigBdg = forged.log.add(sigEntry(t, forged.bandung, forged.av, "32.73", StageKSB))
	forged.statuses = append(forged.statuses, forged.status("ksb_negotiated", "ksb_signed"))
	var entries []LoggedEntry
	for i := range forged.log.size {
		entries = append(entries, forged.logged(i))
	}
	data := forged.build(t, forged.av, entries)
	if _, err := VerifyBundle(data, forged.log.vkey); err != nil {
		t.Fatalf("the forger's own bundle: %v", err)
	}
	if _, err := VerifyBundle(data, f.log.vkey); !errors.Is(err, ErrVerify) {
		t.Errorf("rebuilt log against the genuine key: %v, want ErrVerify", err)
	}
}

func context20(b []byte, i int) []byte { return b[max(i-20, 0):min(i+20, len(b))] }

func TestBundleRejectsNonCanonical(t *testing.T) {
	f := newBundleFixture(t)
	var indented bytes.Buffer
	if err := json.Indent(&indented, f.bundle, "", "  "); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"indented":       indented.Bytes(),
		"trailing data":  append(append([]byte{}, f.bundle...), "{}"...),
		"trailing space": append(append([]byte{}, f.bundle...), '\n'),
		"unknown member": append([]byte(`{"a":1,`), f.bundle[1:]...),
		"escaped":        bytes.Replace(f.bundle, []byte("Blitar"), []byte(`Blit\u0061r`), 1),
		"empty":          nil,
	}
	for name, data := range cases {
		if _, err := VerifyBundle(data, f.log.vkey); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: VerifyBundle = %v, want ErrMalformed", name, err)
		}
	}
}

// replayed returns a signature entry carrying sig but claiming other fields.
func replayed(t testing.TB, from *SignatureEntry, av AgreementVersion, party, stage string) *SignatureEntry {
	t.Helper()
	h, err := av.ContentHash()
	if err != nil {
		t.Fatal(err)
	}
	e := *from
	e.AgreementID, e.Version, e.ContentHash, e.Party, e.Stage = av.AgreementID, av.Version, h, party, stage
	return &e
}

func TestBundleReplayedSignature(t *testing.T) {
	f := newBundleFixture(t)
	orig := f.log.entries[f.sigBlitar].(*SignatureEntry)
	otherAgreement := f.av
	otherAgreement.AgreementID = "ksb-2017-blitar-malang"
	nextVersion := f.av
	nextVersion.Version = 2
	cases := []struct {
		name    string
		av      AgreementVersion
		party   string
		stage   string
		problem string
	}{
		{"other agreement", otherAgreement, "35.72", StageKSB, "bad signature"},
		{"other version", nextVersion, "35.72", StageKSB, "bad signature"},
		{"other stage", f.av, "35.72", StagePKS, "bad signature"},
		{"other party", f.av, "32.73", StageKSB, "key registered for 35.72, not for 32.73"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			idx := f.log.add(replayed(t, orig, tc.av, tc.party, tc.stage))
			data := f.build(t, tc.av, []LoggedEntry{f.logged(f.regBlitar), f.logged(idx)})
			rep, err := VerifyBundle(data, f.log.vkey)
			if !errors.Is(err, ErrVerify) {
				t.Fatalf("VerifyBundle = %v, want ErrVerify", err)
			}
			if len(rep.Signatures) != 1 || rep.Signatures[0].Valid || rep.Signatures[0].Problem != tc.problem {
				t.Errorf("report = %+v, want problem %q", rep.Signatures, tc.problem)
			}
		})
	}
	// The honest signature of the version, logged after the replays, still verifies.
	if _, err := VerifyBundle(f.build(t, f.av, f.bundleEntries), f.log.vkey); err != nil {
		t.Errorf("honest bundle: %v", err)
	}
}

func TestBundleRevokedKey(t *testing.T) {
	f := newBundleFixture(t)
	token := testKey(4)
	reg := f.log.add(regEntry(token, "35.72", "Wali Kota Blitar"))
	f.fill(5)
	before := f.log.add(sigEntry(t, token, f.av, "35.72", StagePKS))
	revoked := f.log.add(&KeyRevoked{KeyID: KeyID(token.Public().(ed25519.PublicKey)), Reason: "token stolen"})
	f.fill(5)

	// Signed before the revocation: still valid, and the report says so.
	data := f.build(t, f.av, append([]LoggedEntry{f.logged(reg), f.logged(before), f.logged(revoked)}, f.bundleEntries...))
	rep, err := VerifyBundle(data, f.log.vkey)
	if err != nil {
		t.Fatalf("signature before revocation: %v", err)
	}
	if s := rep.Signatures[2]; !s.Valid || s.RevokedIndex != revoked || s.KeyIndex != reg {
		t.Errorf("report = %+v", s)
	}

	// Signed after it: fails.
	f2 := newBundleFixture(t)
	reg = f2.log.add(regEntry(token, "35.72", "Wali Kota Blitar"))
	revoked = f2.log.add(&KeyRevoked{KeyID: KeyID(token.Public().(ed25519.PublicKey)), Reason: "token stolen"})
	after := f2.log.add(sigEntry(t, token, f2.av, "35.72", StagePKS))
	data = f2.build(t, f2.av, []LoggedEntry{f2.logged(reg), f2.logged(revoked), f2.logged(after)})
	rep, err = VerifyBundle(data, f2.log.vkey)
	if !errors.Is(err, ErrVerify) {
		t.Fatalf("signature after revocation: VerifyBundle = %v, want ErrVerify", err)
	}
	if s := rep.Signatures[0]; s.Valid || !strings.Contains(s.Problem, "revoked") {
		t.Errorf("report = %+v", s)
	}

	// A key registered only after the signature does not count either.
	late := testKey(5)
	sig := f2.log.add(sigEntry(t, late, f2.av, "35.72", StagePKS))
	lateReg := f2.log.add(regEntry(late, "35.72", "Wali Kota Blitar"))
	rep, err = VerifyBundle(f2.build(t, f2.av, []LoggedEntry{f2.logged(sig), f2.logged(lateReg)}), f2.log.vkey)
	if !errors.Is(err, ErrVerify) || rep.Signatures[0].Problem != "key registered after the signature" {
		t.Errorf("late registration: %v, %+v", err, rep.Signatures)
	}
}

func TestBundleForkedCheckpoint(t *testing.T) {
	f := newBundleFixture(t)
	// The same log key signs a fork that rewrote one early entry.
	fork := newTestLog(t, DefaultOrigin, 1)
	entries := append([]Entry{}, f.log.entries...)
	entries[3] = testEntry(-3)
	fork.add(entries...)
	b := mustBundle(t, f.bundle)
	b.Checkpoint = string(fork.checkpoint())
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyBundle(data, f.log.vkey); !errors.Is(err, ErrVerify) {
		t.Errorf("bundle with a forked checkpoint: %v, want ErrVerify", err)
	}
	// A checkpoint of the same tree signed by another key fails too.
	other := newTestLog(t, DefaultOrigin, 2)
	other.add(f.log.entries...)
	b.Checkpoint = string(other.checkpoint())
	data, _ = b.Marshal()
	if _, err := VerifyBundle(data, f.log.vkey); !errors.Is(err, ErrVerify) {
		t.Errorf("bundle with another key's checkpoint: %v, want ErrVerify", err)
	}
	if _, err := VerifyBundle(f.bundle, other.vkey); !errors.Is(err, ErrVerify) {
		t.Errorf("bundle checked against another log key: %v, want ErrVerify", err)
	}
	if _, err := VerifyBundle(f.bundle, "not a key"); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad log key: %v, want ErrMalformed", err)
	}
}

func TestBundleRejectsUnrelatedEntries(t *testing.T) {
	f := newBundleFixture(t)
	other := f.av
	other.AgreementID = "pks-2018-blitar-bandung"
	foreign := f.log.add(sigEntry(t, f.bandung, other, "32.73", StagePKS))
	unusedKey := f.log.add(regEntry(testKey(6), "35.72", "Sekretaris Daerah Kota Blitar"))
	foreignStatus := f.log.add(&StatusChange{AgreementID: other.AgreementID, Version: 1, From: "a", To: "b", ActorRole: "r", Time: time.Unix(1e9, 0)})
	dupKey := f.log.add(regEntry(f.blitar, "35.72", "Wali Kota Blitar"))
	cases := map[string][]LoggedEntry{
		"signature of another agreement": append([]LoggedEntry{f.logged(foreign)}, f.bundleEntries...),
		"key that signed nothing":        append([]LoggedEntry{f.logged(unusedKey)}, f.bundleEntries...),
		"another agreement's status":     append([]LoggedEntry{f.logged(foreignStatus)}, f.bundleEntries...),
		"key registered twice":           append([]LoggedEntry{f.logged(dupKey)}, f.bundleEntries...),
		"no signatures":                  {f.logged(f.regBlitar)},
		"same signature twice":           append([]LoggedEntry{f.logged(f.sigBlitar)}, f.bundleEntries...),
	}
	for name, entries := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := VerifyBundle(f.build(t, f.av, entries), f.log.vkey); !errors.Is(err, ErrVerify) && !errors.Is(err, ErrMalformed) {
				t.Errorf("VerifyBundle = %v, want an error", err)
			}
		})
	}
	// A key signing for two stages is fine.
	pks := f.log.add(sigEntry(t, f.blitar, f.av, "35.72", StagePKS))
	rep, err := VerifyBundle(f.build(t, f.av, append([]LoggedEntry{f.logged(pks)}, f.bundleEntries...)), f.log.vkey)
	if err != nil || len(rep.Signatures) != 3 {
		t.Errorf("KSB and PKS signatures: %v, %d signatures", err, len(rep.Signatures))
	}
}

func FuzzVerifyBundle(f *testing.F) {
	fx := newBundleFixture(f)
	f.Add(fx.bundle)
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := VerifyBundle(data, fx.log.vkey)
		if err != nil {
			return
		}
		// Whatever verifies re-encodes to itself and has valid signatures.
		b, err := ParseBundle(data)
		if err != nil {
			t.Fatalf("verified bundle does not parse: %v", err)
		}
		again, err := b.Marshal()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("verified bundle is not canonical")
		}
		for _, s := range rep.Signatures {
			if !s.Valid {
				t.Fatalf("verified bundle with invalid signature %+v", s)
			}
		}
		// A verifying bundle may leave entries out, but what it holds must be
		// the log's real entries for the sample agreement version.
		if want, _ := fx.av.ContentHash(); rep.ContentHash != want {
			t.Fatalf("verified bundle of another agreement version: %q", data)
		}
		for _, e := range b.Entries {
			got, _ := MarshalEntry(e.Entry)
			want, _ := MarshalEntry(fx.log.entries[e.Index])
			if !bytes.Equal(got, want) {
				t.Fatalf("verified bundle has entry %d = %s, log has %s", e.Index, got, want)
			}
		}
	})
}
