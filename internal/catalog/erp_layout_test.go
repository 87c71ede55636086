package catalog_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/model"
)

// A catalog exported by an ERP: title and blank line above the header, a
// closing summary line; both are reported as ignored and the products are
// applied. A bad line between them still refuses everything.
func TestImportERPLayout(t *testing.T) {
	f := newFixture(t)
	text := cp1252(t, "PAULISTA AUTOPEÇAS LTDA - CATÁLOGO JANEIRO/2027\r\n\r\n"+
		"sku;name;supplier_cnpj;supplier_code\r\n"+
		"CP-1;Pastilha;11222333000181;PA-1\r\nCP-2;Disco;11222333000181;PA-2\r\n"+
		"Total de itens: 2\r\n")
	rep := f.importCSV(t, text)
	if !rep.OK() || rep.Applied != 2 || rep.Created != 2 {
		t.Fatalf("report %+v", rep)
	}
	want := []model.IgnoredLine{
		{Line: 1, Text: "PAULISTA AUTOPEÇAS LTDA - CATÁLOGO JANEIRO/2027", Reason: "acima do cabeçalho"},
		{Line: 6, Text: "Total de itens: 2", Reason: "linha de resumo após os dados"},
	}
	if !reflect.DeepEqual(rep.Ignored, want) {
		t.Errorf("ignored %+v", rep.Ignored)
	}

	bad := strings.Replace(text, "CP-2;Disco;", "CP-3;;", 1)
	rep = f.importCSV(t, bad)
	if rep.OK() || rep.Applied != 0 || len(rep.Problems) == 0 || rep.Problems[0].Line != 5 {
		t.Fatalf("bad line: %+v", rep)
	}
}

// An XLSX with several sheets: the sheet named is read.
func TestImportSheet(t *testing.T) {
	f := newFixture(t)
	xf := excelize.NewFile()
	defer xf.Close()
	xf.SetSheetName("Sheet1", "Resumo")
	xf.SetCellValue("Resumo", "A1", "Catálogo")
	for _, sh := range []string{"Freios", "Suspensão"} {
		xf.NewSheet(sh)
		for i, v := range []string{"sku", "name", "supplier_cnpj", "supplier_code"} {
			xf.SetCellValue(sh, string(rune('A'+i))+"1", v)
		}
		code := map[string]string{"Freios": "CP-F", "Suspensão": "CP-S"}[sh]
		for i, v := range []string{code, "Peça " + sh, "11222333000181", code + "-1"} {
			xf.SetCellValue(sh, string(rune('A'+i))+"2", v)
		}
	}
	var buf bytes.Buffer
	if err := xf.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rep, err := f.svc.ImportSheet(f.ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len()), "c.xlsx", "Suspensão")
	if err != nil || !rep.OK() || rep.Sheet != "Suspensão" || rep.Created != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	f.product(t, "CP-S")
	if f.count(t) != 1 {
		t.Errorf("%d products, want only the chosen sheet's", f.count(t))
	}
}
