package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// testKey returns a deterministic Ed25519 key for seed byte b.
func testKey(b byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))
}

func sampleVersion() AgreementVersion {
	return AgreementVersion{
		AgreementID: "ksb-2017-blitar-bandung",
		Version:     1,
		Content: json.RawMessage(`{
			"title": "Kesepakatan Bersama Kota Blitar dan Kota Bandung tentang Smart City",
			"type": "KSDD",
			"parties": [{"region": "35.72", "name": "Pemerintah Kota Blitar", "office": "Wali Kota Blitar"},
				{"region": "32.73", "name": "Pemerintah Kota Bandung", "office": "Wali Kota Bandung"}],
			"witnesses": [{"region": "35.07", "office": "Bupati Malang"}, {"region": "35.76", "office": "Wali Kota Mojokerto"}],
			"scope": ["smart city", "e-government", "UKM", "ekonomi kreatif", "koperasi"],
			"exchange_items": [{"from": "32.73", "to": "35.72", "solution": "e-Budgeting"}, {"from": "35.72", "to": "32.73", "solution": "ekonomi kerakyatan"}],
			"place": "Balai Kota Kusuma Wicitra, Blitar",
			"signed_on": "2017-03-08",
			"duration_years": 5,
			"synthetic": true
		}`),
		Attachments: map[string]string{"ksb.pdf": strings.Repeat("ab", 32)},
	}
}

func sampleContent(priv ed25519.PrivateKey, party string) SignedContent {
	return SignedContent{
		AgreementVersion: sampleVersion(),
		Party:            party, Role: RoleSignatory, Stage: StageKSB,
		KeyID: KeyID(priv.Public().(ed25519.PublicKey)),
	}
}

func TestCanonicalBytes(t *testing.T) {
	c := SignedContent{
		AgreementVersion: AgreementVersion{AgreementID: "a1", Version: 2, Content: json.RawMessage(`{ "z": 1.50, "a": "\u0041<" }`)},
		Party:            "35.72", Role: RoleSignatory, Stage: StagePKS, KeyID: "0123456789abcdef",
	}
	got, err := CanonicalBytes(c)
	if err != nil {
		t.Fatal(err)
	}
	want := "kolaborasi/agreement-signature/v1\n" +
		`{"agreement_id":"a1","attachments":{},"content":{"a":"A<","z":1.5},"key_id":"0123456789abcdef","party":"35.72","role":"signatory","stage":"pks","version":2}`
	if string(got) != want {
		t.Errorf("CanonicalBytes =\n%s\nwant\n%s", got, want)
	}
	vb, err := c.AgreementVersion.CanonicalBytes()
	if err != nil {
		t.Fatal(err)
	}
	wantV := "kolaborasi/agreement-version/v1\n" + `{"agreement_id":"a1","attachments":{},"content":{"a":"A<","z":1.5},"version":2}`
	if string(vb) != wantV {
		t.Errorf("AgreementVersion.CanonicalBytes =\n%s\nwant\n%s", vb, wantV)
	}
}

func TestKeyID(t *testing.T) {
	// SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20...
	if got, want := KeyID(make(ed25519.PublicKey, 32)), "66687aadf862bd77"; got != want {
		t.Errorf("KeyID(zero key) = %q, want %q", got, want)
	}
}

func TestSignVerify(t *testing.T) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	c := sampleContent(priv, "35.72")
	sig, err := Sign(priv, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, c, sig); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// Equivalent JSON for the content (other spacing, member order and
	// escapes) has the same canonical form, so the signature still holds.
	same := c
	same.Content = json.RawMessage(`{"synthetic":true,"duration_years":5.0,"signed_on":"2017-03-08","place":"Balai Kota Kusuma Wicitra, Blitar","exchange_items":[{"from":"32.73","to":"35.72","solution":"e-Budgeting"},{"from":"35.72","to":"32.73","solution":"ekonomi kerakyatan"}],"scope":["smart city","e-government","UKM","ekonomi kreatif","koperasi"],"witnesses":[{"office":"Bupati Malang","region":"35.07"},{"office":"Wali Kota Mojokerto","region":"35.76"}],"parties":[{"office":"Wali Kota Blitar","name":"Pemerintah Kota Blitar","region":"35.72"},{"office":"Wali Kota Bandung","region":"32.73","name":"Pemerintah Kota Bandung"}],"type":"KSDD","title":"Kesepakatan Bersama Kota Blitar dan Kota Bandung tentang Smart \u0043ity"}`)
	if err := Verify(pub, same, sig); err != nil {
		t.Errorf("Verify(equivalent content): %v", err)
	}

	other := testKey(2)
	replays := map[string]func(*SignedContent){
		"agreement":      func(c *SignedContent) { c.AgreementID = "ksb-2017-blitar-malang" },
		"version":        func(c *SignedContent) { c.Version = 2 },
		"party":          func(c *SignedContent) { c.Party = "32.73" },
		"stage":          func(c *SignedContent) { c.Stage = StagePKS },
		"role":           func(c *SignedContent) { c.Role = RoleWitness },
		"content":        func(c *SignedContent) { c.Content = json.RawMessage(`{"title":"other"}`) },
		"attachment":     func(c *SignedContent) { c.Attachments = map[string]string{"ksb.pdf": strings.Repeat("cd", 32)} },
		"no attachments": func(c *SignedContent) { c.Attachments = nil },
	}
	for name, change := range replays {
		t.Run(name, func(t *testing.T) {
			m := c
			change(&m)
			if err := Verify(pub, m, sig); !errors.Is(err, ErrVerify) {
				t.Errorf("Verify(signature moved to other %s) = %v, want ErrVerify", name, err)
			}
		})
	}
	if err := Verify(other.Public().(ed25519.PublicKey), c, sig); !errors.Is(err, ErrVerify) {
		t.Errorf("Verify(other key) = %v, want ErrVerify", err)
	}
	if _, err := Sign(other, c); !errors.Is(err, ErrMalformed) {
		t.Errorf("Sign with a key that is not c.KeyID = %v, want ErrMalformed", err)
	}
}

func TestSignedContentValidation(t *testing.T) {
	priv := testKey(1)
	bad := map[string]func(*SignedContent){
		"empty agreement id": func(c *SignedContent) { c.AgreementID = "" },
		"zero version":       func(c *SignedContent) { c.Version = 0 },
		"content array":      func(c *SignedContent) { c.Content = json.RawMessage(`[1]`) },
		"content invalid":    func(c *SignedContent) { c.Content = json.RawMessage(`{"a":}`) },
		"content missing":    func(c *SignedContent) { c.Content = nil },
		"attachment hash":    func(c *SignedContent) { c.Attachments = map[string]string{"a": strings.Repeat("AB", 32)} },
		"attachment name":    func(c *SignedContent) { c.Attachments = map[string]string{"": strings.Repeat("ab", 32)} },
		"party control char": func(c *SignedContent) { c.Party = "35\n72" },
		"role":               func(c *SignedContent) { c.Role = "mayor" },
		"stage":              func(c *SignedContent) { c.Stage = "dprd" },
		"key id":             func(c *SignedContent) { c.KeyID = "ABCDEF0123456789" },
	}
	for name, change := range bad {
		t.Run(name, func(t *testing.T) {
			c := sampleContent(priv, "35.72")
			change(&c)
			if _, err := CanonicalBytes(c); !errors.Is(err, ErrMalformed) {
				t.Errorf("CanonicalBytes = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestKeyFiles(t *testing.T) {
	priv := testKey(7)
	pub := priv.Public().(ed25519.PublicKey)

	pemPriv, err := MarshalPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pemPriv, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Errorf("private key file starts %q", pemPriv[:30])
	}
	got, err := ParsePrivateKey(pemPriv)
	if err != nil || !got.Equal(priv) {
		t.Errorf("ParsePrivateKey round trip = %v, %v", got, err)
	}

	b64, err := MarshalPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pemPub, err := MarshalPublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{[]byte(b64), []byte(" " + b64 + "\n"), pemPub} {
		got, err := ParsePublicKey(in)
		if err != nil || !got.Equal(pub) {
			t.Errorf("ParsePublicKey(%q) = %v, %v", in, got, err)
		}
	}

	badPub := [][]byte{
		nil,
		[]byte(b64[:40]),
		[]byte(b64 + "AAAA"),
		pemPriv,
		append(append([]byte{}, pemPub...), pemPub...),
	}
	for _, in := range badPub {
		if _, err := ParsePublicKey(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParsePublicKey(%q) = %v, want ErrMalformed", in, err)
		}
	}
	for _, in := range [][]byte{nil, pemPub, append(append([]byte{}, pemPriv...), pemPriv...), []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")} {
		if _, err := ParsePrivateKey(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParsePrivateKey(%q) = %v, want ErrMalformed", in, err)
		}
	}
}
