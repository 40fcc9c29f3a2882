package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A panic is answered with a 500 and logged at error with its stack and the
// request ID; http.ErrAbortHandler (a handler giving up on its client) is
// logged at info and closes the connection.
func TestRecovererLogsPanicsWithStack(t *testing.T) {
	var logs LogBuffer
	s := &Server{log: logs.Logger()}
	srv := httptest.NewServer(s.recoverer(s.requestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=60")
		if r.URL.Path == "/abort" {
			panic(http.ErrAbortHandler)
		}
		panic("boom in handler")
	}))))
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/boom", nil)
	req.Header.Set("X-Request-ID", "panic-req-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || resp.Header.Get("Cache-Control") != privateNoStore {
		t.Errorf("panic answered %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	lines := logs.Lines("level=ERROR", "msg=panic", `panic="boom in handler"`, "request_id=panic-req-1", "path=/boom")
	if len(lines) != 1 {
		t.Fatalf("panic log lines: %q", logs.Lines())
	}
	if !strings.Contains(lines[0], "goroutine ") || !strings.Contains(lines[0], "TestRecovererLogsPanicsWithStack") {
		t.Errorf("panic logged without the handler's stack: %s", lines[0])
	}

	req, _ = http.NewRequest("GET", srv.URL+"/abort", nil)
	req.Header.Set("X-Request-ID", "abort-req-1")
	// A fresh connection, so the client does not retry the request.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("ErrAbortHandler answered %d instead of closing the connection", resp.StatusCode)
	}
	if len(logs.Lines("level=INFO", `msg="client went away"`, "request_id=abort-req-1")) != 1 {
		t.Errorf("abort not logged at info: %q", logs.Lines())
	}
	if errs := logs.Lines("level=ERROR", "abort-req-1"); len(errs) != 0 {
		t.Errorf("abort logged as an error: %q", errs)
	}
}
