package publiccode

// File is a publiccode.yml document in typed form. It covers every key of the standard from 0.2 to 0.7;
// keys the standard does not define are kept in the Extra fields so that nothing is lost on export.
//
// Optional booleans are pointers so that "absent" and "false" stay distinct. Keys that accept either a string
// or a list of strings (platforms, isBasedOn) are always held as lists.
type File struct {
	PublicCodeYmlVersion string            `json:"publiccodeYmlVersion"`
	Name                 string            `json:"name"`
	ApplicationSuite     string            `json:"applicationSuite,omitempty"`
	URL                  string            `json:"url"`
	LandingURL           string            `json:"landingURL,omitempty"`
	IsBasedOn            []string          `json:"isBasedOn,omitempty"`
	SoftwareVersion      string            `json:"softwareVersion,omitempty"`
	ReleaseDate          string            `json:"releaseDate,omitempty"`
	Logo                 string            `json:"logo,omitempty"`
	MonochromeLogo       string            `json:"monochromeLogo,omitempty"`
	InputTypes           []string          `json:"inputTypes,omitempty"`
	OutputTypes          []string          `json:"outputTypes,omitempty"`
	Platforms            []string          `json:"platforms"`
	Categories           []string          `json:"categories,omitempty"`
	UsedBy               []string          `json:"usedBy,omitempty"`
	FundedBy             []Organisation    `json:"fundedBy,omitempty"`
	Roadmap              string            `json:"roadmap,omitempty"`
	DevelopmentStatus    string            `json:"developmentStatus"`
	SoftwareType         string            `json:"softwareType"`
	Supports             []Support         `json:"supports,omitempty"`
	Organisation         *Organisation     `json:"organisation,omitempty"`
	IntendedAudience     *IntendedAudience `json:"intendedAudience,omitempty"`
	// Description maps a BCP 47 language tag (as written in the file) to the text in that language.
	Description  map[string]Description `json:"description"`
	Legal        Legal                  `json:"legal"`
	Maintenance  Maintenance            `json:"maintenance"`
	Localisation Localisation           `json:"localisation"`
	DependsOn    *DependsOn             `json:"dependsOn,omitempty"`
	// IT is the Italian country section (key "IT", or the deprecated lowercase "it").
	IT *Italy `json:"IT,omitempty"`
	// CountrySections holds other top-level sections named by a two-letter country code, keyed as written.
	CountrySections []Field `json:"countrySections,omitempty"`
	// Extra holds top-level keys that the standard does not define (including keys of old versions).
	Extra []Field `json:"extra,omitempty"`
}

// Organisation is an organisation publishing (organisation) or funding (fundedBy) the software.
type Organisation struct {
	URI   string  `json:"uri,omitempty"`
	Name  string  `json:"name,omitempty"`
	Extra []Field `json:"extra,omitempty"`
}

// Support is one entry of the supports key (0.7): a standard, regulation or system the software supports.
type Support struct {
	ID    string  `json:"id"`
	Extra []Field `json:"extra,omitempty"`
}

// IntendedAudience is the intendedAudience section.
type IntendedAudience struct {
	Countries            []string `json:"countries,omitempty"`
	UnsupportedCountries []string `json:"unsupportedCountries,omitempty"`
	Scope                []string `json:"scope,omitempty"`
	Extra                []Field  `json:"extra,omitempty"`
}

// Description is the description of the software in one language.
type Description struct {
	LocalisedName    string   `json:"localisedName,omitempty"`
	GenericName      string   `json:"genericName,omitempty"`
	ShortDescription string   `json:"shortDescription,omitempty"`
	LongDescription  string   `json:"longDescription,omitempty"`
	Documentation    string   `json:"documentation,omitempty"`
	APIDocumentation string   `json:"apiDocumentation,omitempty"`
	Features         []string `json:"features,omitempty"`
	Screenshots      []string `json:"screenshots,omitempty"`
	Videos           []string `json:"videos,omitempty"`
	Awards           []string `json:"awards,omitempty"`
	Extra            []Field  `json:"extra,omitempty"`
}

// Legal is the legal section.
type Legal struct {
	License            string  `json:"license"`
	MainCopyrightOwner string  `json:"mainCopyrightOwner,omitempty"`
	RepoOwner          string  `json:"repoOwner,omitempty"`
	AuthorsFile        string  `json:"authorsFile,omitempty"`
	Extra              []Field `json:"extra,omitempty"`
}

// Maintenance is the maintenance section.
type Maintenance struct {
	Type        string       `json:"type"`
	Contractors []Contractor `json:"contractors,omitempty"`
	Contacts    []Contact    `json:"contacts,omitempty"`
	Extra       []Field      `json:"extra,omitempty"`
}

// Contractor is an entity contracted for maintenance.
type Contractor struct {
	Name    string  `json:"name"`
	Until   string  `json:"until"`
	Email   string  `json:"email,omitempty"`
	Website string  `json:"website,omitempty"`
	Extra   []Field `json:"extra,omitempty"`
}

// Contact is a person maintaining the software.
type Contact struct {
	Name        string  `json:"name"`
	Email       string  `json:"email,omitempty"`
	Phone       string  `json:"phone,omitempty"`
	Affiliation string  `json:"affiliation,omitempty"`
	Extra       []Field `json:"extra,omitempty"`
}

// Localisation is the localisation section.
type Localisation struct {
	LocalisationReady  *bool    `json:"localisationReady,omitempty"`
	AvailableLanguages []string `json:"availableLanguages,omitempty"`
	Extra              []Field  `json:"extra,omitempty"`
}

// DependsOn is the dependsOn section.
type DependsOn struct {
	Open        []Dependency `json:"open,omitempty"`
	Proprietary []Dependency `json:"proprietary,omitempty"`
	Hardware    []Dependency `json:"hardware,omitempty"`
	Extra       []Field      `json:"extra,omitempty"`
}

// Dependency is one system-level dependency.
type Dependency struct {
	Name       string  `json:"name"`
	VersionMin string  `json:"versionMin,omitempty"`
	VersionMax string  `json:"versionMax,omitempty"`
	Version    string  `json:"version,omitempty"`
	Optional   *bool   `json:"optional,omitempty"`
	Extra      []Field `json:"extra,omitempty"`
}

// Italy is the Italian country section (deprecated in 0.7 in favour of supports and organisation).
type Italy struct {
	CountryExtensionVersion string            `json:"countryExtensionVersion,omitempty"`
	Conforme                *ItalyConforme    `json:"conforme,omitempty"`
	Piattaforme             *ItalyPiattaforme `json:"piattaforme,omitempty"`
	Riuso                   *ItalyRiuso       `json:"riuso,omitempty"`
	Extra                   []Field           `json:"extra,omitempty"`
}

// ItalyConforme is IT.conforme: self-declared compliance with Italian rules (deprecated since 0.5).
type ItalyConforme struct {
	LineeGuidaDesign        *bool   `json:"lineeGuidaDesign,omitempty"`
	ModelloInteroperabilita *bool   `json:"modelloInteroperabilita,omitempty"`
	MisureMinimeSicurezza   *bool   `json:"misureMinimeSicurezza,omitempty"`
	GDPR                    *bool   `json:"gdpr,omitempty"`
	Extra                   []Field `json:"extra,omitempty"`
}

// ItalyPiattaforme is IT.piattaforme: integration with Italian national platforms.
type ItalyPiattaforme struct {
	SPID   *bool   `json:"spid,omitempty"`
	CIE    *bool   `json:"cie,omitempty"`
	ANPR   *bool   `json:"anpr,omitempty"`
	PagoPA *bool   `json:"pagopa,omitempty"`
	IO     *bool   `json:"io,omitempty"`
	Extra  []Field `json:"extra,omitempty"`
}

// ItalyRiuso is IT.riuso: data for the Italian reuse catalogue.
type ItalyRiuso struct {
	CodiceIPA string  `json:"codiceIPA,omitempty"`
	Extra     []Field `json:"extra,omitempty"`
}

// Field is one key and its value, kept in file order, for content the typed structs do not model.
type Field struct {
	Key   string `json:"key"`
	Value Value  `json:"value"`
}

// Kind is the YAML kind of a Value.
type Kind string

// The kinds of Value.
const (
	KindNull   Kind = "null"
	KindString Kind = "string"
	KindBool   Kind = "bool"
	KindInt    Kind = "int"
	KindFloat  Kind = "float"
	KindList   Kind = "list"
	KindMap    Kind = "map"
)

// Value is an untyped YAML value kept verbatim: scalars as their text, lists and mappings in order.
type Value struct {
	Kind Kind `json:"kind"`
	// Text is the scalar: the string itself for KindString, the literal as written for the other scalars.
	Text   string  `json:"text,omitempty"`
	Items  []Value `json:"items,omitempty"`
	Fields []Field `json:"fields,omitempty"`
}
