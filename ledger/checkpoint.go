package ledger

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// DefaultOrigin is the proposed origin of the national Kolaborasi log. The
// origin is the first line of every checkpoint and the name of the log's
// note key; a region-run instance uses its own host name.
const DefaultOrigin = "kolaborasi.id/log"

// maxCheckpointSize bounds the signed checkpoints this package reads.
const maxCheckpointSize = 4096

// Checkpoint is a log's signed statement of its size and root hash, in the
// C2SP tlog-checkpoint format.
type Checkpoint struct {
	// Origin names the log; it equals the name of the log's note key.
	Origin string
	// Size is the number of records in the tree.
	Size int64
	// Root is the RFC 6962 root hash of the tree.
	Root tlog.Hash
}

// Text returns the checkpoint body: the origin, the decimal size and the
// standard base64 root hash, each followed by a newline.
func (c Checkpoint) Text() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// ParseCheckpoint parses a checkpoint body (without signatures). It accepts
// only the form Text produces: exactly three lines, no extension lines, a
// size without sign or leading zeros, and a root in padded standard base64.
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	if len(text) > maxCheckpointSize || !bytes.HasSuffix(text, []byte("\n")) {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint body", ErrMalformed)
	}
	lines := strings.Split(string(text[:len(text)-1]), "\n")
	if len(lines) != 3 {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint has %d lines, want 3", ErrMalformed, len(lines))
	}
	var c Checkpoint
	c.Origin = lines[0]
	if !validOrigin(c.Origin) {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint origin %q", ErrMalformed, c.Origin)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint size %q", ErrMalformed, lines[1])
	}
	c.Size = n
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint root %q", ErrMalformed, lines[2])
	}
	copy(c.Root[:], root)
	if !bytes.Equal(c.Text(), text) {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint is not in canonical form", ErrMalformed)
	}
	return c, nil
}

// validOrigin reports whether s can be both a checkpoint origin and a note
// key name: non-empty UTF-8 without white space, control characters or "+".
func validOrigin(s string) bool {
	if s == "" || len(s) > 256 || checkText("origin", s) != nil {
		return false
	}
	return !strings.Contains(s, "+") && !strings.ContainsFunc(s, unicode.IsSpace)
}

// SignCheckpoint returns the signed note of c, signed by signer, whose name
// must equal c.Origin.
func SignCheckpoint(c Checkpoint, signer note.Signer) ([]byte, error) {
	if signer.Name() != c.Origin {
		return nil, fmt.Errorf("%w: signer %q for origin %q", ErrMalformed, signer.Name(), c.Origin)
	}
	if _, err := ParseCheckpoint(c.Text()); err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: string(c.Text())}, signer)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return msg, nil
}

// OpenCheckpoint verifies a signed checkpoint against the log's verifier
// and returns it. The note must carry exactly one signature, the verifier's,
// its origin must be the verifier's name, and it must be byte for byte the
// note SignCheckpoint makes (signature in canonical base64).
func OpenCheckpoint(msg []byte, verifier note.Verifier) (Checkpoint, error) {
	if len(msg) > maxCheckpointSize {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint too large", ErrMalformed)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint signature: %v", ErrVerify, err)
	}
	if len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 0 {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint must carry exactly one signature", ErrVerify)
	}
	sig, err := base64.StdEncoding.DecodeString(n.Sigs[0].Base64)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint signature encoding", ErrMalformed)
	}
	want := n.Text + "\n\u2014 " + n.Sigs[0].Name + " " + base64.StdEncoding.EncodeToString(sig) + "\n"
	if want != string(msg) {
		return Checkpoint{}, fmt.Errorf("%w: signed checkpoint is not in canonical form", ErrMalformed)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != verifier.Name() {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint origin %q, log key %q", ErrVerify, c.Origin, verifier.Name())
	}
	return c, nil
}

// NewLogVerifier parses the log's public note verifier key
// ("<origin>+<hash>+<base64 key>", as made by note.GenerateKey).
func NewLogVerifier(vkey string) (note.Verifier, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("%w: log verifier key: %v", ErrMalformed, err)
	}
	return v, nil
}

// VerifyExtends checks that the log whose signed checkpoint is newCheckpoint
// extends the log whose signed checkpoint is oldCheckpoint: both verify
// with verifier, the new size is not smaller, and proof is a valid
// consistency proof from the old root to the new one (empty when the sizes
// are equal, in which case the roots must be equal). A forked log fails.
func VerifyExtends(oldCheckpoint, newCheckpoint []byte, proof tlog.TreeProof, verifier note.Verifier) error {
	oldC, err := OpenCheckpoint(oldCheckpoint, verifier)
	if err != nil {
		return fmt.Errorf("old checkpoint: %w", err)
	}
	newC, err := OpenCheckpoint(newCheckpoint, verifier)
	if err != nil {
		return fmt.Errorf("new checkpoint: %w", err)
	}
	return checkExtends(oldC, newC, proof)
}

// checkExtends is VerifyExtends on opened checkpoints.
func checkExtends(oldC, newC Checkpoint, proof tlog.TreeProof) error {
	switch {
	case oldC.Origin != newC.Origin:
		return fmt.Errorf("%w: origins %q and %q differ", ErrVerify, oldC.Origin, newC.Origin)
	case newC.Size < oldC.Size:
		return fmt.Errorf("%w: log shrank from %d to %d", ErrVerify, oldC.Size, newC.Size)
	case oldC.Size == 0 || oldC.Size == newC.Size:
		empty, _ := tlog.TreeHash(0, nil)
		if oldC.Size == 0 && oldC.Root != empty {
			return fmt.Errorf("%w: empty log with a non-empty root", ErrVerify)
		}
		if oldC.Size == newC.Size && oldC.Root != newC.Root {
			return fmt.Errorf("%w: two roots for size %d: the log forked", ErrVerify, oldC.Size)
		}
		if len(proof) != 0 {
			return fmt.Errorf("%w: consistency proof should be empty", ErrVerify)
		}
		return nil
	}
	if err := tlog.CheckTree(proof, newC.Size, newC.Root, oldC.Size, oldC.Root); err != nil {
		return fmt.Errorf("%w: size %d does not extend size %d: %v", ErrVerify, newC.Size, oldC.Size, err)
	}
	return nil
}
