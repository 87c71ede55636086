package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

const (
	prodEAN1 = "7891000000014"
	prodEAN2 = "7891000000021"
)

func createProduct(t *testing.T, env *apptest.Env, p model.Product) *model.Product {
	t.Helper()
	p.Active = true
	if err := env.App.Store.CreateProduct(env.Ctx, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func productBySKU(t *testing.T, env *apptest.Env, sku string) *model.Product {
	t.Helper()
	p, err := env.App.Store.FindProductBySKU(env.Ctx, sku)
	if err != nil {
		t.Fatalf("product %s: %v", sku, err)
	}
	return p
}

func productCount(t *testing.T, env *apptest.Env) int64 {
	t.Helper()
	_, total, err := env.App.Store.ListProducts(env.Ctx, store.ProductFilter{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func TestProductListSearchFilterAndPagination(t *testing.T) {
	env := apptest.New(t)
	env.User("viewer@cp.example", model.RoleViewer, nil)
	a := env.Supplier("11222333000181", "Paulista Autopeças")
	bsup := env.Supplier("12ABC34501DE35", "Freios & Cia")
	for i := 0; i < 30; i++ {
		sup := a
		if i >= 24 {
			sup = bsup
		}
		p := model.Product{SKU: fmt.Sprintf("CP-%03d", i), Name: fmt.Sprintf("Pastilha %02d", i), SupplierID: &sup.ID,
			SupplierCode: fmt.Sprintf("S-%d", i), Dropship: i != 3}
		if i == 12 {
			p.Name, p.EAN = "Óleo de câmbio", prodEAN1
		}
		createProduct(t, env, p)
	}
	b := env.Login("viewer@cp.example")
	res := b.Get("/products")
	if res.Status != http.StatusOK {
		t.Fatalf("list: %d", res.Status)
	}
	if n := res.Doc.Find("[data-testid=product-row]").Length(); n != 25 {
		t.Fatalf("page 1 rows = %d", n)
	}
	if !strings.Contains(res.Text(".pager"), "1–25 de 30") {
		t.Fatalf("pager: %q", res.Text(".pager"))
	}
	if res.Doc.Find("[data-testid=nav-products]").Length() != 1 {
		t.Error("no Produtos link in the nav")
	}
	if res.Doc.Find("[data-testid=new-product], [data-testid=import-products]").Length() != 0 {
		t.Error("viewer offered to create or import products")
	}
	res = b.Get("/products?page=2")
	if n := res.Doc.Find("[data-testid=product-row]").Length(); n != 5 {
		t.Fatalf("page 2 rows = %d", n)
	}
	for _, q := range []string{"óleo", prodEAN1, "cp-012", "S-12"} {
		res = b.Get("/products?q=" + url.QueryEscape(q))
		if n := res.Doc.Find("[data-testid=product-row]").Length(); n != 1 || res.Text("[data-testid=product-sku]") != "CP-012" {
			t.Errorf("search %q: %d rows", q, n)
		}
	}
	res = b.Get("/products?supplier_id=" + strconv.FormatInt(bsup.ID, 10))
	if n := res.Doc.Find("[data-testid=product-row]").Length(); n != 6 {
		t.Errorf("supplier filter: %d rows", n)
	}
	if v, _ := res.Doc.Find("[data-testid=products-supplier] option[selected]").Attr("value"); v != strconv.FormatInt(bsup.ID, 10) {
		t.Errorf("supplier filter not kept in the form: %q", v)
	}
	res = b.Get("/products?dropship=no")
	if n := res.Doc.Find("[data-testid=product-row]").Length(); n != 1 || res.Text("[data-testid=product-sku]") != "CP-003" {
		t.Errorf("dropship filter: %d rows", n)
	}
	// The pager keeps the filters.
	res = b.Get("/products?dropship=yes")
	if href, _ := res.Doc.Find(".pager a[rel=next]").Attr("href"); !strings.Contains(href, "dropship=yes") || !strings.Contains(href, "page=2") {
		t.Errorf("next page link: %q", href)
	}
	// A viewer sees the product but cannot change it.
	p := productBySKU(t, env, "CP-012")
	res = b.Get("/products/" + strconv.FormatInt(p.ID, 10))
	if res.Status != http.StatusOK || res.Doc.Find("[data-testid=product-save]").Length() != 0 {
		t.Fatalf("viewer product page: %d", res.Status)
	}
	res = b.Submit("/products/"+strconv.FormatInt(p.ID, 10), url.Values{"name": {"X"}})
	if res.Status != http.StatusForbidden {
		t.Fatalf("viewer update: %d", res.Status)
	}
}

func TestProductEditBadEANShowsFieldErrorAndChangesNothing(t *testing.T) {
	env := apptest.New(t)
	env.User("compras@cp.example", model.RolePurchasing, nil)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	p := createProduct(t, env, model.Product{SKU: "CP-1", Name: "Filtro de óleo", EAN: prodEAN1, NCM: "84212300",
		SupplierID: &sup.ID, SupplierCode: "PA-1", Dropship: true})
	path := "/products/" + strconv.FormatInt(p.ID, 10)
	b := env.Login("compras@cp.example")
	res := b.Get(path)
	if v, _ := res.Doc.Find("#f-ncm").Attr("value"); v != "8421.23.00" {
		t.Errorf("NCM shown as %q", v)
	}
	form := url.Values{"name": {"Filtro de óleo novo"}, "brand": {"Tecfil"}, "ean": {"7891000000015"}, "ncm": {"8421.23.00"},
		"supplier_id": {strconv.FormatInt(sup.ID, 10)}, "supplier_code": {"PA-1"}, "dropship": {"1"}, "active": {"1"}}
	res = b.Submit(path, form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad EAN: status %d", res.Status)
	}
	if msg := res.Text("#e-ean"); !strings.Contains(msg, "dígito verificador") {
		t.Fatalf("EAN error next to the field: %q", msg)
	}
	if v, _ := res.Doc.Find("#f-ean").Attr("aria-invalid"); v != "true" {
		t.Error("EAN input not marked invalid")
	}
	if v, _ := res.Doc.Find("#f-name").Attr("value"); v != "Filtro de óleo novo" {
		t.Errorf("typed name lost: %q", v)
	}
	if got := productBySKU(t, env, "CP-1"); got.Name != "Filtro de óleo" || got.Brand != "" || got.EAN != prodEAN1 {
		t.Fatalf("product changed by a refused form: %+v", got)
	}
	// Dropship without a supplier code is refused next to that field.
	form.Set("ean", prodEAN2)
	form.Set("supplier_code", "")
	res = b.Submit(path, form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#e-supplier_code"), "código") {
		t.Fatalf("dropship without code: %d %q", res.Status, res.Text("#e-supplier_code"))
	}
	form.Set("supplier_code", "PA-2")
	res = b.Submit(path, form)
	if res.Status != http.StatusSeeOther || res.Location() != path {
		t.Fatalf("valid edit: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	got := productBySKU(t, env, "CP-1")
	if got.Name != "Filtro de óleo novo" || got.Brand != "Tecfil" || got.EAN != prodEAN2 || got.SupplierCode != "PA-2" {
		t.Fatalf("after edit: %+v", got)
	}
	if res = b.Get(path); res.Text("[data-testid=flash-success]") == "" {
		t.Error("no success flash after saving")
	}

	// Creating: a taken SKU is shown on the SKU field.
	res = b.Get("/products/new")
	if res.Status != http.StatusOK {
		t.Fatalf("new form: %d", res.Status)
	}
	res = b.Submit("/products", url.Values{"sku": {"CP-1"}, "name": {"Outro"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#e-sku"), "Já existe") {
		t.Fatalf("duplicate SKU: %d %q", res.Status, res.Text("#e-sku"))
	}
	res = b.Submit("/products", url.Values{"sku": {"CP-2"}, "name": {"Junta"}, "ncm": {"84842000"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	if got := productBySKU(t, env, "CP-2"); got.Dropship || !got.Active || got.NCM != "84842000" {
		t.Fatalf("created: %+v", got)
	}
}

// upload posts a file to the import page like the browser's form does.
func upload(t *testing.T, env *apptest.Env, b *apptest.Browser, name string, content []byte) *apptest.Response {
	t.Helper()
	if res := b.Get("/products/import"); res.Status != http.StatusOK {
		t.Fatalf("import page: %d", res.Status)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content) //nolint:errcheck
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/products/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(req)
}

func TestProductImportPage(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	env.Supplier("11222333000181", "Paulista Autopeças")
	b := env.Login("admin@cp.example")

	res := b.Get("/products/import")
	form := res.Doc.Find("[data-testid=import-form]")
	if enc, _ := form.Attr("enctype"); enc != "multipart/form-data" {
		t.Errorf("form enctype %q", enc)
	}
	if target, _ := form.Attr("data-upload"); target != "import-result" || res.Doc.Find("#import-result").Length() != 1 {
		t.Error("upload form does not name its result region")
	}
	if form.Find("progress[data-upload-progress]").Length() != 1 {
		t.Error("no progress bar")
	}

	csv, err := charmap.Windows1252.NewEncoder().String("Código;Descrição;Marca;EAN;NCM;CNPJ Fornecedor;Código Fornecedor;Dropship\r\n" +
		"CP-001;Óleo de Câmbio Sintético;Lubrax;" + prodEAN1 + ";2710.19.32;11.222.333/0001-81;PA-100;sim\r\n" +
		"CP-002;Pastilha Cerâmica;Frasle;;87083090;11222333000181;PA-101;Sim\r\n" +
		"CP-003;Junta Homocinética;Sabó;;;;;não\r\n")
	if err != nil {
		t.Fatal(err)
	}
	res = afterUpload(t, b, upload(t, env, b, "catálogo.csv", []byte(csv)), "/products/import")
	if res.Status != http.StatusOK {
		t.Fatalf("import: %d %s %s", res.Status, res.Text("[data-testid=import-result]"), res.Text("[data-testid=error-page]"))
	}
	if res.Text("[data-testid=import-applied]") != "3" || res.Text("[data-testid=import-rejected]") != "0" {
		t.Fatalf("report: %q", res.Text("[data-testid=import-report]"))
	}
	if src := res.Text("[data-testid=import-source]"); src != "catálogo.csv" {
		t.Errorf("source: %q", src)
	}
	if p := productBySKU(t, env, "CP-001"); p.Name != "Óleo de Câmbio Sintético" || p.NCM != "27101932" || !p.Dropship {
		t.Fatalf("imported: %+v", p)
	}

	bad := "sku;name;ean;ncm;supplier_cnpj;supplier_code\n" +
		"CP-010;Filtro;" + prodEAN2 + ";84213100;11222333000181;PA-200\n" +
		"CP-011;Vela;7891000000022;8511;11222333000181;PA-201\n" +
		"CP-012;Bobina;;85113020;45812390000132;X-1\n"
	res = afterUpload(t, b, upload(t, env, b, "ruim.csv", []byte(bad)), "/products/import")
	if res.Text("[data-testid=import-applied]") != "0" || res.Text("[data-testid=import-rejected]") != "2" {
		t.Fatalf("report: %q", res.Text("[data-testid=import-report]"))
	}
	var lines []string
	res.Doc.Find("[data-testid=import-problem] [data-testid=problem-line]").Each(func(_ int, s *goquery.Selection) {
		lines = append(lines, strings.TrimSpace(s.Text()))
	})
	if strings.Join(lines, ",") != "3,3,4" {
		t.Fatalf("problem lines: %v (%s)", lines, res.Text("[data-testid=import-problems]"))
	}
	if !strings.Contains(res.Text("[data-testid=import-summary]"), "Nenhuma linha foi aplicada") {
		t.Errorf("summary: %q", res.Text("[data-testid=import-summary]"))
	}
	if _, err := env.App.Store.FindProductBySKU(env.Ctx, "CP-010"); err == nil {
		t.Fatal("the good line of a rejected file was applied")
	}

	res = afterUpload(t, b, upload(t, env, b, "foto.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), "/products/import")
	if !strings.Contains(res.Text("#import-result [data-testid=form-error]"), "Arquivo recusado") {
		t.Fatalf("not a spreadsheet: %d %q", res.Status, res.Text("#import-result"))
	}
}

func TestProductsForbiddenToSuppliersAndOtherRoles(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	supUser := env.User("fornecedor@paulista.example", model.RoleSupplier, sup)
	fiscal := env.User("fiscal@cp.example", model.RoleFiscal, nil)
	p := createProduct(t, env, model.Product{SKU: "CP-1", Name: "Filtro"})

	b := env.Login("fornecedor@paulista.example")
	for _, path := range []string{"/products", "/products/new", "/products/import", "/products/" + strconv.FormatInt(p.ID, 10)} {
		if res := b.Get(path); res.Status != http.StatusForbidden {
			t.Errorf("supplier GET %s: %d", path, res.Status)
		}
	}
	if res := b.Get("/"); res.Doc.Find("[data-testid=nav-products]").Length() != 0 {
		t.Error("supplier sees the Produtos link")
	}
	body := `[{"sku": "CP-9", "name": "Intruso"}]`
	res := env.API(env.Token(supUser), http.MethodPut, "/api/v1/products", strings.NewReader(body), "application/json")
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, `"code":"forbidden"`) {
		t.Fatalf("supplier PUT /api/v1/products: %d %s", res.Status, res.Body)
	}
	res = env.API(env.Token(fiscal), http.MethodPut, "/api/v1/products", strings.NewReader(body), "application/json")
	if res.Status != http.StatusForbidden {
		t.Fatalf("fiscal PUT /api/v1/products: %d", res.Status)
	}
	bf := env.Login("fiscal@cp.example")
	if res := bf.Get("/products"); res.Status != http.StatusOK {
		t.Errorf("fiscal list: %d", res.Status)
	}
	if res := bf.Get("/products/import"); res.Status != http.StatusForbidden {
		t.Errorf("fiscal import page: %d", res.Status)
	}
	if n := productCount(t, env); n != 1 {
		t.Fatalf("products: %d", n)
	}
}

type apiImport struct {
	Applied, Created, Updated, Unchanged int
	Rejected                             []any
}

type apiError struct {
	Error struct {
		Code    string
		Message string
		Details []struct {
			Line    int
			Message string
		}
	}
}

func TestAPIProductsPut(t *testing.T) {
	env := apptest.New(t)
	env.Supplier("12ABC34501DE35", "Freios & Cia")
	tok := env.Token(env.User("compras@cp.example", model.RolePurchasing, nil))
	put := func(body []byte, ct string) *apptest.Response {
		t.Helper()
		return env.API(tok, http.MethodPut, "/api/v1/products", bytes.NewReader(body), ct)
	}
	decode := func(res *apptest.Response, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(res.Body), v); err != nil {
			t.Fatalf("%d %s: %v", res.Status, res.Body, err)
		}
	}

	res := put([]byte(`[{"sku": "A-1", "name": "Disco de freio", "supplier_cnpj": "12ABC34501DE35", "supplier_code": "D-1", "dropship": "sim", "ean": 7891000000014},
		{"sku": "A-2", "name": "Pinça", "dropship": false}]`), "application/json")
	var ok apiImport
	decode(res, &ok)
	if res.Status != http.StatusOK || ok.Applied != 2 || ok.Created != 2 || ok.Rejected == nil || len(ok.Rejected) != 0 {
		t.Fatalf("JSON: %d %s", res.Status, res.Body)
	}
	if p := productBySKU(t, env, "A-1"); p.EAN != prodEAN1 || p.SupplierCode != "D-1" || !p.Dropship {
		t.Fatalf("A-1: %+v", p)
	}

	res = put([]byte("sku;name;ncm\nA-2;Pinça de freio;87083090\nA-3;Cilindro;\n"), "text/csv; charset=utf-8")
	decode(res, &ok)
	if res.Status != http.StatusOK || ok.Applied != 2 || ok.Created != 1 || ok.Updated != 1 {
		t.Fatalf("CSV: %d %s", res.Status, res.Body)
	}

	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"sku", "name", "active"})         //nolint:errcheck
	x.SetSheetRow("Sheet1", "A2", &[]any{"A-3", "Cilindro mestre", "não"}) //nolint:errcheck
	buf, _ := x.WriteToBuffer()
	x.Close()
	res = put(buf.Bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	decode(res, &ok)
	if res.Status != http.StatusOK || ok.Updated != 1 {
		t.Fatalf("XLSX: %d %s", res.Status, res.Body)
	}
	// The same workbook sent as bytes of unknown type is recognised by content.
	res = put(buf.Bytes(), "application/octet-stream")
	decode(res, &ok)
	if res.Status != http.StatusOK || ok.Unchanged != 1 {
		t.Fatalf("XLSX sniffed: %d %s", res.Status, res.Body)
	}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "catalogo.csv")
	fw.Write([]byte("sku;brand\nA-3;Bosch\n")) //nolint:errcheck
	mw.Close()
	res = put(mp.Bytes(), mw.FormDataContentType())
	decode(res, &ok)
	if res.Status != http.StatusOK || ok.Updated != 1 || productBySKU(t, env, "A-3").Brand != "Bosch" {
		t.Fatalf("multipart: %d %s", res.Status, res.Body)
	}
	if p := productBySKU(t, env, "A-3"); p.Name != "Cilindro mestre" || p.Active {
		t.Fatalf("A-3: %+v", p)
	}

	res = put([]byte("sku,name,ean\nB-1,Bom,\nB-2,Ruim,123\nB-3,,\n"), "text/csv")
	var e apiError
	decode(res, &e)
	if res.Status != http.StatusUnprocessableEntity || e.Error.Code != "invalid" || len(e.Error.Details) != 2 ||
		e.Error.Details[0].Line != 3 || e.Error.Details[1].Line != 4 || !strings.Contains(e.Error.Message, "Nenhuma linha foi aplicada") {
		t.Fatalf("bad rows: %d %s", res.Status, res.Body)
	}
	if _, err := env.App.Store.FindProductBySKU(env.Ctx, "B-1"); err == nil {
		t.Fatal("good row of a rejected upload applied")
	}

	for _, tc := range []struct {
		body, ct string
		status   int
	}{
		{`[{"sku": "x"`, "application/json", http.StatusBadRequest},
		{"", "text/csv", http.StatusBadRequest},
		{"name\nX\n", "text/csv", http.StatusUnprocessableEntity}, // no sku column
	} {
		if res := put([]byte(tc.body), tc.ct); res.Status != tc.status || !strings.Contains(res.Body, `"error"`) {
			t.Errorf("%q: %d %s", tc.body, res.Status, res.Body)
		}
	}
}
