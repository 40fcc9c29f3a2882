// Package gen makes deterministic, clearly marked synthetic data for
// benchmarks and load tests: the same seed gives the same data on every
// machine. It is pure (no SQL, no HTTP); `kolaborasi gen` loads what it
// makes through the app's use cases.
//
// Solutions: every generated solution has Synthetic set, a site under the
// reserved .invalid domain and a long description ending in "Data sintetis
// untuk uji beban." (Marker). The texts are assembled from a vocabulary of
// Indonesian and English smart-city phrases; kinds, dimensions, sectors,
// maturity, licences and reuse terms follow fixed, documented distributions
// (see the weights in gen.go), and solutions are spread over the regions
// given, each in turn.
//
// The whole data set (Plan: National, Province) adds KSB agreements
// between two autonomous regions (a tenth left as drafts, a tenth offered,
// the rest signed by both parties with keys derived from the seed by
// SigningKey), adoptions (a twentieth pending, a twentieth declined, the
// rest accepted and moved 0 to 5 stages), producers with their products,
// needs, synthetic monthly indicators and observations (source
// SyntheticSource). Solutions, adoptions, producers, products and needs
// carry the Synthetic flag; agreements and accounts have no such flag:
// their purpose texts end with Marker and the accounts' addresses are under
// gen.kolaborasi.invalid.
package gen
