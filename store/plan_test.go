package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestCatchUpQueriesUseTheSeqIndex: the in-process indexes catch up after
// every edit by reading the rows changed after a change number. Ordered by
// id, SQLite walked the whole table for that (every row of 165,000 for one
// edit); the catch-up queries must search the index on seq.
func TestCatchUpQueriesUseTheSeqIndex(t *testing.T) {
	db := storetest.OpenSQLite(t)
	write, _ := db.Pools()
	for _, q := range []struct{ name, query, index string }{
		{"solutions", store.ChangedSolutionsQuery, "solutions_seq"},
		{"solution facets", store.ChangedSolutionFacetsQuery, "solutions_seq"},
		{"products", store.ChangedProductsQuery, "products_seq"},
	} {
		rows, err := write.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q.query, 1)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "INDEX "+q.index) || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s: the catch-up's plan is %q, want a search of %s", q.name, p, q.index)
		}
	}
}
