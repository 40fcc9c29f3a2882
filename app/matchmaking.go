package app

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/catalog"
	"github.com/kolaborasi/kolaborasi/match"
	"github.com/kolaborasi/kolaborasi/search"
	"golang.org/x/sync/errgroup"
)

// Matchmaking (K6). The App searches the catalogue once per open need, fills
// a match.Input with the needs, their candidates and the candidates' offers,
// and keeps the built match.Graph until the solutions' or the needs' change
// counter moves (matchState). Pages and the API ask the cached graph.

// Candidate search of a need.
const (
	// NeedCandidates is how many solutions of other regions a need keeps
	// as candidates, best relevance first.
	NeedCandidates = 20
	// needQueryTerms bounds the distinct words of a need searched for.
	needQueryTerms = 32
	// facetBoost raises a candidate's relevance for the need's dimension
	// and for a shared sector: each multiplies the search score by 1.25.
	facetBoost = 0.25
	// minRelevance drops candidates below this share of the need's best
	// candidate's relevance: a solution sharing one common word ("data",
	// "saluran") with a long need is noise, and would draw edges, pairs
	// and cycles nobody would sign.
	minRelevance = 0.25
	// PartnersLimit is how many pairs and cycles a region's partner list
	// shows of each.
	PartnersLimit = 20
)

// CandidateWhy says why the search found a solution for a need: the
// need's words found in the solution's texts, and whether the smart-city
// dimension and which sectors agree.
type CandidateWhy struct {
	Words     []string            `json:"words"`
	Dimension bool                `json:"dimension"`
	Sectors   []kolaborasi.Sector `json:"sectors"`
	// Score is the catalogue search's score before the facet boost.
	Score float64 `json:"search_score"`
}

// matchmaking is one built graph with what the pages show beside it.
type matchmaking struct {
	solSeq, needSeq int64
	graph           *match.Graph
	needs           map[int64]*kolaborasi.Need
	solutions       map[int64]*kolaborasi.Solution
	why             map[[2]int64]CandidateWhy // (need, solution)
	// hits are each need's candidates, for the next build to reuse.
	hits     map[int64][]candidateHit
	builtAt  time.Time
	took     time.Duration
	searches int
	// plan is the suggested set over graph, computed once on first use.
	plan     *MatchPlan
	planOnce sync.Once
}

// candidatesOf returns the candidates m found for n when m searched the
// same version of n (m may be nil).
func (m *matchmaking) candidatesOf(n *kolaborasi.Need) ([]candidateHit, bool) {
	if m == nil {
		return nil, false
	}
	old, ok := m.needs[n.ID]
	if !ok || old.Version != n.Version {
		return nil, false
	}
	hits, ok := m.hits[n.ID]
	return hits, ok
}

// matchState caches the graph; its zero value is ready (no graph yet).
type matchState struct {
	mu  sync.Mutex
	cur *matchmaking
	// builds counts graph builds, for tests and the stats.
	builds int
}

// MatchStats describes the cached matchmaking graph.
type MatchStats struct {
	Builds          int
	Needs, Searches int
	Took            time.Duration
	BuiltAt         time.Time
}

// MatchmakingStats returns the state of the cached graph.
func (a *App) MatchmakingStats() MatchStats {
	a.matches.mu.Lock()
	defer a.matches.mu.Unlock()
	st := MatchStats{Builds: a.matches.builds}
	if m := a.matches.cur; m != nil {
		st.Needs, st.Searches, st.Took, st.BuiltAt = len(m.needs), m.searches, m.took, m.builtAt
	}
	return st
}

func needKey(id int64) string     { return strconv.FormatInt(id, 10) }
func solutionKey(id int64) string { return strconv.FormatInt(id, 10) }

func parseKey(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// graph returns the matchmaking graph for the current needs and catalogue,
// building it when either change counter moved since the last build. One
// build runs at a time; callers meanwhile wait for it.
func (a *App) graph(ctx context.Context) (*matchmaking, error) {
	solSeq, err := a.store.SolutionSeq(ctx)
	if err != nil {
		return nil, err
	}
	needSeq, err := a.store.NeedSeq(ctx)
	if err != nil {
		return nil, err
	}
	st := &a.matches
	st.mu.Lock()
	defer st.mu.Unlock()
	if m := st.cur; m != nil && m.solSeq == solSeq && m.needSeq == needSeq {
		return m, nil
	}
	// With the catalogue unchanged, the candidates of needs unchanged since
	// the last build are still right: only new and edited needs are
	// searched again.
	var reuse *matchmaking
	if st.cur != nil && st.cur.solSeq == solSeq {
		reuse = st.cur
	}
	m, err := a.buildMatchmaking(ctx, solSeq, reuse)
	if err != nil {
		return nil, err
	}
	m.solSeq, m.needSeq = solSeq, needSeq
	st.cur, st.builds = m, st.builds+1
	return m, nil
}

// buildMatchmaking searches the catalogue for every open need and builds
// the graph, which will be kept under the catalogue's change number
// solSeq. reuse, when not nil, is a previous build over the same
// catalogue state: a need it searched at the same version keeps its
// candidates.
func (a *App) buildMatchmaking(ctx context.Context, solSeq int64, reuse *matchmaking) (*matchmaking, error) {
	start := time.Now()
	needs, err := a.store.FindNeeds(ctx, kolaborasi.NeedFilter{Status: kolaborasi.NeedOpen})
	if err != nil {
		return nil, err
	}
	m := &matchmaking{needs: map[int64]*kolaborasi.Need{}, solutions: map[int64]*kolaborasi.Solution{}, why: map[[2]int64]CandidateWhy{},
		hits: map[int64][]candidateHit{}}
	// One index snapshot for every need's search: one committed state of
	// the catalogue, at least the state solSeq names (a write through
	// another server copy is searched, not left out of a graph kept
	// under the number that includes it).
	var snap *catalog.Snapshot
	if a.catalog != nil {
		if snap, err = a.catalog.snapshotAtLeast(ctx, solSeq); err != nil {
			return nil, err
		}
	}
	adopted, err := a.adoptedBy(ctx, needs)
	if err != nil {
		return nil, err
	}
	// The needs whose candidates the last graph cannot give are searched
	// first, in parallel (the snapshot is immutable; nationally 1,656
	// searches ranked by relevance took 7.7 s one after another), then the
	// solutions they found are read in one batch.
	searched := map[int64]*needSearch{}
	for _, n := range needs {
		if _, ok := reuse.candidatesOf(n); !ok {
			searched[n.ID] = &needSearch{need: n}
		}
	}
	if err := a.searchNeeds(ctx, snap, searched); err != nil {
		return nil, err
	}
	if err := a.readFound(ctx, searched, m.solutions); err != nil {
		return nil, err
	}
	var in match.Input
	offered := map[int64]bool{}
	for _, n := range needs {
		m.needs[n.ID] = n
		hits, ok := reuse.candidatesOf(n)
		if ok {
			for _, h := range hits {
				m.solutions[h.sol.ID] = h.sol
			}
		} else {
			hits = searched[n.ID].hits(m.solutions)
			m.searches++
		}
		m.hits[n.ID] = hits
		mn := match.Need{ID: needKey(n.ID), Region: n.RegionCode, Priority: n.Priority.Weight(), Sectors: sectorStrings(n.Sectors)}
		if n.Dimension != "" {
			mn.Dimensions = []string{string(n.Dimension)}
		}
		for _, h := range hits {
			if adopted[n.RegionCode][h.sol.ID] {
				continue // the region already has it
			}
			mn.Candidates = append(mn.Candidates, match.Candidate{Solution: solutionKey(h.sol.ID), Relevance: h.relevance})
			m.why[[2]int64{n.ID, h.sol.ID}] = h.why
			if !offered[h.sol.ID] {
				offered[h.sol.ID] = true
				in.Offers = append(in.Offers, offerOf(h.sol))
			}
		}
		in.Needs = append(in.Needs, mn)
	}
	m.graph = match.Build(in)
	m.builtAt, m.took = a.now(), time.Since(start)
	return m, nil
}

// adoptedBy returns, for each region with a need, the solutions it has an
// open adoption of (requested or accepted, at any stage but stopped):
// matchmaking does not suggest to a region what it already adopts.
func (a *App) adoptedBy(ctx context.Context, needs []*kolaborasi.Need) (map[string]map[int64]bool, error) {
	out := map[string]map[int64]bool{}
	for _, n := range needs {
		out[n.RegionCode] = map[int64]bool{}
	}
	// One read of every open adoption from an index: the adopters' own
	// reads decoded all 183,537 adoptions nationally, 3.5 s of a 15 s
	// rebuild (K8).
	err := a.store.EachOpenAdoption(ctx, func(region string, solution int64) error {
		if set := out[region]; set != nil {
			set[solution] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func sectorStrings(ss []kolaborasi.Sector) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func offerOf(s *kolaborasi.Solution) match.Offer {
	return match.Offer{Solution: solutionKey(s.ID), Region: s.RegionCode, Maturity: match.Maturity(s.Maturity),
		Adopters: s.Adoptions, Evidence: len(s.Evidence)}
}

type candidateHit struct {
	sol       *kolaborasi.Solution
	relevance float64
	why       CandidateWhy
}

// matchNoise are words the analyser keeps for search (a visitor may look for
// "Satu Data" or "ruang terbuka") but that say nothing about what a need and
// a solution share: every region's text speaks of "daerah", and "satu" and
// "ruang" come in phrases such as "dalam satu ruang". A need is not matched
// on them. The search's own stop words are dropped by the analyser.
var matchNoise = func() map[string]bool {
	var an search.Analyzer
	out := map[string]bool{}
	for _, tok := range an.Analyze("daerah satu ruang", search.LangIndonesian) {
		out[tok.Term] = true
	}
	return out
}()

// needQuery is the catalogue query of a need: any of the distinct words of
// its title and text (an OR of single terms, at most needQueryTerms), with
// each term's word as written, for the reasons.
func needQuery(n *kolaborasi.Need) (*kolaborasi.TextQuery, map[string]string) {
	var an search.Analyzer
	text := n.Title + "\n" + n.Text
	surface := map[string]string{}
	var alts [][]kolaborasi.TextTerm
	for _, tok := range an.Analyze(text, search.LangIndonesian) {
		if _, seen := surface[tok.Term]; seen || tok.Term == "" || matchNoise[tok.Term] || len(alts) == needQueryTerms {
			continue
		}
		surface[tok.Term] = strings.ToLower(text[tok.Start:tok.End])
		alts = append(alts, []kolaborasi.TextTerm{{Text: tok.Term}})
	}
	if len(alts) == 0 {
		return nil, surface
	}
	return &kolaborasi.TextQuery{Clauses: []kolaborasi.TextClause{{Alternatives: alts}}}, surface
}

// needSearch is one need's catalogue search: the query made of its words
// and what it found, in order, with the search's scores.
type needSearch struct {
	need    *kolaborasi.Need
	query   *kolaborasi.TextQuery
	surface map[string]string
	ids     []int64
	scores  []float64
}

// run searches the catalogue for the need: the solutions matching any of
// its words, by relevance, more than NeedCandidates (the need's own
// region's are dropped later). snap is the index snapshot to search (nil:
// the database's full-text search).
func (ns *needSearch) run(ctx context.Context, a *App, snap *catalog.Snapshot) error {
	ns.query, ns.surface = needQuery(ns.need)
	if ns.query == nil {
		return nil
	}
	f := kolaborasi.SolutionFilter{Text: ns.query, Sort: kolaborasi.SortRelevance, Limit: 2 * NeedCandidates, NoFacets: true}
	if snap != nil {
		if res, ok := snap.Search(f); ok {
			ns.ids, ns.scores = res.IDs, res.Scores
		}
		return nil
	}
	page, err := a.store.SearchSolutions(ctx, f)
	if err != nil {
		return err
	}
	// The database search gives an order, not a score: the position
	// stands for it (1, 1/2, 1/3, …).
	for i, s := range page.Solutions {
		ns.ids, ns.scores = append(ns.ids, s.ID), append(ns.scores, 1/float64(i+1))
	}
	return nil
}

// searchNeeds runs the searches, on the index snapshot as many at once as
// the Go runtime has CPUs (it is immutable and searched without locks), on
// the database one after another.
func (a *App) searchNeeds(ctx context.Context, snap *catalog.Snapshot, searches map[int64]*needSearch) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(1)
	if snap != nil {
		g.SetLimit(runtime.GOMAXPROCS(0))
	}
	for _, ns := range searches {
		g.Go(func() error { return ns.run(gctx, a, snap) })
	}
	return g.Wait()
}

// readFound reads into known, in one batch, the solutions the searches
// found that it does not hold yet (needs share many candidates).
func (a *App) readFound(ctx context.Context, searches map[int64]*needSearch, known map[int64]*kolaborasi.Solution) error {
	var missing []int64
	seen := map[int64]bool{}
	for _, ns := range searches {
		for _, id := range ns.ids {
			if known[id] == nil && !seen[id] {
				seen[id] = true
				missing = append(missing, id)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	read, err := a.store.FindSolutionsByID(ctx, missing)
	if err != nil {
		return err
	}
	for _, s := range read {
		known[s.ID] = s
	}
	return nil
}

// hits are the need's candidates among what its search found (read into
// known): the solutions (not retired) of other regions, by the search's
// relevance boosted for the need's dimension and sectors, the best
// NeedCandidates, leaving out those below minRelevance of the best.
func (ns *needSearch) hits(known map[int64]*kolaborasi.Solution) []candidateHit {
	n, q, surface := ns.need, ns.query, ns.surface
	if q == nil {
		return nil
	}
	var sols []*kolaborasi.Solution
	for _, id := range ns.ids {
		if s := known[id]; s != nil {
			sols = append(sols, s)
		}
	}
	score := map[int64]float64{}
	for i, id := range ns.ids {
		if i < len(ns.scores) {
			score[id] = ns.scores[i]
		}
	}
	var out []candidateHit
	for _, s := range sols {
		if s.RegionCode == n.RegionCode || s.Maturity == kolaborasi.MaturityRetired {
			continue
		}
		why := CandidateWhy{Score: score[s.ID], Dimension: n.Dimension != "" && slices.Contains(s.Dimensions, n.Dimension), Sectors: []kolaborasi.Sector{}}
		for _, x := range n.Sectors {
			if slices.Contains(s.Sectors, x) {
				why.Sectors = append(why.Sectors, x)
			}
		}
		terms := strings.Fields(s.Terms)
		for _, alt := range q.Clauses[0].Alternatives {
			if slices.Contains(terms, alt[0].Text) {
				why.Words = append(why.Words, surface[alt[0].Text])
			}
		}
		boost := 1.0
		if why.Dimension {
			boost += facetBoost
		}
		if len(why.Sectors) > 0 {
			boost += facetBoost
		}
		out = append(out, candidateHit{sol: s, relevance: why.Score * boost, why: why})
	}
	slices.SortStableFunc(out, func(x, y candidateHit) int { return cmp.Compare(y.relevance, x.relevance) })
	if len(out) > NeedCandidates {
		out = out[:NeedCandidates]
	}
	if len(out) > 0 {
		best := out[0].relevance
		out = slices.DeleteFunc(out, func(h candidateHit) bool { return h.relevance < minRelevance*best })
	}
	return out
}

// RankedSolution is one solution for a need with the reason for its place:
// the match package's terms and contributions, and what the search found.
type RankedSolution struct {
	match.Suggestion
	Solution *kolaborasi.Solution
	Why      CandidateWhy
}

// NeedSolutions is a need's ranked solutions, or why there are none.
type NeedSolutions struct {
	Need *kolaborasi.Need
	// Reason is set when Items is empty: no_offers (nothing in the
	// catalogue of other regions matches), or no_needs when the need is
	// not open (withdrawn or met needs are not matched).
	Reason match.Reason
	Items  []RankedSolution
}

// SolutionsForNeed ranks the catalogue's solutions for a need (K6): the
// search's relevance, maturity, adoption and evidence, with the reasons.
func (a *App) SolutionsForNeed(ctx context.Context, id int64) (*NeedSolutions, error) {
	n, err := a.store.FindNeed(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &NeedSolutions{Need: n, Items: []RankedSolution{}}
	if n.Status != kolaborasi.NeedOpen {
		out.Reason = match.ReasonNoNeeds
		return out, nil
	}
	m, err := a.graph(ctx)
	if err != nil {
		return nil, err
	}
	r := m.graph.Solutions(needKey(id))
	out.Reason = r.Reason
	if r.Reason == match.ReasonUnknownNeed {
		// Opened after the graph's counters were read: nothing yet.
		out.Reason = match.ReasonNoOffers
	}
	for _, s := range r.Suggestions {
		sid := parseKey(s.Solution)
		out.Items = append(out.Items, RankedSolution{Suggestion: s, Solution: m.solutions[sid], Why: m.why[[2]int64{id, sid}]})
	}
	return out, nil
}

// ExchangeItem is one item of a suggested exchange: the giver gives its
// solution to the receiver for the receiver's need, with the evidence.
type ExchangeItem struct {
	match.Item
	Solution *kolaborasi.Solution
	Need     *kolaborasi.Need
	Why      CandidateWhy
}

// Exchange is a reciprocal pair or a cycle with its items, as the
// partners page and the API show it.
type Exchange struct {
	Kind     match.Kind
	Parties  []string
	Items    []ExchangeItem
	NeedsMet int
	Priority int
}

// Partners is "Mitra yang cocok" for one region.
type Partners struct {
	Region string
	// Reason is set when there are no pairs and no cycles: no_needs (the
	// region declared no open need), no_offers (it offers nothing others
	// need), no_match.
	Reason                  match.Reason
	Pairs, Cycles           []Exchange
	PairsTotal, CyclesTotal int
}

func (m *matchmaking) exchange(e match.Exchange) Exchange {
	out := Exchange{Kind: e.Kind, Parties: e.Parties, NeedsMet: e.NeedsMet, Priority: e.Priority, Items: make([]ExchangeItem, 0, len(e.Items))}
	for _, it := range e.Items {
		nid, sid := parseKey(it.Need), parseKey(it.Solution)
		out.Items = append(out.Items, ExchangeItem{Item: it, Solution: m.solutions[sid], Need: m.needs[nid], Why: m.why[[2]int64{nid, sid}]})
	}
	return out
}

// RegionPartners returns the region's reciprocal partners and the 3- and
// 4-cycles through it, best first, at most PartnersLimit of each. A region
// with nothing to match is not an error: Reason says why.
func (a *App) RegionPartners(ctx context.Context, region string) (*Partners, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, err
	}
	m, err := a.graph(ctx)
	if err != nil {
		return nil, err
	}
	p := m.graph.Partners(region, PartnersLimit)
	out := &Partners{Region: region, Reason: p.Reason, PairsTotal: p.PairsTotal, CyclesTotal: p.CyclesTotal,
		Pairs: []Exchange{}, Cycles: []Exchange{}}
	for _, e := range p.Pairs {
		out.Pairs = append(out.Pairs, m.exchange(e))
	}
	for _, e := range p.Cycles {
		out.Cycles = append(out.Cycles, m.exchange(e))
	}
	if out.Reason == "" && len(out.Pairs)+len(out.Cycles) == 0 {
		out.Reason = match.ReasonNoMatch
	}
	return out, nil
}

// SuggestionItem names one exchange item of a suggestion: who gives which
// solution to whom for which need.
type SuggestionItem struct {
	Giver    string `json:"giver"`
	Solution int64  `json:"solution_id"`
	Receiver string `json:"receiver"`
	Need     int64  `json:"need_id"`
}

// errSuggestion refuses a forged or stale suggestion.
func errSuggestion(fields map[string]string) error {
	return errInvalid("This suggestion is not among the current matchmaking suggestions; open the suggested partners again.", fields)
}

// checkSuggestion finds the exchange of parties in the current graph and
// checks that every item is one of its items and every edge has one. A
// forged or stale suggestion is refused.
func (a *App) checkSuggestion(ctx context.Context, parties []string, items []SuggestionItem) (*matchmaking, Exchange, error) {
	if len(parties) < 2 || len(parties) > 4 {
		return nil, Exchange{}, errSuggestion(map[string]string{"parties": "name 2 to 4 regions"})
	}
	if len(items) == 0 {
		return nil, Exchange{}, errSuggestion(map[string]string{"items": "name at least one exchange item"})
	}
	m, err := a.graph(ctx)
	if err != nil {
		return nil, Exchange{}, err
	}
	ids := make([]match.RegionID, len(parties))
	for i, p := range parties {
		id, ok := m.graph.ID(p)
		if !ok {
			return nil, Exchange{}, errSuggestion(map[string]string{"parties": "a region without a match"})
		}
		ids[i] = id
	}
	e, ok := m.graph.Exchange(ids)
	if !ok {
		return nil, Exchange{}, errSuggestion(map[string]string{"parties": "these regions do not form a suggested exchange"})
	}
	full := m.exchange(e)
	var chosen []ExchangeItem
	edges := map[[2]string]bool{}
	for i, want := range items {
		k := slices.IndexFunc(full.Items, func(it ExchangeItem) bool {
			return it.Giver == want.Giver && it.Receiver == want.Receiver && parseKey(it.Item.Solution) == want.Solution && parseKey(it.Item.Need) == want.Need
		})
		if k < 0 {
			return nil, Exchange{}, errSuggestion(map[string]string{fmt.Sprintf("items[%d]", i): "is not an item of this exchange"})
		}
		if !slices.ContainsFunc(chosen, func(it ExchangeItem) bool { return it.Item == full.Items[k].Item }) {
			chosen = append(chosen, full.Items[k])
		}
		edges[[2]string{want.Giver, want.Receiver}] = true
	}
	if len(edges) != len(full.Parties) {
		return nil, Exchange{}, errSuggestion(map[string]string{"items": "name an item for every giving party"})
	}
	full.Items = chosen
	return m, full, nil
}

// DraftFromSuggestion starts a draft agreement (K4) from a matchmaking
// suggestion in one step: the parties and exchange items (giver, solution,
// receiver) filled in, the scope from the solutions' sectors. region is the
// acting coordinator's region, which must be a party. The suggestion must
// still be in the current graph. The draft goes through CreateAgreement,
// so it is validated and audited like any other.
func (a *App) DraftFromSuggestion(ctx context.Context, region string, parties []string, items []SuggestionItem) (*kolaborasi.Agreement, error) {
	if _, err := a.authorize(ctx, ActAgreementDraft, region); err != nil {
		return nil, err
	}
	if !slices.Contains(parties, region) {
		return nil, errInvalid("Your region must be a party to the agreement it drafts.", map[string]string{"parties": "include your region"})
	}
	_, e, err := a.checkSuggestion(ctx, parties, items)
	if err != nil {
		return nil, err
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	c := kolaborasi.AgreementContent{Type: kolaborasi.KSDDSukarela}
	index := map[string]int{}
	var partyNames []string
	for i, p := range e.Parties {
		index[p] = i
		c.Parties = append(c.Parties, kolaborasi.AgreementParty{Region: p})
		partyNames = append(partyNames, names[p])
	}
	// The agreement's own text is Indonesian, the language of the KSB.
	c.Title = "Kesepakatan Bersama tentang Pertukaran Solusi antara " + kolaborasi.JoinNames("id", partyNames)
	scope := map[string]bool{}
	for _, it := range e.Items {
		c.Exchanges = append(c.Exchanges, kolaborasi.ExchangeItem{Giver: index[it.Giver], Receivers: []int{index[it.Receiver]},
			SolutionID: parseKey(it.Item.Solution), Terms: []string{}})
		solName, needTitle := it.Item.Solution, it.Item.Need
		if it.Solution != nil {
			solName = it.Solution.Name.Get("id")
			for _, s := range it.Solution.Sectors {
				if l, ok := kolaborasi.Labels["sector."+string(s)]; ok && !scope[l.ID] {
					scope[l.ID] = true
					c.Scope = append(c.Scope, l.ID)
				}
			}
		}
		if it.Need != nil {
			needTitle = it.Need.Title
		}
		c.Purpose = append(c.Purpose, fmt.Sprintf("%s memberikan %s kepada %s untuk memenuhi kebutuhan \u201c%s\u201d.",
			names[it.Giver], solName, names[it.Receiver], needTitle))
	}
	if len(c.Scope) == 0 {
		c.Scope = []string{"Smart City"}
	}
	return a.CreateAgreement(ctx, c)
}
