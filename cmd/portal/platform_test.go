package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

func count(t *testing.T, out, label string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + `: (\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output lacks %q:\n%s", label, out)
	}
	return m[1]
}

func TestCLIPlatformCarrierSync(t *testing.T) {
	p := newPortal(t)
	if out, err := p.run("", "supplier", "add", "--cnpj", "11.222.333/0001-81", "--name", "Paulista Autopeças"); err != nil {
		t.Fatalf("supplier add: %q %v", out, err)
	}
	csv := filepath.Join(t.TempDir(), "catalogo.csv")
	if err := os.WriteFile(csv, []byte("sku;name;supplier_cnpj;supplier_code\nCP-001;Pastilha;11222333000181;PA-1\nCP-002;Disco;11222333000181;PA-2\nCP-003;Vela;11222333000181;PA-3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := p.run("", "product", "import", csv); err != nil {
		t.Fatalf("product import: %q %v", out, err)
	}
	out, err := p.run("", "platform", "add", "--kind", "sandbox", "--name", "Demo", "--base-url", "", "--setting", "seed=2", "--setting", "orders=8")
	if err != nil || !strings.Contains(out, "plataforma Demo conectada") {
		t.Fatalf("platform add: %q %v", out, err)
	}

	// No carrier mapped: every order is blocked, and the run itself is fine.
	out, err = p.run("", "sync", "--platform", "Demo")
	if err != nil || !strings.Contains(out, "resultado: ok") || !strings.Contains(out, "bloqueado SBX-") {
		t.Fatalf("sync without carriers: %q %v", out, err)
	}
	blocked := count(t, out, "pedidos bloqueados")
	if blocked == "0" || count(t, out, "pedidos importados") != "0" {
		t.Fatalf("sync without carriers:\n%s", out)
	}

	for method, carrier := range map[string]string{"Normal": "Correios", "Expressa": "Jadlog", "Econômica": "Loggi"} {
		out, err := p.run("", "carrier", "map", "--platform", "Demo", "--method", method, "--carrier", carrier)
		if err != nil || !strings.Contains(out, "vinculada à transportadora "+carrier) {
			t.Fatalf("carrier map: %q %v", out, err)
		}
	}
	out, err = p.run("", "sync", "--platform", "Demo")
	if err != nil || count(t, out, "pedidos importados") != blocked || count(t, out, "pedidos bloqueados") != "0" {
		t.Fatalf("sync after mapping (want %s imported): %q %v", blocked, out, err)
	}
	// A new process rebuilds the sandbox with the same orders: nothing is imported twice.
	out, err = p.run("", "sync", "--platform", "Demo")
	if err != nil || count(t, out, "pedidos importados") != "0" || count(t, out, "pedidos atualizados") != "0" {
		t.Fatalf("third sync: %q %v", out, err)
	}

	if _, err := p.run("", "sync", "--platform", "Nenhuma"); err == nil || !strings.Contains(err.Error(), "não encontrad") {
		t.Fatalf("sync of an unknown platform: %v", err)
	}
	if _, err := p.run("", "platform", "add", "--kind", "vtex", "--name", "Loja", "--setting", "account=x"); err == nil ||
		!strings.Contains(err.Error(), "app_token") || !strings.Contains(err.Error(), "warehouse") {
		t.Fatalf("vtex without credentials: %v", err)
	}
	var ue usageError
	if _, err := p.run("", "platform", "add", "--kind", "shopee", "--name", "X"); !asUsage(err, &ue) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := p.run("", "carrier", "map", "--platform", "Demo"); !asUsage(err, &ue) {
		t.Fatalf("carrier map without method: %v", err)
	}
	if _, err := p.run("", "platform", "add", "--kind", "sandbox", "--name", "Y", "--setting", "semvalor"); !asUsage(err, &ue) {
		t.Fatalf("setting without value: %v", err)
	}

	// A platform that fails: the command prints the summary and exits non-zero.
	fake := vtexfake.New()
	defer fake.Close()
	fake.Fail(vtexfake.EndpointFeed, platformtest.Fault{Status: 500})
	if out, err := p.run("", "platform", "add", "--kind", "vtex", "--name", "Loja", "--base-url", fake.URL,
		"--setting", "app_key="+fake.AppKey, "--setting", "app_token="+fake.AppToken, "--setting", "warehouse=1"); err != nil {
		t.Fatalf("platform add vtex: %q %v", out, err)
	}
	out, err = p.run("", "sync", "--platform", "Loja")
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") || !strings.Contains(out, "resultado: falhou") {
		t.Fatalf("failing sync: %q %v", out, err)
	}
}

// TestPlatformAddBackfills: connecting a VTEX store imports its orders
// already paid or ready (blocked here, no carrier mapped yet), over the window
// chosen with --backfill-days; 0 imports none.
func TestPlatformAddBackfills(t *testing.T) {
	p := newPortal(t)
	fake := vtexfake.New()
	defer fake.Close()
	out, err := p.run("", "platform", "add", "--kind", "vtex", "--name", "Loja", "--base-url", fake.URL,
		"--setting", "app_key="+fake.AppKey, "--setting", "app_token="+fake.AppToken, "--setting", "warehouse=1", "--backfill-days", "3")
	if err != nil || !strings.Contains(out, "pedidos pagos dos últimos 3 dias: 1 na plataforma, 0 importados, 1 bloqueados") {
		t.Fatalf("platform add: %q %v", out, err)
	}
	out, err = p.run("", "platform", "add", "--kind", "vtex", "--name", "Loja 2", "--base-url", fake.URL,
		"--setting", "app_key="+fake.AppKey, "--setting", "app_token="+fake.AppToken, "--setting", "warehouse=1", "--backfill-days", "0")
	if err != nil || strings.Contains(out, "pedidos pagos") {
		t.Fatalf("platform add without backfill: %q %v", out, err)
	}
}
