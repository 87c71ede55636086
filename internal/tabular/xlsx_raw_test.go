package tabular_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"testing"

	"github.com/connectparts/portal/internal/tabular"
)

// rawXLSX builds a minimal workbook around a hand-written worksheet, to cover
// XML that excelize never writes but other producers do (prefixes, comments,
// cells and rows without "r", single quotes).
func rawXLSX(t *testing.T, sheetData string) []byte {
	t.Helper()
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/dados.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<x:sheets><x:sheet name="Preços" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/dados.xml"/></Relationships>`},
		{"xl/worksheets/dados.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!-- gerado por ERP <c> --><x:sheetData>` +
			sheetData + `</x:sheetData></x:worksheet>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func is(s string) string { return `<x:is><x:t>` + s + `</x:t></x:is>` }

func TestXLSXHandWrittenXML(t *testing.T) {
	sheet := `<x:row r="1"><x:c r="A1" t="inlineStr">` + is("Código") + `</x:c><x:c t='inlineStr' note="a>b">` + is("Preço") + `</x:c></x:row>` +
		`<x:row><x:c t="inlineStr">` + is("P1") + `</x:c><x:c><x:v>12.5</x:v></x:c></x:row>` + // row 2, no r anywhere
		`<x:row r="4"/>` + // empty self-closing row
		`<x:row r="5" spans="1:2"><!-- <x:f> num comentário --><x:c r="A5" t="inlineStr">` + is("P5") + `</x:c>` +
		`<x:c r="B5"><x:f t="shared" ref="B5:B6" si="0">10*2</x:f><x:v>20</x:v></x:c></x:row>` +
		`<x:row r="6"><x:c r="A6" t="inlineStr">` + is("<![CDATA[P6 <x:c>]]>") + `</x:c><x:c r="B6" t="str"><x:f t="shared" si="0"/><x:v>20</x:v></x:c></x:row>` +
		`<x:row r="7"><x:c r="A7" t="inlineStr">` + is("P7") + `</x:c><x:c r="B7" t="inlineStr">` + is("3,75") + `</x:c><x:c r="C7" s="1"/></x:row>`
	rd := mustOpen(t, writeFile(t, "erp.xlsx", rawXLSX(t, sheet)), tabular.Options{Columns: priceColumns})
	rows := readAll(t, rd)
	type want struct {
		line    int
		codigo  string
		preco   string
		number  bool
		formula bool
	}
	wants := []want{
		{2, "P1", "12.5", true, false},
		{5, "P5", "20", true, true},
		{6, "P6 <x:c>", "20", false, true},
		{7, "P7", "3,75", false, false},
	}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	for i, w := range wants {
		r := rows[i]
		formula := len(r.Problems) == 1 && r.Problems[0].Message == fmt.Sprintf("a célula B%d contém fórmula; envie apenas valores", w.line)
		if r.Line != w.line || r.Get("codigo") != w.codigo || r.Get("preco") != w.preco || r.IsNumber("preco") != w.number || formula != w.formula {
			t.Errorf("row %d: line %d %q %q number=%v problems=%v; want %+v", i, r.Line, r.Get("codigo"), r.Get("preco"), r.IsNumber("preco"), r.Problems, w)
		}
	}
	if c, err := rows[3].Centavos("preco"); err != nil || c != 375 {
		t.Errorf("centavos %d %v", c, err)
	}
}

func TestXLSXDoctypeRefused(t *testing.T) {
	b := rawXLSX(t, `<x:row r="1"><x:c t="inlineStr">`+is("codigo")+`</x:c><x:c t="inlineStr">`+is("preco")+`</x:c></x:row>`)
	b = patchZip(t, b, "xl/worksheets/dados.xml", `standalone="yes"?>`, `standalone="yes"?><!DOCTYPE x [<!ENTITY a "b">]>`)
	rd, err := tabular.NewReader(bytes.NewReader(b), int64(len(b)), tabular.Options{Columns: priceColumns})
	if err == nil {
		rd.Close()
		t.Fatal("DOCTYPE accepted")
	}
	if err.Error() != "linha 1: a planilha está corrompida nesta linha" {
		t.Errorf("err = %v", err)
	}
}
