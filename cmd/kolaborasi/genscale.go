package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/kolaborasi/kolaborasi/store"
)

// genObsBatch is about how many observations one import of `gen --scale`
// carries.
const genObsBatch = 50_000

// genScale loads a whole generated data set through the app's use cases:
// the System actor publishes, generated accounts (which have no password
// and cannot sign in) draft, move and sign agreements with keys derived
// from the seed.
type genScale struct {
	a      *app.App
	plan   gen.Plan
	seed   uint64
	out    io.Writer
	ctx    context.Context // as the System actor
	admin  *kolaborasi.User
	coord  map[string]*kolaborasi.User
	signer map[string]*kolaborasi.User
	// keys maps a region to its signatory's key ID.
	keys   map[string]string
	counts []string
}

func runGenScale(ctx context.Context, cfg *config, scale string, seed uint64, stdout, stderr io.Writer) error {
	var plan gen.Plan
	switch scale {
	case "national":
		plan = gen.National
	case "province":
		plan = gen.Province
	default:
		return usageError{"--scale must be national or province"}
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	keyFile := cfg.logKeyFile()
	if keyFile == "" {
		return usageError{"--log-key-file is required on PostgreSQL: the generated agreements are signed and recorded in the public log"}
	}
	db, a, err := openServerApp(ctx, cfg.DB, keyFile, log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := a.CheckLog(ctx); err != nil {
		return fmt.Errorf("the generated agreements cannot be recorded in the public log: %s", kolaborasi.ErrorMessage(err))
	}
	if _, err := db.Store().FindUserByEmail(ctx, genEmail("admin", "platform")); err == nil {
		return errors.New("the database already holds a generated data set: generate into a fresh database")
	} else if kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		return err
	}
	g := &genScale{a: a, plan: plan, seed: seed, out: stdout, ctx: kolaborasi.WithUser(ctx, kolaborasi.System),
		coord: map[string]*kolaborasi.User{}, signer: map[string]*kolaborasi.User{}, keys: map[string]string{}}
	start := time.Now()
	if err := g.run(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Generated the %s data set (seed %d, synthetic) in %s %s in %s: %s.\n",
		plan.Name, seed, db.Engine(), db.Where(), time.Since(start).Round(time.Millisecond), strings.Join(g.counts, ", "))
	return nil
}

// phase runs one step and records its count and time.
func (g *genScale) phase(what string, fn func() (int, error)) error {
	start := time.Now()
	n, err := fn()
	if err != nil {
		return fmt.Errorf("generate %s: %w", what, err)
	}
	d := time.Since(start)
	g.counts = append(g.counts, fmt.Sprintf("%d %s", n, what))
	fmt.Fprintf(g.out, "%d %s in %s (%.0f/s)\n", n, what, d.Round(time.Millisecond), float64(n)/max(d.Seconds(), 1e-9))
	return nil
}

func (g *genScale) run() error {
	regions, err := g.regions()
	if err != nil {
		return err
	}
	codes := regionCodes(regions)
	var parties []string
	for _, r := range regions {
		if r.Autonomous {
			parties = append(parties, r.Code)
		}
	}
	var sols []*kolaborasi.Solution
	if err := g.phase("solutions", func() (int, error) {
		sols, err = genSolutions(g.ctx, g.a, g.seed, g.plan.Solutions, codes, g.out)
		return len(sols), err
	}); err != nil {
		return err
	}
	steps := []struct {
		what string
		fn   func() (int, error)
	}{
		{"accounts", func() (int, error) { return g.accounts(parties) }},
		{"agreements", func() (int, error) { return g.agreements(parties) }},
		{"adoptions", func() (int, error) { return g.adoptions(sols, codes) }},
		{"products", func() (int, error) { return g.products(codes) }},
		{"needs", func() (int, error) { return g.needs(codes) }},
		{"observations", func() (int, error) { return g.observations(codes) }},
	}
	for _, s := range steps {
		if err := g.phase(s.what, s.fn); err != nil {
			return err
		}
	}
	return nil
}

// regions returns the regions of the scale: every province and
// kabupaten/kota, or Jawa Timur and its kabupaten/kota.
func (g *genScale) regions() ([]*kolaborasi.Region, error) {
	provs, err := g.a.Provinces(g.ctx)
	if err != nil {
		return nil, err
	}
	var out []*kolaborasi.Region
	for _, p := range provs {
		if g.plan.Name == gen.Province.Name && p.Code != gen.ProvinceCode {
			continue
		}
		rs, err := g.a.RegionsOfProvince(g.ctx, p.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		out = append(out, rs...)
	}
	if len(out) < 2 {
		return nil, errors.New("the database has no regions; run kolaborasi migrate first")
	}
	return out, nil
}

// genEmail is the address of a generated account: under .invalid, never
// delivered.
func genEmail(role, region string) string {
	return fmt.Sprintf("%s.%s@gen.kolaborasi.invalid", role, strings.ReplaceAll(region, ".", "-"))
}

// accounts invites a platform administrator and, for every party region,
// a coordinator and a signatory, and registers each signatory's key
// (approved by the administrator under the four-eyes rule).
func (g *genScale) accounts(parties []string) (int, error) {
	invite := func(in app.UserInput) (*kolaborasi.User, error) {
		in.Status = kolaborasi.UserActive
		u, _, err := g.a.InviteUser(g.ctx, in)
		return u, err
	}
	var err error
	g.admin, err = invite(app.UserInput{Email: genEmail("admin", "platform"), Name: "Admin Sintetis", Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}})
	if err != nil {
		return 0, err
	}
	bar := newProgress(g.out, "accounts", len(parties))
	for i, r := range parties {
		if g.coord[r], err = invite(app.UserInput{Email: genEmail("koordinator", r), Name: "Koordinator Sintetis " + r, Region: r,
			Roles: []kolaborasi.Role{kolaborasi.RoleCoordinator}}); err != nil {
			return 0, err
		}
		if g.signer[r], err = invite(app.UserInput{Email: genEmail("kepala", r), Name: "Kepala Daerah Sintetis " + r, Region: r,
			Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}}); err != nil {
			return 0, err
		}
		pub := gen.SigningKey(g.seed, r).Public().(ed25519.PublicKey)
		k, err := g.a.RequestSigningKey(kolaborasi.WithUser(g.ctx, g.signer[r]), pub, "")
		if err != nil {
			return 0, fmt.Errorf("key of %s: %w", r, err)
		}
		if err := g.a.ApproveSigningKey(kolaborasi.WithUser(g.ctx, g.admin), k.KeyID); err != nil {
			return 0, fmt.Errorf("approve key of %s: %w", r, err)
		}
		g.keys[r] = k.KeyID
		bar.set(i + 1)
	}
	bar.done()
	return 1 + 2*len(parties), nil
}

// Batch sizes of `gen --scale`: how many agreements, adoptions and
// producers (with their products) one transaction carries (app.Batch).
const (
	genAgreementBatch = 100
	genAdoptionBatch  = 1_000
	genProducerBatch  = 250
)

// batches runs fn(b, i) for i in [0, n) through g.a.Batch, size at a time,
// and moves the bar after each committed batch.
func (g *genScale) batches(bar *progress, n, size int, fn func(b *app.App, i int) error) error {
	for lo := 0; lo < n; lo += size {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+size, n)
		if err := g.a.Batch(g.ctx, func(b *app.App) error {
			for i := lo; i < hi; i++ {
				if err := fn(b, i); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		bar.set(hi)
	}
	bar.done()
	return nil
}

// agreements drafts every agreement as the first party's coordinator and
// takes it as far as its plan says: offered, negotiated by the second
// party, signed by both parties' signatories; genAgreementBatch
// agreements per transaction.
func (g *genScale) agreements(parties []string) (int, error) {
	bar := newProgress(g.out, "agreements", g.plan.Agreements)
	as := func(u *kolaborasi.User) context.Context { return kolaborasi.WithUser(g.ctx, u) }
	err := g.batches(bar, g.plan.Agreements, genAgreementBatch, func(b *app.App, i int) error {
		x := gen.MakeAgreement(g.seed, i, parties)
		pa, pb := x.Content.Parties[0].Region, x.Content.Parties[1].Region
		ag, err := b.CreateAgreement(as(g.coord[pa]), x.Content)
		if err != nil {
			return fmt.Errorf("draft %d: %w", i, err)
		}
		if x.Status != kolaborasi.StatusDraft {
			if err := b.MoveAgreement(as(g.coord[pa]), ag.ID, kolaborasi.StatusOffered); err != nil {
				return fmt.Errorf("offer %d: %w", i, err)
			}
		}
		if x.Status == kolaborasi.StatusKSBSigned {
			if err := b.MoveAgreement(as(g.coord[pb]), ag.ID, kolaborasi.StatusKSBNegotiated); err != nil {
				return fmt.Errorf("negotiate %d: %w", i, err)
			}
			for _, r := range []string{pa, pb} {
				if err := g.sign(b, as(g.signer[r]), ag, r); err != nil {
					return fmt.Errorf("sign %d for %s: %w", i, r, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return g.plan.Agreements, nil
}

// sign signs the KSB of ag for region with the region's generated key.
func (g *genScale) sign(b *app.App, ctx context.Context, ag *kolaborasi.Agreement, region string) error {
	keyID := g.keys[region]
	c, err := b.SigningContent(ctx, ag.ID, ag.Version, region, ledger.RoleSignatory, ledger.StageKSB, keyID)
	if err != nil {
		return err
	}
	sig, err := ledger.Sign(gen.SigningKey(g.seed, region), c)
	if err != nil {
		return err
	}
	_, err = b.SignAgreement(ctx, app.SignInput{AgreementID: ag.ID, Version: ag.Version, Stage: ledger.StageKSB,
		Party: region, Role: ledger.RoleSignatory, KeyID: keyID, Signature: sig})
	return err
}

// adoptions requests, decides and moves the generated adoptions as the
// System actor, genAdoptionBatch drawn adoptions per transaction. A
// generated adoption of the adopter's own solution, of a retired one, or
// of a solution the region already adopts is skipped (decided before the
// batches, so that a batch run again makes the same adoptions), so the
// count made may be a little below the plan's.
func (g *genScale) adoptions(sols []*kolaborasi.Solution, regions []string) (int, error) {
	type pair struct {
		sol    int64
		region string
	}
	seen := map[pair]bool{}
	var made []gen.Adoption
	for i := range g.plan.Adoptions {
		x := gen.MakeAdoption(g.seed, i, len(sols), regions)
		s := sols[x.Solution]
		p := pair{s.ID, x.Adopter}
		if s.RegionCode == x.Adopter || s.Maturity == kolaborasi.MaturityRetired || seen[p] {
			continue
		}
		seen[p] = true
		made = append(made, x)
	}
	bar := newProgress(g.out, "adoptions", len(made))
	err := g.batches(bar, len(made), genAdoptionBatch, func(b *app.App, i int) error {
		x := made[i]
		ad, err := b.RequestAdoption(g.ctx, app.AdoptionRequest{SolutionID: sols[x.Solution].ID, AdopterRegion: x.Adopter,
			Synthetic: true, Note: gen.Marker})
		if err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		if x.Pending {
			return nil
		}
		if ad, err = b.DecideAdoption(g.ctx, ad.ID, ad.Version, !x.Decline, gen.Marker); err != nil {
			return fmt.Errorf("decide %d: %w", i, err)
		}
		for _, st := range x.Stages {
			if ad, err = b.MoveAdoption(g.ctx, ad.ID, ad.Version, st, ""); err != nil {
				return fmt.Errorf("move %d to %s: %w", i, st, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(made), nil
}

// products adds the producers and their products, genProducerBatch
// producers per transaction.
func (g *genScale) products(regions []string) (int, error) {
	bar := newProgress(g.out, "producers", g.plan.Producers)
	err := g.batches(bar, g.plan.Producers, genProducerBatch, func(b *app.App, i int) error {
		pr := gen.MakeProducer(g.seed, i, regions)
		if err := b.CreateProducer(g.ctx, pr); err != nil {
			return fmt.Errorf("producer %d: %w", i, err)
		}
		for j := range g.plan.ProductsPerProducer {
			p := gen.MakeProduct(g.seed, i, j)
			p.ProducerID = pr.ID
			if err := b.CreateProduct(g.ctx, p); err != nil {
				return fmt.Errorf("product %d of producer %d: %w", j, i, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return g.plan.Producers * g.plan.ProductsPerProducer, nil
}

// needs adds NeedsPerRegion needs to every region, all in one
// transaction.
func (g *genScale) needs(regions []string) (int, error) {
	n := len(regions) * g.plan.NeedsPerRegion
	err := g.batches(newProgress(g.out, "needs", n), n, n, func(b *app.App, i int) error {
		r, j := regions[i/g.plan.NeedsPerRegion], i%g.plan.NeedsPerRegion
		if err := b.CreateNeed(g.ctx, gen.MakeNeed(g.seed, r, j)); err != nil {
			return fmt.Errorf("need %d of %s: %w", j, r, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// observations defines the monthly synthetic indicators and imports every
// region's observations through the indicator import, about genObsBatch
// rows per import (one transaction each).
func (g *genScale) observations(regions []string) (int, error) {
	for k := range g.plan.MonthlyIndicators {
		if err := g.a.SaveIndicator(g.ctx, gen.MonthlyIndicator(k), true); err != nil {
			return 0, fmt.Errorf("define indicator %d: %w", k+1, err)
		}
	}
	inds, err := g.a.Indicators(g.ctx)
	if err != nil {
		return 0, err
	}
	var yearly []string
	for _, ind := range inds {
		if ind.PeriodKind == kolaborasi.Yearly && ind.Framework != kolaborasi.FrameworkCustom {
			yearly = append(yearly, ind.Code)
		}
	}
	slices.Sort(yearly)
	total := len(regions) * g.plan.ObservationCount(len(yearly))
	bar := newProgress(g.out, "observations", total)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows, done := 0, 0
	flush := func() error {
		w.Flush()
		rep, err := g.a.ImportObservations(g.ctx, "", &buf, obsfile.CSV, 0)
		if err != nil {
			if rep != nil && len(rep.Problems) > 0 {
				return fmt.Errorf("%w (first: %v)", err, rep.Problems[0])
			}
			return err
		}
		done += rows
		bar.set(done)
		buf.Reset()
		rows = 0
		return nil
	}
	header := func() {
		w.Write([]string{obsfile.ColRegion, obsfile.ColIndicator, obsfile.ColPeriod, obsfile.ColValue, obsfile.ColSource})
	}
	header()
	for _, r := range regions {
		if err := g.ctx.Err(); err != nil {
			return 0, err
		}
		g.plan.Observations(g.seed, r, yearly, func(o gen.Observation) {
			w.Write([]string{o.Region, o.Indicator, o.Period, obsfile.FormatNumber(o.Value), gen.SyntheticSource})
			rows++
		})
		if rows >= genObsBatch {
			if err := flush(); err != nil {
				return 0, err
			}
			header()
		}
	}
	if rows > 0 {
		if err := flush(); err != nil {
			return 0, err
		}
	}
	bar.done()
	return done, nil
}

// genDigestQueries select what a generated data set is made of, without
// the times of the run (and the log records, whose status changes carry
// them): the same seed and scale give the same digest on one engine.
var genDigestQueries = []string{
	"SELECT id, kind, region_code, maturity, code_url, terms FROM solutions ORDER BY id",
	"SELECT id, email, name, region_code FROM users ORDER BY id",
	"SELECT key_id, region_code, user_id, status, reg_log_index FROM signing_keys ORDER BY key_id",
	"SELECT agreement_id, version, status, type, sign_year, content FROM agreement_versions ORDER BY agreement_id, version",
	"SELECT agreement_id, version, stage, party, role, key_id, signature, log_index FROM agreement_signatures ORDER BY agreement_id, version, stage, party, role",
	"SELECT id, solution_id, adopter_region, source_region, agreement_id, stage, state FROM adoptions ORDER BY id",
	"SELECT id, region_code, kind, name, verification FROM producers ORDER BY id",
	"SELECT id, producer_id, region_code, terms FROM products ORDER BY id",
	"SELECT id, region_code, status FROM needs ORDER BY id",
	"SELECT code, framework FROM indicators ORDER BY code",
	"SELECT indicator_code, region_code, period, value, source FROM observations ORDER BY indicator_code, region_code, period",
	"SELECT idx, type, agreement_id, version, key_id FROM log_records ORDER BY idx",
}

// genDigest returns a SHA-256 over the generated data of db (genDigestQueries).
func genDigest(ctx context.Context, db *store.DB) (string, error) {
	_, read := db.Pools()
	h := sha256.New()
	for _, q := range genDigestQueries {
		rows, err := read.QueryContext(ctx, q)
		if err != nil {
			return "", fmt.Errorf("%s: %w", q, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(h, "%v\x1f", v)
			}
			h.Write([]byte{'\n'})
		}
		if err := rows.Close(); err != nil {
			return "", err
		}
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
