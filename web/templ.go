package web

import (
	"context"
	"html/template"
	"io"

	"github.com/a-h/templ"
)

// jsonScript writes JSON a page's script reads as a script element of
// type application/json. js comes from encoding/json, which escapes <, >
// and & in strings, so it cannot close the element.
func jsonScript(id string, js template.JS) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, `<script type="application/json" id="`+templ.EscapeString(id)+`">`+string(js)+`</script>`)
		return err
	})
}

// fieldErrorsHTML renders fieldErrorList for the html/template pages
// (their field_errors partial): one list for both kinds of page.
func fieldErrorsHTML(errs fieldErrors) (template.HTML, error) {
	return templ.ToGoHTML(context.Background(), fieldErrorList(errs))
}
