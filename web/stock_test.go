package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

type stockFixture struct {
	env        *apptest.Env
	paulista   *model.Supplier
	freios     *model.Supplier
	pastilha   *model.Product
	disco      *model.Product
	foreign    *model.Product
	tokPaulo   string
	tokFreios  string
	tokCompras string
}

func newStockFixture(t *testing.T) *stockFixture {
	t.Helper()
	env := apptest.New(t)
	f := &stockFixture{env: env}
	f.paulista = env.Supplier("11222333000181", "Paulista Autopeças")
	f.freios = env.Supplier("12ABC34501DE35", "Freios & Cia")
	mk := func(sku, code string, sup *model.Supplier) *model.Product {
		p := &model.Product{SKU: sku, Name: "Produto " + sku, SupplierID: &sup.ID, SupplierCode: code, Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.pastilha = mk("CP-PAST-01", "PF-100", f.paulista)
	f.disco = mk("CP-DISC-02", "DF-200", f.paulista)
	f.foreign = mk("CP-FREI-03", "FR-300", f.freios)
	f.tokPaulo = env.Token(env.User("paulo@paulista.example", model.RoleSupplier, f.paulista))
	f.tokFreios = env.Token(env.User("fer@freios.example", model.RoleSupplier, f.freios))
	f.tokCompras = env.Token(env.User("compras@cp.example", model.RolePurchasing, nil))
	return f
}

type stockJSON struct {
	SKU       string
	Physical  int64
	Reserved  int64
	Available int64
	Locations []struct {
		Location  string
		Available int64
	}
}

func (f *stockFixture) stockOf(t *testing.T, token, sku string) (int, stockJSON) {
	t.Helper()
	res := f.env.API(token, "GET", "/api/v1/stock?sku="+url.QueryEscape(sku), nil, "")
	var out stockJSON
	if res.Status == 200 {
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
			t.Fatal(err)
		}
	}
	return res.Status, out
}

func TestStockFeedAPI(t *testing.T) {
	f := newStockFixture(t)
	// Windows-1252 CSV with Portuguese headers, as Excel saves it.
	csv := []byte("C\xf3digo;Quantidade\r\nPF-100;12\r\nDF-200;0\r\n")
	res := f.env.API(f.tokPaulo, "PUT", "/api/v1/stock", bytes.NewReader(csv), "text/csv")
	if res.Status != 200 || !strings.Contains(res.Body, `"applied":2`) {
		t.Fatalf("CSV feed: %d %s", res.Status, res.Body)
	}
	status, st := f.stockOf(t, f.tokPaulo, "CP-PAST-01")
	if status != 200 || st.Physical != 12 || st.Available != 12 || len(st.Locations) != 1 || st.Locations[0].Location != "FORN-11222333000181" {
		t.Fatalf("stock after feed: %d %+v", status, st)
	}

	// JSON, then a feed with bad lines: nothing of it is applied, every line reported.
	res = f.env.API(f.tokPaulo, "PUT", "/api/v1/stock", strings.NewReader(`[{"supplier_code":"PF-100","quantity":7}]`), "application/json")
	if res.Status != 200 {
		t.Fatalf("JSON feed: %d %s", res.Status, res.Body)
	}
	bad := "codigo;quantidade\nPF-100;3\nFR-300;5\nXX-999;1\nDF-200;-2\nDF-200;abc\nPF-100;4\n"
	res = f.env.API(f.tokPaulo, "PUT", "/api/v1/stock", strings.NewReader(bad), "text/csv")
	var e struct {
		Error struct {
			Code    string
			Details []struct {
				Line    int
				Message string
			}
		}
	}
	if res.Status != http.StatusUnprocessableEntity || json.Unmarshal([]byte(res.Body), &e) != nil {
		t.Fatalf("bad feed: %d %s", res.Status, res.Body)
	}
	lines := map[int]string{}
	for _, d := range e.Error.Details {
		lines[d.Line] = d.Message
	}
	for line, want := range map[int]string{3: "FR-300 não pertence", 4: "XX-999 não pertence", 5: "negativ", 6: "inválid", 7: "repetido"} {
		if !strings.Contains(lines[line], want) {
			t.Errorf("line %d: %q, want %q (all: %v)", line, lines[line], want, lines)
		}
	}
	if _, st := f.stockOf(t, f.tokPaulo, "CP-PAST-01"); st.Physical != 7 {
		t.Fatalf("a rejected feed changed stock: %+v", st)
	}
}

func TestStockIsolationAndRoles(t *testing.T) {
	f := newStockFixture(t)
	if status, _ := f.stockOf(t, f.tokPaulo, "CP-FREI-03"); status != 404 {
		t.Fatalf("supplier reads another supplier's stock: %d", status)
	}
	if status, _ := f.stockOf(t, f.tokCompras, "CP-FREI-03"); status != 200 {
		t.Fatalf("staff reads stock: %d", status)
	}
	if res := f.env.API(f.tokCompras, "PUT", "/api/v1/stock", strings.NewReader("codigo;quantidade\nPF-100;1\n"), "text/csv"); res.Status != 403 {
		t.Fatalf("staff sending a supplier feed: %d", res.Status)
	}
	if res := f.env.API(f.tokFreios, "PUT", "/api/v1/stock", strings.NewReader("codigo;quantidade\nPF-100;1\n"), "text/csv"); res.Status != 422 {
		t.Fatalf("feed with another supplier's code: %d", res.Status)
	}
	b := f.env.Login("paulo@paulista.example")
	res := b.Get("/stock")
	if res.Status != 200 || strings.Contains(res.Body, "CP-FREI-03") || !strings.Contains(res.Body, "CP-PAST-01") {
		t.Fatalf("supplier stock page: %d", res.Status)
	}
	if res := b.Get("/stock/products/" + itoa(f.pastilha.ID)); res.Status != 403 {
		t.Fatalf("supplier on staff stock page: %d", res.Status)
	}
}

func TestStockFeedUploadPage(t *testing.T) {
	f := newStockFixture(t)
	b := f.env.Login("paulo@paulista.example")
	b.Get("/stock")
	res := afterUpload(t, b, b.Do(multipartUpload(t, f.env.URL+"/stock/feed", "estoque.csv", "codigo;quantidade\nPF-100;5\nNOPE;1\n")), "/stock")
	if !strings.Contains(res.Text("[data-testid=feed-problems]"), "NOPE não pertence") {
		t.Fatalf("bad upload: %d %s", res.Status, res.Text("main"))
	}
	res = afterUpload(t, b, b.Do(multipartUpload(t, f.env.URL+"/stock/feed", "estoque.csv", "codigo;quantidade\nPF-100;5\n")), "/stock")
	if !strings.Contains(res.Text("[data-testid=feed-ok]"), "1 linha(s) aplicada(s)") {
		t.Fatalf("upload: %d %s", res.Status, res.Text("main"))
	}
	if _, st := f.stockOf(t, f.tokPaulo, "CP-PAST-01"); st.Physical != 5 {
		t.Fatalf("stock after upload: %+v", st)
	}
}

func multipartUpload(t *testing.T, target, name, content string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write([]byte(content)) //nolint:errcheck
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func TestStockManualEntryAndCount(t *testing.T) {
	f := newStockFixture(t)
	f.env.User("log@cp.example", model.RoleLogistics, nil)
	f.env.User("fis@cp.example", model.RoleFiscal, nil)
	b := f.env.Login("log@cp.example")
	path := "/stock/products/" + itoa(f.disco.ID)
	page := b.Get(path)
	// Both forms have a "note" field; each input keeps an id of its own.
	seen := map[string]bool{}
	page.Doc.Find("[id]").Each(func(_ int, el *goquery.Selection) {
		id, _ := el.Attr("id")
		if seen[id] {
			t.Errorf("id %q appears twice on the product stock page", id)
		}
		seen[id] = true
	})
	if page.Doc.Find(`label[for="f-count-note"]`).Length() != 1 {
		t.Error("the count form's note has no label of its own")
	}
	res := b.Submit(path+"/entries", url.Values{"kind": {"manual"}, "delta": {"4"}, "note": {""}})
	if res.Status != 422 || !strings.Contains(res.Text("#e-note"), "motivo") {
		t.Fatalf("manual entry without reason: %d %q", res.Status, res.Text("#e-note"))
	}
	res = b.Submit(path+"/entries", url.Values{"kind": {"manual"}, "delta": {"4"}, "note": {"devolução de cliente"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("manual entry: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	res = b.Submit(path+"/entries", url.Values{"kind": {"inventory"}, "counted": {"3"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("count: %d", res.Status)
	}
	res = b.Get(path)
	if res.Text("[data-testid=stock-physical]") != "3" || res.Doc.Find("[data-testid=moves-table] tbody tr").Length() != 2 {
		t.Fatalf("product stock page: physical %q", res.Text("[data-testid=stock-physical]"))
	}
	if !strings.Contains(res.Text("[data-testid=moves-table]"), "Inventário") || !strings.Contains(res.Text("[data-testid=moves-table]"), "log@cp.example") {
		t.Fatalf("ledger: %s", res.Text("[data-testid=moves-table]"))
	}
	// Fiscal may look but not move stock.
	fis := f.env.Login("fis@cp.example")
	fis.Get(path)
	if res := fis.Submit(path+"/entries", url.Values{"kind": {"manual"}, "delta": {"1"}, "note": {"x"}}); res.Status != 403 {
		t.Fatalf("fiscal manual entry: %d", res.Status)
	}
	if m, err := f.env.App.Stock.Verify(f.env.Ctx); err != nil || len(m) != 0 {
		t.Fatalf("ledger mismatch: %v %v", m, err)
	}
}
