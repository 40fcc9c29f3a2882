package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// queryPlan returns SQLite's plan of query with args, its steps joined by
// "; ".
func queryPlan(t *testing.T, db *store.DB, query string, args ...any) string {
	t.Helper()
	write, _ := db.Pools()
	rows, err := write.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// TestCatchUpQueriesUseTheSeqIndex: the in-process indexes catch up after
// every edit by reading the rows changed after a change number. Ordered by
// id, SQLite walked the whole table for that (every row of 165,000 for one
// edit); the catch-up queries must search the index on seq.
func TestCatchUpQueriesUseTheSeqIndex(t *testing.T) {
	db := storetest.OpenSQLite(t)
	for _, q := range []struct{ name, query, index string }{
		{"solutions", store.ChangedSolutionsQuery, "solutions_seq"},
		{"solution facets", store.ChangedSolutionFacetsQuery, "solutions_seq"},
		{"products", store.ChangedProductsQuery, "products_seq"},
	} {
		if p := queryPlan(t, db, q.query, 1); !strings.Contains(p, "INDEX "+q.index) || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s: the catch-up's plan is %q, want a search of %s", q.name, p, q.index)
		}
	}
}

// TestAdoptionRecountSearchesTheSolutionsAdoptions: every adoption written
// recounts its solution's adoptions. The partial index adoptions_open does
// not serve that count, so SQLite scanned every adoption for each one
// written, and loading the national data set's 200,000 adoptions
// (kolaborasi gen) was quadratic; the recount must search adoptions_solution.
func TestAdoptionRecountSearchesTheSolutionsAdoptions(t *testing.T) {
	if p := queryPlan(t, storetest.OpenSQLite(t), store.RecountAdoptionsQuery, 1, 1, 1); !strings.Contains(p, "SEARCH adoptions USING INDEX adoptions_solution") || strings.Contains(p, "SCAN adoptions") {
		t.Errorf("the recount's plan is %q, want a search of adoptions_solution", p)
	}
}

// TestSavingRowsReadOnlyIndexes: the money-saved report reads every live
// adoption of the nation. The figures' columns follow data in the rows, so
// reading them from the tables reads every document; the statement must
// be answered from the covering indexes alone.
func TestSavingRowsReadOnlyIndexes(t *testing.T) {
	p := queryPlan(t, storetest.OpenSQLite(t), store.SavingRowsQuery)
	if !strings.Contains(p, "COVERING INDEX adoptions_live_figures") || !strings.Contains(p, "COVERING INDEX solutions_figures") {
		t.Errorf("the saving rows' plan is %q, want covering indexes adoptions_live_figures and solutions_figures", p)
	}
}

// TestAgreementCountsReadTheStatusIndex: the home page counts the public
// agreements by status and their parties' regions. The versions' rows hold
// each agreement's content, so a plan that reads them reads every document
// (0.8-1 s a view at 20,000 agreements); the public version and its status
// must come from agreement_versions_status, in one pass rather than a
// subquery per row.
func TestAgreementCountsReadTheStatusIndex(t *testing.T) {
	db := storetest.OpenSQLite(t)
	for _, q := range []struct{ name, query string }{
		{"by status", store.CountAgreementsQuery},
		{"regions", store.AgreementRegionsQuery},
	} {
		p := queryPlan(t, db, q.query)
		if !strings.Contains(p, "SCAN agreement_versions USING COVERING INDEX agreement_versions_status") || strings.Contains(p, "CORRELATED") ||
			strings.Contains(p, "SCAN v") {
			t.Errorf("%s: the plan is %q, want one scan of the covering index agreement_versions_status", q.name, p)
		}
	}
}

// TestOpenAdoptionsReadOnlyTheirIndex: matchmaking reads every open
// adoption (which region has which solution) at each rebuild; the partial
// index adoptions_open_pairs holds exactly those with the columns read, so
// the rows' JSON is never read.
func TestOpenAdoptionsReadOnlyTheirIndex(t *testing.T) {
	if p := queryPlan(t, storetest.OpenSQLite(t), store.OpenAdoptionsQuery); !strings.Contains(p, "COVERING INDEX adoptions_open_pairs") {
		t.Errorf("the open adoptions' plan is %q, want the covering index adoptions_open_pairs", p)
	}
}
