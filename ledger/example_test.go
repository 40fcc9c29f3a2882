package ledger_test

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/kolaborasi/kolaborasi/ledger"
)

// A signer's key file round trip and a signature over an agreement version.
func ExampleSign() {
	// A fixed seed keeps the output stable; use ed25519.GenerateKey(nil)
	// in real life.
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	keyFile, _ := ledger.MarshalPrivateKey(priv)
	priv, _ = ledger.ParsePrivateKey(keyFile)
	pub := priv.Public().(ed25519.PublicKey)

	c := ledger.SignedContent{
		AgreementVersion: ledger.AgreementVersion{
			AgreementID: "ksb-2017-blitar-bandung",
			Version:     1,
			Content:     json.RawMessage(`{"title": "Kesepakatan Bersama", "type": "KSDD"}`),
		},
		Party: "35.72", Role: ledger.RoleSignatory, Stage: ledger.StageKSB, KeyID: ledger.KeyID(pub),
	}
	sig, _ := ledger.Sign(priv, c)
	msg, _ := ledger.CanonicalBytes(c)
	fmt.Printf("%s\n", msg)
	fmt.Println(ledger.Verify(pub, c, sig))
	c.Stage = ledger.StagePKS
	fmt.Println(ledger.Verify(pub, c, sig) != nil)
	// Output:
	// kolaborasi/agreement-signature/v1
	// {"agreement_id":"ksb-2017-blitar-bandung","attachments":{},"content":{"title":"Kesepakatan Bersama","type":"KSDD"},"key_id":"139e3940e64b5491","party":"35.72","role":"signatory","stage":"ksb","version":1}
	// <nil>
	// true
}

// Verifying the sample bundle offline with the log's verifier key.
func ExampleVerifyBundle() {
	bundle, _ := os.ReadFile("testdata/sample-bundle.json")
	vkey, _ := os.ReadFile("testdata/sample-bundle.vkey")
	rep, err := ledger.VerifyBundle(bundle, strings.TrimSpace(string(vkey)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Origin, rep.TreeSize, rep.AgreementID, rep.Version, rep.Status)
	for _, st := range rep.Stages {
		fmt.Println(st.Stage, "signed at", st.SignedIndex)
		for _, s := range st.Signatories {
			fmt.Println(s.Index, s.Party, s.Name, s.KeyID, s.HolderOffice)
		}
	}
	// Output:
	// kolaborasi.id/log 298 ksb-2017-blitar-bandung 1 ksb_signed
	// ksb signed at 240
	// 215 35.72 Pemerintah Kota Blitar 34750f98bd59fcfc Wali Kota Blitar
	// 239 32.73 Pemerintah Kota Bandung 6a3803d5f059902a Wali Kota Bandung
}
