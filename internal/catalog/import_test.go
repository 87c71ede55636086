package catalog_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/catalog"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// Valid GTIN-13s for the fixtures.
const (
	ean1 = "7891000000014"
	ean2 = "7891000000021"
	ean3 = "7891000000038"
)

type fixture struct {
	st   *store.Store
	svc  *catalog.Service
	ctx  context.Context
	a, b *model.Supplier // 11.222.333/0001-81 and 12.ABC.345/01DE-35
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := store.New(testdb.MustOpen(t))
	f := &fixture{st: st, svc: catalog.New(st), ctx: model.WithActor(context.Background(), model.Actor{Label: "test"})}
	for i, doc := range []string{"11222333000181", "12ABC34501DE35"} {
		s := &model.Supplier{CNPJ: doc, LegalName: "Fornecedor " + doc, DispatchHours: 24, PriceNoticeDays: 20, Active: true}
		if err := st.CreateSupplier(f.ctx, s); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.a = s
		} else {
			f.b = s
		}
	}
	return f
}

func (f *fixture) importCSV(t *testing.T, text string) *catalog.Report {
	t.Helper()
	rep, err := f.svc.ImportFile(f.ctx, strings.NewReader(text), int64(len(text)), "catalogo.csv")
	if err != nil {
		t.Fatalf("import: %v %+v", err, apperr.Details(err))
	}
	return rep
}

func (f *fixture) product(t *testing.T, sku string) *model.Product {
	t.Helper()
	p, err := f.st.FindProductBySKU(f.ctx, sku)
	if err != nil {
		t.Fatalf("product %s: %v", sku, err)
	}
	return p
}

func (f *fixture) count(t *testing.T) int64 {
	t.Helper()
	_, total, err := f.st.ListProducts(f.ctx, store.ProductFilter{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func (f *fixture) imports(t *testing.T) int {
	t.Helper()
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Entity: "product"}, store.Page{Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "product.import" {
			n++
		}
	}
	return n
}

func cp1252(t *testing.T, s string) string {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportWindows1252SemicolonCSV(t *testing.T) {
	f := newFixture(t)
	// What Excel saves as "CSV (separado por vírgulas)" on a Brazilian Windows.
	file := cp1252(t, "Código;Descrição;Marca;EAN;NCM;CNPJ do Fornecedor;Código do Fornecedor;Dropship\r\n"+
		"CP-001;Óleo de Câmbio Sintético;Lubrax;"+ean1+";2710.19.32;11.222.333/0001-81;PA-100;sim\r\n"+
		"CP-002;Pastilha de Freio Cerâmica;Frasle;;87083090;12.ABC.345/01DE-35;FC-9;Não\r\n"+
		"\r\n"+
		"CP-003;Jogo de Juntas;Sabó;SEM GTIN;84842000;;;não\r\n")
	if !strings.Contains(file, "\xd3leo") {
		t.Fatal("fixture is not Windows-1252")
	}
	rep := f.importCSV(t, file)
	if !rep.OK() || rep.Applied != 3 || rep.Created != 3 || rep.Rows != 3 {
		t.Fatalf("report: %+v", rep)
	}
	if !strings.Contains(rep.Format, "Windows-1252") || !strings.Contains(rep.Format, ";") {
		t.Errorf("format: %q", rep.Format)
	}
	p := f.product(t, "CP-001")
	if p.Name != "Óleo de Câmbio Sintético" || p.Brand != "Lubrax" || p.EAN != ean1 || p.NCM != "27101932" ||
		p.SupplierID == nil || *p.SupplierID != f.a.ID || p.SupplierCode != "PA-100" || !p.Dropship || !p.Active {
		t.Fatalf("CP-001: %+v", p)
	}
	if p := f.product(t, "CP-002"); p.Dropship || *p.SupplierID != f.b.ID || p.Brand != "Frasle" {
		t.Fatalf("CP-002: %+v", p)
	}
	if p := f.product(t, "CP-003"); p.EAN != "" || p.SupplierID != nil || p.Brand != "Sabó" {
		t.Fatalf("CP-003: %+v", p)
	}
	// The same file again changes nothing, and says so.
	rep = f.importCSV(t, file)
	if !rep.OK() || rep.Applied != 3 || rep.Unchanged != 3 || rep.Created+rep.Updated != 0 {
		t.Fatalf("second import: %+v", rep)
	}
	if n := f.imports(t); n != 2 {
		t.Fatalf("audit: %d import entries, want 2", n)
	}
}

func TestImportWithBadLinesAppliesNothingAndListsEveryLine(t *testing.T) {
	f := newFixture(t)
	f.importCSV(t, "sku,name,supplier_cnpj,supplier_code\nCP-001,Óleo,11222333000181,PA-100\n")
	file := "sku,name,ean,ncm,supplier_cnpj,supplier_code,dropship\n" +
		"CP-010,Filtro de ar," + ean2 + ",84213100,11222333000181,PA-200,sim\n" + // 2: fine
		"CP-011,Filtro de óleo,7891000000022,84212300,11222333000181,PA-201,sim\n" + // 3: check digit
		"CP-012,Vela,,8511,11222333000181,PA-202,sim\n" + // 4: NCM
		"CP-013,Bobina,,85113020,45812390000132,X-1,sim\n" + // 5: CNPJ valid but unknown
		"CP-010,Filtro de ar 2,,84213100,,,não\n" + // 6: SKU repeated
		"CP-014,Correia,,40103100,11222333000181,PA-200,sim\n" + // 7: supplier code repeated
		"CP-015,,,,,,não\n" + // 8: no name
		"CP-016,Amortecedor,,,11222333000181,,sim\n" + // 9: dropship without supplier code
		"CP-017,Radiador,,,,,talvez\n" + // 10: bad flag
		"CP-018,Outro,,,11222333000181,PA-100,sim\n" + // 11: PA-100 belongs to CP-001, not in the file
		",Sem SKU,,,,,não\n" + // 12: no SKU
		"CP-019,Cabo,,,11.222.333/0001-80,C-1,sim\n" // 13: CNPJ check digits
	rep := f.importCSV(t, file)
	if rep.OK() || rep.Applied != 0 || rep.Rows != 12 || rep.Rejected != 11 {
		t.Fatalf("report: applied %d rows %d rejected %d", rep.Applied, rep.Rows, rep.Rejected)
	}
	want := map[int]string{
		3:  "dígito verificador",
		4:  "NCM deve ter exatamente 8 dígitos",
		5:  "CNPJ 45.812.390/0001-32 não cadastrado",
		6:  "SKU CP-010 repetido no arquivo: já aparece na linha 2",
		7:  "Código do fornecedor PA-200 repetido para o mesmo fornecedor: já usado na linha 2",
		8:  "Informe o nome do produto",
		9:  "Produto dropship precisa do código do produto no fornecedor",
		10: `Valor de dropship inválido: "talvez"`,
		11: "já usa o código PA-100 para o produto de SKU CP-001",
		12: "Informe o SKU",
		13: "dígitos verificadores",
	}
	got := map[int][]string{}
	last := 0
	for _, p := range rep.Problems {
		if p.Line < last {
			t.Errorf("problems out of line order: %d after %d", p.Line, last)
		}
		last = p.Line
		got[p.Line] = append(got[p.Line], p.Message)
	}
	for line, frag := range want {
		if !strings.Contains(strings.Join(got[line], " | "), frag) {
			t.Errorf("line %d: want %q, got %q", line, frag, got[line])
		}
	}
	if len(got[2]) != 0 {
		t.Errorf("good line 2 reported: %q", got[2])
	}
	if len(got[5]) != 1 {
		t.Errorf("unknown supplier reported more than once: %q", got[5])
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("%d products after a rejected import, want the 1 from before", n)
	}
	if !strings.Contains(rep.Summary(), "Nenhuma linha foi aplicada") {
		t.Errorf("summary: %q", rep.Summary())
	}
	if n := f.imports(t); n != 1 {
		t.Fatalf("a rejected import was audited as applied: %d", n)
	}
}

func TestImportKeepsAbsentColumnsAndMovesCodes(t *testing.T) {
	f := newFixture(t)
	f.importCSV(t, "sku;name;brand;ean;ncm;supplier_cnpj;supplier_code\n"+
		"A;Produto A;Bosch;"+ean1+";84212300;11222333000181;X\n"+
		"B;Produto B;Bosch;"+ean2+";84212300;11222333000181;Y\n")
	// Only some columns: the others keep their values. A and B swap codes,
	// and A is deactivated.
	rep := f.importCSV(t, "SKU;NCM;Supplier Code;Ativo\nA;8421.39.90;Y;não\nB;;X;\n")
	if !rep.OK() || rep.Updated != 2 {
		t.Fatalf("report: %+v", rep)
	}
	a, b := f.product(t, "A"), f.product(t, "B")
	if a.Name != "Produto A" || a.Brand != "Bosch" || a.EAN != ean1 || a.NCM != "84213990" || a.SupplierCode != "Y" || a.Active {
		t.Fatalf("A: %+v", a)
	}
	if b.NCM != "" || b.SupplierCode != "X" || !b.Active || *b.SupplierID != f.a.ID {
		t.Fatalf("B: %+v", b)
	}
	// New product without a name, and a code held by a product left out of the file.
	rep = f.importCSV(t, "sku;supplier_cnpj;supplier_code\nC;11222333000181;Z\nD;11222333000181;X\n")
	if rep.OK() || rep.Rejected != 2 {
		t.Fatalf("report: %+v", rep)
	}
}

func TestImportXLSXNumbersLoseNoZeros(t *testing.T) {
	f := newFixture(t)
	x := excelize.NewFile()
	defer x.Close()
	rows := [][]any{
		{"SKU", "Nome", "EAN", "NCM", "CNPJ", "Cód. Fornecedor", "Dropship"},
		{"X-1", "Leite em pó", 12345678905, 4011010, 11222333000181, "L-1", true},
		{12345, "SKU numérico", 7891000000038, 87083090, "", "", "não"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.svc.ImportFile(f.ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len()), "catalogo.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Created != 2 || rep.Format != "XLSX" {
		t.Fatalf("report: %+v", rep)
	}
	p := f.product(t, "X-1")
	if p.EAN != "0012345678905" || p.NCM != "04011010" || p.SupplierID == nil || *p.SupplierID != f.a.ID || !p.Dropship {
		t.Fatalf("X-1: %+v", p)
	}
	if p := f.product(t, "12345"); p.EAN != ean3 || p.NCM != "87083090" {
		t.Fatalf("12345: %+v", p)
	}
}

func TestImportJSON(t *testing.T) {
	f := newFixture(t)
	body := `[
		{"sku": "J-1", "name": "Farol", "ean": 7891000000014, "ncm": "85122011", "supplier_cnpj": "12.ABC.345/01DE-35", "supplier_code": "F-1", "dropship": true},
		{"sku": "J-2", "name": "Lanterna", "brand": null, "dropship": "não"}
	]`
	rep, err := f.svc.ImportJSON(f.ctx, strings.NewReader(body), "API")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Created != 2 {
		t.Fatalf("report: %+v", rep)
	}
	if p := f.product(t, "J-1"); p.EAN != ean1 || *p.SupplierID != f.b.ID || !p.Dropship {
		t.Fatalf("J-1: %+v", p)
	}
	bad := `[{"sku": "J-3", "name": "X", "nmae": "typo", "dropship": false}, "texto", {"sku": "J-4", "name": ["a"], "dropship": 0}, {"sku": "J-1", "name": "Farol", "ean": "123"}]`
	rep, err = f.svc.ImportJSON(f.ctx, strings.NewReader(bad), "API")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[int]string{}
	for _, p := range rep.Problems {
		lines[p.Line] += p.Message
	}
	if rep.OK() || !strings.Contains(lines[1], `"nmae"`) || !strings.Contains(lines[2], "objeto JSON") ||
		!strings.Contains(lines[3], "name deve ser texto") || !strings.Contains(lines[4], "EAN/GTIN inválido") {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if n := f.count(t); n != 2 {
		t.Fatalf("products: %d", n)
	}
	for _, broken := range []string{`{"sku": "x"}`, `[{"sku": "x"`, `[{"sku": "x"}] trailing`, ``} {
		if _, err := f.svc.ImportJSON(f.ctx, strings.NewReader(broken), "API"); !apperr.Is(err, apperr.EMALFORMED) {
			t.Errorf("%q: %v", broken, err)
		}
	}
	if _, err := f.svc.ImportJSON(f.ctx, strings.NewReader(`[]`), "API"); !apperr.Is(err, apperr.EINVALID) {
		t.Errorf("empty array: %v", err)
	}
}

func TestImportFileLevelErrors(t *testing.T) {
	f := newFixture(t)
	cases := map[string]string{
		"nome;marca\nX;Y\n":          "sku",
		"sku;name\n":                 "nenhuma linha",
		"%PDF-1.7\n\x00\x01\x02\x03": "PDF",
	}
	for file, frag := range cases {
		_, err := f.svc.ImportFile(f.ctx, strings.NewReader(file), int64(len(file)), "x")
		if !apperr.Is(err, apperr.EINVALID) || !strings.Contains(apperr.Message(err), frag) {
			t.Errorf("%q: %v", file, err)
		}
	}
}
