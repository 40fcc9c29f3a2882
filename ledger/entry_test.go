package ledger

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func sampleEntries() []Entry {
	pub := testKey(1).Public().(ed25519.PublicKey)
	return []Entry{
		&KeyRegistered{Region: "35.72", KeyID: KeyID(pub), PublicKey: pub, HolderOffice: "Wali Kota Blitar", ApprovedBy: "Bagian Kerja Sama Kota Blitar"},
		&KeyRevoked{KeyID: KeyID(pub), Reason: "device lost"},
		&SignatureEntry{AgreementID: "a1", Version: 1, Stage: StageKSB, Party: "35.72", Role: RoleSignatory, KeyID: KeyID(pub), Signature: bytes.Repeat([]byte{9}, 64), ContentHash: strings.Repeat("0f", 32)},
		&StatusChange{AgreementID: "a1", Version: 1, From: "offered", To: "ksb_signed", ActorRole: "cooperation_office", Time: time.Date(2017, 3, 8, 10, 30, 0, 0, time.UTC)},
	}
}

func TestEntryEncoding(t *testing.T) {
	want := []string{
		`{"approved_by":"Bagian Kerja Sama Kota Blitar","holder_office":"Wali Kota Blitar","key_id":"34750f98bd59fcfc","public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=","region":"35.72","type":"key_registered","v":1}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1}`,
		`{"agreement_id":"a1","content_hash":"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f","key_id":"34750f98bd59fcfc","party":"35.72","role":"signatory","signature":"CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQ==","stage":"ksb","type":"signature","v":1,"version":1}`,
		`{"actor_role":"cooperation_office","agreement_id":"a1","from":"offered","time":"2017-03-08T10:30:00Z","to":"ksb_signed","type":"status_change","v":1,"version":1}`,
	}
	for i, e := range sampleEntries() {
		got, err := MarshalEntry(e)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want[i] {
			t.Errorf("MarshalEntry(%s) =\n%s\nwant\n%s", e.EntryType(), got, want[i])
		}
		back, err := ParseEntry(got)
		if err != nil {
			t.Fatalf("ParseEntry(%s): %v", got, err)
		}
		if diff := cmp.Diff(e, back); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

func TestStatusChangeTimeInUTC(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	e := &StatusChange{AgreementID: "a1", Version: 1, From: "a", To: "b", ActorRole: "r", Time: time.Date(2017, 3, 8, 17, 30, 0, 0, wib)}
	got, err := MarshalEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte(`"time":"2017-03-08T10:30:00Z"`)) {
		t.Errorf("MarshalEntry = %s, want time in UTC", got)
	}
}

func TestParseEntryRejectsNonCanonical(t *testing.T) {
	good := `{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1}`
	if _, err := ParseEntry([]byte(good)); err != nil {
		t.Fatal(err)
	}
	bad := []string{
		`{"reason":"device lost","key_id":"34750f98bd59fcfc","type":"key_revoked","v":1}`,
		`{"key_id":"34750f98bd59fcfc", "reason":"device lost","type":"key_revoked","v":1}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device \u006cost","type":"key_revoked","v":1}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1.0}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":2}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1,"x":0}`,
		`{"KEY_ID":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1}`,
		`{"key_id":"7E0E6F8B4E0E5F37","reason":"device lost","type":"key_revoked","v":1}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1}` + "\n",
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1}{}`,
		`{"key_id":"34750f98bd59fcfc","key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_revoked","v":1}`,
		`{"key_id":"34750f98bd59fcfc","reason":"","type":"key_revoked","v":1}`,
		`{"key_id":"34750f98bd59fcfc","reason":"device lost","type":"key_deleted","v":1}`,
		`{"actor_role":"r","agreement_id":"a1","from":"a","time":"2017-03-08T17:30:00+07:00","to":"b","type":"status_change","v":1,"version":1}`,
		`{"approved_by":"x","holder_office":"y","key_id":"0000000000000000","public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=","region":"35.72","type":"key_registered","v":1}`,
		`null`,
		``,
	}
	for _, in := range bad {
		if _, err := ParseEntry([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseEntry(%s) = %v, want ErrMalformed", in, err)
		}
	}
}
