package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/pricetable"
)

// poFixture is a portal where supplier A (the issuer of nfetest.Valid) has a
// price table in force and two POs, and supplier B has none of its own.
type poFixture struct {
	env        *apptest.Env
	a, b       *model.Supplier
	tokA, tokB string
	po1, po2   string
	nnf        int
}

func newPOFixture(t *testing.T) *poFixture {
	t.Helper()
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.CompanyCNPJ = nfetest.BuyerCNPJ }})
	f := &poFixture{env: env, a: env.Supplier(nfetest.IssuerCNPJ, "Freios & Cia"), b: env.Supplier("11222333000181", "Paulista Autopeças")}
	f.tokA = env.Token(env.User("a@freios.test", model.RoleSupplier, f.a))
	f.tokB = env.Token(env.User("b@paulista.test", model.RoleSupplier, f.b))
	env.User("compras@connectparts.test", model.RolePurchasing, nil)
	var ids []int64
	for _, code := range []string{"PF-100", "DF-200"} {
		p := &model.Product{SKU: "SKU-" + code, Name: "Produto " + code, SupplierID: &f.a.ID, SupplierCode: code, Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	csv := "codigo;preco\r\nPF-100;89,90\r\nDF-200;0,33\r\n"
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := env.App.PriceTables.SubmitFile(env.Ctx, f.a.ID, pricetable.File{Name: "t.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		t.Fatal(err)
	}
	plat := &model.Platform{Kind: model.PlatformSandbox, Name: "Loja", SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
	if err := env.App.Store.CreatePlatform(env.Ctx, plat); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		so := &model.SalesOrder{PlatformID: plat.ID, ExternalID: "ext-" + strconv.Itoa(i), Number: "V-" + strconv.Itoa(i), Status: model.SOPaymentApproved,
			CustomerName: "Maria da Silva", CustomerDocument: "52998224725", DeliveryCity: "Rio de Janeiro", DeliveryState: "RJ", PlacedAt: time.Now().UTC()}
		for j, id := range ids {
			p, _ := env.App.Store.FindProduct(env.Ctx, id)
			loc, err := env.App.Stock.LocationFor(env.Ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			q := int64(2 + j)
			so.Items = append(so.Items, model.SalesOrderItem{ProductID: id, LocationID: loc.ID, SKU: p.SKU, Quantity: q, UnitPriceCents: 100, TotalCents: 100 * q})
		}
		if err := env.App.Store.CreateSalesOrder(env.Ctx, so); err != nil {
			t.Fatal(err)
		}
		pos, err := env.App.Purchasing.CreateForOrder(env.Ctx, so.ID)
		if err != nil || len(pos) != 1 {
			t.Fatalf("create PO: %v %d", err, len(pos))
		}
		if i == 0 {
			f.po1 = pos[0].Number
		} else {
			f.po2 = pos[0].Number
		}
	}
	return f
}

// xml is an authorised NF-e of A for the PO, numbered anew each time.
func (f *poFixture) xml(t *testing.T, po string, edit func(d *nfetest.Doc)) string {
	f.nnf++
	d := nfetest.Valid()
	d.Proc, d.NNF = true, strconv.Itoa(5000+f.nnf)
	for i := range d.Items {
		d.Items[i].XPed = po
	}
	if edit != nil {
		edit(d)
	}
	return d.XML(t)
}

func errorDetails(t *testing.T, body string) (string, []string) {
	t.Helper()
	var out struct {
		Error struct {
			Code    string `json:"code"`
			Details []struct {
				Field string `json:"field"`
			} `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var fields []string
	for _, d := range out.Error.Details {
		fields = append(fields, d.Field)
	}
	return out.Error.Code, fields
}

func TestPurchaseOrderAPI(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	path := "/api/v1/purchase-orders/" + f.po1

	res := e.API(f.tokA, "GET", "/api/v1/purchase-orders?status=awaiting_supplier", nil, "")
	var list struct {
		Items []struct {
			Number string `json:"number"`
			Items  []struct {
				UnitPriceCents *int64 `json:"unit_price_cents"`
			} `json:"items"`
		} `json:"items"`
	}
	if res.Status != 200 || json.Unmarshal([]byte(res.Body), &list) != nil || len(list.Items) != 2 || list.Items[0].Number != f.po2 {
		t.Fatalf("list: %d %s", res.Status, res.Body)
	}
	if p := list.Items[0].Items[0].UnitPriceCents; p == nil || *p != 8990 {
		t.Fatalf("price %v", p)
	}
	if res := e.API(f.tokA, "GET", "/api/v1/purchase-orders?limit=1", nil, ""); !strings.Contains(res.Body, `"next_cursor":"`) {
		t.Fatalf("no cursor: %s", res.Body)
	}
	if res := e.API(f.tokB, "GET", "/api/v1/purchase-orders", nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"items":[]`) {
		t.Fatalf("B sees: %s", res.Body)
	}
	if res := e.API(f.tokA, "GET", path, nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"history":[`) || !strings.Contains(res.Body, `"dispatch_due_at"`) {
		t.Fatalf("detail: %d %s", res.Status, res.Body)
	}
	for _, p := range []string{"", "/acknowledge", "/invoice"} {
		method := "POST"
		if p == "" {
			method = "GET"
		}
		if res := e.API(f.tokB, method, path+p, strings.NewReader(f.xml(t, f.po1, nil)), "application/xml"); res.Status != 404 {
			t.Fatalf("B %s %s: %d %s", method, p, res.Status, res.Body)
		}
	}

	if res := e.API(f.tokA, "POST", path+"/acknowledge", nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"status":"acknowledged"`) {
		t.Fatalf("ack: %d %s", res.Status, res.Body)
	}
	if res := e.API(f.tokA, "POST", path+"/acknowledge", nil, ""); res.Status != 409 {
		t.Fatalf("ack twice: %d %s", res.Status, res.Body)
	}
	if res := e.API(f.tokA, "POST", path+"/backorder", strings.NewReader(`{"available_on":"2020-01-01","reason":""}`), "application/json"); res.Status != 422 {
		t.Fatalf("bad backorder: %d %s", res.Status, res.Body)
	}

	for name, c := range map[string]struct {
		edit  func(d *nfetest.Doc)
		field string
	}{
		"NFC-e":       {func(d *nfetest.Doc) { d.Mod = "65" }, "wrong_model"},
		"3.10":        {func(d *nfetest.Doc) { d.Version = "3.10" }, "unsupported_version"},
		"another PO":  {func(d *nfetest.Doc) { d.Items[0].XPed, d.Items[1].XPed = f.po2, f.po2 }, "xPed"},
		"price +0,02": {func(d *nfetest.Doc) { d.Items[0].V, d.Items[0].VProd = "89.92", "179.84" }, "unit_price"},
	} {
		res := e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(f.xml(t, f.po1, c.edit)), "application/xml")
		code, fields := errorDetails(t, res.Body)
		if res.Status != 422 || code != "invalid" || !slicesContains(fields, c.field) {
			t.Fatalf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	good := f.xml(t, f.po1, nil)
	res = e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(good), "application/xml")
	if res.Status != 201 || !strings.Contains(res.Body, `"accepted":true`) || !strings.Contains(res.Body, `"status":"supplier_invoiced"`) {
		t.Fatalf("good invoice: %d %s", res.Status, res.Body)
	}
	if res := e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(good), "application/xml"); res.Status != 409 {
		t.Fatalf("invoiced PO takes another: %d %s", res.Status, res.Body)
	}
	// The same key for the other PO: used before (and its xPed names PO 1).
	res = e.API(f.tokA, "POST", "/api/v1/purchase-orders/"+f.po2+"/invoice", strings.NewReader(good), "application/xml")
	if _, fields := errorDetails(t, res.Body); res.Status != 422 || !slicesContains(fields, "access_key") {
		t.Fatalf("same key twice: %d %s", res.Status, res.Body)
	}
	if res := e.API(f.tokA, "GET", path, nil, ""); !strings.Contains(res.Body, `"status":"divergent"`) || !strings.Contains(res.Body, `"status":"accepted"`) {
		t.Fatalf("invoices in detail: %s", res.Body)
	}
}

func slicesContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestPurchaseOrderPages(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	a := e.Login("a@freios.test")
	res := a.Get("/purchase-orders")
	if res.Status != 200 || res.Doc.Find("[data-testid=po-row]").Length() != 2 || !strings.Contains(res.Text("[data-testid=po-deadline]"), "faltam 2") {
		t.Fatalf("inbox: %d rows, deadline %q", res.Doc.Find("[data-testid=po-row]").Length(), res.Text("[data-testid=po-deadline]"))
	}
	if res := a.Get("/purchase-orders?q=" + url.QueryEscape(f.po1)); res.Doc.Find("[data-testid=po-row]").Length() != 1 {
		t.Fatal("search by number")
	}
	page := "/purchase-orders/" + f.po1
	res = a.Get(page)
	if res.Status != 200 || res.Doc.Find("[data-testid=po-items] tbody tr").Length() != 2 || !strings.Contains(res.Text("[data-testid=po-customer]"), "Maria da Silva") {
		t.Fatalf("detail: %d", res.Status)
	}
	if res := e.Login("b@paulista.test").Get(page); res.Status != 404 {
		t.Fatalf("another supplier's PO: %d", res.Status)
	}

	res = a.Submit(page+"/backorder", url.Values{"available_on": {"2000-01-01"}, "reason": {"x"}})
	if res.Status != 422 {
		t.Fatalf("past backorder: %d", res.Status)
	}
	res = a.Submit(page+"/acknowledge", nil)
	if res.Status != 303 {
		t.Fatalf("ack: %d", res.Status)
	}
	if res := a.Get(page); res.Text("[data-testid=po-status]") != model.POAcknowledged.Label() {
		t.Fatalf("status %q", res.Text("[data-testid=po-status]"))
	}

	uploadAs := func(field, xml string) *apptest.Response {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile(field, "nfe.xml")
		fw.Write([]byte(xml))
		w.Close()
		req, _ := http.NewRequest("POST", e.URL+page+"/invoice", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return a.Do(req)
	}
	upload := func(xml string) *apptest.Response { return uploadAs("xml", xml) }
	res = afterUpload(t, a, uploadAs("other", f.xml(t, f.po1, nil)), page)
	if res.Text("[data-testid=invoice-rejected]") != "Escolha o arquivo XML da NF-e." {
		t.Fatalf("upload without the file: %d %q", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	res = afterUpload(t, a, upload("%PDF-1.4 not an NF-e"), page)
	if res.Text("[data-testid=invoice-rejected]") == "" || res.Doc.Find("[data-testid=invoice-problems] li").Length() == 0 {
		t.Fatalf("upload of a file that is not XML: %d %q", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	if po, err := f.env.App.Store.FindPurchaseOrderByNumber(f.env.Ctx, f.po1); err != nil {
		t.Fatal(err)
	} else if invs, err := f.env.App.Store.ListSupplierInvoices(f.env.Ctx, po.ID); err != nil || len(invs) != 0 || po.Status != model.POAcknowledged {
		t.Fatalf("a refused file was kept: %d invoices, status %s, %v", len(invs), po.Status, err)
	}
	res = afterUpload(t, a, upload(f.xml(t, f.po1, func(d *nfetest.Doc) { d.Items = d.Items[:1] })), page)
	if res.Doc.Find("[data-testid=invoice-result] [data-testid=check-missing_item]").Length() != 1 {
		t.Fatalf("divergent upload: %d %s", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	res = upload(f.xml(t, f.po1, nil))
	if res.Status != http.StatusSeeOther || res.Location() != "/purchase-orders/"+f.po1 {
		t.Fatalf("accepted upload: %d %s %s", res.Status, res.Location(), res.Text("[data-testid=invoice-result]"))
	}
	if got := a.Get(res.Location()).Text("[data-testid=flash-success]"); !strings.Contains(got, "conferida com o pedido") {
		t.Fatalf("after the redirect: %q", got)
	}

	staff := e.Login("compras@connectparts.test")
	res = staff.Get("/purchase-orders")
	if res.Status != 200 || res.Doc.Find("[data-testid=po-row]").Length() != 2 || res.Doc.Find("[data-testid=nav-purchase-orders]").Length() != 1 {
		t.Fatalf("staff inbox: %d", res.Status)
	}
	if res := staff.Get(page); res.Status != 200 || res.Doc.Find("[data-testid=po-invoice]").Length() != 2 || res.Doc.Find("[data-testid=invoice-form]").Length() != 0 {
		t.Fatalf("staff detail: %d", res.Status)
	}
}
