package tabular_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/connectparts/portal/internal/tabular"
)

func TestNormalizeHeader(t *testing.T) {
	tests := map[string]string{
		"Código":              "codigo",
		"CODIGO":              "codigo",
		"  código  ":          "codigo",
		"cod fornecedor":      "cod_fornecedor",
		"Cód. Fornecedor":     "cod_fornecedor",
		"cod-fornecedor":      "cod_fornecedor",
		"COD_FORNECEDOR":      "cod_fornecedor",
		"cod  /  fornecedor":  "cod_fornecedor",
		"Preço":               "preco",
		"PREÇO":               "preco",
		"preco":               "preco",
		"Preço (R$)":          "preco_r",
		"Preço/Venda":         "preco_venda",
		"Nº":                  "no",
		"Descrição\u00A0":     "descricao",
		"\uFEFFCódigo":        "codigo",
		"Qtd.":                "qtd",
		"AÇÃO-ÉÊÍÓÔÚÜ":        "acao_eeioouu",
		"":                    "",
		"---":                 "",
		"Preço\u200Bunitário": "preco_unitario",
	}
	for in, want := range tests {
		if got := tabular.NormalizeHeader(in); got != want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeCell(t *testing.T) {
	tests := map[string]string{
		"":                      "",
		"Filtro de óleo":        "Filtro de óleo",
		"=1+1":                  "'=1+1",
		"=HYPERLINK(\"x\")":     "'=HYPERLINK(\"x\")",
		"+5511999999999":        "'+5511999999999",
		"-12,30":                "'-12,30",
		"@SUM(A1)":              "'@SUM(A1)",
		"\t=1":                  "'\t=1",
		"\r=1":                  "'\r=1",
		" =1":                   " =1",
		"a=1":                   "a=1",
		"'já escapado":          "'já escapado",
		"cmd|' /C calc'!A0":     "cmd|' /C calc'!A0",
		"-2+3+cmd|' /C calc'!A": "'-2+3+cmd|' /C calc'!A",
	}
	for in, want := range tests {
		if got := tabular.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w := tabular.NewCSVWriter(&buf)
	records := [][]string{
		{"Código", "Descrição", "Preço"},
		{"A1", "Peça; com \"aspas\"", tabular.FormatCentavos(123456)},
		{"=cmd|' /C calc'!A0", "-1+1", "-12,30"},
		{"@x", "linha\nquebrada", "+1"},
	}
	for _, r := range records {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFCódigo;Descrição;Preço\r\n" +
		"A1;\"Peça; com \"\"aspas\"\"\";1234,56\r\n" +
		"'=cmd|' /C calc'!A0;'-1+1;-12,30\r\n" +
		"'@x;\"linha\r\nquebrada\";'+1\r\n"
	if got := buf.String(); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}

	// What we write, we read back (minus the apostrophes).
	rd, err := tabular.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), tabular.Options{Columns: priceColumns})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if rd.Encoding() != "UTF-8 com BOM" || rd.Delimiter() != ';' {
		t.Fatalf("encoding %q delimiter %q", rd.Encoding(), rd.Delimiter())
	}
	row, err := rd.Next()
	if err != nil || row.Get("descricao") != `Peça; com "aspas"` {
		t.Fatalf("row %+v %v", row, err)
	}
	if c, err := row.Centavos("preco"); err != nil || c != 123456 {
		t.Fatalf("centavos %d %v", c, err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disco cheio") }

func TestCSVWriterError(t *testing.T) {
	w := tabular.NewCSVWriter(failWriter{})
	if err := w.Write([]string{"a"}); err == nil || err.Error() != "disco cheio" {
		t.Fatalf("err = %v", err)
	}
}
