// Package publiccode reads, validates and writes publiccode.yml files, the metadata format Kolaborasi uses to
// import and export solutions (https://yml.publiccode.tools, standard versions 0.2 to 0.7).
//
// Parse reads YAML with github.com/goccy/go-yaml, walking its AST so that every message carries the line and
// column of the key it is about, and returns a typed File plus a Result of Messages. Each Message has a
// severity (error or warning), a stable code, a key path, a position, and the same sentence in English and in
// Indonesian (the product's default language). Only errors make a file invalid.
//
// The rules follow the standard's own text (schema.core.rst, schema.it.rst, the lists of categories, scopes
// and aliases, and CHANGELOG.rst for what changed between versions): mandatory keys per version, types,
// controlled vocabularies, SPDX licence expressions, BCP 47 language tags, dates, URLs, e-mail addresses,
// length limits, and deprecated or renamed keys as warnings. The lists are embedded verbatim from the
// standard (CC0) and from the SPDX licence list; see standard/SOURCE.md.
//
// # Choices where the standard leaves room
//
//   - publiccodeYmlVersion "0", which the standard's own examples declare, means the latest 0.x version: the
//     file is checked as 0.7 and not reported as outdated (CatalaLang/catala and others publish it).
//   - releaseDate is optional since 0.4, but a key that is present must hold a date: releaseDate: "" is an
//     error (empty), not an absent key.
//   - logo (and monochromeLogo) is a relative path inside the repository or an absolute http(s) URL, in SVG,
//     SVGZ or PNG (schema.core.rst). The standard says the file must reside in the same repository; that
//     cannot be checked offline for a URL (raw file hosts differ from repository hosts), so it is not. "Logos
//     SHOULD be in vector format" is advice: PNG gives no warning.
//   - intendedAudience.countries and unsupportedCountries: ISO 3166-1 alpha-2 codes in either case; lowercase
//     is deprecated since 0.5 ("All countries are specified using lowercase (deprecated) or uppercase"), so
//     it is a warning for files declaring 0.5 or later and nothing for older ones.
//   - description.[lang].videos: every item must be an absolute http(s) URL; an empty item is an error. The
//     standard asks for a site supporting oEmbed; that needs the network, so it is not checked.
//
// Every Message names its key path in Path; ShownPath gives it only when the sentence does not already name
// it, so reports print each path once. A missing key is placed at its parent mapping's line (the top
// mapping's first line for a top-level key). An oversized input is refused with its real size (Oversized,
// ReadLimited), also when only its first MaxSize+1 bytes were read.
//
// Hostile input is bounded: files over MaxSize are refused before parsing, invalid UTF-8 and binary data are
// refused, and one pass over the bytes (structuralDepth) refuses, before the YAML parser sees them, a file
// whose nesting can pass MaxDepth (indentation, compact "- - - x" sequences, keys, flow brackets) or that holds
// more than MaxTokens keys, list and flow items, anchors, aliases and comments, or more than MaxKeys key
// separators (the YAML parser's time and memory grow with the square of nesting and of the keys of one
// mapping). Alias expansion is bounded to MaxNodes values. Every file up to MaxSize is refused or parsed within
// 100 MB of allocations (TestHostileShapesBounded, TestHostileShapesUnderMemoryLimit; times in
// BenchmarkHostileShapes), and the package never panics on any input. Keys the standard does not define are
// kept (File.Extra and the Extra of each section),
// so Marshal loses nothing: Parse, Marshal, Parse gives an equal File.
//
// The package does no network I/O. Reachability checks of URLs are optional, only ever produce warnings, and go
// through a URLChecker that the caller supplies.
//
// # Region URIs
//
// Kolaborasi identifies a local government by its Kemendagri region code in dotted form: "35" for a
// province, "35.72" for a regency or city (Kota Blitar). organisation.uri (0.5+) must be a URI, and the
// standard lets parsers extract information from a URI of a recognised form, so Kolaborasi writes
// "urn:kolaborasi:region:35.72" (RegionURI, ParseRegionURI). A URN was chosen over a URL because the code is a
// name, not a location: it must stay stable if Kolaborasi's host names change, and it does not pretend to be
// resolvable. The code is kept as published (with its dot) so that people recognise it.
//
// RFC 8141 formal URN namespaces must be registered with IANA; "kolaborasi" is not registered, so this is an
// informal namespace used by agreement between Kolaborasi instances. Should Kolaborasi register a namespace
// (or should Kemendagri publish URIs for its codes), RegionURI is the one place to change, and ParseRegionURI
// can accept both forms during a transition.
package publiccode
