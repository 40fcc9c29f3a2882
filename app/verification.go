package app

import (
	"context"
	"sync"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// Verification is the server's own check of an agreement version's bundle,
// as anyone can repeat it offline: the verdict per signature (by log index)
// and, when the bundle as a whole fails, why.
type Verification struct {
	// TreeSize is the size of the log the bundle was proved against.
	TreeSize   int64
	Signatures map[int64]ledger.SignatureReport
	// Problem is empty when the bundle verifies.
	Problem string
	// Report is the whole verification report (stages proved, who is
	// missing); Err is VerifyBundle's error, nil when it verifies
	// (errors.Is(Err, ledger.ErrIncomplete) for a stage not yet complete).
	Report ledger.Report
	Err    error
}

// verifyCacheSize bounds the versions whose verification is kept.
const verifyCacheSize = 4096

// verifyCache keeps each version's Verification with the log size it was
// made at. A bundle is a function of the version (frozen by its first
// signature) and the log up to that size, so the verdict holds until the
// log grows; any append (a new signature, key revocation or status change
// anywhere) makes the next read verify again.
type verifyCache struct {
	mu   sync.Mutex
	byID map[kolaborasi.VersionRef]*Verification
}

// VerifyAgreement checks the bundle of ag, a version the caller has read
// through Agreement (so the reader may see it), verifying its signatures,
// inclusion proofs and checkpoint once per version and log size rather
// than on every page view. A version without signatures has nothing to
// verify (nil).
func (a *App) VerifyAgreement(ctx context.Context, ag *kolaborasi.Agreement) (*Verification, error) {
	if len(ag.Signatures) == 0 {
		return nil, nil
	}
	ref := kolaborasi.VersionRef{ID: ag.ID, Version: ag.Version}
	_, size, err := a.store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if v := a.verified.get(ref, size); v != nil {
		return v, nil
	}
	b, err := a.AgreementBundle(ctx, ag.ID, ag.Version)
	if err != nil {
		return nil, err
	}
	key, err := a.LogVerifierKey(ctx)
	if err != nil {
		return nil, err
	}
	rep, verr := ledger.VerifyBundle(b, key)
	v := &Verification{TreeSize: rep.TreeSize, Signatures: map[int64]ledger.SignatureReport{}, Report: rep, Err: verr}
	for _, sr := range rep.Signatures {
		v.Signatures[sr.Index] = sr
	}
	if verr != nil {
		v.Problem = verr.Error()
	}
	// Keyed by the size the bundle was proved against, which may be newer
	// than the size read above.
	a.verified.put(ref, v)
	return v, nil
}

func (c *verifyCache) get(ref kolaborasi.VersionRef, size int64) *Verification {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v := c.byID[ref]; v != nil && v.TreeSize == size {
		return v
	}
	return nil
}

func (c *verifyCache) put(ref kolaborasi.VersionRef, v *Verification) {
	if c == nil || v.TreeSize == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) >= verifyCacheSize {
		c.byID = map[kolaborasi.VersionRef]*Verification{}
	}
	c.byID[ref] = v
}
