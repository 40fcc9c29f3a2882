package publiccode

import (
	"embed"
	"encoding/json"
	"strings"
)

// The controlled vocabularies are read from the standard's own text, embedded verbatim (see standard/SOURCE.md).
//
//go:embed standard/categories-list.rst standard/scope-list.rst standard/aliases-list.rst
//go:embed standard/spdx-licenses.json standard/spdx-deprecated.json standard/spdx-exceptions.json
var standardFS embed.FS

var (
	categories = rstList("standard/categories-list.rst")
	scopes     = rstList("standard/scope-list.rst")
	aliases    = rstAliases("standard/aliases-list.rst")

	spdxLicenses   = jsonSet("standard/spdx-licenses.json")
	spdxDeprecated = jsonSet("standard/spdx-deprecated.json")
	spdxExceptions = jsonSet("standard/spdx-exceptions.json")
)

// Values of the controlled lists defined inline in schema.core.rst.
var (
	developmentStatuses = set("concept", "development", "beta", "stable", "obsolete")
	softwareTypes       = set("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
		"standalone/backend", "standalone/other", "addon", "library", "configurationFiles")
	maintenanceTypes = set("internal", "contract", "community", "none")
)

// categoryAdded records the version in which a category joined the list (CHANGELOG.rst); the others date from 0.2.
var categoryAdded = map[string]string{
	"whistleblowing": "0.3", "educational-content": "0.3",
	"regulations-and-directives": "0.4", "integrated-library-system": "0.4", "design": "0.4", "design-system": "0.4",
	"other": "0.5",
}

func set(vals ...string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

// rstList reads the "- value" lines of a list page of the standard.
func rstList(name string) map[string]bool {
	b, err := standardFS.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: cannot happen
	}
	m := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok {
			m[strings.TrimSpace(v)] = true
		}
	}
	return m
}

// rstAliases reads the two-column table of aliases-list.rst.
func rstAliases(name string) map[string]string {
	b, err := standardFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && strings.Contains(f[1], "://") {
			m[f[0]] = f[1]
		}
	}
	return m
}

// jsonSet reads a JSON array of identifiers into a set keyed by lower case (SPDX ids match case-insensitively).
func jsonSet(name string) map[string]string {
	b, err := standardFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	var ids []string
	if err := json.Unmarshal(b, &ids); err != nil {
		panic(err)
	}
	m := make(map[string]string, len(ids))
	for _, id := range ids {
		m[strings.ToLower(id)] = id
	}
	return m
}

// Categories returns the allowed values of categories, from the standard's categories-list.rst.
func Categories() []string { return sortedKeys(categories) }

// Scopes returns the allowed values of intendedAudience.scope, from the standard's scope-list.rst.
func Scopes() []string { return sortedKeys(scopes) }
