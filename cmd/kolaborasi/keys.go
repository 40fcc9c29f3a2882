package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kolaborasi/kolaborasi/ledger"
)

// runKeygen makes a signatory's Ed25519 key pair: the private key goes to a
// file that only its owner can read and never to the server; the public key
// is printed (and optionally written) for registration on the platform.
func runKeygen(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("keygen", "keygen --out KEY.pem [--pub PUBLIC.pem]", stderr)
	out := fs.String("out", "", "file to write the private key to (PKCS #8 PEM, mode 0600); it must not exist")
	pubOut := fs.String("pub", "", "file to write the public key to (PEM); optional")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out is required"}
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("generate key: %w", err)
	}
	privPEM, err := ledger.MarshalPrivateKey(priv)
	if err != nil {
		return err
	}
	if err := writeNew(*out, privPEM, 0o600); err != nil {
		return err
	}
	if *pubOut != "" {
		pubPEM, err := ledger.MarshalPublicKeyPEM(pub)
		if err != nil {
			return err
		}
		if err := writeNew(*pubOut, pubPEM, 0o644); err != nil {
			return err
		}
	}
	b64, err := ledger.MarshalPublicKey(pub)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "public key: %s\nkey ID:     %s\nprivate key written to %s; keep it safe, it never leaves this computer.\n", b64, ledger.KeyID(pub), *out)
	return nil
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists; choose another file, keys are never overwritten", path)
	} else if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// runSign signs the signed content of an agreement version (the JSON the
// platform serves for a party, role, stage and key) with a private key file
// and prints the base64 signature to submit.
func runSign(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sign", "sign --key KEY.pem CONTENT.json", stderr)
	keyFile := fs.String("key", "", "the private key file made by kolaborasi keygen")
	rest, err := parseWithArgs(fs, args, 1)
	if err != nil {
		return err
	}
	if *keyFile == "" {
		return usageError{"--key is required"}
	}
	keyPEM, err := os.ReadFile(*keyFile)
	if err != nil {
		return fmt.Errorf("read key: %w", err)
	}
	priv, err := ledger.ParsePrivateKey(keyPEM)
	if err != nil {
		return fmt.Errorf("%s: %w", *keyFile, err)
	}
	data, err := readLimited(rest[0], ledger.MaxBundleSize)
	if err != nil {
		return err
	}
	var c ledger.SignedContent
	if err := json.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("%s is not signed content: %v", rest[0], err)
	}
	if id := ledger.KeyID(priv.Public().(ed25519.PublicKey)); id != c.KeyID {
		return fmt.Errorf("the content names key %s, but %s holds key %s", c.KeyID, *keyFile, id)
	}
	sig, err := ledger.Sign(priv, c)
	if err != nil {
		return fmt.Errorf("sign %s: %w", rest[0], err)
	}
	fmt.Fprintln(stdout, base64.StdEncoding.EncodeToString(sig))
	return nil
}

// parseWithArgs parses flags placed before or after exactly n positional
// arguments and returns the arguments.
func parseWithArgs(fs *flag.FlagSet, args []string, n int) ([]string, error) {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(out)
			fs.Usage()
			return nil, err
		} else if err != nil {
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != n {
		return nil, usageError{fmt.Sprintf("want %d file argument(s), got %d", n, len(pos))}
	}
	return pos, nil
}

// readLimited reads a file of at most max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return data, nil
}
