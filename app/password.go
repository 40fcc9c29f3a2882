package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/kolaborasi/kolaborasi"
)

// argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane), about
// 25 ms on the 2-core machines this runs on.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// argonCost is the memory (KiB) and passes of new password hashes.
type argonCost struct{ memory, time uint32 }

// defaultArgonCost is what every App hashes new passwords with unless a
// test says otherwise (WithPasswordHashCost).
var defaultArgonCost = argonCost{memory: argonMemory, time: argonTime}

// hashPassword returns the argon2id hash of password in PHC string form.
func hashPassword(password string, c argonCost) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, c.time, c.memory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memory, c.time, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// dummyHashes holds, by cost, the hash checked against when the account
// does not exist, so that a wrong e-mail address costs as much time as a
// wrong password. Each is made on first use, not at start-up: commands
// that never check a password do not pay 19 MiB and tens of milliseconds
// for it.
var dummyHashes sync.Map // argonCost → string

// dummyHash returns the dummy hash at cost c.
func dummyHash(c argonCost) string {
	if h, ok := dummyHashes.Load(c); ok {
		return h.(string)
	}
	h, _ := dummyHashes.LoadOrStore(c, hashPassword("kolaborasi-dummy-password", c))
	return h.(string)
}

// checkPassword reports whether password matches the PHC-form hash, in time
// that does not depend on where they differ.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 16 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// hashGate bounds the argon2id computations running at once. Each needs
// 19 MiB while it runs, so a flood of sign-ins must wait for a slot rather
// than all hash at once: slots run, a short queue waits, and the rest are
// refused straight away (ErrPasswordsBusy, answered 429 with Retry-After).
type hashGate struct {
	slots chan struct{} // held while hashing
	admit chan struct{} // held while hashing or waiting for a slot

	running, peak, total, refused atomic.Int64
}

func newHashGate(slots, queue int) *hashGate {
	if slots < 1 {
		slots = 1
	}
	return &hashGate{slots: make(chan struct{}, slots), admit: make(chan struct{}, slots+max(queue, 0))}
}

func defaultHashGate() *hashGate {
	n := runtime.GOMAXPROCS(0)
	return newHashGate(n, 4*n)
}

// ErrPasswordsBusy refuses a password check (sign-in, password change or
// reset) when the hash gate's queue is full.
var ErrPasswordsBusy = &kolaborasi.Error{Code: kolaborasi.ETOOMANY, Message: "The server is busy checking passwords; try again in a moment.",
	RetryAfter: time.Second}

// run calls f in a slot, waiting in the queue while all slots are taken.
func (g *hashGate) run(ctx context.Context, f func()) error {
	select {
	case g.admit <- struct{}{}:
	default:
		g.refused.Add(1)
		return ErrPasswordsBusy
	}
	defer func() { <-g.admit }()
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slots }()
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for {
		if p := g.peak.Load(); n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.total.Add(1)
	f()
	return nil
}

// PasswordHashStats counts the password hashes (argon2id) of an App.
type PasswordHashStats struct {
	// Slots is how many may run at once; Running how many run now and
	// Peak the most that ever ran at once.
	Slots, Running, Peak int64
	// Total counts hashes computed (sign-in checks and new passwords);
	// Refused counts requests turned away because the queue was full.
	Total, Refused int64
}

// PasswordHashStats returns the counters of the App's password hashing.
func (a *App) PasswordHashStats() PasswordHashStats {
	g := a.hashes
	return PasswordHashStats{Slots: int64(cap(g.slots)), Running: g.running.Load(), Peak: g.peak.Load(),
		Total: g.total.Load(), Refused: g.refused.Load()}
}

// WithPasswordHashSlots sets how many password hashes may run at once and
// how many may wait for a slot (by default the number of CPUs and four
// times that).
func WithPasswordHashSlots(slots, queue int) Option {
	return func(a *App) { a.hashes = newHashGate(slots, queue) }
}

// WithPasswordHashCost makes the App hash new passwords with memoryKiB of
// memory and the given passes instead of the OWASP minimum (19 MiB, 2
// passes), and check unknown accounts against a dummy hash of that cost.
// It is for tests only: under the race detector the real cost of the
// thousands of hashes the tests make takes minutes. Stored hashes carry
// their own parameters and verify either way.
func WithPasswordHashCost(memoryKiB, passes uint32) Option {
	return func(a *App) { a.hashCost = argonCost{memory: max(memoryKiB, 8*argonThreads), time: max(passes, 1)} }
}

// checkPassword checks password against hash within the App's hash gate.
// An empty hash (no account, or no password set yet) never matches, but is
// checked against the dummy hash so that it takes the same time.
func (a *App) checkPassword(ctx context.Context, hash, password string) (ok bool, err error) {
	err = a.hashes.run(ctx, func() {
		if hash == "" {
			checkPassword(dummyHash(a.hashCost), password)
			return
		}
		ok = checkPassword(hash, password)
	})
	return ok, err
}

// hashPassword hashes a new password within the App's hash gate. Callers
// hash before opening a write transaction, so that SQLite's one writer is
// not held for the ~25 ms a hash takes.
func (a *App) hashPassword(ctx context.Context, password string) (hash string, err error) {
	err = a.hashes.run(ctx, func() { hash = hashPassword(password, a.hashCost) })
	return hash, err
}
