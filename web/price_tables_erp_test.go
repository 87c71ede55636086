package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"
)

// ptERPLines is a price table as the supplier's ERP exports it: a title, a
// blank line, the header on line 3, prices "R$ 1.105,00" and a closing
// "Total de itens: 4".
var ptERPLines = []string{
	"PAULISTA AUTOPEÇAS LTDA - TABELA DE PREÇOS JANEIRO/2027",
	"",
	"Código;Descrição;Preço",
	"PA-001;Pastilha de freio;R$ 1.105,00",
	"PA-002;Disco de freio;R$ 89,90",
	"PA-003;Amortecedor;R$ 2.340,50",
	"PA-004;Filtro de óleo;R$ 12,00",
	"Total de itens: 4",
}

// The upload page takes the ERP's layout: the preview lists the title and
// the summary line as ignored, and the four prices are read; a genuinely bad
// line still refuses the whole table.
func TestPriceTableERPLayoutUpload(t *testing.T) {
	f := newPTFixture(t)
	b := f.env.Login(f.supUser)
	if res := b.Get("/price-tables"); res.Doc.Find("[data-testid=price-table-sheet]").Length() != 1 {
		t.Fatal("the upload form has no sheet field")
	}
	res := b.Do(ptMultipart(t, f.env.URL+"/price-tables/upload", "tabela erp.csv", ptWin1252(t, ptERPLines...), nil))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	res = b.Get(res.Location())
	if res.Status != 200 || res.Text("[data-testid=price-table-lines]") != "4" {
		t.Fatalf("preview: %d, lines %q", res.Status, res.Text("[data-testid=price-table-lines]"))
	}
	var ignored []string
	res.Doc.Find("[data-testid=ignored-line]").Each(func(_ int, s *goquery.Selection) {
		ignored = append(ignored, strings.Join(strings.Fields(s.Text()), " "))
	})
	want := []string{
		"Linha 1: PAULISTA AUTOPEÇAS LTDA - TABELA DE PREÇOS JANEIRO/2027 — acima do cabeçalho",
		"Linha 8: Total de itens: 4 — linha de resumo após os dados",
	}
	if strings.Join(ignored, "\n") != strings.Join(want, "\n") {
		t.Errorf("ignored lines:\n%s\nwant\n%s", strings.Join(ignored, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(res.Body, "1.105,00") {
		t.Error("the price R$ 1.105,00 is not on the preview")
	}

	bad := append(append([]string{}, ptERPLines[:6]...), "PA-004;Filtro de óleo;R$ abc", ptERPLines[7])
	res = afterUpload(t, b, b.Do(ptMultipart(t, f.env.URL+"/price-tables/upload", "ruim.csv", ptWin1252(t, bad...), nil)), "/price-tables")
	if !strings.Contains(res.Text("[data-testid=price-table-error]"), "7") {
		t.Fatalf("bad line: %d %q", res.Status, res.Text("[data-testid=price-table-error]"))
	}
}

// The API takes an XLSX with several sheets: the first sheet with a header
// by default, or the one named in the sheet field.
func TestPriceTableAPISheet(t *testing.T) {
	f := newPTFixture(t)
	tok, _, _ := f.tokens(t)
	xf := excelize.NewFile()
	defer xf.Close()
	xf.SetSheetName("Sheet1", "Capa")
	xf.SetCellValue("Capa", "A1", "Instruções: preços sem impostos")
	for _, sh := range []string{"Janeiro", "Fevereiro"} {
		xf.NewSheet(sh)
		xf.SetCellValue(sh, "A1", ptERPLines[0])
		xf.SetCellValue(sh, "A3", "Código")
		xf.SetCellValue(sh, "B3", "Preço")
		price := "R$ 1.105,00"
		if sh == "Fevereiro" {
			price = "R$ 1.200,00"
		}
		xf.SetCellValue(sh, "A4", "PA-001")
		xf.SetCellValue(sh, "B4", price)
		xf.SetCellValue(sh, "A5", "Total de itens: 1")
	}
	var buf bytes.Buffer
	if err := xf.Write(&buf); err != nil {
		t.Fatal(err)
	}
	post := func(fields map[string]string) (int, map[string]any) {
		fields["effective_from"] = ptISO(f.earliest)
		req := ptMultipart(t, f.env.URL+"/api/v1/price-tables", "tabela.xlsx", buf.Bytes(), fields)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		var out map[string]any
		json.Unmarshal(body, &out) //nolint:errcheck
		return res.StatusCode, out
	}
	st, out := post(map[string]string{})
	if st != 201 || out["file_sheet"] != "Janeiro" || out["line_count"] != 1.0 {
		t.Fatalf("default sheet: %d %v", st, out)
	}
	ig, _ := out["ignored_lines"].([]any)
	if len(ig) != 2 || ig[0].(map[string]any)["line"] != 1.0 || ig[1].(map[string]any)["text"] != "Total de itens: 1" {
		t.Errorf("ignored_lines %v", out["ignored_lines"])
	}
	st, out = post(map[string]string{"sheet": "Fevereiro"})
	if st != 201 || out["file_sheet"] != "Fevereiro" {
		t.Fatalf("chosen sheet: %d %v", st, out)
	}
	st, out = post(map[string]string{"sheet": "Março"})
	if st != 422 || !strings.Contains(stringify(out), "Janeiro") {
		t.Fatalf("unknown sheet: %d %v", st, out)
	}
}

func stringify(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
