package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// SIGTERM while an upload is still arriving after the grace: the upload is
// answered 503 with Retry-After (not a reset connection), new connections
// are refused, and the process exits with status 0. The grace is 2 s here
// (30 s in production).
func TestShutdownAnswersUploadStillArriving(t *testing.T) {
	bin := buildPortal(t)
	p := newPortal(t)
	s := startServer(t, bin, p, map[string]string{"PORTAL_SHUTDOWN_GRACE": "2s"})

	// A 10 MB upload sending 1 KB every 100 ms: it would take minutes.
	const size = 10 << 20
	body, w := io.Pipe()
	defer w.Close()
	type answer struct {
		status int
		retry  string
		text   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPut, "http://"+s.addr+"/api/v1/stock", body)
		req.ContentLength = size
		req.Header.Set("Content-Type", "text/csv")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		answered <- answer{status: res.StatusCode, retry: res.Header.Get("Retry-After"), text: string(b)}
	}()
	go func() {
		chunk := []byte(strings.Repeat("CODIGO;1\n", 113))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	time.Sleep(500 * time.Millisecond)

	start := time.Now()
	if err := s.stop(15 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs.String())
	}
	t.Logf("exited %s after SIGTERM", time.Since(start).Round(100*time.Millisecond))
	var a answer
	select {
	case a = <-answered:
	case <-time.After(5 * time.Second):
		t.Fatal("the upload got no answer")
	}
	if a.err != nil {
		t.Fatalf("upload in flight past the grace: %v (want a 503 answer)", a.err)
	}
	if a.status != http.StatusServiceUnavailable || a.retry == "" || !strings.Contains(a.text, "reiniciando") {
		t.Fatalf("upload in flight past the grace: %d Retry-After %q %.300s", a.status, a.retry, a.text)
	}
	if res, err := http.Get("http://" + s.addr + "/readyz"); err == nil {
		res.Body.Close()
		t.Fatalf("a connection after the shutdown was served: %d", res.StatusCode)
	}
}
