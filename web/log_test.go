package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/demo"
)

// The public log page shows each entry as a readable row: when, what, to
// which agreement and region (with links) and a summary in the page's
// language, with the canonical JSON record only inside <details>.
func TestLogPageShowsReadableRows(t *testing.T) {
	ts := newTestServer(t)
	id := demoAgreementID(t, ts)
	today := inWords(ts.now.In(time.FixedZone("WIB", 7*60*60))) // pages show WIB

	_, page := get(t, nil, ts.URL+"/log")
	rows := regexp.MustCompile(`(?s)<tr>\s*<td><a href="/api/v1/log/proof/\d+".*?</tr>`).FindAllString(page, -1)
	if len(rows) == 0 {
		t.Fatalf("no log rows:\n%s", page)
	}
	agreementLink := fmt.Sprintf(`<a href="/kerjasama/%d">%s</a>`, id, demo.KSB.Title)
	var signed, moved, key bool
	for _, row := range rows {
		// The raw record is one click away, never in the row's text.
		outside := regexp.MustCompile(`(?s)<details>.*?</details>`).ReplaceAllString(row, "")
		if strings.Contains(outside, "&#34;") || strings.Contains(outside, `{"`) {
			t.Errorf("raw JSON outside <details>: %s", row)
		}
		if !strings.Contains(row, "<details><summary>Rekaman asli (JSON)</summary>") {
			t.Errorf("row without its raw record: %s", row)
		}
		switch {
		case strings.Contains(row, "Penanda tangan menandatangani KSB versi 1."):
			signed = true
			if !strings.Contains(row, agreementLink) || !regexp.MustCompile(`<a href="/wilayah/(35\.72|32\.73)">Kota (Blitar|Bandung)</a>`).MatchString(row) ||
				!strings.Contains(row, today) {
				t.Errorf("signature row lacks agreement, region or time (%s): %s", today, row)
			}
		case strings.Contains(row, "Versi 1: Draf → Ditawarkan."):
			moved = true
			if !strings.Contains(row, agreementLink) || !strings.Contains(row, today) {
				t.Errorf("status row lacks agreement or time: %s", row)
			}
		case strings.Contains(row, "milik Wali Kota Blitar didaftarkan."):
			key = true
			if !strings.Contains(row, `<a href="/wilayah/35.72">Kota Blitar</a>`) {
				t.Errorf("key row lacks its region: %s", row)
			}
		}
	}
	if !signed || !moved || !key {
		t.Errorf("rows: signature %v, status change %v, key %v", signed, moved, key)
	}
	_, en := getLang(t, ts, "en", "/log")
	if !strings.Contains(en, "Signatory signed the KSB of version 1.") || !strings.Contains(en, "Version 1: Draft → Offered.") ||
		!strings.Contains(en, fmt.Sprintf(`<a href="/kerjasama/%d" lang="id">`, id)) {
		t.Error("the English log page does not summarise in English")
	}
}
