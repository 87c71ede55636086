package tabular_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/tabular"
)

var priceColumns = []tabular.Column{
	{Key: "codigo", Aliases: []string{"código", "cod", "sku", "cod fornecedor"}, Required: true},
	{Key: "descricao", Aliases: []string{"descrição", "produto"}},
	{Key: "preco", Aliases: []string{"preço", "valor", "preco venda"}, Required: true},
}

// writeFile stores content in a new file of the test's temp dir.
func writeFile(t testing.TB, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// cp1252 encodes UTF-8 text as Windows-1252, as Excel "CSV (separado por
// vírgulas)" does on Brazilian Windows.
func cp1252(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustOpen(t testing.TB, path string, opts tabular.Options) *tabular.Reader {
	t.Helper()
	rd, err := tabular.OpenFile(path, opts)
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	t.Cleanup(func() { rd.Close() })
	return rd
}

func readAll(t testing.TB, rd *tabular.Reader) []tabular.Row {
	t.Helper()
	var rows []tabular.Row
	for {
		row, err := rd.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

// openErr opens the file expecting a *tabular.Error whose message contains
// every fragment.
func openErr(t *testing.T, path string, opts tabular.Options, fragments ...string) *tabular.Error {
	t.Helper()
	rd, err := tabular.OpenFile(path, opts)
	if err == nil {
		rd.Close()
		t.Fatalf("OpenFile succeeded, want error containing %q", fragments)
	}
	var te *tabular.Error
	if !errors.As(err, &te) {
		t.Fatalf("error %T %v is not *tabular.Error", err, err)
	}
	for _, f := range fragments {
		if !strings.Contains(te.Message, f) {
			t.Errorf("message %q does not contain %q", te.Message, f)
		}
	}
	return te
}

type wantRow struct {
	line                     int
	codigo, descricao, preco string
	centavos                 int64
}

func checkRows(t *testing.T, got []tabular.Row, want []wantRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Get("codigo") != w.codigo || g.Get("descricao") != w.descricao || g.Get("preco") != w.preco {
			t.Errorf("row %d = {line %d, %q, %q, %q}, want {line %d, %q, %q, %q}", i, g.Line,
				g.Get("codigo"), g.Get("descricao"), g.Get("preco"), w.line, w.codigo, w.descricao, w.preco)
		}
		if len(g.Problems) > 0 {
			t.Errorf("row %d: unexpected problems %v", i, g.Problems)
		}
		c, err := g.Centavos("preco")
		if err != nil || c != w.centavos {
			t.Errorf("row %d: Centavos = %d, %v; want %d", i, c, err, w.centavos)
		}
	}
}
