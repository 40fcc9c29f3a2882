package publiccode

import (
	"mime"
	"net/mail"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// LatestVersion is the newest version of the standard this package knows.
const LatestVersion = "0.7"

// supportedVersions maps each accepted spelling of publiccodeYmlVersion to its minor version number.
var supportedVersions = map[string]int{
	"0.2": 2, "0.2.0": 2, "0.2.1": 2, "0.2.2": 2,
	"0.3": 3, "0.3.0": 3,
	"0.4": 4, "0.4.0": 4,
	"0.5": 5, "0.5.0": 5,
	"0.6": 6, "0.6.0": 6,
	"0.7": 7, "0.7.0": 7,
	// "0" is what the standard's own examples declare: the latest 0.x version (the file is checked as 0.7).
	"0": 7,
}

// SupportedVersions lists the accepted values of publiccodeYmlVersion.
func SupportedVersions() []string { return sortedKeys(supportedVersions) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type validator struct {
	rp  *reporter
	f   *File
	ver int // minor version; 7 (latest rules) when the version is unknown
}

func validate(f *File, rp *reporter) {
	v := &validator{rp: rp, f: f, ver: 7}
	v.version()
	v.top()
	v.description()
	v.legal()
	v.maintenance()
	v.localisation()
	v.dependsOn()
	v.italy()
	for _, cs := range f.CountrySections {
		rp.warnf(CodeCountrySection, cs.Key, "section %[1]s is not defined by the standard (the only country section is IT); it is kept but not checked",
			"bagian %[1]s tidak didefinisikan oleh standar (satu-satunya bagian negara adalah IT); bagian disimpan tetapi tidak diperiksa", cs.Key)
	}
}

func (v *validator) missing(p string) {
	if v.rp.bad[p] {
		return
	}
	v.rp.errorf(CodeMissingKey, p, "%s is mandatory but missing", "%s wajib diisi tetapi tidak ada", p)
}

func (v *validator) version() {
	s := v.f.PublicCodeYmlVersion
	p := "publiccodeYmlVersion"
	if s == "" {
		v.missing(p)
		return
	}
	minor, ok := supportedVersions[s]
	if !ok {
		v.rp.errorf(CodeUnsupportedVersion, p,
			"publiccodeYmlVersion %[1]q is not a version of the standard this validator supports (supported: 0.2 to %[2]s); the file is checked against %[2]s",
			"publiccodeYmlVersion %[1]q bukan versi standar yang didukung validator ini (didukung: 0.2 sampai %[2]s); berkas diperiksa menurut %[2]s", s, LatestVersion)
		return
	}
	v.ver = minor
	if minor < 7 && s != "0" {
		v.rp.warnf(CodeOutdatedVersion, p, "publiccodeYmlVersion %[1]q is not the latest version of the standard; consider moving to %[2]q",
			"publiccodeYmlVersion %[1]q bukan versi terbaru standar; pertimbangkan beralih ke %[2]q", s, LatestVersion)
	}
}

func (v *validator) newerKey(p string, since int) {
	if v.ver < since {
		v.rp.warnf(CodeNewerKey, p, "%[1]s was added in version 0.%[2]d of the standard, later than the declared publiccodeYmlVersion %[3]q",
			"%[1]s ditambahkan pada standar versi 0.%[2]d, lebih baru dari publiccodeYmlVersion %[3]q yang dinyatakan", p, since, v.f.PublicCodeYmlVersion)
	}
}

func (v *validator) deprecated(p string, since, use, useID string) {
	v.rp.warnf(CodeDeprecatedKey, p, "%[1]s is deprecated since version %[2]s of the standard; %[3]s",
		"%[1]s sudah usang sejak standar versi %[2]s; %[4]s", p, since, use, useID)
}

func (v *validator) top() {
	f := v.f
	if f.Name == "" {
		v.missing("name")
	}
	if f.URL == "" {
		v.missing("url")
	} else {
		v.repoURL("url", f.URL)
	}
	v.httpURL("landingURL", f.LandingURL)
	for i, u := range f.IsBasedOn {
		v.repoURL(index("isBasedOn", i), u)
	}
	if f.ReleaseDate == "" {
		if v.ver < 4 && !v.rp.bad["releaseDate"] {
			v.rp.errorf(CodeMissingKey, "releaseDate", "releaseDate is mandatory in version %s of the standard (it became optional in 0.4)",
				"releaseDate wajib pada standar versi %s (menjadi opsional sejak 0.4)", f.PublicCodeYmlVersion)
		}
	} else {
		v.date("releaseDate", f.ReleaseDate)
	}
	v.image("logo", f.Logo, []string{".svg", ".svgz", ".png"})
	if f.MonochromeLogo != "" {
		v.image("monochromeLogo", f.MonochromeLogo, []string{".svg", ".svgz", ".png"})
		v.deprecated("monochromeLogo", "0.3", "it can be removed", "kunci ini dapat dihapus")
	}
	for _, k := range []struct {
		p    string
		vals []string
	}{{"inputTypes", f.InputTypes}, {"outputTypes", f.OutputTypes}} {
		if k.vals == nil {
			continue
		}
		v.deprecated(k.p, "0.3", "it can be removed", "kunci ini dapat dihapus")
		for i, mt := range k.vals {
			if _, _, err := mime.ParseMediaType(mt); err != nil || !strings.Contains(mt, "/") {
				v.rp.errorf(CodeInvalidMediaType, index(k.p, i), "%[1]q is not a media type as per RFC 6838 (for example text/plain)",
					"%[1]q bukan tipe media menurut RFC 6838 (misalnya text/plain)", mt)
			}
		}
	}
	if len(f.Platforms) == 0 {
		v.missing("platforms")
	}
	for i, pl := range f.Platforms {
		if strings.TrimSpace(pl) == "" {
			v.rp.errorf(CodeEmpty, index("platforms", i), "platforms must not hold an empty value", "platforms tidak boleh berisi nilai kosong")
		}
	}
	if len(f.Categories) == 0 {
		if v.ver < 5 {
			v.rp.errorf(CodeMissingKey, "categories", "categories is mandatory in version %s of the standard (it became optional in 0.5)",
				"categories wajib pada standar versi %s (menjadi opsional sejak 0.5)", f.PublicCodeYmlVersion)
		}
	}
	for i, c := range f.Categories {
		p := index("categories", i)
		if !categories[c] {
			v.rp.errorf(CodeInvalidValue, p, "%[1]q is not in the standard's list of categories", "%[1]q tidak ada dalam daftar kategori standar", c)
		} else if since, ok := categoryAdded[c]; ok && v.ver < int(since[2]-'0') {
			v.rp.warnf(CodeNewerValue, p, "category %[1]q was added in version %[2]s, later than the declared publiccodeYmlVersion %[3]q",
				"kategori %[1]q ditambahkan pada versi %[2]s, lebih baru dari publiccodeYmlVersion %[3]q yang dinyatakan", c, since, f.PublicCodeYmlVersion)
		}
	}
	for i, u := range f.UsedBy {
		if strings.TrimSpace(u) == "" {
			v.rp.errorf(CodeEmpty, index("usedBy", i), "usedBy must not hold an empty name", "usedBy tidak boleh berisi nama kosong")
		}
	}
	v.httpURL("roadmap", f.Roadmap)
	if f.FundedBy != nil {
		v.newerKey("fundedBy", 5)
		for i, o := range f.FundedBy {
			p := index("fundedBy", i)
			if o.Name == "" {
				v.missing(p + ".name")
			}
			if o.URI != "" {
				v.uri(p+".uri", o.URI)
			}
		}
	}
	if f.Organisation != nil {
		v.newerKey("organisation", 5)
		if f.Organisation.URI == "" {
			v.missing("organisation.uri")
		} else {
			v.uri("organisation.uri", f.Organisation.URI)
			u := f.Organisation.URI
			if len(u) >= len(RegionURIPrefix) && strings.EqualFold(u[:len(RegionURIPrefix)], RegionURIPrefix) {
				if _, ok := ParseRegionURI(u); !ok {
					v.rp.errorf(CodeInvalidURI, "organisation.uri", "%[1]q is not a Kolaborasi region URI: the region code must be NN or NN.NN (for example %[2]s)",
						"%[1]q bukan URI wilayah Kolaborasi: kode wilayah harus NN atau NN.NN (misalnya %[2]s)", u, RegionURI("35.72"))
				}
			}
		}
	}
	if f.Supports != nil {
		v.newerKey("supports", 7)
		for i, s := range f.Supports {
			p := index("supports", i) + ".id"
			switch {
			case s.ID == "":
				v.missing(p)
			case strings.HasPrefix(s.ID, "alias:"):
				if _, ok := aliases[strings.TrimPrefix(s.ID, "alias:")]; !ok {
					v.rp.errorf(CodeUnknownAlias, p, "%[1]q is not in the standard's list of aliases (%[2]s)",
						"%[1]q tidak ada dalam daftar alias standar (%[2]s)", s.ID, strings.Join(sortedKeys(aliases), ", "))
				}
			default:
				v.uri(p, s.ID)
			}
		}
	}
	switch {
	case f.DevelopmentStatus == "":
		v.missing("developmentStatus")
	case !developmentStatuses[f.DevelopmentStatus]:
		v.oneOf("developmentStatus", f.DevelopmentStatus, developmentStatuses)
	}
	switch {
	case f.SoftwareType == "":
		v.missing("softwareType")
	case f.SoftwareType == "standalone":
		v.rp.warnf(CodeDeprecatedValue, "softwareType", "softwareType \"standalone\" is deprecated since 0.2; use one of standalone/mobile, standalone/iot, standalone/desktop, standalone/web, standalone/backend, standalone/other",
			"softwareType \"standalone\" sudah usang sejak 0.2; gunakan salah satu dari standalone/mobile, standalone/iot, standalone/desktop, standalone/web, standalone/backend, standalone/other")
	case !softwareTypes[f.SoftwareType]:
		v.oneOf("softwareType", f.SoftwareType, softwareTypes)
	}
	if ia := f.IntendedAudience; ia != nil {
		v.countries("intendedAudience.countries", ia.Countries)
		v.countries("intendedAudience.unsupportedCountries", ia.UnsupportedCountries)
		for i, s := range ia.Scope {
			if !scopes[s] {
				v.rp.errorf(CodeInvalidValue, index("intendedAudience.scope", i), "%[1]q is not in the standard's scope list",
					"%[1]q tidak ada dalam daftar cakupan (scope) standar", s)
			}
		}
	}
}

func (v *validator) oneOf(p, val string, allowed map[string]bool) {
	list := strings.Join(sortedKeys(allowed), ", ")
	v.rp.errorf(CodeInvalidValue, p, "%[1]s %[2]q is not one of the allowed values: %[3]s", "%[1]s %[2]q bukan salah satu nilai yang diizinkan: %[3]s", p, val, list)
}

func (v *validator) countries(p string, codes []string) {
	for i, c := range codes {
		ip := index(p, i)
		if !isCountryKey(c) {
			v.rp.errorf(CodeInvalidCountry, ip, "%[1]q is not an ISO 3166-1 alpha-2 country code", "%[1]q bukan kode negara ISO 3166-1 alpha-2", c)
			continue
		}
		if c != strings.ToUpper(c) && v.ver >= 5 {
			v.rp.warnf(CodeLowercaseCountry, ip, "lowercase country codes are deprecated since 0.5; write %[1]q", "kode negara huruf kecil sudah usang sejak 0.5; tulis %[1]q", strings.ToUpper(c))
		}
	}
}

func (v *validator) description() {
	f := v.f
	if len(f.Description) == 0 {
		v.rp.errorf(CodeMissingKey, "description", "description is mandatory and must hold at least one language",
			"description wajib diisi dan harus memuat setidaknya satu bahasa")
		return
	}
	hasLong, hasFeatures, hasGeneric := false, false, false
	for _, lang := range sortedKeys(f.Description) {
		d := f.Description[lang]
		p := join("description", lang)
		v.language(p, lang)
		if d.ShortDescription == "" {
			v.missing(p + ".shortDescription")
		} else if n := utf8.RuneCountInString(d.ShortDescription); n > 150 {
			v.rp.errorf(CodeTooLong, p+".shortDescription", "%[1]s is %[2]d characters long; at most 150 are allowed",
				"%[1]s panjangnya %[2]d karakter; paling banyak 150 karakter", p+".shortDescription", n)
		}
		if d.LongDescription != "" {
			hasLong = true
			lp := p + ".longDescription"
			if n := utf8.RuneCountInString(d.LongDescription); n < 150 {
				v.rp.errorf(CodeTooShort, lp, "%[1]s is %[2]d characters long; it must be between 150 and 10000",
					"%[1]s panjangnya %[2]d karakter; harus antara 150 dan 10000", lp, n)
			} else if n > 10000 {
				v.rp.errorf(CodeTooLong, lp, "%[1]s is %[2]d characters long; it must be between 150 and 10000",
					"%[1]s panjangnya %[2]d karakter; harus antara 150 dan 10000", lp, n)
			}
		}
		if d.GenericName != "" {
			hasGeneric = true
			gp := p + ".genericName"
			if n := utf8.RuneCountInString(d.GenericName); n > 35 {
				v.rp.errorf(CodeTooLong, gp, "%[1]s is %[2]d characters long; at most 35 are allowed",
					"%[1]s panjangnya %[2]d karakter; paling banyak 35 karakter", gp, n)
			}
			if v.ver >= 3 {
				v.deprecated(gp, "0.3", "it can be removed", "kunci ini dapat dihapus")
			}
		}
		if len(d.Features) > 0 {
			hasFeatures = true
		}
		for i, ft := range d.Features {
			fp := index(p+".features", i)
			if strings.TrimSpace(ft) == "" {
				v.rp.errorf(CodeEmpty, fp, "%[1]s is empty", "%[1]s kosong", fp)
			} else if n := utf8.RuneCountInString(ft); v.ver < 3 && n > 100 {
				v.rp.errorf(CodeTooLong, fp, "%[1]s is %[2]d characters long; version %[3]s allows at most 100 (the limit was removed in 0.3)",
					"%[1]s panjangnya %[2]d karakter; versi %[3]s mengizinkan paling banyak 100 (batas dihapus sejak 0.3)", fp, n, f.PublicCodeYmlVersion)
			}
		}
		v.httpURL(p+".documentation", d.Documentation)
		v.httpURL(p+".apiDocumentation", d.APIDocumentation)
		for i, s := range d.Screenshots {
			v.image(index(p+".screenshots", i), s, []string{".png", ".jpg", ".jpeg"})
		}
		for i, u := range d.Videos {
			vp := index(p+".videos", i)
			if strings.TrimSpace(u) == "" {
				v.rp.errorf(CodeEmpty, vp, "a video must be the URL of its page on a video site", "video harus berupa URL halamannya di situs video")
				continue
			}
			v.httpURL(vp, u)
		}
	}
	if !hasLong {
		v.rp.errorf(CodeMissingKey, "description", "longDescription is mandatory for at least one language",
			"longDescription wajib diisi untuk setidaknya satu bahasa")
	}
	if !hasFeatures {
		v.rp.errorf(CodeMissingKey, "description", "features is mandatory for at least one language",
			"features wajib diisi untuk setidaknya satu bahasa")
	}
	if v.ver < 3 && !hasGeneric {
		v.rp.errorf(CodeMissingKey, "description", "genericName is mandatory in version %s for at least one language (it became optional in 0.3)",
			"genericName wajib pada versi %s untuk setidaknya satu bahasa (menjadi opsional sejak 0.3)", f.PublicCodeYmlVersion)
	}
}

func (v *validator) language(p, tag string) {
	// x/text also accepts "_" as a separator (zh_CN); BCP 47 allows only "-", so check the characters first.
	_, err := language.Parse(tag)
	low := strings.ToLower(tag)
	if err != nil || strings.Trim(low, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" ||
		low == "und" || strings.HasPrefix(low, "und-") || strings.HasPrefix(low, "x-") || strings.HasPrefix(low, "i-") {
		v.rp.errorf(CodeInvalidLanguage, p, "%[1]q is not a BCP 47 language tag with a primary language (for example en, id, sl-IT-nedis)",
			"%[1]q bukan tag bahasa BCP 47 dengan bahasa utama (misalnya en, id, sl-IT-nedis)", tag)
	}
}

func (v *validator) legal() {
	l := v.f.Legal
	if l.License == "" {
		v.missing("legal.license")
	} else {
		for _, pr := range CheckLicense(l.License) {
			if pr.Deprecated {
				v.rp.warnf(CodeDeprecatedLicense, "legal.license", "%s", "%s", pr.EN)
				v.rp.res.Messages[len(v.rp.res.Messages)-1].TextID = pr.ID
				continue
			}
			v.rp.errorf(CodeInvalidLicense, "legal.license", "legal.license is not a valid SPDX expression: %s", "legal.license bukan ekspresi SPDX yang sah: %s", pr.EN)
			v.rp.res.Messages[len(v.rp.res.Messages)-1].TextID = "legal.license bukan ekspresi SPDX yang sah: " + pr.ID
		}
	}
	if l.RepoOwner != "" {
		v.deprecated("legal.repoOwner", "0.5", "use organisation.name instead", "gunakan organisation.name sebagai gantinya")
	}
	if l.AuthorsFile != "" {
		v.deprecated("legal.authorsFile", "0.4", "it can be removed", "kunci ini dapat dihapus")
		v.relPath("legal.authorsFile", l.AuthorsFile)
	}
}

func (v *validator) maintenance() {
	m := v.f.Maintenance
	switch {
	case m.Type == "":
		v.missing("maintenance.type")
	case !maintenanceTypes[m.Type]:
		v.oneOf("maintenance.type", m.Type, maintenanceTypes)
	}
	if m.Type == "contract" && len(m.Contractors) == 0 {
		v.rp.errorf(CodeMissingKey, "maintenance.contractors", "maintenance.contractors is mandatory when maintenance.type is contract",
			"maintenance.contractors wajib diisi bila maintenance.type adalah contract")
	}
	if m.Type != "contract" && len(m.Contractors) > 0 {
		v.rp.errorf(CodeNotAllowed, "maintenance.contractors", "maintenance.contractors must not be present when maintenance.type is not contract",
			"maintenance.contractors tidak boleh ada bila maintenance.type bukan contract")
	}
	if (m.Type == "internal" || m.Type == "community") && len(m.Contacts) == 0 {
		v.rp.errorf(CodeMissingKey, "maintenance.contacts", "maintenance.contacts is mandatory when maintenance.type is %[1]s",
			"maintenance.contacts wajib diisi bila maintenance.type adalah %[1]s", m.Type)
	}
	for i, c := range m.Contractors {
		p := index("maintenance.contractors", i)
		if c.Name == "" {
			v.missing(p + ".name")
		}
		if c.Until == "" {
			v.missing(p + ".until")
		} else {
			v.date(p+".until", c.Until)
		}
		v.email(p+".email", c.Email)
		v.httpURL(p+".website", c.Website)
	}
	for i, c := range m.Contacts {
		p := index("maintenance.contacts", i)
		if c.Name == "" {
			v.missing(p + ".name")
		}
		v.email(p+".email", c.Email)
	}
}

func (v *validator) localisation() {
	l := v.f.Localisation
	if l.LocalisationReady == nil {
		v.missing("localisation.localisationReady")
	}
	if len(l.AvailableLanguages) == 0 {
		v.missing("localisation.availableLanguages")
	}
	for i, lang := range l.AvailableLanguages {
		v.language(index("localisation.availableLanguages", i), lang)
	}
}

func (v *validator) dependsOn() {
	d := v.f.DependsOn
	if d == nil {
		return
	}
	for _, g := range []struct {
		p    string
		deps []Dependency
	}{{"dependsOn.open", d.Open}, {"dependsOn.proprietary", d.Proprietary}, {"dependsOn.hardware", d.Hardware}} {
		for i, dep := range g.deps {
			if dep.Name == "" {
				v.missing(index(g.p, i) + ".name")
			}
		}
	}
}

func (v *validator) italy() {
	it := v.f.IT
	if it == nil {
		return
	}
	key := v.rp.itKey
	if key == "" {
		key = "IT"
	}
	if v.ver >= 7 {
		v.deprecated(key, "0.7", "use supports and organisation instead", "gunakan supports dan organisation sebagai gantinya")
	}
	if key != "IT" && v.ver >= 5 {
		v.rp.warnf(CodeLowercaseCountry, key, "the lowercase country section %[1]q is deprecated since 0.5; write \"IT\"",
			"bagian negara huruf kecil %[1]q sudah usang sejak 0.5; tulis \"IT\"", key)
	}
	p := key + ".countryExtensionVersion"
	switch it.CountryExtensionVersion {
	case "":
		v.missing(p)
	case "1.0", "0.2":
		// "1.0" is the value the standard mandates now; "0.2" was the Italian extension's own version
		// when it was introduced together with core 0.2 ("[core-0.2/it-0.2]" in CHANGELOG.rst).
	default:
		v.rp.errorf(CodeInvalidValue, p, "%[1]s must be \"1.0\", not %[2]q", "%[1]s harus \"1.0\", bukan %[2]q", p, it.CountryExtensionVersion)
	}
	if it.Conforme != nil {
		v.deprecated(key+".conforme", "0.5", "use supports (for example alias:gdpr) instead", "gunakan supports (misalnya alias:gdpr) sebagai gantinya")
	}
	if it.Piattaforme != nil && it.Piattaforme.IO != nil {
		v.newerKey(key+".piattaforme.io", 3)
	}
	if it.Riuso != nil && it.Riuso.CodiceIPA != "" {
		v.deprecated(key+".riuso.codiceIPA", "0.5", "use organisation.uri instead", "gunakan organisation.uri sebagai gantinya")
	}
}

func (v *validator) date(p, s string) {
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != 10 {
		v.rp.errorf(CodeInvalidDate, p, "%[1]s %[2]q is not a date in the form YYYY-MM-DD", "%[1]s %[2]q bukan tanggal berformat YYYY-MM-DD", p, s)
	}
}

func (v *validator) email(p, s string) {
	if s == "" {
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		v.rp.errorf(CodeInvalidEmail, p, "%[1]s %[2]q is not an e-mail address", "%[1]s %[2]q bukan alamat surel", p, s)
	}
}

// httpURL checks an optional absolute http(s) URL.
func (v *validator) httpURL(p, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.rp.errorf(CodeInvalidURL, p, "%[1]s %[2]q is not an absolute http(s) URL", "%[1]s %[2]q bukan URL http(s) absolut", p, s)
	}
}

var vcsSchemes = set("http", "https", "git", "ssh", "git+ssh", "svn", "svn+ssh", "hg", "bzr", "ftp")

// repoURL checks the URL of a source repository: any version-control scheme, HTTP(S) preferred.
func (v *validator) repoURL(p, s string) {
	u, err := url.Parse(s)
	if err != nil || !vcsSchemes[u.Scheme] || u.Host == "" {
		v.rp.errorf(CodeInvalidURL, p, "%[1]s %[2]q is not the URL of a source code repository (for example https://example.org/owner/repo.git)",
			"%[1]s %[2]q bukan URL repositori kode sumber (misalnya https://example.org/owner/repo.git)", p, s)
		return
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		v.rp.warnf(CodeNonHTTPURL, p, "%[1]s uses %[2]s://; the standard prefers HTTP/HTTPS URLs that need no authentication",
			"%[1]s memakai %[2]s://; standar lebih menyukai URL HTTP/HTTPS yang tidak memerlukan autentikasi", p, u.Scheme)
	}
}

func (v *validator) uri(p, s string) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || strings.ContainsAny(s, " \t\n") || (u.Opaque == "" && u.Host == "" && u.Path == "") {
		v.rp.errorf(CodeInvalidURI, p, "%[1]s %[2]q is not a URI (a URL or a URN such as urn:kolaborasi:region:35.72)",
			"%[1]s %[2]q bukan URI (URL atau URN seperti urn:kolaborasi:region:35.72)", p, s)
	}
}

// image checks a relative path or absolute URL to an image file of one of the given formats.
func (v *validator) image(p, s string, exts []string) {
	if s == "" {
		return
	}
	name := s
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			v.rp.errorf(CodeInvalidURL, p, "%[1]s %[2]q is neither a relative path nor an absolute http(s) URL",
				"%[1]s %[2]q bukan jalur relatif maupun URL http(s) absolut", p, s)
			return
		}
		name = u.Path
	} else if !v.relPath(p, s) {
		return
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return
		}
	}
	v.rp.errorf(CodeInvalidPath, p, "%[1]s %[2]q has an unaccepted file format; accepted: %[3]s",
		"%[1]s %[2]q berformat berkas yang tidak diterima; yang diterima: %[3]s", p, s, strings.Join(exts, ", "))
}

// relPath checks a path relative to the repository root; it reports and returns false when the path leaves the repository.
func (v *validator) relPath(p, s string) bool {
	clean := path.Clean("/" + s)
	if strings.Contains(s, "\\") || strings.HasPrefix(path.Clean(s), "..") || clean == "/" {
		v.rp.errorf(CodeInvalidPath, p, "%[1]s %[2]q must be a path inside the repository, relative to its root",
			"%[1]s %[2]q harus berupa jalur di dalam repositori, relatif terhadap akarnya", p, s)
		return false
	}
	return true
}
