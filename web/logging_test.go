package web_test

import (
	"bufio"
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/web"
)

// A client that goes away is logged at info, not as an internal error:
// whether the request's context ends before the database answers, or the
// connection closes while the answer is being written.
func TestClientThatGoesAwayIsNotAnError(t *testing.T) {
	var logs web.LogBuffer
	ts := newTestServerWith(t, demoSQLite(t), false, web.Config{Logger: logs.Logger()})

	// The request is cancelled (the client hung up) before the handler asks
	// the database.
	for _, path := range []string{"/api/v1/agreements", "/kerjasama"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := httptest.NewRequest("GET", path, nil).WithContext(ctx)
		r.Header.Set("X-Request-ID", "gone"+strings.ReplaceAll(path, "/", "-"))
		ts.web.ServeHTTP(httptest.NewRecorder(), r)
		id := "request_id=" + r.Header.Get("X-Request-ID")
		if len(logs.Lines("level=INFO", `msg="client went away"`, id)) != 1 || len(logs.Lines(`msg=request `, id, "status=499")) != 1 {
			t.Errorf("cancelled %s: %q", path, logs.Lines(id))
		}
	}

	// The connection closes (with a reset) while 2 MB answers are written:
	// ten pipelined requests ask for more than the sockets' buffers hold,
	// so the server's writes must fail.
	// The server's socket gets a small send buffer, so that it cannot take
	// a whole answer at once (autotuned loopback buffers hold megabytes):
	// the handler is still writing when the reset arrives.
	small := httptest.NewUnstartedServer(ts.web)
	small.Listener = smallSendBuffer{small.Listener}
	small.Start()
	t.Cleanup(small.Close)
	conn, err := net.Dial("tcp", small.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	tcp := conn.(*net.TCPConn)
	tcp.SetReadBuffer(4 << 10)
	req := "GET /peta/kabupaten-kota.geojson HTTP/1.1\r\nHost: x\r\nX-Request-ID: gone-write\r\n\r\n"
	if _, err := conn.Write([]byte(strings.Repeat(req, 10))); err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("status line %q: %v", status, err)
	}
	tcp.SetLinger(0)
	conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	for len(logs.Lines(`msg="client went away"`, "request_id=gone-write")) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(logs.Lines("level=INFO", `msg="client went away"`, "request_id=gone-write")) != 1 {
		t.Errorf("closed connection: %q", logs.Lines("request_id=gone-write"))
	}

	if errs := logs.Lines("level=ERROR"); len(errs) != 0 {
		t.Errorf("a client going away was logged as an error: %q", errs)
	}
}

// smallSendBuffer gives every accepted connection a 16 KiB send buffer.
type smallSendBuffer struct{ net.Listener }

func (l smallSendBuffer) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tcp, ok := c.(*net.TCPConn); ok {
		tcp.SetWriteBuffer(16 << 10)
	}
	return c, err
}
