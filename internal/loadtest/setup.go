package loadtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// solutionFields are the fields of a solution the API takes on create.
var solutionFields = []string{"kind", "region_code", "opd_id", "name", "short", "long", "dimensions", "sectors", "maturity",
	"started_year", "cost_build", "cost_adopt", "evidence", "contacts", "links", "licence", "platforms", "reuse"}

// prepare signs the accounts in, makes their API tokens, registers and
// approves a fresh signing key for each head of region, reads the IDs the
// readers visit and the templates of the writes, and gives every client a
// solution of its own to edit (so that edits never conflict).
func (r *runner) prepare(ctx context.Context) error {
	if err := r.waitReady(ctx, readyWait); err != nil {
		return fmt.Errorf("the server is not ready: %w", err)
	}
	acc := r.cfg.Accounts
	r.tokens, r.keys = map[string]string{}, map[string]signer{}
	for _, email := range []string{acc.Editor, acc.CoordinatorA, acc.SignatoryA, acc.AdminA, acc.CoordinatorB, acc.SignatoryB, acc.AdminB} {
		if _, ok := r.tokens[email]; ok {
			continue
		}
		tok, err := r.apiToken(ctx, email)
		if err != nil {
			return fmt.Errorf("sign in as %s: %w", email, err)
		}
		r.tokens[email] = tok
	}
	r.progress("signed in %d accounts and made their API tokens", len(r.tokens))
	for _, p := range [][2]string{{acc.SignatoryA, acc.AdminA}, {acc.SignatoryB, acc.AdminB}} {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		var k struct {
			Data struct {
				KeyID string `json:"key_id"`
			} `json:"data"`
		}
		if err := r.setupJSON(ctx, "POST", "/api/v1/signing-keys", r.tokens[p[0]],
			map[string]string{"public_key": base64.StdEncoding.EncodeToString(pub), "office": ""}, http.StatusCreated, &k); err != nil {
			return fmt.Errorf("register a signing key for %s: %w", p[0], err)
		}
		if _, err := r.setup(ctx, "POST", "/api/v1/signing-keys/"+k.Data.KeyID+"/approve", r.tokens[p[1]], nil, http.StatusNoContent); err != nil {
			return fmt.Errorf("approve the signing key of %s as %s: %w", p[0], p[1], err)
		}
		r.keys[p[0]] = signer{keyID: k.Data.KeyID, priv: priv}
	}
	r.progress("registered and approved a signing key for %s and %s", acc.SignatoryA, acc.SignatoryB)
	if err := r.readTargets(ctx); err != nil {
		return err
	}
	return r.makeOwnSolutions(ctx)
}

type list struct {
	Data []map[string]any `json:"data"`
}

// readTargets reads the solutions, agreements and regions the readers
// visit, and the templates of the agreements and needs the writers make.
func (r *runner) readTargets(ctx context.Context) error {
	acc := r.cfg.Accounts
	var sols, ags, regs, needs list
	for _, l := range []struct {
		path string
		out  *list
	}{{"/api/v1/solutions?page%5Bsize%5D=100", &sols}, {"/api/v1/agreements?page%5Bsize%5D=100", &ags},
		{"/api/v1/regions?page%5Bsize%5D=100&province=" + acc.RegionA[:2], &regs}, {"/api/v1/needs", &needs}} {
		if err := r.setupJSON(ctx, "GET", l.path, "", nil, http.StatusOK, l.out); err != nil {
			return fmt.Errorf("read %s: %w", l.path, err)
		}
	}
	for _, s := range sols.Data {
		r.solutionIDs = append(r.solutionIDs, int64(s["id"].(float64)))
	}
	for _, a := range ags.Data {
		r.agreementIDs = append(r.agreementIDs, int64(a["id"].(float64)))
		content, _ := a["content"].(map[string]any)
		if r.agreementTemplate == nil && partiesOf(content) == acc.RegionA+" "+acc.RegionB {
			r.agreementTemplate = content
		}
	}
	for _, g := range regs.Data {
		r.regions = append(r.regions, g["code"].(string))
	}
	if len(needs.Data) > 0 {
		r.needTemplate = map[string]any{}
		for _, k := range []string{"title", "text", "dimension", "sectors", "priority"} {
			r.needTemplate[k] = needs.Data[0][k]
		}
	}
	switch {
	case len(r.solutionIDs) == 0 || len(r.agreementIDs) == 0 || len(r.regions) == 0:
		return errors.New("the server has no solutions, agreements or regions to read; load the demo data first")
	case r.agreementTemplate == nil:
		return fmt.Errorf("no agreement between %s and %s to copy; load the demo data first", acc.RegionA, acc.RegionB)
	case r.needTemplate == nil:
		return errors.New("no need to copy; load the demo data first")
	}
	r.progress("read %d solutions, %d agreements, %d regions", len(r.solutionIDs), len(r.agreementIDs), len(r.regions))
	return nil
}

// partiesOf returns the region codes of an agreement's parties, in order.
func partiesOf(content map[string]any) string {
	parties, _ := content["parties"].([]any)
	var codes []string
	for _, p := range parties {
		if m, ok := p.(map[string]any); ok && m["region"] != nil {
			codes = append(codes, fmt.Sprint(m["region"]))
		}
	}
	return strings.Join(codes, " ")
}

// makeOwnSolutions creates one solution per client in the editor's region,
// a copy of one of the region's solutions.
func (r *runner) makeOwnSolutions(ctx context.Context) error {
	acc := r.cfg.Accounts
	var tmpl map[string]any
	for _, id := range r.solutionIDs {
		var s struct {
			Data map[string]any `json:"data"`
		}
		if err := r.setupJSON(ctx, "GET", fmt.Sprintf("/api/v1/solutions/%d", id), "", nil, http.StatusOK, &s); err != nil {
			return err
		}
		if s.Data["region_code"] == acc.EditorRegion {
			tmpl = s.Data
			break
		}
	}
	if tmpl == nil {
		return fmt.Errorf("no solution of %s to copy; load the demo data first", acc.EditorRegion)
	}
	body := map[string]any{}
	for _, k := range solutionFields {
		if v, ok := tmpl[k]; ok {
			body[k] = v
		}
	}
	r.ownSolutions = make([]ownSolution, r.cfg.Clients)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	next := make(chan int)
	for range min(4, r.cfg.Clients) {
		wg.Go(func() {
			for i := range next {
				b := clone(body)
				b["name"] = map[string]string{"id": fmt.Sprintf("Solusi uji beban klien %d", i)}
				var out struct {
					Data struct {
						ID      int64 `json:"id"`
						Version int   `json:"version"`
					} `json:"data"`
				}
				if err := r.setupJSON(ctx, "POST", "/api/v1/solutions", r.tokens[acc.Editor], b, http.StatusCreated, &out); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					continue
				}
				r.ownSolutions[i] = ownSolution{id: out.Data.ID, version: out.Data.Version}
			}
		})
	}
	for i := range r.cfg.Clients {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("create the clients' solutions: %w", errs[0])
	}
	r.progress("created %d solutions for the clients to edit", r.cfg.Clients)
	return nil
}

var (
	csrfRE  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	tokenRE = regexp.MustCompile(`<code class="copy">([^<]+)</code>`)
)

// apiToken signs in as email through the sign-in form and makes a
// read-write API token on the account page, as a person would.
func (r *runner) apiToken(ctx context.Context, email string) (string, error) {
	form := url.Values{"email": {email}, "password": {r.cfg.Password}}
	var session string
	for attempt := 0; ; attempt++ {
		resp, err := r.setupForm(ctx, "/masuk", "", form)
		if err != nil {
			return "", err
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < 20 {
			time.Sleep(500 * time.Millisecond) // the server's password checks are busy
			continue
		}
		if resp.StatusCode != http.StatusSeeOther {
			return "", fmt.Errorf("the sign-in answered %s (wrong --password?)", resp.Status)
		}
		for _, c := range resp.Cookies() {
			if c.Name == "kolaborasi_session" {
				session = c.Value
			}
		}
		break
	}
	if session == "" {
		return "", errors.New("the sign-in set no session cookie")
	}
	page, err := r.setupPage(ctx, "/akun", session)
	if err != nil {
		return "", err
	}
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		return "", errors.New("the account page has no form token")
	}
	resp, err := r.setupForm(ctx, "/akun/token", session, url.Values{"csrf": {html.UnescapeString(m[1])}, "name": {"uji beban"},
		"scopes": {"read", "write"}, "days": {"1"}})
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("making an API token answered %s", resp.Status)
	}
	t := tokenRE.FindSubmatch(body)
	if t == nil {
		return "", errors.New("the account page shows no new API token")
	}
	return html.UnescapeString(string(t[1])), nil
}

// setupForm posts a form, with the session cookie when set; the answer's
// body is read into memory.
func (r *runner) setupForm(ctx context.Context, path, session string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", r.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r.setupDo(req, session)
}

func (r *runner) setupPage(ctx context.Context, path, session string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", r.base+path, nil)
	if err != nil {
		return "", err
	}
	resp, err := r.setupDo(req, session)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s answered %s", path, resp.Status)
	}
	return string(b), nil
}

// readyWait is how long the run waits for a server that answers 503 at
// /readyz (building its search indexes after start) to become ready.
const readyWait = 2 * time.Minute

// waitReady waits until /readyz answers 200; 503 means "not yet" (the
// server builds its indexes), anything else fails at once.
func (r *runner) waitReady(ctx context.Context, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		req, err := http.NewRequestWithContext(ctx, "GET", r.base+"/readyz", nil)
		if err != nil {
			return err
		}
		resp, err := r.setupDo(req, "")
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		switch {
		case resp.StatusCode == http.StatusOK:
			return nil
		case resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline):
			return fmt.Errorf("GET /readyz answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (r *runner) setupDo(req *http.Request, session string) (*http.Response, error) {
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: session})
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, err
}

// setup sends a request of the preparation (not measured) and returns the
// body of an answer with status want.
func (r *runner) setup(ctx context.Context, method, path, token string, body any, want int) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := r.setupDo(req, "")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s answered %s: %s", method, path, resp.Status, bytes.TrimSpace(b[:min(len(b), 300)]))
	}
	return b, nil
}

func (r *runner) setupJSON(ctx context.Context, method, path, token string, body any, want int, out any) error {
	b, err := r.setup(ctx, method, path, token, body, want)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}
