package ledger

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testLog is an in-memory log that signs a checkpoint per batch.
type testLog struct {
	t        testing.TB
	store    *MemoryStore
	size     int64
	entries  []Entry
	signer   note.Signer
	verifier note.Verifier
	vkey     string
}

// newTestLog returns an empty log whose note key is derived from seed.
func newTestLog(t testing.TB, origin string, seed uint64) *testLog {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.NewChaCha8([32]byte{byte(seed)}), origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := NewLogVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return &testLog{t: t, store: new(MemoryStore), signer: signer, verifier: verifier, vkey: vkey}
}

// add appends entries as one batch and returns the index of the first.
func (l *testLog) add(entries ...Entry) int64 {
	l.t.Helper()
	first := l.size
	b := appendAll(l.t, l.store, l.size, entries)
	l.size = b.Size
	l.entries = append(l.entries, entries...)
	return first
}

// checkpoint returns the signed checkpoint of the log's current size.
func (l *testLog) checkpoint() []byte {
	l.t.Helper()
	root, err := TreeRoot(context.Background(), l.store, l.size)
	if err != nil {
		l.t.Fatal(err)
	}
	msg, err := SignCheckpoint(Checkpoint{Origin: l.signer.Name(), Size: l.size, Root: root}, l.signer)
	if err != nil {
		l.t.Fatal(err)
	}
	return msg
}

func TestCheckpointFormat(t *testing.T) {
	l := newTestLog(t, DefaultOrigin, 1)
	l.add(testEntry(0), testEntry(1), testEntry(2))
	msg := l.checkpoint()
	text, _, ok := bytes.Cut(msg, []byte("\n\n"))
	if !ok {
		t.Fatalf("no signature block in %q", msg)
	}
	lines := strings.Split(string(text), "\n")
	if len(lines) != 3 || lines[0] != "kolaborasi.id/log" || lines[1] != "3" {
		t.Errorf("checkpoint body = %q", text)
	}
	if !bytes.HasPrefix(msg[len(text)+2:], []byte("\u2014 kolaborasi.id/log ")) {
		t.Errorf("signature line = %q", msg[len(text)+2:])
	}
	c, err := OpenCheckpoint(msg, l.verifier)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := TreeRoot(context.Background(), l.store, 3)
	if c != (Checkpoint{Origin: DefaultOrigin, Size: 3, Root: root}) {
		t.Errorf("OpenCheckpoint = %+v", c)
	}
	// The body is the one golang.org/x/mod's own parser reads, apart from
	// the first line.
	tree, err := tlog.ParseTree([]byte("go.sum database tree\n" + strings.SplitN(string(msg), "\n", 2)[1]))
	if err != nil || tree.N != 3 || tree.Hash != root {
		t.Errorf("tlog.ParseTree = %v, %v", tree, err)
	}
}

func TestParseCheckpointRejects(t *testing.T) {
	root := "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
	good := "kolaborasi.id/log\n12\n" + root + "\n"
	if _, err := ParseCheckpoint([]byte(good)); err != nil {
		t.Fatal(err)
	}
	bad := []string{
		"",
		"kolaborasi.id/log\n12\n" + root,
		"kolaborasi.id/log\n12\n" + root + "\nextension\n",
		"kolaborasi.id/log\n012\n" + root + "\n",
		"kolaborasi.id/log\n+12\n" + root + "\n",
		"kolaborasi.id/log\n-1\n" + root + "\n",
		"kolaborasi.id/log\n12\n" + root[:43] + "V\n",
		"kolaborasi.id/log\n12\n" + root[:43] + "\n",
		"kolaborasi.id/log\n12\n" + "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=\n",
		"kolaborasi id/log\n12\n" + root + "\n",
		"kolaborasi+id/log\n12\n" + root + "\n",
		"\n12\n" + root + "\n",
		"kolaborasi.id/log\r\n12\n" + root + "\n",
	}
	for _, in := range bad {
		if _, err := ParseCheckpoint([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseCheckpoint(%q) = %v, want ErrMalformed", in, err)
		}
	}
}

func TestOpenCheckpointRejects(t *testing.T) {
	l := newTestLog(t, DefaultOrigin, 1)
	l.add(testEntry(0))
	msg := l.checkpoint()
	other := newTestLog(t, DefaultOrigin, 2)
	other.add(testEntry(0))
	renamed := newTestLog(t, "example.org/log", 1)
	renamed.add(testEntry(0))

	cosigned, err := note.Sign(&note.Note{Text: string(bytes.SplitN(msg, []byte("\n\n"), 2)[0]) + "\n"}, l.signer, renamed.signer)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"other key":           other.checkpoint(),
		"other origin":        renamed.checkpoint(),
		"extra signature":     cosigned,
		"duplicate signature": append(append([]byte{}, msg...), msg[bytes.Index(msg, []byte("\u2014")):]...),
		"truncated":           msg[:len(msg)-1],
		"no signature":        msg[:bytes.Index(msg, []byte("\u2014"))],
	}
	for name, in := range cases {
		if _, err := OpenCheckpoint(in, l.verifier); err == nil {
			t.Errorf("OpenCheckpoint(%s) succeeded", name)
		}
	}
	// Non-canonical base64 of the same signature bytes: the last character
	// of "…xx==" style padding carries unused bits.
	sigLine := msg[bytes.Index(msg, []byte("\u2014")):]
	b64 := string(sigLine[bytes.LastIndexByte(sigLine[:len(sigLine)-1], ' ')+1 : len(sigLine)-1])
	if strings.HasSuffix(b64, "=") {
		last := strings.TrimRight(b64, "=")
		alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		pos := strings.IndexByte(alphabet, last[len(last)-1])
		twin := last[:len(last)-1] + string(alphabet[pos^1]) + b64[len(last):]
		forged := bytes.Replace(msg, []byte(b64), []byte(twin), 1)
		if _, err := note.Open(forged, note.VerifierList(l.verifier)); err != nil {
			t.Logf("note.Open rejects the twin encoding itself: %v", err)
		}
		if _, err := OpenCheckpoint(forged, l.verifier); err == nil {
			t.Error("OpenCheckpoint accepted a non-canonical signature encoding")
		}
	}
}

func TestVerifyExtends(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, DefaultOrigin, 1)
	var cps [][]byte
	var sizes []int64
	for i := range 12 {
		var batch []Entry
		for j := range 1 + i*3 {
			batch = append(batch, testEntry(100*i+j))
		}
		l.add(batch...)
		cps = append(cps, l.checkpoint())
		sizes = append(sizes, l.size)
	}
	for i := range cps {
		for j := i; j < len(cps); j++ {
			p, err := ProveConsistency(ctx, l.store, sizes[i], sizes[j])
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyExtends(cps[i], cps[j], p, l.verifier); err != nil {
				t.Errorf("VerifyExtends(%d→%d): %v", sizes[i], sizes[j], err)
			}
			if i != j {
				if err := VerifyExtends(cps[j], cps[i], p, l.verifier); !errors.Is(err, ErrVerify) {
					t.Errorf("VerifyExtends(%d→%d) backwards = %v, want ErrVerify", sizes[j], sizes[i], err)
				}
			}
		}
	}

	// A fork: same key, same first 20 entries, then a rewritten history.
	fork := newTestLog(t, DefaultOrigin, 1)
	fork.add(l.entries[:20]...)
	rewritten := append([]Entry{testEntry(-1)}, l.entries[21:]...)
	fork.add(rewritten...)
	if fork.size != l.size {
		t.Fatalf("fork size %d, log size %d", fork.size, l.size)
	}
	forkCP := fork.checkpoint()
	last := cps[len(cps)-1]
	if err := VerifyExtends(last, forkCP, nil, l.verifier); !errors.Is(err, ErrVerify) {
		t.Errorf("same size, different root = %v, want ErrVerify", err)
	}
	// The fork extends the old tree up to 20 entries but not beyond.
	for i, size := range sizes {
		p, err := ProveConsistency(ctx, fork.store, size, fork.size)
		if err != nil {
			t.Fatal(err)
		}
		err = VerifyExtends(cps[i], forkCP, p, l.verifier)
		if size <= 20 && err != nil {
			t.Errorf("fork shares the first %d entries but VerifyExtends failed: %v", size, err)
		}
		if size > 20 && !errors.Is(err, ErrVerify) {
			t.Errorf("fork rewrote entry 20 but VerifyExtends(%d→fork) = %v", size, err)
		}
	}
	// A grown fork cannot be proved to extend the honest log either.
	fork.add(testEntry(9999))
	grownCP := fork.checkpoint()
	p, err := ProveConsistency(ctx, fork.store, l.size, fork.size)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyExtends(last, grownCP, p, l.verifier); !errors.Is(err, ErrVerify) {
		t.Errorf("grown fork = %v, want ErrVerify", err)
	}
	// A correct proof does not help a checkpoint signed by another key.
	other := newTestLog(t, DefaultOrigin, 2)
	other.add(l.entries...)
	p, _ = ProveConsistency(ctx, l.store, sizes[3], l.size)
	if err := VerifyExtends(cps[3], other.checkpoint(), p, l.verifier); !errors.Is(err, ErrVerify) {
		t.Errorf("checkpoint by another key = %v, want ErrVerify", err)
	}
	// A non-empty proof between equal sizes is rejected.
	if err := VerifyExtends(last, last, tlog.TreeProof{{}}, l.verifier); !errors.Is(err, ErrVerify) {
		t.Errorf("non-empty proof for equal sizes = %v", err)
	}
}

func FuzzParseCheckpoint(f *testing.F) {
	l := newTestLog(f, DefaultOrigin, 1)
	l.add(testEntry(0), testEntry(1))
	f.Add(l.checkpoint())
	f.Add([]byte("kolaborasi.id/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := ParseCheckpoint(data); err == nil {
			if !bytes.Equal(c.Text(), data) {
				t.Fatalf("ParseCheckpoint accepted non-canonical %q", data)
			}
		}
		c, err := OpenCheckpoint(data, l.verifier)
		if err != nil {
			return
		}
		// Ed25519 is deterministic, so whatever opens must be exactly what
		// the log key signs for that checkpoint.
		again, err := SignCheckpoint(c, l.signer)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("OpenCheckpoint accepted %q, which the log would sign as %q", data, again)
		}
	})
}
