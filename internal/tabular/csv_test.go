package tabular_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/connectparts/portal/internal/tabular"
)

func TestCSVUTF8BOMSemicolon(t *testing.T) {
	content := "\uFEFFCódigo;Descrição;Preço\r\n" +
		"A1;Peça Ç;12,30\r\n" +
		"\r\n" + // blank line: skipped, but counts as a spreadsheet row
		"  A2 ; Filtro de óleo ;R$ 1.234,56\r\n" +
		";;\r\n" + // only delimiters: blank too
		"A3;Junta;7\r\n"
	rd := mustOpen(t, writeFile(t, "precos.csv", []byte(content)), tabular.Options{Columns: priceColumns})
	if rd.Format() != tabular.FormatCSV || rd.Encoding() != "UTF-8 com BOM" || rd.Delimiter() != ';' {
		t.Fatalf("format %v, encoding %q, delimiter %q", rd.Format(), rd.Encoding(), rd.Delimiter())
	}
	if rd.Label("preco") != "Preço" || rd.Label("codigo") != "Código" {
		t.Errorf("labels %q %q", rd.Label("preco"), rd.Label("codigo"))
	}
	checkRows(t, readAll(t, rd), []wantRow{
		{2, "A1", "Peça Ç", "12,30", 1230},
		{4, "A2", "Filtro de óleo", "R$ 1.234,56", 123456},
		{6, "A3", "Junta", "7", 700},
	})
}

func TestCSVWindows1252(t *testing.T) {
	content := cp1252(t, "Código;Preço;Descrição\r\n"+
		"PC-01;12,30;Peça Ç com ação e ÃÕÉ\r\n"+
		"PC-02;0,99;Pára-choque “dianteiro” – 5º\r\n")
	rd := mustOpen(t, writeFile(t, "excel.csv", content), tabular.Options{Columns: priceColumns})
	if rd.Encoding() != "Windows-1252" || rd.Delimiter() != ';' {
		t.Fatalf("encoding %q, delimiter %q", rd.Encoding(), rd.Delimiter())
	}
	checkRows(t, readAll(t, rd), []wantRow{
		{2, "PC-01", "Peça Ç com ação e ÃÕÉ", "12,30", 1230},
		{3, "PC-02", "Pára-choque “dianteiro” – 5º", "0,99", 99},
	})
}

func TestCSVUTF8WithoutBOMInvalidLate(t *testing.T) {
	// The only non-UTF-8 byte is after the first 64 KiB: the whole input
	// decides, so the file is Windows-1252 and the early "Ã©" is kept as
	// two Windows-1252 characters (it was written that way).
	var b bytes.Buffer
	b.WriteString("codigo;preco\n")
	for i := 0; b.Len() < 100<<10; i++ {
		b.WriteString("X;1,00\n")
	}
	b.Write(cp1252(t, "Ç1;2,00\n"))
	rd := mustOpen(t, writeFile(t, "late.csv", b.Bytes()), tabular.Options{Columns: priceColumns})
	if rd.Encoding() != "Windows-1252" {
		t.Fatalf("encoding %q", rd.Encoding())
	}
	rows := readAll(t, rd)
	last := rows[len(rows)-1]
	if last.Get("codigo") != "Ç1" || last.Line != len(rows)+1 {
		t.Errorf("last row line %d codigo %q", last.Line, last.Get("codigo"))
	}

	// Same content but valid UTF-8 everywhere: UTF-8 without BOM.
	utf := bytes.Replace(b.Bytes(), cp1252(t, "Ç1"), []byte("Ç1"), 1)
	rd = mustOpen(t, writeFile(t, "utf8.csv", utf), tabular.Options{Columns: priceColumns})
	if rd.Encoding() != "UTF-8" {
		t.Fatalf("encoding %q", rd.Encoding())
	}
}

func TestCSVCommaQuotedFieldsAndLines(t *testing.T) {
	content := "sku,produto,valor\n" +
		"A1,\"Filtro, de óleo\",12.50\n" +
		"A2,\"Linha 1\nLinha 2, com vírgula\nLinha \"\"3\"\"\",\"1,234.56\"\n" +
		"A3,Simples,7\n" +
		"\n" +
		"A4,\"Fim\r\nCRLF\",\"0,5\"\n"
	rd := mustOpen(t, writeFile(t, "virgula.csv", []byte(content)), tabular.Options{Columns: priceColumns})
	if rd.Delimiter() != ',' || rd.Encoding() != "UTF-8" {
		t.Fatalf("delimiter %q encoding %q", rd.Delimiter(), rd.Encoding())
	}
	// Physical lines: A2 starts at 3 and ends at 5, A3 is on 6, blank 7,
	// A4 on 8-9. Spreadsheet rows: A2 = 3, A3 = 4, blank = 5, A4 = 6.
	checkRows(t, readAll(t, rd), []wantRow{
		{2, "A1", "Filtro, de óleo", "12.50", 1250},
		{3, "A2", "Linha 1\nLinha 2, com vírgula\nLinha \"3\"", "1,234.56", 123456},
		{4, "A3", "Simples", "7", 700},
		{6, "A4", "Fim\nCRLF", "0,5", 50},
	})
}

func TestCSVTabDelimiterAndUTF16(t *testing.T) {
	text := "Código\tPreço\tProduto\r\nT1\t3,5\tCorreia; dentada\r\n"
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"tab.csv": []byte(text), "unicode.txt": utf16} {
		rd := mustOpen(t, writeFile(t, name, content), tabular.Options{Columns: priceColumns})
		if rd.Delimiter() != '\t' {
			t.Fatalf("%s: delimiter %q", name, rd.Delimiter())
		}
		checkRows(t, readAll(t, rd), []wantRow{{2, "T1", "Correia; dentada", "3,5", 350}})
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	tests := []struct {
		name, content string
		fragments     []string
	}{
		{"missing one", "Código;Descrição\nA;B\n",
			[]string{`coluna obrigatória ausente`, `"preco"`, "preço, valor, preco venda"}},
		{"missing two", "Produto;Estoque\nA;1\n",
			[]string{`colunas obrigatórias ausentes`, `"codigo" (nomes aceitos: codigo, código, cod, sku, cod fornecedor)`, `"preco"`}},
		{"duplicate", "Código;Preço;Valor\nA;1;2\n",
			[]string{`"Preço" e "Valor"`, "mesmo campo (preco)"}},
		{"only blank lines", "\n\n  \n;;\n", []string{"vazio"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := openErr(t, writeFile(t, "h.csv", []byte(tt.content)), tabular.Options{Columns: priceColumns}, tt.fragments...)
			if tt.name != "duplicate" && te.Line != 0 {
				t.Errorf("Line = %d, want 0", te.Line)
			}
		})
	}
}

func TestCSVHeaderAliases(t *testing.T) {
	// Header names as users write them; all map to the same keys.
	for _, header := range []string{
		"CODIGO;PRECO", "código ; preço", "Cod. Fornecedor;Preço Venda", "cod-fornecedor;VALOR", "SKU;Preco/Venda",
	} {
		rd := mustOpen(t, writeFile(t, "a.csv", []byte(header+"\nX;1\n")), tabular.Options{Columns: priceColumns})
		rows := readAll(t, rd)
		if len(rows) != 1 || rows[0].Get("codigo") != "X" || rows[0].Get("preco") != "1" {
			t.Errorf("header %q: rows %+v", header, rows)
		}
		if rd.Has("descricao") {
			t.Errorf("header %q: Has(descricao)", header)
		}
	}
}

func TestCSVTooManyColumns(t *testing.T) {
	var b strings.Builder
	for i := range 50_000 {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString("coluna")
	}
	b.WriteString("\n1;2;3\n")
	path := writeFile(t, "largo.csv", []byte(b.String()))
	start := time.Now()
	openErr(t, path, tabular.Options{Columns: priceColumns}, "mais de 100 colunas")
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}

	// 101 columns fitting in the sniff window: exact count.
	header := strings.Repeat("c;", 100) + "codigo;preco\n"
	openErr(t, writeFile(t, "101.csv", []byte(header)), tabular.Options{Columns: priceColumns}, "tem 102 colunas; o máximo é 100")

	// Trailing empty header cells (Excel's used range) do not count.
	rd := mustOpen(t, writeFile(t, "trailing.csv", []byte("codigo;preco"+strings.Repeat(";", 300)+"\nA;1\n")), tabular.Options{Columns: priceColumns})
	if rows := readAll(t, rd); len(rows) != 1 || rows[0].Get("preco") != "1" {
		t.Fatalf("rows %+v", rows)
	}
}

func TestCSVRowProblems(t *testing.T) {
	long := strings.Repeat("x", 1025)
	content := "codigo;descricao;preco\n" +
		"A1;ok;1\n" +
		"A2;" + long + ";2\n" + // cell too long
		"A3;a mais;3;extra\n" + // ragged: 4 fields
		"A4;Mangueira 3/4\";4\n" + // bare quote
		"A5;\"Mangueira 3/4\"\"\";5\n" + // correctly escaped
		"A6;\"fechada\"lixo;6\n" + // text after closing quote
		"A7;falta\n" // ragged: 2 fields
	rd := mustOpen(t, writeFile(t, "p.csv", []byte(content)), tabular.Options{Columns: priceColumns})
	rows := readAll(t, rd)
	if len(rows) != 7 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		if r.Line != i+2 {
			t.Errorf("row %d: line %d", i, r.Line)
		}
	}
	if len(rows[0].Problems) != 0 || rows[0].RaggedError() != nil {
		t.Errorf("row A1: %v %v", rows[0].Problems, rows[0].RaggedError())
	}
	if p := rows[1].Problems; len(p) != 1 || p[0].Column != "descricao" || p[0].Line != 3 ||
		p[0].Error() != `linha 3, coluna "descricao": valor longo demais (1025 bytes; o máximo é 1024)` {
		t.Errorf("row A2 problems: %v", p)
	}
	if e := rows[2].RaggedError(); e == nil || e.Error() != "linha 4: a linha tem 4 colunas, mas o cabeçalho tem 3; verifique separadores e aspas" {
		t.Errorf("row A3 ragged: %v", e)
	}
	if rows[2].Fields != 4 || rows[2].Get("preco") != "3" {
		t.Errorf("row A3: fields %d preco %q", rows[2].Fields, rows[2].Get("preco"))
	}
	if p := rows[3].Problems; len(p) != 1 || p[0].Line != 5 || !strings.Contains(p[0].Message, "dentro de um valor que não está entre aspas") || rows[3].Get("codigo") != "" {
		t.Errorf("row A4: %v, codigo %q", p, rows[3].Get("codigo"))
	}
	if rows[4].Get("descricao") != `Mangueira 3/4"` || len(rows[4].Problems) != 0 {
		t.Errorf("row A5: %q %v", rows[4].Get("descricao"), rows[4].Problems)
	}
	if p := rows[5].Problems; len(p) != 1 || p[0].Line != 7 || !strings.Contains(p[0].Message, "aspas (\") fora de lugar") {
		t.Errorf("row A6: %v", p)
	}
	if e := rows[6].RaggedError(); e == nil || rows[6].Get("preco") != "" {
		t.Errorf("row A7: ragged %v preco %q", e, rows[6].Get("preco"))
	}
}

func TestCSVUnclosedQuoteIsFatal(t *testing.T) {
	content := "codigo;preco\nA1;1\nA2;\"2\nA3;3\nA4;4\n"
	rd := mustOpen(t, writeFile(t, "q.csv", []byte(content)), tabular.Options{Columns: priceColumns})
	if row, err := rd.Next(); err != nil || row.Get("codigo") != "A1" {
		t.Fatalf("first row %+v %v", row, err)
	}
	_, err := rd.Next()
	var te *tabular.Error
	if !errors.As(err, &te) || te.Line != 3 || !strings.Contains(te.Message, "aspas (\") abertas e não fechadas") {
		t.Fatalf("err = %v", err)
	}
	if _, err2 := rd.Next(); err2 != err {
		t.Errorf("error is not sticky: %v", err2)
	}
}

func TestCSVRecordLimit(t *testing.T) {
	// An unclosed quote in a big file: stops at the record limit (1 MiB with
	// the default options) instead of buffering the whole file.
	var b bytes.Buffer
	b.WriteString("codigo;preco\nA1;\"1\n")
	for b.Len() < 3<<20 {
		b.WriteString("AAAAAAAAAAAAAAAAAAAAAAAAAAAAA;1\n")
	}
	rd := mustOpen(t, writeFile(t, "big.csv", b.Bytes()), tabular.Options{Columns: priceColumns})
	_, err := rd.Next()
	var te *tabular.Error
	if !errors.As(err, &te) || te.Line != 2 || !strings.Contains(te.Message, "registro com mais de 1024 KiB") {
		t.Fatalf("err = %v", err)
	}
}

func TestCSVMaxRows(t *testing.T) {
	content := "codigo;preco\nA;1\nB;2\n\nC;3\n"
	rd := mustOpen(t, writeFile(t, "m.csv", []byte(content)), tabular.Options{Columns: priceColumns, MaxRows: 2})
	for _, want := range []string{"A", "B"} {
		if row, err := rd.Next(); err != nil || row.Get("codigo") != want {
			t.Fatalf("row %q: %+v %v", want, row, err)
		}
	}
	_, err := rd.Next()
	var te *tabular.Error
	if !errors.As(err, &te) || te.Line != 0 || te.Message != "o arquivo tem mais de 2 linhas de dados; divida-o em arquivos menores" {
		t.Fatalf("err = %v", err)
	}
}

func TestCSVHeaderOnly(t *testing.T) {
	rd := mustOpen(t, writeFile(t, "h.csv", []byte("codigo;preco\r\n\r\n")), tabular.Options{Columns: priceColumns})
	if rows := readAll(t, rd); len(rows) != 0 {
		t.Fatalf("rows %+v", rows)
	}
}

func TestCSVHeaderNotOnFirstLine(t *testing.T) {
	rd := mustOpen(t, writeFile(t, "h.csv", []byte("\n\ncodigo;preco\nA;1\n")), tabular.Options{Columns: priceColumns})
	rows := readAll(t, rd)
	if len(rows) != 1 || rows[0].Line != 4 {
		t.Fatalf("rows %+v", rows)
	}
}

func TestRowValueErrors(t *testing.T) {
	content := "Código;Preço\nA;abc\nB;\nC;-1\nD;1,234\n"
	rd := mustOpen(t, writeFile(t, "v.csv", []byte(content)), tabular.Options{Columns: priceColumns})
	want := []struct {
		kind error
		text string
	}{
		{tabular.ErrInvalid, `linha 2, coluna "Preço": preço inválido: "abc"`},
		{tabular.ErrEmpty, `linha 3, coluna "Preço": preço ausente`},
		{tabular.ErrNegative, `linha 4, coluna "Preço": preço negativo`},
		{tabular.ErrPrecision, `linha 5, coluna "Preço": preço com mais de duas casas decimais: "1,234"`},
	}
	for i, row := range readAll(t, rd) {
		_, err := row.Centavos("preco")
		var te *tabular.Error
		if !errors.Is(err, want[i].kind) || !errors.As(err, &te) || err.Error() != want[i].text {
			t.Errorf("row %d: %v", i, err)
		}
	}
}

func TestOptionsValidation(t *testing.T) {
	_, err := tabular.NewReader(strings.NewReader("a;b\n"), 4, tabular.Options{Columns: []tabular.Column{
		{Key: "preco", Aliases: []string{"valor"}}, {Key: "total", Aliases: []string{"Valor"}},
	}})
	if err == nil || !strings.Contains(err.Error(), `alias "Valor" is used by columns "preco" and "total"`) {
		t.Fatalf("err = %v", err)
	}
}
