package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// billingXML is ConnectParts' authorised billing NF-e for a PO of the
// fixture: issuer the company, recipient the customer's CPF, CFOP 5.120,
// cProd our SKU, the PO's quantities (2 and 3).
func (f *poFixture) billingXML(t *testing.T, edit func(d *nfetest.Doc)) string {
	f.nnf++
	d := nfetest.Valid()
	d.Proc, d.NNF = true, strconv.Itoa(9000+f.nnf)
	d.EmitCNPJ, d.DestCNPJ, d.DestCPF = nfetest.BuyerCNPJ, "", "52998224725"
	d.Items[0].Code, d.Items[1].Code = "SKU-PF-100", "SKU-DF-200"
	d.Items[0].CFOP, d.Items[1].CFOP = "6120", "6120"
	if edit != nil {
		edit(d)
	}
	return d.XML(t)
}

// stockUp gives the fixture's products supplier stock so billing can consume it.
func (f *poFixture) stockUp(t *testing.T) {
	for _, sku := range []string{"SKU-PF-100", "SKU-DF-200"} {
		p, err := f.env.App.Store.FindProductBySKU(f.env.Ctx, sku)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := f.env.App.Stock.LocationFor(f.env.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.env.App.Stock.Adjust(f.env.Ctx, p.ID, loc.ID, 20, model.SourceManual, "test", "estoque do teste"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPurchaseOrderFiscalAPI(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	fiscal := e.Token(e.User("fiscal@connectparts.test", model.RoleFiscal, nil))
	logistics := e.Token(e.User("logistica@connectparts.test", model.RoleLogistics, nil))
	path := "/api/v1/purchase-orders/" + f.po1

	// Booking before the supplier invoice: 409 in Portuguese.
	res := e.API(fiscal, "POST", path+"/book-supplier-invoice", nil, "")
	if res.Status != 409 || !strings.Contains(res.Body, "Não é possível") {
		t.Fatalf("book before invoice: %d %s", res.Status, res.Body)
	}
	if res := e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(f.xml(t, f.po1, nil)), "application/xml"); res.Status != 201 {
		t.Fatalf("supplier invoice: %d %s", res.Status, res.Body)
	}
	// A supplier cannot book; billing before booking is 409.
	if res := e.API(f.tokA, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 403 {
		t.Fatalf("supplier booking: %d", res.Status)
	}
	if res := e.API(fiscal, "POST", path+"/billing-invoice", strings.NewReader(f.billingXML(t, nil)), "application/xml"); res.Status != 409 {
		t.Fatalf("billing before booking: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscal, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"status":"invoice_booked"`) {
		t.Fatalf("book: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscal, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 409 {
		t.Fatalf("book twice: %d", res.Status)
	}
	// Nothing to download yet.
	if res := e.API(f.tokA, "GET", path+"/billing-invoice", nil, ""); res.Status != 404 {
		t.Fatalf("download before billing: %d", res.Status)
	}
	// Divergent: 422 with every problem.
	res = e.API(fiscal, "POST", path+"/billing-invoice", strings.NewReader(f.billingXML(t, func(d *nfetest.Doc) {
		d.EmitCNPJ = nfetest.IssuerCNPJ
		d.Items[0].CFOP = "5102"
		d.Items[1].Q, d.Items[1].VProd = "4", "1.33"
	})), "application/xml")
	code, fields := errorDetails(t, res.Body)
	if res.Status != 422 || !slicesContains(fields, "issuer") || !slicesContains(fields, "cfop") || !slicesContains(fields, "quantity") {
		t.Fatalf("divergent: %d %s %v", res.Status, code, fields)
	}
	xml := f.billingXML(t, nil)
	res = e.API(fiscal, "POST", path+"/billing-invoice", strings.NewReader(xml), "application/xml")
	if res.Status != 201 || !strings.Contains(res.Body, `"status":"billed"`) || !strings.Contains(res.Body, `"ship_due_at":"`) {
		t.Fatalf("billing: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscal, "POST", path+"/billing-invoice", strings.NewReader(f.billingXML(t, nil)), "application/xml"); res.Status != 409 {
		t.Fatalf("billing twice: %d", res.Status)
	}
	// Downloads: the supplier and staff get the XML, another supplier 404.
	res = e.API(f.tokA, "GET", path+"/billing-invoice", nil, "")
	if res.Status != 200 || res.Body != xml || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("supplier download: %d %q", res.Status, res.Header.Get("Content-Type"))
	}
	if res := e.API(fiscal, "GET", path+"/billing-invoice", nil, ""); res.Status != 200 {
		t.Fatalf("staff download: %d", res.Status)
	}
	if res := e.API(f.tokB, "GET", path+"/billing-invoice", nil, ""); res.Status != 404 {
		t.Fatalf("another supplier: %d", res.Status)
	}
	so, err := e.App.Store.FindSalesOrder(e.Ctx, mustPO(t, f, f.po1).SalesOrderID)
	if err != nil || so.Status != "invoiced" || !so.StockConsumed {
		t.Fatalf("sales order %s consumed %v (%v)", so.Status, so.StockConsumed, err)
	}

	// Despachado: fiscal may not, logistics may; twice is 409.
	body := `{"numbers":["` + f.po1 + `"]}`
	if res := e.API(fiscal, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(body), "application/json"); res.Status != 403 {
		t.Fatalf("fiscal dispatching: %d", res.Status)
	}
	if res := e.API(logistics, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(body), "application/json"); res.Status != 200 ||
		!strings.Contains(res.Body, `"dispatched_at":"`) {
		t.Fatalf("dispatch: %d %s", res.Status, res.Body)
	}
	if res := e.API(logistics, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(body), "application/json"); res.Status != 409 {
		t.Fatalf("dispatch twice: %d", res.Status)
	}
	so, _ = e.App.Store.FindSalesOrder(e.Ctx, so.ID)
	if so.Status != "dispatched" {
		t.Fatalf("sales order %s", so.Status)
	}
}

func mustPO(t *testing.T, f *poFixture, number string) *model.PurchaseOrder {
	t.Helper()
	po, err := f.env.App.Store.FindPurchaseOrderByNumber(f.env.Ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	return po
}

func TestPurchaseOrderFiscalPages(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	e.User("fiscal@connectparts.test", model.RoleFiscal, nil)
	e.User("logistica@connectparts.test", model.RoleLogistics, nil)
	e.User("admin@connectparts.test", model.RoleAdmin, nil)
	for _, po := range []string{f.po1, f.po2} {
		if res := e.API(f.tokA, "POST", "/api/v1/purchase-orders/"+po+"/invoice", strings.NewReader(f.xml(t, po, nil)), "application/xml"); res.Status != 201 {
			t.Fatalf("supplier invoice: %d %s", res.Status, res.Body)
		}
	}
	fiscal := e.Login("fiscal@connectparts.test")
	res := fiscal.Get("/purchase-orders?status=supplier_invoiced")
	if res.Status != 200 || res.Doc.Find("[data-testid=book-submit]").Length() != 2 {
		t.Fatalf("fiscal queue: %d, %d buttons", res.Status, res.Doc.Find("[data-testid=book-submit]").Length())
	}
	page := "/purchase-orders/" + f.po1
	if res := fiscal.Submit(page+"/book", nil); res.Status != 303 {
		t.Fatalf("book: %d", res.Status)
	}
	if res := fiscal.Submit("/purchase-orders/"+f.po2+"/book", nil); res.Status != 303 {
		t.Fatalf("book po2: %d", res.Status)
	}
	res = fiscal.Get(page)
	if res.Text("[data-testid=po-status]") != model.POInvoiceBooked.Label() || res.Doc.Find("[data-testid=billing-form]").Length() != 1 {
		t.Fatalf("booked page: %q", res.Text("[data-testid=po-status]"))
	}
	uploadAs := func(field, number, xml string) *apptest.Response {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile(field, "nfe.xml")
		fw.Write([]byte(xml))
		w.Close()
		req, _ := http.NewRequest("POST", e.URL+"/purchase-orders/"+number+"/billing-invoice", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return fiscal.Do(req)
	}
	upload := func(number, xml string) *apptest.Response { return uploadAs("xml", number, xml) }
	res = afterUpload(t, fiscal, uploadAs("other", f.po1, f.billingXML(t, nil)), "/purchase-orders/"+f.po1)
	if res.Text("[data-testid=invoice-rejected]") != "Escolha o arquivo XML da NF-e." {
		t.Fatalf("billing without the file: %d %q", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	res = afterUpload(t, fiscal, upload(f.po1, f.billingXML(t, func(d *nfetest.Doc) { d.Items[0].CFOP = "5102" })), "/purchase-orders/"+f.po1)
	if res.Doc.Find("[data-testid=invoice-problems] li").Length() != 1 {
		t.Fatalf("divergent billing: %d %s", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	if po, err := e.App.Store.FindPurchaseOrderByNumber(e.Ctx, f.po1); err != nil {
		t.Fatal(err)
	} else if _, err := e.App.Store.FindBillingInvoice(e.Ctx, po.ID); !apperr.Is(err, apperr.ENOTFOUND) || po.BilledAt != nil {
		t.Fatalf("a refused billing NF-e was kept: billed %v, %v", po.BilledAt, err)
	}
	xml := f.billingXML(t, nil)
	res = upload(f.po1, xml)
	if res.Status != http.StatusSeeOther || res.Location() != "/purchase-orders/"+f.po1 {
		t.Fatalf("billing: %d %s %s", res.Status, res.Location(), res.Text("[data-testid=invoice-result]"))
	}
	res = fiscal.Get(res.Location())
	if !strings.Contains(res.Text("[data-testid=flash-success]"), "Pedido faturado") || res.Doc.Find("[data-testid=billing-download]").Length() != 1 {
		t.Fatalf("billing, after the redirect: %q", res.Text("[data-testid=flash-success]"))
	}
	if !strings.Contains(res.Text("[data-testid=po-countdown]"), "faltam 2") { // 24 h: "faltam 23 h" or "faltam 24 h"
		t.Logf("countdown %q", res.Text("[data-testid=po-countdown]"))
	}
	if res := upload(f.po2, f.billingXML(t, nil)); res.Status != http.StatusSeeOther {
		t.Fatalf("billing po2: %d %s", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	a := e.Login("a@freios.test")
	if res := a.Get(page + "/billing-invoice.xml"); res.Status != 200 || res.Body != xml {
		t.Fatalf("supplier download: %d", res.Status)
	}
	if res := e.Login("b@paulista.test").Get(page + "/billing-invoice.xml"); res.Status != 404 {
		t.Fatalf("another supplier download: %d", res.Status)
	}
	if res := a.Get(page); res.Doc.Find("[data-testid=billing-download]").Length() != 1 || !strings.Contains(res.Text("[data-testid=po-countdown]"), "faltam") {
		t.Fatalf("supplier page: countdown %q", res.Text("[data-testid=po-countdown]"))
	}

	lg := e.Login("logistica@connectparts.test")
	res = lg.Get("/logistics/dispatch")
	if res.Status != 200 || res.Doc.Find("[data-testid=dispatch-row]").Length() != 2 {
		t.Fatalf("dispatch queue: %d %d", res.Status, res.Doc.Find("[data-testid=dispatch-row]").Length())
	}
	// The queue sorts by PO number both ways and exports what it shows.
	for _, dir := range []string{"asc", "desc"} {
		var shown []string
		lg.Get("/logistics/dispatch?sort=number&dir=" + dir).Doc.Find("[data-testid=dispatch-row] td:nth-child(2)").Each(func(_ int, s *goquery.Selection) {
			shown = append(shown, strings.TrimSpace(s.Text()))
		})
		want := []string{f.po1, f.po2}
		if want[0] > want[1] != (dir == "desc") {
			want[0], want[1] = want[1], want[0]
		}
		if strings.Join(shown, ",") != strings.Join(want, ",") {
			t.Fatalf("dispatch queue sorted %s: %v, want %v", dir, shown, want)
		}
		rows := download(t, lg, "/logistics/dispatch?sort=number&dir="+dir+"&format=csv")
		if strings.Join(column(rows, 0), ",") != strings.Join(want, ",") {
			t.Fatalf("dispatch export %s: %q", dir, rows)
		}
	}
	if res := lg.Submit("/logistics/dispatch?number="+f.po1, nil); res.Status != 303 {
		t.Fatalf("dispatch one: %d", res.Status)
	}
	if res := lg.Submit("/logistics/dispatch?number="+f.po1, nil); res.Status != 303 || !strings.Contains(res.Location(), "/logistics/dispatch") {
		t.Fatalf("dispatch twice: %d", res.Status)
	}
	if res := lg.Submit("/logistics/dispatch", url.Values{"numbers": {f.po2}}); res.Status != 303 {
		t.Fatalf("dispatch selected: %d", res.Status)
	}
	if res := lg.Get("/logistics/dispatch"); res.Doc.Find("[data-testid=dispatch-row]").Length() != 0 {
		t.Fatal("queue not empty")
	}
	if res := fiscal.Get(page); res.Doc.Find("[data-testid=po-dispatched]").Length() != 1 {
		t.Fatal("dispatched not shown")
	}
	if res := fiscal.Get("/logistics/dispatch"); res.Status != 403 {
		t.Fatalf("fiscal on the dispatch queue: %d", res.Status)
	}

	// The auto-dispatch setting, default off.
	admin := e.Login("admin@connectparts.test")
	res = admin.Get("/admin/settings")
	if res.Doc.Find("[data-testid=po-auto-dispatch]").Length() != 1 || res.Doc.Find("[data-testid=po-auto-dispatch][checked]").Length() != 0 {
		t.Fatal("setting shown off")
	}
	if res := admin.Submit("/admin/settings", url.Values{"company_name": {"ConnectParts"}, "price_alert_percent": {"10"}, "po_auto_dispatch": {"true"}}); res.Status != 303 {
		t.Fatalf("settings: %d %s", res.Status, res.Text(".flash-error"))
	}
	if v, _ := e.App.Store.GetSetting(e.Ctx, "po_auto_dispatch"); v != "true" {
		t.Fatalf("setting %q", v)
	}
}
