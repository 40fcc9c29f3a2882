package publiccode

import (
	"strings"

	"golang.org/x/text/language"
)

// decoder turns the YAML tree into a File, reporting wrong types and unknown keys.
type decoder struct {
	rp *reporter
}

func (d *decoder) mark(path string, n *node) {
	if _, ok := d.rp.pos[path]; !ok && n != nil && n.line > 0 {
		d.rp.pos[path] = position{n.line, n.col}
	}
}

func (d *decoder) wrongType(path string, n *node, want, wantID string) {
	if d.rp.bad == nil {
		d.rp.bad = map[string]bool{}
	}
	d.rp.bad[path] = true
	d.rp.errorf(CodeWrongType, path, "%[1]s must be %[2]s, not %[3]s", "%[1]s harus %[4]s, bukan %[5]s",
		path, want, kindName(n.kind, false), wantID, kindName(n.kind, true))
}

func kindName(k Kind, id bool) string {
	en := map[Kind]string{KindNull: "empty", KindString: "a string", KindBool: "a boolean", KindInt: "a number",
		KindFloat: "a number", KindList: "a list", KindMap: "a mapping"}
	in := map[Kind]string{KindNull: "kosong", KindString: "teks", KindBool: "boolean", KindInt: "angka",
		KindFloat: "angka", KindList: "daftar", KindMap: "pemetaan"}
	if id {
		return in[k]
	}
	return en[k]
}

// str reads a string. Numbers are accepted as their literal text with a warning; null means absent.
func (d *decoder) str(n *node, path string) string {
	switch n.kind {
	case KindString:
		return n.text
	case KindInt, KindFloat:
		d.rp.warnf(CodeUnquotedNumber, path, "%s is written as the number %s; quote it (\"%s\") so that every YAML reader keeps it as text",
			"%s ditulis sebagai angka %s; beri tanda kutip (\"%s\") agar setiap pembaca YAML membacanya sebagai teks", path, n.text, n.text)
		return n.text
	case KindNull:
		return ""
	}
	d.wrongType(path, n, "a string", "teks")
	return ""
}

// strList reads a list of strings; a single string is accepted when scalarOK (keys typed "string or array").
func (d *decoder) strList(n *node, path string, scalarOK bool) []string {
	switch n.kind {
	case KindNull:
		return nil
	case KindList:
		out := make([]string, 0, len(n.items))
		for i, it := range n.items {
			p := index(path, i)
			d.mark(p, it)
			if it.kind == KindNull {
				d.rp.errorf(CodeEmpty, p, "%s is an empty list item", "%s adalah butir daftar yang kosong", p)
				continue
			}
			out = append(out, d.str(it, p))
		}
		return out
	case KindString, KindInt, KindFloat:
		if scalarOK {
			return []string{d.str(n, path)}
		}
	}
	d.wrongType(path, n, "a list of strings", "daftar teks")
	return nil
}

func (d *decoder) boolp(n *node, path string) *bool {
	switch n.kind {
	case KindNull:
		return nil
	case KindBool:
		b := strings.EqualFold(n.text, "true")
		return &b
	}
	d.wrongType(path, n, "a boolean (true or false)", "boolean (true atau false)")
	return nil
}

// fields walks a mapping: known keys go to their handler, others into Extra with a warning.
func (d *decoder) fields(n *node, path string, known map[string]func(*node, string), extra *[]Field) bool {
	if n.kind == KindNull {
		return false
	}
	if n.kind != KindMap {
		d.wrongType(path, n, "a mapping", "pemetaan")
		return false
	}
	for i, k := range n.keys {
		p := join(path, k)
		if _, ok := d.rp.pos[p]; !ok {
			d.rp.pos[p] = n.keyPos[i]
		}
		if h, ok := known[k]; ok {
			h(n.vals[i], p)
			continue
		}
		d.unknown(path, k, known)
		*extra = append(*extra, Field{Key: k, Value: toValue(n.vals[i])})
	}
	return true
}

// renamed lists keys of earlier versions, by full path, with the key that replaced them ("" if removed).
var renamed = map[string]struct{ to, since string }{
	"publiccode-yaml-version":    {"publiccodeYmlVersion", "0.2"},
	"tags":                       {"categories", "0.2"},
	"freeTags":                   {"", "0.2"},
	"intendedAudience.onlyFor":   {"intendedAudience.scope", "0.2"},
	"IT.conforme.accessibile":    {"IT.conforme.lineeGuidaDesign", "0.2"},
	"IT.conforme.interoperabile": {"IT.conforme.modelloInteroperabilita", "0.2"},
	"IT.conforme.sicuro":         {"IT.conforme.misureMinimeSicurezza", "0.2"},
	"IT.conforme.privacy":        {"IT.conforme.gdpr", "0.2"},
	"IT.ecosistemi":              {"intendedAudience.scope", "0.2"},
	"IT.designKit":               {"", "0.2"},
	"IT.spid":                    {"IT.piattaforme.spid", "0.2"},
	"IT.cie":                     {"IT.piattaforme.cie", "0.2"},
	"IT.anpr":                    {"IT.piattaforme.anpr", "0.2"},
	"IT.pagopa":                  {"IT.piattaforme.pagopa", "0.2"},
}

func (d *decoder) unknown(path, k string, known map[string]func(*node, string)) {
	p := join(path, k)
	norm := p
	if strings.HasPrefix(norm, "it.") {
		norm = "IT." + norm[3:]
	}
	if r, ok := renamed[norm]; ok {
		if r.to == "" {
			d.rp.warnf(CodeRenamedKey, p, "%s was removed from the standard in %s and is ignored",
				"%s sudah dihapus dari standar sejak %s dan diabaikan", p, r.since)
		} else {
			d.rp.warnf(CodeRenamedKey, p, "%s was replaced by %s in %s; use %s",
				"%s diganti oleh %s sejak %s; gunakan %s", p, r.to, r.since, r.to)
		}
		return
	}
	for kk := range known {
		if strings.EqualFold(kk, k) {
			d.rp.warnf(CodeUnknownKey, p, "%s is not a key of the standard (keys are case-sensitive: did you mean %s?); it is kept but not checked",
				"%s bukan kunci standar (huruf besar/kecil berpengaruh: maksudnya %s?); kunci disimpan tetapi tidak diperiksa", p, join(path, kk))
			return
		}
	}
	d.rp.warnf(CodeUnknownKey, p, "%s is not a key of the publiccode.yml standard; it is kept but not checked",
		"%s bukan kunci standar publiccode.yml; kunci disimpan tetapi tidak diperiksa", p)
}

func toValue(n *node) Value {
	v := Value{Kind: n.kind, Text: n.text}
	if n.kind == KindNull {
		v.Text = ""
	}
	for _, it := range n.items {
		v.Items = append(v.Items, toValue(it))
	}
	for i, k := range n.keys {
		v.Fields = append(v.Fields, Field{Key: k, Value: toValue(n.vals[i])})
	}
	return v
}

// isCountryKey reports whether a top-level key names a country section (two letters, ISO 3166-1 alpha-2).
func isCountryKey(k string) bool {
	if len(k) != 2 || !isLetters(k) {
		return false
	}
	r, err := language.ParseRegion(k)
	return err == nil && r.IsCountry()
}

func isLetters(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

func (d *decoder) file(root *node) *File {
	f := &File{}
	s := func(dst *string) func(*node, string) {
		return func(n *node, p string) { *dst = d.str(n, p) }
	}
	l := func(dst *[]string, scalarOK bool) func(*node, string) {
		return func(n *node, p string) { *dst = d.strList(n, p, scalarOK) }
	}
	known := map[string]func(*node, string){
		"publiccodeYmlVersion": s(&f.PublicCodeYmlVersion),
		"name":                 s(&f.Name),
		"applicationSuite":     s(&f.ApplicationSuite),
		"url":                  s(&f.URL),
		"landingURL":           s(&f.LandingURL),
		"isBasedOn":            l(&f.IsBasedOn, true),
		"softwareVersion":      s(&f.SoftwareVersion),
		"releaseDate": func(n *node, p string) {
			f.ReleaseDate = d.str(n, p)
			if f.ReleaseDate == "" && !d.rp.bad[p] {
				// Present but empty is not "absent": the key promises a date (schema.core.rst, releaseDate).
				d.rp.errorf(CodeEmpty, p, "releaseDate is empty; write the date as YYYY-MM-DD or remove the key",
					"releaseDate kosong; tulis tanggal berformat YYYY-MM-DD atau hapus kuncinya")
				if d.rp.bad == nil {
					d.rp.bad = map[string]bool{}
				}
				d.rp.bad[p] = true
			}
		},
		"logo":              s(&f.Logo),
		"monochromeLogo":    s(&f.MonochromeLogo),
		"inputTypes":        l(&f.InputTypes, false),
		"outputTypes":       l(&f.OutputTypes, false),
		"platforms":         l(&f.Platforms, true),
		"categories":        l(&f.Categories, false),
		"usedBy":            l(&f.UsedBy, false),
		"roadmap":           s(&f.Roadmap),
		"developmentStatus": s(&f.DevelopmentStatus),
		"softwareType":      s(&f.SoftwareType),
		"fundedBy": func(n *node, p string) {
			d.list(n, p, func(it *node, ip string) {
				f.FundedBy = append(f.FundedBy, d.organisation(it, ip))
			})
		},
		"supports": func(n *node, p string) {
			d.list(n, p, func(it *node, ip string) {
				var sp Support
				d.fields(it, ip, map[string]func(*node, string){"id": s(&sp.ID)}, &sp.Extra)
				f.Supports = append(f.Supports, sp)
			})
		},
		"organisation": func(n *node, p string) {
			if n.kind == KindNull {
				return
			}
			o := d.organisation(n, p)
			f.Organisation = &o
		},
		"intendedAudience": func(n *node, p string) {
			var ia IntendedAudience
			if d.fields(n, p, map[string]func(*node, string){
				"countries":            l(&ia.Countries, false),
				"unsupportedCountries": l(&ia.UnsupportedCountries, false),
				"scope":                l(&ia.Scope, false),
			}, &ia.Extra) {
				f.IntendedAudience = &ia
			}
		},
		"description": func(n *node, p string) {
			if n.kind == KindNull {
				return
			}
			if n.kind != KindMap {
				d.wrongType(p, n, "a mapping of language codes", "pemetaan kode bahasa")
				return
			}
			f.Description = map[string]Description{}
			for i, lang := range n.keys {
				lp := join(p, lang)
				d.rp.pos[lp] = n.keyPos[i]
				f.Description[lang] = d.description(n.vals[i], lp)
			}
		},
		"legal": func(n *node, p string) {
			lg := &f.Legal
			d.fields(n, p, map[string]func(*node, string){
				"license":            s(&lg.License),
				"mainCopyrightOwner": s(&lg.MainCopyrightOwner),
				"repoOwner":          s(&lg.RepoOwner),
				"authorsFile":        s(&lg.AuthorsFile),
			}, &lg.Extra)
		},
		"maintenance": func(n *node, p string) {
			m := &f.Maintenance
			d.fields(n, p, map[string]func(*node, string){
				"type": s(&m.Type),
				"contractors": func(n *node, p string) {
					d.list(n, p, func(it *node, ip string) {
						var c Contractor
						d.fields(it, ip, map[string]func(*node, string){
							"name": s(&c.Name), "until": s(&c.Until), "email": s(&c.Email), "website": s(&c.Website),
						}, &c.Extra)
						m.Contractors = append(m.Contractors, c)
					})
				},
				"contacts": func(n *node, p string) {
					d.list(n, p, func(it *node, ip string) {
						var c Contact
						d.fields(it, ip, map[string]func(*node, string){
							"name": s(&c.Name), "email": s(&c.Email), "affiliation": s(&c.Affiliation),
							"phone": func(n *node, p string) {
								if n.kind == KindInt || n.kind == KindFloat {
									d.rp.errorf(CodeWrongType, p, "%s must be a string (quote the number: \"%s\"); phone numbers are strings since core-0.2.1",
										"%s harus berupa teks (beri tanda kutip: \"%s\"); nomor telepon berupa teks sejak core-0.2.1", p, n.text)
									c.Phone = n.text
									return
								}
								c.Phone = d.str(n, p)
							},
						}, &c.Extra)
						m.Contacts = append(m.Contacts, c)
					})
				},
			}, &m.Extra)
		},
		"localisation": func(n *node, p string) {
			lc := &f.Localisation
			d.fields(n, p, map[string]func(*node, string){
				"localisationReady":  func(n *node, p string) { lc.LocalisationReady = d.boolp(n, p) },
				"availableLanguages": l(&lc.AvailableLanguages, false),
			}, &lc.Extra)
		},
		"dependsOn": func(n *node, p string) {
			var do DependsOn
			deps := func(dst *[]Dependency) func(*node, string) {
				return func(n *node, p string) {
					d.list(n, p, func(it *node, ip string) {
						var dep Dependency
						d.fields(it, ip, map[string]func(*node, string){
							"name": s(&dep.Name), "versionMin": s(&dep.VersionMin), "versionMax": s(&dep.VersionMax),
							"version": s(&dep.Version), "optional": func(n *node, p string) { dep.Optional = d.boolp(n, p) },
						}, &dep.Extra)
						*dst = append(*dst, dep)
					})
				}
			}
			if d.fields(n, p, map[string]func(*node, string){
				"open": deps(&do.Open), "proprietary": deps(&do.Proprietary), "hardware": deps(&do.Hardware),
			}, &do.Extra) {
				f.DependsOn = &do
			}
		},
	}
	if root.kind != KindMap {
		d.rp.errorf(CodeNotMapping, "", "the top level of publiccode.yml must be a mapping of keys, not %[1]s",
			"tingkat teratas publiccode.yml harus berupa pemetaan kunci, bukan %[2]s", kindName(root.kind, false), kindName(root.kind, true))
		return f
	}
	// Messages about a missing top-level key point at the top mapping (its first line).
	d.rp.pos[""] = position{root.line, root.col}
	// Country sections are recognised by their key, so split them from the other top-level keys first.
	rest := &node{kind: KindMap, line: root.line, col: root.col}
	for i, k := range root.keys {
		if !isCountryKey(k) || known[k] != nil {
			rest.keys = append(rest.keys, k)
			rest.keyPos = append(rest.keyPos, root.keyPos[i])
			rest.vals = append(rest.vals, root.vals[i])
			continue
		}
		d.rp.pos[k] = root.keyPos[i]
		if strings.EqualFold(k, "it") {
			if f.IT != nil {
				d.rp.errorf(CodeDuplicateKey, k, "the Italian section appears twice (as \"it\" and \"IT\")",
					"bagian Italia muncul dua kali (sebagai \"it\" dan \"IT\")")
				continue
			}
			d.rp.itKey = k
			f.IT = d.italy(root.vals[i], k)
			continue
		}
		f.CountrySections = append(f.CountrySections, Field{Key: k, Value: toValue(root.vals[i])})
	}
	d.fields(rest, "", known, &f.Extra)
	return f
}

func (d *decoder) list(n *node, path string, each func(*node, string)) {
	if n.kind == KindNull {
		return
	}
	if n.kind != KindList {
		d.wrongType(path, n, "a list", "daftar")
		return
	}
	for i, it := range n.items {
		p := index(path, i)
		d.mark(p, it)
		if it.kind != KindMap {
			d.wrongType(p, it, "a mapping", "pemetaan")
			continue
		}
		each(it, p)
	}
}

func (d *decoder) organisation(n *node, p string) Organisation {
	var o Organisation
	d.fields(n, p, map[string]func(*node, string){
		"uri":  func(n *node, p string) { o.URI = d.str(n, p) },
		"name": func(n *node, p string) { o.Name = d.str(n, p) },
	}, &o.Extra)
	return o
}

func (d *decoder) description(n *node, p string) Description {
	var ds Description
	s := func(dst *string) func(*node, string) {
		return func(n *node, p string) { *dst = d.str(n, p) }
	}
	l := func(dst *[]string) func(*node, string) {
		return func(n *node, p string) { *dst = d.strList(n, p, false) }
	}
	d.fields(n, p, map[string]func(*node, string){
		"localisedName":    s(&ds.LocalisedName),
		"genericName":      s(&ds.GenericName),
		"shortDescription": s(&ds.ShortDescription),
		"longDescription":  s(&ds.LongDescription),
		"documentation":    s(&ds.Documentation),
		"apiDocumentation": s(&ds.APIDocumentation),
		"features":         l(&ds.Features),
		"screenshots":      l(&ds.Screenshots),
		"videos":           l(&ds.Videos),
		"awards":           l(&ds.Awards),
	}, &ds.Extra)
	return ds
}

func (d *decoder) italy(n *node, p string) *Italy {
	it := &Italy{}
	b := func(dst **bool) func(*node, string) {
		return func(n *node, p string) { *dst = d.boolp(n, p) }
	}
	if !d.fields(n, p, map[string]func(*node, string){
		"countryExtensionVersion": func(n *node, p string) { it.CountryExtensionVersion = d.str(n, p) },
		"conforme": func(n *node, p string) {
			c := &ItalyConforme{}
			if d.fields(n, p, map[string]func(*node, string){
				"lineeGuidaDesign": b(&c.LineeGuidaDesign), "modelloInteroperabilita": b(&c.ModelloInteroperabilita),
				"misureMinimeSicurezza": b(&c.MisureMinimeSicurezza), "gdpr": b(&c.GDPR),
			}, &c.Extra) {
				it.Conforme = c
			}
		},
		"piattaforme": func(n *node, p string) {
			c := &ItalyPiattaforme{}
			if d.fields(n, p, map[string]func(*node, string){
				"spid": b(&c.SPID), "cie": b(&c.CIE), "anpr": b(&c.ANPR), "pagopa": b(&c.PagoPA), "io": b(&c.IO),
			}, &c.Extra) {
				it.Piattaforme = c
			}
		},
		"riuso": func(n *node, p string) {
			c := &ItalyRiuso{}
			if d.fields(n, p, map[string]func(*node, string){
				"codiceIPA": func(n *node, p string) { c.CodiceIPA = d.str(n, p) },
			}, &c.Extra) {
				it.Riuso = c
			}
		},
	}, &it.Extra) {
		return nil
	}
	return it
}
