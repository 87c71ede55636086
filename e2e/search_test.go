package e2e_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/seed"
)

// The search box in the header finds a shipped PO's every key, as staff and
// as its supplier, each hit in its group (screenshot per key): order
// number, PO number, NF-e key, tracking code, the customer's CPF/CNPJ, SKU
// and supplier code (and, for staff, the supplier's CNPJ). The supplier
// finds its PO where staff find the sales order, and never a sales order;
// another supplier finds nothing. The PO is walked to shipped through the
// services (the dropship walkthrough clicks those steps).
func TestBrowserSearchEveryKey(t *testing.T) {
	d := apptest.NewDropship(t)
	po := d.ImportOne()
	ctx, pur, sid := d.Env.Ctx, d.Env.App.Purchasing, d.Supplier.ID
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := pur.Acknowledge(ctx, sid, po.Number)
	must("acknowledge", err)
	_, err = pur.UploadInvoice(ctx, sid, po.Number, d.SupplierInvoiceXML(t, po, nil))
	must("invoice", err)
	_, err = pur.BookSupplierInvoice(ctx, po.Number)
	must("book", err)
	_, err = pur.UploadBillingInvoice(ctx, po.Number, d.BillingXML(t, po, nil))
	must("billing", err)
	_, err = pur.Dispatch(ctx, []string{po.Number})
	must("dispatch", err)
	_, _, err = pur.Ship(ctx, sid, po.Number, purchasing.ShipmentInput{Carrier: "correios", TrackingCode: trackingS10,
		Label: seed.DemoLabelPDF(po.Number, trackingS10)})
	must("ship", err)
	full, err := d.Env.App.Store.FindPurchaseOrderByNumber(ctx, po.Number)
	must("PO", err)
	invs, err := d.Env.App.Store.ListSupplierInvoices(ctx, full.ID)
	if err != nil || len(invs) == 0 {
		t.Fatalf("invoices: %v %d", err, len(invs))
	}
	sku := full.Items[0].SKU
	prod, err := d.Env.App.Store.FindProductBySKU(ctx, sku)
	must("product", err)

	d.User("admin@connectparts.example", model.RoleAdmin, nil)
	d.User("fornecedor@freios.example", model.RoleSupplier, d.Supplier)
	other := d.Env.Supplier("11222333000181", "Paulista Autopeças")
	d.User("fornecedor@paulista.example", model.RoleSupplier, other)
	bs := newBrowsers(t, d.Env, "equipe", "fornecedor", "outro")
	staff, sup, stranger := bs[0], bs[1], bs[2]
	staff.login("admin@connectparts.example", apptest.Password)
	sup.login("fornecedor@freios.example", apptest.Password)
	stranger.login("fornecedor@paulista.example", apptest.Password)

	// search types q into the header box and presses Enter, as people do.
	search := func(b *browser, q string) {
		t.Helper()
		b.visit("/")
		b.run(fill("header [data-testid=nav-search] input[name=q]", q+"\r"))
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if b.at("/search?") && b.exists("main h1") {
				break
			}
			if time.Now().After(deadline) {
				b.shot("search-failure")
				t.Fatalf("search %q did not open the results: %s", q, b.location())
			}
		}
	}
	hit := func(b *browser, kind, href string) string {
		return "[data-testid=search-" + kind + "] a[data-testid=search-hit][href=\"" + href + "\"]"
	}
	poURL := "/purchase-orders/" + po.Number
	cases := []struct {
		name, q             string
		staffKind, staffURL string
		supKind, supURL     string
	}{
		{"pedido", full.OrderNumber, "sales_order", "/orders/" + itoa(full.SalesOrderID), "purchase_order", poURL},
		{"pedido-de-compra", po.Number, "purchase_order", poURL, "purchase_order", poURL},
		{"chave-nfe", invs[0].AccessKey, "invoice", poURL + "/invoices/" + invs[0].AccessKey, "invoice", poURL + "/invoices/" + invs[0].AccessKey},
		{"rastreio", trackingS10, "shipment", poURL, "shipment", poURL},
		{"cpf-cnpj", full.CustomerDocument, "sales_order", "/orders/" + itoa(full.SalesOrderID), "purchase_order", poURL},
		{"sku", sku, "product", "/products/" + itoa(prod.ID), "product", "/stock?q=" + url.QueryEscape(sku)},
		{"codigo-fornecedor", prod.SupplierCode, "product", "/products/" + itoa(prod.ID), "product", "/stock?q=" + url.QueryEscape(sku)},
	}
	for _, c := range cases {
		search(staff, c.q)
		if !staff.exists(hit(staff, c.staffKind, c.staffURL)) {
			staff.shot("miss-" + c.name)
			t.Errorf("staff, %s (%q): no %s hit to %s: %q", c.name, c.q, c.staffKind, c.staffURL, staff.text("main"))
		}
		staff.shot(c.name)

		search(sup, c.q)
		if !sup.exists(hit(sup, c.supKind, c.supURL)) {
			sup.shot("miss-" + c.name)
			t.Errorf("supplier, %s (%q): no %s hit to %s: %q", c.name, c.q, c.supKind, c.supURL, sup.text("main"))
		}
		if sup.exists("[data-testid=search-sales_order]") || sup.exists("[data-testid=search-supplier]") {
			t.Errorf("supplier, %s: sales orders or suppliers listed", c.name)
		}
		sup.shot(c.name)

		search(stranger, c.q)
		if !stranger.exists("[data-testid=search-empty]") {
			stranger.shot("leak-" + c.name)
			t.Errorf("another supplier, %s (%q) found rows: %q", c.name, c.q, stranger.text("main"))
		}
	}
	// The supplier's CNPJ finds the supplier for staff only.
	doc := cnpj.Format(d.Supplier.CNPJ)
	search(staff, doc)
	if !staff.exists(hit(staff, "supplier", "/suppliers/"+itoa(sid))) {
		t.Errorf("staff, supplier CNPJ %s: no supplier hit", doc)
	}
	staff.shot("cnpj-fornecedor")
	search(sup, doc)
	if sup.exists("[data-testid=search-supplier]") {
		t.Error("supplier finds suppliers by CNPJ")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
