package tabular_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/tabular"
)

// erpTitle is the first line of the price table as the supplier's ERP exports it.
const erpTitle = "PAULISTA AUTOPEÇAS LTDA - TABELA DE PREÇOS JANEIRO/2027"

// erpCSV: title, blank line, header on line 3, prices "R$ 1.105,00", a
// closing "Total de itens: 4".
func erpCSV(delim string) string {
	lines := []string{erpTitle, "", "Código;Descrição;Preço",
		"PF-100;Pastilha de freio;R$ 1.105,00", "DF-200;Disco de freio;R$ 89,90",
		"AM-300;Amortecedor;R$ 2.340,50", "FL-400;Filtro de óleo;R$ 12,00", "", "Total de itens: 4"}
	return strings.ReplaceAll(strings.Join(lines, "\r\n")+"\r\n", ";", delim)
}

var erpRows = []wantRow{
	{4, "PF-100", "Pastilha de freio", "R$ 1.105,00", 110500},
	{5, "DF-200", "Disco de freio", "R$ 89,90", 8990},
	{6, "AM-300", "Amortecedor", "R$ 2.340,50", 234050},
	{7, "FL-400", "Filtro de óleo", "R$ 12,00", 1200},
}

var erpIgnored = []tabular.Ignored{
	{Line: 1, Text: erpTitle, Reason: tabular.ReasonAboveHeader},
	{Line: 9, Text: "Total de itens: 4", Reason: tabular.ReasonSummary},
}

func TestERPLayoutCSV(t *testing.T) {
	for name, content := range map[string][]byte{
		"semicolon, UTF-8":        []byte(erpCSV(";")),
		"semicolon, Windows-1252": cp1252(t, erpCSV(";")),
		"tab":                     []byte(erpCSV("\t")),
	} {
		t.Run(name, func(t *testing.T) {
			rd := mustOpen(t, writeFile(t, "tabela.csv", content), tabular.Options{Columns: priceColumns})
			if rd.HeaderLine() != 3 || !reflect.DeepEqual(rd.Ignored(), erpIgnored[:1]) {
				t.Errorf("header line %d, ignored before the data %+v", rd.HeaderLine(), rd.Ignored())
			}
			checkRows(t, readAll(t, rd), erpRows)
			if !reflect.DeepEqual(rd.Ignored(), erpIgnored) {
				t.Errorf("ignored %+v", rd.Ignored())
			}
		})
	}
}

// A summary-looking line followed by data is data (the caller refuses it,
// all or nothing), and a bad data line is never ignored.
func TestERPLayoutSummaryOnlyAtTheEnd(t *testing.T) {
	content := "Código;Preço\nPF-100;R$ 1.105,00\nTotal parcial: 1\nDF-200;89,90\nXX-9;abc\nTotal de itens: 3\nTotal geral;1.194,90\n"
	rd := mustOpen(t, writeFile(t, "t.csv", []byte(content)), tabular.Options{Columns: priceColumns})
	rows := readAll(t, rd)
	var lines []int
	for _, r := range rows {
		lines = append(lines, r.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 4, 5}) {
		t.Fatalf("data lines %v", lines)
	}
	if _, err := rows[1].Centavos("preco"); err == nil {
		t.Error("the summary-looking line in the middle has a price")
	}
	if _, err := rows[3].Centavos("preco"); err == nil {
		t.Error("a bad price was accepted")
	}
	want := []tabular.Ignored{{Line: 6, Text: "Total de itens: 3", Reason: tabular.ReasonSummary},
		{Line: 7, Text: "Total geral | 1.194,90", Reason: tabular.ReasonSummary}}
	if !reflect.DeepEqual(rd.Ignored(), want) {
		t.Errorf("ignored %+v", rd.Ignored())
	}

	// A product whose code starts with "TOTAL", with its price, is data.
	rd = mustOpen(t, writeFile(t, "t.csv", []byte("Código;Preço\nTOTAL-FLEX-10;R$ 5,00\n")), tabular.Options{Columns: priceColumns})
	if rows := readAll(t, rd); len(rows) != 1 || len(rd.Ignored()) != 0 {
		t.Errorf("rows %d ignored %+v", len(rows), rd.Ignored())
	}
}

// The header is looked for in the first lines only; without one, the error
// names the first line, as before.
func TestERPLayoutHeaderNotFound(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 10; i++ {
		b.WriteString("linha de título\n")
	}
	b.WriteString("Código;Preço\nPF-100;1,00\n")
	openErr(t, writeFile(t, "t.csv", []byte(b.String())), tabular.Options{Columns: priceColumns}, "linha 1", "codigo")
	rd := mustOpen(t, writeFile(t, "t.csv", []byte(b.String())), tabular.Options{Columns: priceColumns, HeaderSearchLines: 11})
	if rd.HeaderLine() != 11 || len(rd.Ignored()) != 10 {
		t.Errorf("header %d ignored %d", rd.HeaderLine(), len(rd.Ignored()))
	}
}

// erpWorkbook has a cover sheet, the ERP-layout price table and a second
// table: the default reads the first with a header, Sheet picks another.
func erpWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Capa"); err != nil {
		t.Fatal(err)
	}
	set(t, f, "Capa", "A1", "Tabela de preços – leia as instruções")
	for _, sh := range []string{"Janeiro", "Fevereiro"} {
		if _, err := f.NewSheet(sh); err != nil {
			t.Fatal(err)
		}
		set(t, f, sh, "A1", erpTitle)
		set(t, f, sh, "A3", "Código")
		set(t, f, sh, "B3", "Descrição")
		set(t, f, sh, "C3", "Preço")
		for i, r := range erpRows {
			row := string(rune('0' + 4 + i))
			set(t, f, sh, "A"+row, r.codigo)
			set(t, f, sh, "B"+row, r.descricao)
			price := r.preco
			if sh == "Fevereiro" {
				price = "R$ 1,00"
			}
			set(t, f, sh, "C"+row, price)
		}
		set(t, f, sh, "A9", "Total de itens: 4")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestERPLayoutXLSXSheets(t *testing.T) {
	path := writeFile(t, "tabela.xlsx", erpWorkbook(t))
	rd := mustOpen(t, path, tabular.Options{Columns: priceColumns})
	if rd.Sheet() != "Janeiro" || !reflect.DeepEqual(rd.Sheets(), []string{"Capa", "Janeiro", "Fevereiro"}) {
		t.Errorf("sheet %q of %v", rd.Sheet(), rd.Sheets())
	}
	checkRows(t, readAll(t, rd), erpRows)
	if !reflect.DeepEqual(rd.Ignored(), erpIgnored) {
		t.Errorf("ignored %+v", rd.Ignored())
	}

	rd = mustOpen(t, path, tabular.Options{Columns: priceColumns, Sheet: "fevereiro"})
	rows := readAll(t, rd)
	if rd.Sheet() != "Fevereiro" || len(rows) != 4 {
		t.Fatalf("sheet %q, %d rows", rd.Sheet(), len(rows))
	}
	if c, _ := rows[0].Centavos("preco"); c != 100 {
		t.Errorf("price %d from the chosen sheet", c)
	}
	openErr(t, path, tabular.Options{Columns: priceColumns, Sheet: "Março"}, `a planilha não tem a aba "Março"`, `"Capa", "Janeiro", "Fevereiro"`)
	openErr(t, path, tabular.Options{Columns: priceColumns, Sheet: "Capa"}, "linha 1", "codigo")

	// No sheet with a header: the first sheet's error, naming the sheets.
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", "A1", "nada")
	f.NewSheet("Outra")
	set(t, f, "Outra", "A1", "também nada")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	openErr(t, writeFile(t, "x.xlsx", buf.Bytes()), tabular.Options{Columns: priceColumns}, "linha 1", `"Sheet1", "Outra"`, "escolha a aba")
}
