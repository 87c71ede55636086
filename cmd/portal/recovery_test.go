package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
)

// buildPortal builds the real binary once per test.
func buildPortal(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "portal")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// server is one `portal serve` process of a test.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer starts the binary with p's environment plus extra, and waits
// until /readyz answers 200.
func startServer(t *testing.T, bin string, p *portal, extra map[string]string) *server {
	t.Helper()
	s := &server{t: t, addr: freeAddr(t), logs: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "--addr", s.addr, "serve")
	for k, v := range p.env {
		s.cmd.Env = append(s.cmd.Env, k+"="+v)
	}
	for k, v := range extra {
		s.cmd.Env = append(s.cmd.Env, k+"="+v)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
	})
	for i := 0; i < 300; i++ {
		time.Sleep(100 * time.Millisecond)
		res, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
	}
	t.Fatalf("not ready:\n%s", s.logs.String())
	return nil
}

// stop sends SIGTERM and returns the exit error (nil: status 0) within limit.
func (s *server) stop(limit time.Duration) error {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		s.t.Fatalf("no exit %s after SIGTERM\n%s", limit, s.logs.String())
		return nil
	}
}

// openApp opens the test's database beside the running server (no workers).
func openApp(t *testing.T, p *portal) *app.App {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return p.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, app.NewLogger(cfg), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// waitFor polls cond every 100 ms until it holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

// A kill -9 during an import does not freeze the sync: after the restart,
// nobody acting, River rescues the dead job, the import runs again and the
// dead run is closed as interrupted. The job timings are shortened (5 s
// rescue instead of 60 s); the production figures are checked by
// TestRecoveryBudget in internal/jobs.
func TestKillDuringImportResumesAfterRestart(t *testing.T) {
	bin := buildPortal(t)
	// A VTEX that never answers: every import hangs until its timeout.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	}))
	defer hang.Close()
	p := newPortal(t)
	if out, err := p.run("", "platform", "add", "--kind", "vtex", "--name", "Loja", "--base-url", hang.URL,
		"--setting", "account=loja", "--setting", "app_key=k", "--setting", "app_token=t", "--setting", "warehouse=1"); err != nil {
		t.Fatalf("platform add: %q %v", out, err)
	}
	fast := map[string]string{"PORTAL_JOB_TIMEOUT": "4s", "PORTAL_JOB_RESCUE_AFTER": "5s"}
	a := openApp(t, p)
	ctx := context.Background()
	pl, err := a.Store.FindPlatformByName(ctx, "Loja")
	if err != nil {
		t.Fatal(err)
	}
	runs := func() []model.SyncRun {
		list, err := a.Store.ListSyncRuns(ctx, pl.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}

	s1 := startServer(t, bin, p, fast)
	var dead model.SyncRun
	waitFor(t, 20*time.Second, "first import running", func() bool {
		for _, r := range runs() {
			if r.Kind == model.SyncKindImport && r.Status == model.SyncRunning {
				dead = r
				return true
			}
		}
		return false
	})
	if err := s1.cmd.Process.Kill(); err != nil { // kill -9 mid-import
		t.Fatal(err)
	}
	_ = s1.cmd.Wait()

	s2 := startServer(t, bin, p, fast)
	took := waitFor(t, 60*time.Second, "next import after the restart", func() bool {
		for _, r := range runs() {
			if r.Kind == model.SyncKindImport && r.ID > dead.ID {
				return true
			}
		}
		return false
	})
	t.Logf("next import %s after the restart", took.Round(100*time.Millisecond))
	closed, err := a.Store.FindSyncRun(ctx, dead.ID)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Status != model.SyncInterrupted || closed.FinishedAt == nil || !strings.Contains(closed.ErrorMessage, "Interrompida") {
		t.Fatalf("the killed run: %+v, want interrupted", closed)
	}
	if err := s2.stop(30 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s2.logs.String())
	}
}

// SIGTERM while an import waits on a slow platform and an upload is still
// arriving: the upload gets its answer, the import finishes (its run is
// recorded, not left running), and the process exits with status 0.
func TestShutdownLetsWorkInFlightFinish(t *testing.T) {
	bin := buildPortal(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(3 * time.Second):
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]")) // an empty VTEX feed
	}))
	defer slow.Close()
	p := newPortal(t)
	if out, err := p.run("", "platform", "add", "--kind", "vtex", "--name", "Loja", "--base-url", slow.URL,
		"--setting", "account=loja", "--setting", "app_key=k", "--setting", "app_token=t", "--setting", "warehouse=1"); err != nil {
		t.Fatalf("platform add: %q %v", out, err)
	}
	a := openApp(t, p)
	ctx := context.Background()
	pl, err := a.Store.FindPlatformByName(ctx, "Loja")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, bin, p, nil)
	var run model.SyncRun
	waitFor(t, 20*time.Second, "import running", func() bool {
		list, err := a.Store.ListSyncRuns(ctx, pl.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			if r.Kind == model.SyncKindImport && r.Status == model.SyncRunning {
				run = r
				return true
			}
		}
		return false
	})

	// An upload whose body takes 2 s to arrive.
	body, w := io.Pipe()
	answered := make(chan string, 1)
	go func() {
		req, _ := http.NewRequest("POST", "http://"+s.addr+"/login", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- "no answer: " + err.Error()
			return
		}
		res.Body.Close()
		answered <- res.Status
	}()
	_, _ = w.Write([]byte("email=a%40b.example&password="))
	time.Sleep(200 * time.Millisecond)
	go func() {
		for i := 0; i < 10; i++ {
			time.Sleep(200 * time.Millisecond)
			_, _ = w.Write([]byte("x"))
		}
		w.Close()
	}()

	start := time.Now()
	if err := s.stop(40 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs.String())
	}
	t.Logf("exited %s after SIGTERM", time.Since(start).Round(100*time.Millisecond))
	if got := <-answered; strings.HasPrefix(got, "no answer") {
		t.Errorf("upload in flight at SIGTERM: %s", got)
	}
	done, err := a.Store.FindSyncRun(ctx, run.ID)
	if err != nil || done.Status != model.SyncOK {
		t.Fatalf("import in flight at SIGTERM: %+v %v\n%s", done, err, s.logs.String())
	}
}
