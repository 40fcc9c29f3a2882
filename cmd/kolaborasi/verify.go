package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kolaborasi/kolaborasi/ledger"
)

// The public log's HTTP API, served by `kolaborasi serve`:
//
//	GET /api/v1/log/key                      the log's note verifier key (text)
//	GET /api/v1/log/checkpoint               the latest signed checkpoint (text)
//	GET /api/v1/log/consistency?from=N&to=M  consistency proof: JSON list of base64 hashes
//	GET /api/v1/log/proof/{index}?size=N     inclusion proof: JSON list of base64 hashes
//	GET /api/v1/log/entries?start=A&end=B    entries: JSON list of {"index": n, "entry": {...}}
//	GET /api/v1/agreements/{id}/bundle       a verification bundle (latest version; ?version=N)
const (
	pathLogKey         = "/api/v1/log/key"
	pathLogCheckpoint  = "/api/v1/log/checkpoint"
	pathLogConsistency = "/api/v1/log/consistency"
)

// maxFetch bounds what the log commands read from a server.
const maxFetch = 1 << 20

// runVerify verifies a bundle offline against the log's verifier key.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "verify [--log-key KEY | --url BASE] BUNDLE.json", stderr)
	logKey := fs.String("log-key", os.Getenv("KOLABORASI_LOG_KEY"), "the log's verifier key (env KOLABORASI_LOG_KEY)")
	base := fs.String("url", "", "fetch the log's verifier key from this Kolaborasi server instead")
	rest, err := parseWithArgs(fs, args, 1)
	if err != nil {
		return err
	}
	key, err := verifierKey(ctx, *logKey, *base)
	if err != nil {
		return err
	}
	data, err := readLimited(rest[0], ledger.MaxBundleSize)
	if err != nil {
		return err
	}
	rep, err := ledger.VerifyBundle(data, key)
	for _, s := range rep.Signatures {
		state := "valid"
		if !s.Valid {
			state = "INVALID: " + s.Problem
		}
		fmt.Fprintf(stdout, "signature %d: %s %s, %s %s, by key %s (%s, registered at %d, approved by %s): %s\n",
			s.Index, s.Party, s.Name, s.Role, strings.ToUpper(s.Stage), s.KeyID, s.HolderOffice, s.KeyIndex, s.ApprovedBy, state)
	}
	if err != nil {
		return fmt.Errorf("%s does not verify: %w", rest[0], err)
	}
	fmt.Fprintf(stdout, "OK: %s; agreement %s version %d (content %s), status %s; log %s size %d\n",
		provedStages(rep), rep.AgreementID, rep.Version, rep.ContentHash, rep.Status, rep.Origin, rep.TreeSize)
	return nil
}

// provedStages says what a verified bundle proves: "KSB signed by 35.72
// Pemerintah Kota Blitar (key ..., Wali Kota Blitar, approved by ...), ...".
func provedStages(rep ledger.Report) string {
	var stages []string
	for _, st := range rep.Stages {
		var who []string
		for _, s := range st.Signatories {
			who = append(who, fmt.Sprintf("%s %s (key %s, %s, approved by %s)", s.Party, s.Name, s.KeyID, s.HolderOffice, s.ApprovedBy))
		}
		stages = append(stages, fmt.Sprintf("%s signed by %s at log index %d", strings.ToUpper(st.Stage), strings.Join(who, ", "), st.SignedIndex))
	}
	return strings.Join(stages, "; ")
}

// verifierKey returns the key given, or fetches it from the server.
func verifierKey(ctx context.Context, key, base string) (string, error) {
	switch {
	case key != "":
		return strings.TrimSpace(key), nil
	case base != "":
		b, err := fetch(ctx, base, pathLogKey, nil)
		return strings.TrimSpace(string(b)), err
	}
	return "", usageError{"give the log's verifier key with --log-key, or a server with --url"}
}

// runLog runs the log subcommands: verify, keygen and export-key.
func runLog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "keygen":
			return runLogKeygen(ctx, args[1:], stdout, stderr)
		case "export-key":
			return runLogExportKey(ctx, args[1:], stdout, stderr)
		}
	}
	if len(args) == 0 || args[0] != "verify" {
		return usageError{"usage: kolaborasi log verify --checkpoint OLD.txt --url BASE, kolaborasi log keygen --out FILE, " +
			"or kolaborasi log export-key --db DB --out FILE"}
	}
	fs := newFlagSet("log verify", "log verify --checkpoint OLD.txt --url BASE [--log-key KEY] [--update]", stderr)
	old := fs.String("checkpoint", "", "a signed checkpoint of the log seen before")
	base := fs.String("url", "", "the Kolaborasi server, such as https://kolaborasi.id")
	logKey := fs.String("log-key", os.Getenv("KOLABORASI_LOG_KEY"), "the log's verifier key; fetched from the server when empty")
	update := fs.Bool("update", false, "replace the old checkpoint file with the new one when it verifies")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *old == "" || *base == "" {
		return usageError{"--checkpoint and --url are required"}
	}
	oldCP, err := readLimited(*old, maxFetch)
	if err != nil {
		return err
	}
	key, err := verifierKey(ctx, *logKey, *base)
	if err != nil {
		return err
	}
	verifier, err := ledger.NewLogVerifier(key)
	if err != nil {
		return err
	}
	// The old checkpoint must carry the key's signature, so a server cannot
	// swap in a key of its own.
	oldC, err := ledger.OpenCheckpoint(oldCP, verifier)
	if err != nil {
		return fmt.Errorf("%s: %w", *old, err)
	}
	newCP, err := fetch(ctx, *base, pathLogCheckpoint, nil)
	if err != nil {
		return err
	}
	newC, err := ledger.OpenCheckpoint(newCP, verifier)
	if err != nil {
		return fmt.Errorf("the server's checkpoint: %w", err)
	}
	var proof tlog.TreeProof
	if newC.Size > oldC.Size && oldC.Size > 0 {
		q := url.Values{"from": {strconv.FormatInt(oldC.Size, 10)}, "to": {strconv.FormatInt(newC.Size, 10)}}
		body, err := fetch(ctx, *base, pathLogConsistency, q)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, &proof); err != nil {
			return fmt.Errorf("the server's consistency proof is not a list of base64 hashes: %v", err)
		}
	}
	if err := ledger.VerifyExtends(oldCP, newCP, proof, verifier); err != nil {
		return fmt.Errorf("the log at %s does not extend %s: %w", *base, *old, err)
	}
	if *update {
		if err := os.WriteFile(*old, newCP, 0o644); err != nil {
			return fmt.Errorf("update %s: %w", *old, err)
		}
	}
	fmt.Fprintf(stdout, "OK: the log %s at size %d extends the checkpoint of size %d\n", newC.Origin, newC.Size, oldC.Size)
	return nil
}

// fetch GETs a path of the server and returns the body of a 200 response.
func fetch(ctx context.Context, base, path string, q url.Values) ([]byte, error) {
	u := strings.TrimSuffix(base, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, usageError{fmt.Sprintf("bad --url: %v", err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetch+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", u, resp.Status)
	}
	if len(body) > maxFetch {
		return nil, fmt.Errorf("fetch %s: response larger than %d bytes", u, maxFetch)
	}
	return body, nil
}
