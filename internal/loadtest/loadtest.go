// Package loadtest drives a running Kolaborasi server over HTTP with many
// concurrent clients and a realistic mix of requests: anonymous catalog
// searches and pages, API lists and items, signed-in writes through the API
// and agreement signatures. It knows the server only by its URL and its
// public HTTP interface, nothing of its storage.
//
// Latencies are kept per request class in fixed-size logarithmic
// histograms, so memory does not grow with the run's length.
package loadtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Request classes, in the order the report lists them.
const (
	ClassSearchPage     = "search-page"
	ClassSearchAPI      = "search-api"
	ClassSolutionPage   = "solution-page"
	ClassAgreementPage  = "agreement-page"
	ClassRegionPage     = "region-page"
	ClassAPIList        = "api-list"
	ClassAPIItem        = "api-item"
	ClassSolutionEdit   = "write-solution-edit"
	ClassNeedCreate     = "write-need-create"
	ClassAgreementNew   = "write-agreement-create"
	ClassAgreementMove  = "write-agreement-status"
	ClassSigningContent = "signing-content"
	ClassSignature      = "write-signature"
)

// Classes lists every request class a run uses.
var Classes = []string{ClassSearchPage, ClassSearchAPI, ClassSolutionPage, ClassAgreementPage, ClassRegionPage,
	ClassAPIList, ClassAPIItem, ClassSolutionEdit, ClassNeedCreate, ClassAgreementNew, ClassAgreementMove,
	ClassSigningContent, ClassSignature}

// Accounts names the demo accounts the writes act as. Region A initiates
// the agreements and region B is their other party; the editor belongs to
// EditorRegion.
type Accounts struct {
	Editor, EditorRegion                      string
	CoordinatorA, SignatoryA, AdminA, RegionA string
	CoordinatorB, SignatoryB, AdminB, RegionB string
}

// Config is one load run.
type Config struct {
	// URL is the server's base address, e.g. http://127.0.0.1:8080.
	URL string
	// AllowRemote permits a host that is not loopback.
	AllowRemote bool
	Clients     int
	Duration    time.Duration
	// Password is the accounts' password.
	Password string
	Accounts Accounts
	// SearchPages and SearchAPI are the searches' paths with their query
	// strings (the catalog page's and the API's), used in turn.
	SearchPages, SearchAPI []string
	// Seed makes each client's choices repeatable.
	Seed uint64
	// Progress, when set, receives one line per setup step.
	Progress io.Writer
}

// weights of the actions a client picks from, per 1,000. A signing action
// makes 7 requests (an agreement created, moved twice, two signing contents
// and two signatures).
var weights = []struct {
	action string
	weight int
}{
	{ClassSearchPage, 200}, {ClassSearchAPI, 150}, {ClassSolutionPage, 130}, {ClassAgreementPage, 80},
	{ClassRegionPage, 100}, {ClassAPIList, 110}, {ClassAPIItem, 110}, {ClassSolutionEdit, 60},
	{ClassNeedCreate, 40}, {"sign", 20},
}

// CheckURL parses the server's address and refuses a host that is not
// loopback unless allowRemote: a load test is aimed at one's own server.
func CheckURL(raw string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--url %q is not an http:// or https:// address", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, fmt.Errorf("--url %q must be the server's base address, without a path or query", raw)
	}
	u.Path = ""
	if allowRemote {
		return u, nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--url %q is not a loopback address (127.0.0.1, ::1, localhost); pass --allow-remote to load a server you run elsewhere", raw)
	}
	return u, nil
}

// runner holds a run's shared state.
type runner struct {
	cfg    Config
	base   string
	client *http.Client
	stats  map[string]*classStats

	tokens                    map[string]string // e-mail -> API token
	keys                      map[string]signer // signatory e-mail -> key
	solutionIDs, agreementIDs []int64
	regions                   []string
	ownSolutions              []ownSolution // one per client
	agreementTemplate         map[string]any
	needTemplate              map[string]any
	agreementSeq              sync.Mutex
	agreementNo               int
}

type signer struct {
	keyID string
	priv  ed25519.PrivateKey
}

type ownSolution struct {
	id      int64
	version int
}

// classStats is one request class's counts and latencies.
type classStats struct {
	mu       sync.Mutex
	hist     Histogram
	statuses map[int]uint64 // status -> count of errors; 0 is a network error
	failed   uint64         // write errors and 5xx
}

// Run prepares the accounts (signing in, making API tokens, registering
// signing keys) and the data the clients use, then runs the clients for
// cfg.Duration and returns the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	u, err := CheckURL(cfg.URL, cfg.AllowRemote)
	if err != nil {
		return nil, err
	}
	if cfg.Clients < 1 || cfg.Duration <= 0 {
		return nil, errors.New("want at least one client and a positive duration")
	}
	if len(cfg.SearchPages) == 0 || len(cfg.SearchAPI) == 0 {
		return nil, errors.New("want searches to send")
	}
	tr := &http.Transport{Proxy: nil, MaxIdleConns: cfg.Clients + 16, MaxIdleConnsPerHost: cfg.Clients + 16,
		IdleConnTimeout: 90 * time.Second, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()
	r := &runner{cfg: cfg, base: u.String(), stats: map[string]*classStats{},
		client: &http.Client{Transport: tr, Timeout: 60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	for _, c := range Classes {
		r.stats[c] = &classStats{statuses: map[int]uint64{}}
	}
	if err := r.prepare(ctx); err != nil {
		return nil, err
	}
	r.progress("running %d clients for %v", cfg.Clients, cfg.Duration)
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range cfg.Clients {
		wg.Go(func() { r.client1(runCtx, i) })
	}
	wg.Wait()
	return r.report(time.Since(start)), nil
}

func (r *runner) progress(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, format+"\n", args...)
	}
}

// client1 is one client's loop until ctx ends: pick an action, do it.
func (r *runner) client1(ctx context.Context, i int) {
	rng := rand.New(rand.NewPCG(r.cfg.Seed, uint64(i)))
	total := 0
	for _, w := range weights {
		total += w.weight
	}
	for n := i; ctx.Err() == nil; n++ {
		x := rng.IntN(total)
		action := weights[len(weights)-1].action
		for _, w := range weights {
			if x < w.weight {
				action = w.action
				break
			}
			x -= w.weight
		}
		r.do(ctx, rng, i, n, action)
	}
}

// do performs one action; the n-th of client i.
func (r *runner) do(ctx context.Context, rng *rand.Rand, i, n int, action string) {
	pick := func(ids []int64) string { return strconv.FormatInt(ids[rng.IntN(len(ids))], 10) }
	switch action {
	case ClassSearchPage:
		r.get(ctx, action, r.cfg.SearchPages[n%len(r.cfg.SearchPages)])
	case ClassSearchAPI:
		r.get(ctx, action, r.cfg.SearchAPI[n%len(r.cfg.SearchAPI)])
	case ClassSolutionPage:
		r.get(ctx, action, "/solusi/"+pick(r.solutionIDs))
	case ClassAgreementPage:
		r.get(ctx, action, "/kerjasama/"+pick(r.agreementIDs))
	case ClassRegionPage:
		r.get(ctx, action, "/wilayah/"+r.regions[rng.IntN(len(r.regions))])
	case ClassAPIList:
		lists := []string{"/api/v1/solutions?page%5Bsize%5D=20", "/api/v1/agreements", "/api/v1/needs",
			"/api/v1/regions?province=" + r.regions[rng.IntN(len(r.regions))][:2], "/api/v1/adoptions", "/api/v1/log/entries?start=0&end=2"}
		r.get(ctx, action, lists[rng.IntN(len(lists))])
	case ClassAPIItem:
		items := []string{"/api/v1/solutions/" + pick(r.solutionIDs), "/api/v1/agreements/" + pick(r.agreementIDs),
			"/api/v1/regions/" + r.regions[rng.IntN(len(r.regions))], "/api/v1/log/checkpoint"}
		r.get(ctx, action, items[rng.IntN(len(items))])
	case ClassSolutionEdit:
		r.editSolution(ctx, i, n)
	case ClassNeedCreate:
		body := clone(r.needTemplate)
		body["title"] = fmt.Sprintf("Kebutuhan uji beban %d-%d", i, n)
		r.write(ctx, ClassNeedCreate, "POST", "/api/v1/regions/"+r.cfg.Accounts.EditorRegion+"/needs",
			r.tokens[r.cfg.Accounts.Editor], body, http.StatusCreated, nil)
	case "sign":
		r.signFlow(ctx)
	}
}

// editSolution changes the description of the client's own solution, with
// the version it last wrote.
func (r *runner) editSolution(ctx context.Context, i, n int) {
	own := &r.ownSolutions[i]
	patch := map[string]any{"version": own.version,
		"short": map[string]string{"id": fmt.Sprintf("Solusi uji beban klien %d, perubahan ke-%d.", i, n)}}
	var out struct {
		Data struct {
			Version int `json:"version"`
		} `json:"data"`
	}
	if r.write(ctx, ClassSolutionEdit, "PATCH", "/api/v1/solutions/"+strconv.FormatInt(own.id, 10),
		r.tokens[r.cfg.Accounts.Editor], patch, http.StatusOK, &out) {
		own.version = out.Data.Version
	}
}

// signFlow drafts an agreement between regions A and B, offers it,
// negotiates it and has both heads of region sign the KSB: every step is
// appended to the public log.
func (r *runner) signFlow(ctx context.Context) {
	acc := r.cfg.Accounts
	r.agreementSeq.Lock()
	r.agreementNo++
	no := r.agreementNo
	r.agreementSeq.Unlock()
	content := clone(r.agreementTemplate)
	content["title"] = fmt.Sprintf("KSB uji beban nomor %d", no)
	var created struct {
		Data struct {
			ID      int64 `json:"id"`
			Version int64 `json:"version"`
		} `json:"data"`
	}
	if !r.write(ctx, ClassAgreementNew, "POST", "/api/v1/agreements", r.tokens[acc.CoordinatorA], content, http.StatusCreated, &created) {
		return
	}
	path := "/api/v1/agreements/" + strconv.FormatInt(created.Data.ID, 10)
	if !r.write(ctx, ClassAgreementMove, "POST", path+"/status", r.tokens[acc.CoordinatorA], map[string]string{"to": "offered"}, http.StatusOK, nil) ||
		!r.write(ctx, ClassAgreementMove, "POST", path+"/status", r.tokens[acc.CoordinatorB], map[string]string{"to": "ksb_negotiated"}, http.StatusOK, nil) {
		return
	}
	for _, p := range []struct{ who, region string }{{acc.SignatoryA, acc.RegionA}, {acc.SignatoryB, acc.RegionB}} {
		k := r.keys[p.who]
		q := url.Values{"version": {strconv.FormatInt(created.Data.Version, 10)}, "party": {p.region}, "role": {"signatory"},
			"stage": {"ksb"}, "key_id": {k.keyID}}
		var sc struct {
			Data struct {
				Canonical []byte `json:"canonical"`
			} `json:"data"`
		}
		if !r.send(ctx, ClassSigningContent, "GET", path+"/signing-content?"+q.Encode(), r.tokens[p.who], nil, http.StatusOK, &sc, true) {
			return
		}
		sig := ed25519.Sign(k.priv, sc.Data.Canonical)
		body := map[string]any{"version": created.Data.Version, "stage": "ksb", "party": p.region, "role": "signatory",
			"key_id": k.keyID, "signature": base64.StdEncoding.EncodeToString(sig)}
		if !r.write(ctx, ClassSignature, "POST", path+"/signatures", r.tokens[p.who], body, http.StatusCreated, nil) {
			return
		}
	}
}

// get sends an anonymous GET and records it under class.
func (r *runner) get(ctx context.Context, class, path string) {
	r.send(ctx, class, "GET", path, "", nil, http.StatusOK, nil, false)
}

// write sends a write with a JSON body and records it; any answer but want
// is a failed write.
func (r *runner) write(ctx context.Context, class, method, path, token string, body any, want int, out any) bool {
	return r.send(ctx, class, method, path, token, body, want, out, true)
}

// send makes one request and records its latency (to the end of the body)
// and, unless it answered want, its status. A network error or a 5xx
// fails the run, and so does any other answer when critical (a write, or a
// read a write depends on). A request the run's end cancelled is not
// recorded. It reports whether the answer was want (and decoded).
func (r *runner) send(ctx context.Context, class, method, path, token string, body any, want int, out any, critical bool) bool {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		ct := "application/json"
		if method == "PATCH" {
			ct = "application/merge-patch+json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := r.client.Do(req)
	var data []byte
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(resp.Body, 32<<20))
		resp.Body.Close()
	}
	d := time.Since(start)
	if ctx.Err() != nil {
		return false // the run ended mid-request: neither counted nor failed
	}
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	ok := status == want
	if ok && out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			ok = false
		}
	}
	st := r.stats[class]
	st.mu.Lock()
	st.hist.Record(d)
	if !ok {
		st.statuses[status]++
		if critical || status == 0 || status >= 500 {
			st.failed++
		}
	}
	st.mu.Unlock()
	return ok
}

// clone copies a JSON object deeply enough for the top-level fields to be
// replaced.
func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
