package web

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdownRenderer turns descriptions written in Markdown (publiccode.yml
// longDescription, catalogue texts) into HTML. Raw HTML in the source is
// not passed through (goldmark's default, without html.WithUnsafe): it is
// left out, and links to dangerous URLs (javascript:, vbscript:, data:)
// lose their address.
var markdownRenderer = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Linkify))

// markdownPolicy sanitises the rendered HTML a second time, so that a
// goldmark bug cannot open a hole: only text structure and links to http,
// https and mailto survive, links get rel="nofollow noopener", and images
// are dropped (no requests to other servers from our pages).
var markdownPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

// markdownHTML renders Markdown source as sanitised HTML for a page.
func markdownHTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdownRenderer.Convert([]byte(src), &buf); err != nil {
		// Convert fails only when writing to buf fails, which it cannot;
		// show the text escaped rather than nothing.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(markdownPolicy.SanitizeBytes(buf.Bytes()))
}
