// Package gen makes a deterministic, clearly marked synthetic national
// catalog of solutions for benchmarks and load tests: the same seed and
// count give the same solutions on every machine.
//
// Every generated solution has Synthetic set, a site under the reserved
// .invalid domain and a long description ending in "Data sintetis untuk uji
// beban." The texts are assembled from a vocabulary of Indonesian and
// English smart-city phrases; kinds, dimensions, sectors, maturity,
// licences and reuse terms follow fixed, documented distributions (see the
// weights in gen.go), and solutions are spread over every kabupaten/kota.
package gen
