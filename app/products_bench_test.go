package app_test

// BenchmarkProductSearch compares the in-process index with the database's
// full-text search for product searches of the national showcase
// (docs/BENCHMARKS.md, "K6 products"). Run, for example:
//
//	go test ./app/ -run '^$' -bench ProductSearch -benchtime 200x
//
// KOLABORASI_BENCH_PRODUCTS sets the number of synthetic products (default
// 5000, in 20 regions).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func BenchmarkProductSearch(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("KOLABORASI_BENCH_PRODUCTS")); err == nil && v > 0 {
		n = v
	}
	queries := []app.ProductQuery{
		{Q: "kripik"}, {Q: "kopi OR teh"}, {Q: `"sambal pedas"`}, {Q: "makanan -kripik"},
		{Facets: map[string][]string{"certification": {"halal"}}}, {Q: "batik", Facets: map[string][]string{"province": {"35"}}},
		{}, {Q: "koperasi", Facets: map[string][]string{"category": {"food", "beverage"}}},
	}
	engines := map[string]func(testing.TB) *store.DB{"sqlite": storetest.OpenSQLite, "postgres": storetest.OpenPostgres}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) { benchProductSearch(b, engines[engine](b), n, queries) })
	}
}

func benchProductSearch(b *testing.B, db *store.DB, n int, queries []app.ProductQuery) {
	{
		ctx := context.Background()
		sys := kolaborasi.WithUser(ctx, kolaborasi.System)
		setup := app.New(db.Store(), app.WithoutCatalogIndex())
		if _, err := setup.LoadReferenceData(ctx); err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(6, 6))
		words := []string{"kripik", "sambal", "pedas", "manis", "kopi", "teh", "batik", "tenun", "tas", "anyaman", "sepatu", "kulit",
			"madu", "gula", "aren", "keripik", "emping", "dodol", "jamu", "rempah"}
		text := func(k int) string {
			ws := make([]string, k)
			for i := range ws {
				ws[i] = words[r.IntN(len(words))]
			}
			return strings.Join(ws, " ")
		}
		regions := []string{"35.72", "32.73", "35.07", "35.06", "35.13", "35.76", "31.71", "33.74", "34.71", "36.71",
			"51.71", "52.71", "61.71", "64.71", "73.71", "12.71", "13.71", "16.71", "18.71", "71.71"}
		var producers []int64
		for i, reg := range regions {
			for k, kind := range kolaborasi.ProducerKinds {
				pr := &kolaborasi.Producer{RegionCode: reg, Kind: kind, Name: fmt.Sprintf("Produsen %d-%d", i, k), Capital: 100_000_000,
					Subsector: "craft", CoopType: "producer", Members: 20, Synthetic: true}
				if err := setup.CreateProducer(sys, pr); err != nil {
					b.Fatal(err)
				}
				producers = append(producers, pr.ID)
			}
		}
		start := time.Now()
		for i := range n {
			p := &kolaborasi.Product{ProducerID: producers[r.IntN(len(producers))], Name: kolaborasi.Texts{ID: text(2)},
				Description: kolaborasi.Texts{ID: text(12)}, Category: kolaborasi.ProductCategories[r.IntN(len(kolaborasi.ProductCategories))],
				Unit: "pak", PriceMin: int64(1000 * (1 + i%50)), Synthetic: true}
			if r.IntN(3) == 0 {
				p.Certifications = []kolaborasi.Certification{{Kind: kolaborasi.CertHalal, Number: "ID35110000123450821"}}
			}
			if err := setup.CreateProduct(sys, p); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("%d products stored in %s", n, time.Since(start).Round(time.Millisecond))
		for _, c := range []struct {
			name string
			a    *app.App
		}{{"index", app.New(db.Store())}, {"sql", setup}} {
			b.Run(c.name, func(b *testing.B) {
				if _, err := c.a.SearchProducts(ctx, app.ProductQuery{}); err != nil { // builds the index
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					if _, err := c.a.SearchProducts(ctx, queries[i%len(queries)]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
