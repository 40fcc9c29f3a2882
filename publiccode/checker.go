package publiccode

import (
	"context"
	"strings"
)

// URLChecker checks that a URL named in a publiccode.yml can be fetched. The package itself does no network I/O:
// the caller supplies an implementation (for example over net/http with a timeout) when it wants these checks.
type URLChecker interface {
	// CheckURL returns nil if the resource at rawURL answers; image is true for logos and screenshots, which the
	// checker may also try to decode.
	CheckURL(ctx context.Context, rawURL string, image bool) error
}

// checkURLs asks the checker about every absolute http(s) URL of the file. Failures are warnings only: a site that
// is down today does not make the metadata wrong.
func checkURLs(ctx context.Context, f *File, c URLChecker, rp *reporter) {
	check := func(p, u string, image bool) {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return
		}
		if ctx.Err() != nil {
			return
		}
		if err := c.CheckURL(ctx, u, image); err != nil {
			rp.warnf(CodeUnreachable, p, "%[1]s %[2]q could not be reached: %[3]v", "%[1]s %[2]q tidak dapat dijangkau: %[3]v", p, u, err)
		}
	}
	check("url", f.URL, false)
	check("landingURL", f.LandingURL, false)
	check("roadmap", f.Roadmap, false)
	check("logo", f.Logo, true)
	check("monochromeLogo", f.MonochromeLogo, true)
	for _, lang := range sortedKeys(f.Description) {
		d := f.Description[lang]
		p := join("description", lang)
		check(p+".documentation", d.Documentation, false)
		check(p+".apiDocumentation", d.APIDocumentation, false)
		for i, s := range d.Screenshots {
			check(index(p+".screenshots", i), s, true)
		}
		for i, s := range d.Videos {
			check(index(p+".videos", i), s, false)
		}
	}
}
