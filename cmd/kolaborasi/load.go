package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/internal/loadtest"
	"github.com/kolaborasi/kolaborasi/web"
)

// errLoadFailed reports a load run that saw a 5xx, a network error or a
// failed write; the report is already printed.
var errLoadFailed = errors.New("load run failed")

// demoLoadAccounts are the demo accounts the load test writes as: Kota
// Bandung's Diskominfo edits solutions and records needs; Kota Blitar
// drafts and offers agreements to Kota Bandung, whose coordinator
// negotiates them, and both heads of region sign the KSB with keys the
// platform administrator approves (each demo region has one administrator,
// and a key needs a second pair of eyes).
var demoLoadAccounts = loadtest.Accounts{
	Editor: "diskominfo@bandung.test", EditorRegion: demo.Bandung,
	CoordinatorA: "kerjasama@blitarkota.test", SignatoryA: "walikota@blitarkota.test", AdminA: "admin@kolaborasi.test", RegionA: demo.Blitar,
	CoordinatorB: "kerjasama@bandung.test", SignatoryB: "walikota@bandung.test", AdminB: "admin@kolaborasi.test", RegionB: demo.Bandung,
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("load", "load --url http://127.0.0.1:PORT [--clients 200] [--duration 60s] [--json]", stderr)
	target := fs.String("url", "http://127.0.0.1:8080", "the server to load; only loopback addresses unless --allow-remote")
	allowRemote := fs.Bool("allow-remote", false, "allow a --url that is not loopback (only a server you run)")
	clients := fs.Int("clients", 200, "concurrent clients (1 to 2000)")
	duration := fs.Duration("duration", 60*time.Second, "how long the clients run (1s to 1h)")
	password := fs.String("password", demo.Password, "the password of the demo accounts the writes act as")
	seed := fs.Uint64("seed", 1, "seed of the search mix and of the clients' choices")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *clients < 1 || *clients > 2000 {
		return usageError{"--clients must be between 1 and 2000"}
	}
	if *duration < time.Second || *duration > time.Hour {
		return usageError{"--duration must be between 1s and 1h"}
	}
	if _, err := loadtest.CheckURL(*target, *allowRemote); err != nil {
		return usageError{err.Error()}
	}
	pages, api := loadSearches(*seed)
	rep, err := loadtest.Run(ctx, loadtest.Config{URL: *target, AllowRemote: *allowRemote, Clients: *clients, Duration: *duration,
		Password: *password, Accounts: demoLoadAccounts, SearchPages: pages, SearchAPI: api, Seed: *seed, Progress: stderr})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := rep.WriteTable(stdout); err != nil {
		return err
	}
	if rep.Failed() {
		fmt.Fprintf(stderr, "kolaborasi load: %d requests failed (network errors, 5xx or failed writes)\n", rep.Total.Failed)
		return errLoadFailed
	}
	return nil
}

// loadSearches returns the benchmark's query mix (gen.QueryMix, 200
// queries over the demo's regions) as catalog page and API paths.
func loadSearches(seed uint64) (pages, api []string) {
	regions := []string{demo.Blitar, demo.Bandung, demo.Malang, demo.Kediri, "33.72", "51.71"}
	for _, q := range gen.QueryMix(seed, 200, regions) {
		pq, aq := url.Values{"q": {q.Q}}, url.Values{"q": {q.Q}}
		if q.Facet != "" {
			pq.Set(web.CatalogPageParam(q.Facet), q.Value)
			aq.Set(q.Facet, q.Value)
		}
		pages = append(pages, "/katalog?"+pq.Encode())
		api = append(api, "/api/v1/solutions?"+aq.Encode())
	}
	return pages, api
}
