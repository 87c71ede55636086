package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

func TestCLIProductImport(t *testing.T) {
	env := map[string]string{
		"DATABASE_URL": testdb.URL(t), "PORTAL_DATA_DIR": filepath.Join(t.TempDir(), "files"), "PORTAL_LOG_LEVEL": "error",
	}
	portal := func(args ...string) (string, error) {
		t.Helper()
		var out bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out)
		return out.String(), err
	}
	if out, err := portal("supplier", "add", "--cnpj", "11.222.333/0001-81", "--name", "Paulista Autopeças"); err != nil {
		t.Fatalf("supplier add: %q %v", out, err)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := charmap.Windows1252.NewEncoder().String("Código;Descrição;EAN;NCM;CNPJ Fornecedor;Código Fornecedor\r\n" +
		"CP-001;Óleo de Câmbio;7891000000014;2710.19.32;11222333000181;PA-100\r\n" +
		"CP-002;Pastilha Cerâmica;;87083090;11222333000181;PA-101\r\n")
	if err != nil {
		t.Fatal(err)
	}
	goodFile := write("catalogo.csv", good)
	out, err := portal("product", "import", goodFile)
	if err != nil {
		t.Fatalf("import: %q %v", out, err)
	}
	for _, want := range []string{"arquivo: catalogo.csv (CSV (Windows-1252, separador ;))", "linhas lidas: 2", "aplicadas: 2 (novos: 2, atualizados: 0, sem alteração: 0)", "rejeitadas: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	badFile := write("ruim.csv", "sku;name;ean;supplier_cnpj;supplier_code\n"+
		"CP-003;Vela;;11222333000181;PA-102\n"+
		"CP-004;Bobina;7891000000015;11222333000181;PA-103\n"+
		"CP-005;Cabo;;45812390000132;PA-104\n")
	out, err = portal("product", "import", badFile)
	if err == nil || !strings.Contains(err.Error(), "2 linha(s) rejeitada(s); nada foi aplicado") {
		t.Fatalf("bad file: %v\n%s", err, out)
	}
	for _, want := range []string{"aplicadas: 0", "rejeitadas: 2", "  linha 3: EAN/GTIN inválido", "  linha 4: Fornecedor com CNPJ 45.812.390/0001-32 não cadastrado"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	if _, err := portal("product", "import", filepath.Join(dir, "nao-existe.csv")); err == nil {
		t.Error("missing file accepted")
	}
	var ue usageError
	if _, err := portal("product", "import"); !errors.As(err, &ue) {
		t.Errorf("no file: %v", err)
	}
	if _, err := portal("product", "export"); !errors.As(err, &ue) {
		t.Errorf("unknown subcommand: %v", err)
	}

	db, err := database.Open(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := store.New(db)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	p, err := st.FindProductBySKU(ctx, "CP-001")
	if err != nil || p.Name != "Óleo de Câmbio" || p.NCM != "27101932" || p.Supplier == nil || !p.Dropship {
		t.Fatalf("CP-001: %+v %v", p, err)
	}
	if _, err := st.FindProductBySKU(ctx, "CP-003"); err == nil {
		t.Fatal("a line of the rejected file was applied")
	}
	entries, _, err := st.ListAudit(ctx, store.AuditFilter{Query: "catalogo.csv"}, store.Page{})
	if err != nil || len(entries) != 1 || entries[0].Actor != "cli" || entries[0].Action != "product.import" {
		t.Fatalf("audit: %+v %v", entries, err)
	}
}
