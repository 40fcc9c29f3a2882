package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// inWords writes a date as the Indonesian page does: "8 Maret 2017".
func inWords(t time.Time) string {
	bulan := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year())
}

// The demo KSB was signed on 8 March 2017 and recorded on the platform
// today: its page says both, the timeline gives the signing date with the
// recording date beside it, the signature table calls its times recording
// times, and no ISO date is shown.
func TestAgreementPageSigningDateAndRecording(t *testing.T) {
	ts := newTestServer(t)
	id := demoAgreementID(t, ts)
	today := inWords(ts.now.UTC())
	_, page := get(t, nil, fmt.Sprintf("%s/kerjasama/%d", ts.URL, id))
	for _, want := range []string{
		"Ditandatangani 8 Maret 2017; dicatat di Kolaborasi pada " + today + ".",
		"Balai Kota Kusuma Wicitra, 8 Maret 2017</dd>",
		`KSB ditandatangani <span class="muted small">8 Maret 2017 (dicatat ` + today + `)</span>`,
		"<th>Dicatat di Kolaborasi</th>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("agreement page lacks %s", want)
		}
	}
	if strings.Contains(page, "2017-03-08") {
		t.Error("the agreement page shows an ISO date")
	}
	_, en := getLang(t, ts, "en", fmt.Sprintf("/kerjasama/%d", id))
	if !strings.Contains(en, "Signed on 8 March 2017; recorded on Kolaborasi on ") {
		t.Error("the English page does not say when the agreement was signed and recorded")
	}
}

// An exchanged catalogue solution is named and linked, and the attachment
// form's button says it uploads an attachment.
func TestAgreementPageNamesExchangedSolutions(t *testing.T) {
	ts := newTestServer(t)
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	res, err := ts.app.SearchSolutions(t.Context(), searchAll())
	if err != nil {
		t.Fatal(err)
	}
	var sol *kolaborasi.Solution
	for _, it := range res.Items {
		if it.Solution.RegionCode == ownRegion {
			sol = it.Solution
		}
	}
	if sol == nil {
		t.Fatal("no demo solution of", ownRegion)
	}
	c := f.content(ownRegion)
	c.Exchanges = []kolaborasi.ExchangeItem{{Giver: 0, Receivers: []int{1}, SolutionID: sol.ID, Terms: []string{"hibah"}}}
	ag, err := ts.app.CreateAgreement(as(f.coord[ownRegion]), c)
	if err != nil {
		t.Fatal(err)
	}
	session := ts.loginAs(t, f.coord[ownRegion].Email)
	_, page := ts.getAs(t, session, fmt.Sprintf("/kerjasama/%d", ag.ID))
	if want := fmt.Sprintf(`<a href="/solusi/%d">%s</a>`, sol.ID, sol.Name.Get("id")); !strings.Contains(page, want) {
		t.Errorf("page lacks %s", want)
	}
	if strings.Contains(page, "Solusi nomor") {
		t.Error("the solution is named by its number")
	}
	if !strings.Contains(page, ">Unggah lampiran</button>") || strings.Contains(page, "Unggah logo") {
		t.Error("the attachment button does not say it uploads an attachment")
	}
}
