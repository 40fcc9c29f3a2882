package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The home page explains Kolaborasi, shows the live numbers the app counts
// (in the page language's number format) and offers a way in for each kind
// of user, in Indonesian and in English.
func TestHomeShowsLiveNumbersAndWaysIn(t *testing.T) {
	ts := newTestServer(t)
	o, err := ts.app.Overview(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if o.Solutions == 0 || o.Regions < 2 || o.AgreementsSigned == 0 || o.Savings.Adoptions == 0 {
		t.Fatalf("the demo should give every number: %+v", o)
	}
	id, en := message.NewPrinter(language.Indonesian), message.NewPrinter(language.English)
	number := func(p *message.Printer, v int) string { return "<strong>" + p.Sprintf("%d", v) + "</strong>" }
	ways := []string{`href="/katalog"`, `action="/katalog"`, `href="/kerjasama"`, `href="/ruang-kerja"`, `href="/jaringan"`, `href="/penghematan"`, `href="/indikator"`, `href="/etalase"`}

	c := ts.client(t)
	_, body := get(t, c, ts.URL+"/")
	want := append([]string{`<html lang="id">`, "Kolaborasi adalah tempat pemerintah daerah",
		number(id, o.Solutions), number(id, o.Regions), number(id, o.AgreementsSigned), number(id, o.Savings.Adoptions),
		"<strong>Rp" + id.Sprintf("%d", o.Savings.SavedIDR) + "</strong>",
		fmt.Sprintf("%d dari %d adopsi berangka lengkap", o.Savings.WithFigures, o.Savings.Adoptions),
		"Warga", "Pegawai OPD", "Kepala daerah", "Pemantau nasional"}, ways...)
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the Indonesian home page lacks %q", w)
		}
	}

	resp, err := c.PostForm(ts.URL+"/bahasa", url.Values{"lang": {"en"}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, body = get(t, c, ts.URL+"/")
	want = append([]string{`<html lang="en">`, "Kolaborasi is where Indonesia",
		number(en, o.Solutions), number(en, o.Regions), number(en, o.AgreementsSigned),
		"<strong>Rp" + en.Sprintf("%d", o.Savings.SavedIDR) + "</strong>",
		"Citizens", "OPD officers", "Heads of region", "National observers"}, ways...)
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the English home page lacks %q", w)
		}
	}

	// Signed in, an officer's way in goes straight to the region's forms.
	signInAs(t, ts, c, "umkm@blitarkota.test")
	_, body = get(t, c, ts.URL+"/")
	for _, w := range []string{`href="/kelola/35.72/solusi/baru"`, `href="/kelola/35.72/indikator/impor"`, `href="/wilayah/35.72/mitra"`} {
		if !strings.Contains(body, w) {
			t.Errorf("the signed-in home page lacks %q", w)
		}
	}
}
