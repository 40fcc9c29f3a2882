// Package match computes K6 matchmaking between regions: pure logic, no
// SQL, no HTTP, standard library only. The app fills an Input with the
// declared needs (each with the candidate solutions the catalogue search
// found for it and their relevance) and the published solutions on offer,
// calls Build once, and asks the Graph for a need's ranked solutions, a
// region's partners ("Mitra yang cocok"), every reciprocal pair and cycle,
// or a suggested set of exchanges. Results carry codes and numbers, never
// sentences: the web layer writes the words.
//
// # Model
//
// Region A can meet need n of region B with solution s when s is one of
// n's candidates, s is published by A and not retired, and A ≠ B. The
// region graph has an edge A → B when A can meet some need of B; the edge
// keeps its witnesses, the (need, solution) pairs, ordered by need then
// solution. A candidate naming an unknown solution is ignored; a need ID or
// solution listed twice keeps its first entry.
//
// # Ranking solutions for a need
//
// For each candidate solution (not retired, not the need's own region's):
//
//	score = 0.6·R + 0.2·M + 0.1·A + 0.1·E
//
// R = relevance / the best relevance among the need's candidates (so the
// app may use any non-negative relevance scale; all 1 when the best is 0);
// M = 0 for idea, 0.5 for pilot, 1 for live; A = min(1, ln(1+adopters) /
// ln(1+20)) and E = min(1, ln(1+evidence items) / ln(1+10)): both grow
// with diminishing returns and saturate at 20 adopters and 10 evidence
// items. Relevance dominates (a clearly more relevant idea still beats a
// barely relevant live solution); maturity and evidence separate similar
// ones. Each Suggestion carries the raw inputs, the four terms and their
// contributions, which sum to the score (rounded to 1e-9). Ties are listed
// by solution ID.
//
// # Pairs and cycles
//
// A reciprocal pair is {A, B} with A → B and B → A. A cycle is a simple
// directed cycle of 3 or 4 regions (A gives to B, B to C, C to A), listed
// once, in its canonical rotation: starting at its smallest region code.
// A → B → C → A and A → C → B → A are different cycles. A pair may also lie
// on cycles; each is listed.
//
// EachPair and EachCycle enumerate them exactly. Regions are bit-indexed:
// for each start a, each path a → b → c with b, c > a, the 3-cycle closes
// when c → a, and the 4-cycles are the set bits of succ(c) ∩ pred(a) ∩
// {> a} \ {b}, a word-wise AND. The cost is Σ_a #paths(a) · ⌈n/64⌉ words
// plus one call per cycle. At national density (552 regions, 5,000 needs)
// there are a few million 4-cycles, so cycles are streamed to a callback
// over region IDs, not stored, and witnesses are read per edge on demand
// (Graph.Witnesses, Graph.Exchange): exact about which region cycles
// exist, lazy about their items.
//
// An Exchange is a pair or cycle with its Items: giver, solution,
// receiver, need (with relevance, the need's priority and the solution's
// maturity, adopters and evidence count) — the parties and exchange
// items a K4 draft agreement is filled with. For a region-level exchange
// every witness of every edge is an item; NeedsMet counts the distinct
// needs met (edges end in different regions, so Σ per edge) and Priority
// sums their priorities. Lists are ordered by NeedsMet, then Priority
// (both descending), then parties in code order.
//
// Partners(region, limit) gives a region's pairs and the cycles through
// it, found from the region itself (each cycle once), keeping only the
// best limit of each in a bounded buffer, with the totals.
//
// # The suggested set
//
// Suggest chooses concrete exchanges — a pair or cycle with one witness
// per edge — so that no solution is given twice and no need is met twice,
// maximising the number of needs met (each concrete exchange of length L
// meets L). This is cycle packing with a cycle cap of 4 (as in kidney
// exchange), NP-hard in general. The candidates are every pair and cycle
// times every choice of one witness per edge, at most MaxCandidates
// (default 20,000; past it the first ones, pairs first, and Truncated).
// They are sorted by length, then priority, and:
//
//  1. Greedy: take each candidate that fits. Every optimal exchange not
//     taken collides with a taken one at least as long (which came
//     earlier); a taken exchange of length L has 2L resources (needs and
//     solutions) and so blocks at most 2L disjoint optimal exchanges of
//     length ≤ L ≤ 4: greedy ≥ optimum / 8.
//  2. Branch and bound from the greedy set: include or exclude each
//     candidate in order; the bound is what is already met plus min(free
//     needs, free solutions) among the remaining candidates that still
//     fit (each item uses one of each). It stops after Budget steps
//     (default 20,000,000; a step is one node or one candidate examined
//     by the bound).
//
// Plan.Exact is true when the search finished and nothing was truncated:
// then the set is optimal, which the property test checks against
// exhaustive search on thousands of random instances (≤ 8 regions, ≤ 20
// needs and offers). Otherwise the set is at least the greedy one and
// Plan.UpperBound states the root bound over the candidates considered.
// At national scale the candidates are truncated (the pairs give about
// 3,900 concrete exchanges, the first 3-cycles in region order the rest of
// the 20,000, so later regions' cycles are not considered) and the search
// runs out of budget: a national Plan is a valid, greedy-or-better set,
// not a proven best one. The app is expected to plan over a province's or
// a region's neighbourhood input, where the search is exact.
//
// # Empty answers
//
// Nothing is an error. An empty result carries a Reason: no_needs (no need
// declared, by the region or at all), no_offers (nothing on offer that is
// not retired, or no candidate left for a need), no_match (needs and
// offers, but no exchange closes), unknown_need.
package match
