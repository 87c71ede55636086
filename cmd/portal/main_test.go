package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/testdb"
)

// portal runs the command line against one database and data dir.
type portal struct {
	t   *testing.T
	env map[string]string
}

func newPortal(t *testing.T) *portal {
	return &portal{t: t, env: map[string]string{
		"DATABASE_URL": testdb.URL(t), "PORTAL_DATA_DIR": filepath.Join(t.TempDir(), "files"), "PORTAL_LOG_LEVEL": "error",
	}}
}

func (p *portal) run(stdin string, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return p.env[k] }, strings.NewReader(stdin), &out)
	return out.String(), err
}

func TestCLISupplierUserToken(t *testing.T) {
	p := newPortal(t)
	if out, err := p.run("", "migrate"); err != nil || !strings.Contains(out, "migrações aplicadas") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	_, err := p.run("", "supplier", "add", "--cnpj", "12.ABC.345/01DE-36", "--name", "Freios")
	if err == nil || !strings.Contains(err.Error(), "Dígitos verificadores") {
		t.Fatalf("bad CNPJ accepted: %v", err)
	}
	out, err := p.run("", "supplier", "add", "--cnpj", "12.ABC.345/01DE-35", "--name", "Freios & Cia", "--email", "x@freios.example")
	if err != nil || !strings.Contains(out, "12.ABC.345/01DE-35") {
		t.Fatalf("supplier add: %q %v", out, err)
	}
	if _, err := p.run("", "supplier", "add", "--cnpj", "12ABC34501DE35", "--name", "Dup"); err == nil || !strings.Contains(err.Error(), "Já existe") {
		t.Fatalf("duplicate supplier: %v", err)
	}
	out, err = p.run("", "user", "add", "--email", "f@freios.example", "--name", "F", "--role", "supplier", "--supplier", "12ABC34501DE35")
	if err != nil || !strings.Contains(out, "senha inicial") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err := p.run("", "user", "add", "--email", "g@freios.example", "--name", "G", "--role", "supplier"); err == nil {
		t.Fatal("supplier user without --supplier accepted")
	}
	if _, err := p.run("", "user", "add", "--email", "h@x.example", "--name", "H", "--role", "boss"); err == nil || !strings.Contains(err.Error(), "boss") {
		t.Fatalf("unknown role: %v", err)
	}
	out, err = p.run("uma-senha-boa-123\n", "user", "add", "--email", "adm@cp.example", "--name", "Adm", "--role", "admin", "--password-stdin")
	if err != nil || strings.Contains(out, "senha inicial") {
		t.Fatalf("user add --password-stdin: %q %v", out, err)
	}
	if _, err := p.run("curta\n", "user", "add", "--email", "adm2@cp.example", "--name", "Adm", "--role", "admin", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "10 caracteres") {
		t.Fatalf("weak password: %v", err)
	}
	out, err = p.run("", "token", "create", "--email", "f@freios.example", "--label", "ERP")
	if err != nil || !strings.HasPrefix(strings.TrimSpace(out), "cpp_") {
		t.Fatalf("token create: %q %v", out, err)
	}
	if _, err := p.run("", "token", "create", "--email", "nobody@x.example"); err == nil {
		t.Fatal("token for unknown user")
	}
}

func TestCLISeedIsIdempotent(t *testing.T) {
	p := newPortal(t)
	for i := 0; i < 2; i++ {
		out, err := p.run("", "seed", "--demo")
		if err != nil || !strings.Contains(out, "admin@connectparts.example") {
			t.Fatalf("seed run %d: %q %v", i, out, err)
		}
	}
	out, err := p.run("", "user", "add", "--email", "admin@connectparts.example", "--name", "X", "--role", "admin")
	if err == nil || !strings.Contains(err.Error(), "Já existe") {
		t.Fatalf("seeded admin missing: %q %v", out, err)
	}
}

func TestCLIConfigAndUsageErrors(t *testing.T) {
	p := newPortal(t)
	p.env["PORTAL_ENV"] = "production"
	if _, err := p.run("", "migrate"); err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET") {
		t.Fatalf("production without secret: %v", err)
	}
	delete(p.env, "PORTAL_ENV")
	_, err := p.run("", "frobnicate")
	var ue usageError
	if err == nil || !strings.Contains(err.Error(), "frobnicate") || !asUsage(err, &ue) {
		t.Fatalf("unknown command: %v", err)
	}
	if _, err := p.run("", "--addr", "nonsense", "migrate"); err == nil || !strings.Contains(err.Error(), "PORTAL_ADDR") {
		t.Fatalf("flag override not validated: %v", err)
	}
}

func asUsage(err error, target *usageError) bool {
	u, ok := err.(usageError)
	if ok {
		*target = u
	}
	return ok
}

// The real binary serves, answers /readyz, and stops cleanly on SIGTERM.
func TestServeAndGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "portal")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := newPortal(t)
	metricsAddr := freeAddr(t)
	p.env["PORTAL_METRICS_ADDR"] = metricsAddr
	cmd := exec.Command(bin, "--addr", addr, "serve")
	for k, v := range p.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck
	ready := false
	for i := 0; i < 200 && !ready; i++ {
		time.Sleep(100 * time.Millisecond)
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			ready = res.StatusCode == 200
			res.Body.Close()
		}
	}
	if !ready {
		t.Fatalf("not ready:\n%s", logs.String())
	}
	res, err := http.Get("http://" + addr + "/login")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("login page: %v %v", res, err)
	}
	res.Body.Close()
	// Metrics on their own address only.
	res, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("metrics address: %v %v", res, err)
	}
	scrape, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(scrape), `portal_http_request_duration_seconds_count{code="200",method="GET",route="/login"} 1`) ||
		!strings.Contains(string(scrape), "portal_database_up 1") {
		t.Fatalf("scrape of the real binary:\n%s", scrape)
	}
	if res, err := http.Get("http://" + addr + "/metrics"); err != nil || res.StatusCode != 404 {
		t.Fatalf("public /metrics: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit 30 s after SIGTERM\n%s", logs.String())
	}
}
