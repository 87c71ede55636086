package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

type searchHit struct {
	Kind, Label, URL string
}

func apiSearch(t *testing.T, f *poFixture, token, q string) []searchHit {
	t.Helper()
	res := f.env.API(token, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil, "")
	if res.Status != 200 {
		t.Fatalf("search %q: %d %s", q, res.Status, res.Body)
	}
	var body struct {
		Results []searchHit `json:"results"`
	}
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatalf("search %q: %v %s", q, err, res.Body)
	}
	return body.Results
}

func hasHit(hits []searchHit, kind, url string) bool {
	for _, h := range hits {
		if h.Kind == kind && h.URL == url {
			return true
		}
	}
	return false
}

func hasKind(hits []searchHit, kind string) bool {
	for _, h := range hits {
		if h.Kind == kind {
			return true
		}
	}
	return false
}

// searchFixture is a PO fixture with po1 invoiced, billed and shipped with
// an NF-e de remessa, and a product of supplier B.
type searchFixture struct {
	*poFixture
	po                              *model.PurchaseOrder
	so0                             string // /orders/<id> of po1's sales order
	invoiceKey, billingKey, shipKey string
	productA, productB              string // /products/<id>
	staff                           string
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	f := &searchFixture{poFixture: newPOFixture(t)}
	e := f.env
	f.stockUp(t)
	f.bill(t, f.po1)
	res := f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "Correios", code: goodS10, label: []byte(testPDF), invoice: f.shipmentXML(t, nil)})
	if res.Status != 201 {
		t.Fatalf("ship: %d %s", res.Status, res.Body)
	}
	f.po = mustPO(t, f.poFixture, f.poFixture.po1)
	invs, err := e.App.Store.ListSupplierInvoices(e.Ctx, f.po.ID)
	if err != nil || len(invs) == 0 {
		t.Fatalf("invoices: %v %d", err, len(invs))
	}
	f.invoiceKey = invs[0].AccessKey
	bi, err := e.App.Store.FindBillingInvoice(e.Ctx, f.po.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.billingKey = bi.AccessKey
	sh, err := e.App.Store.FindPOShipment(e.Ctx, f.po.ID)
	if err != nil || sh.InvoiceKey == nil {
		t.Fatalf("shipment: %v", err)
	}
	f.shipKey = *sh.InvoiceKey
	f.so0 = "/orders/" + itoa(f.po.SalesOrderID)
	pa, err := e.App.Store.FindProductBySKU(e.Ctx, "SKU-PF-100")
	if err != nil {
		t.Fatal(err)
	}
	f.productA = "/products/" + itoa(pa.ID)
	pb := &model.Product{SKU: "SKU-B-77", Name: "Pastilha B", SupplierID: &f.b.ID, SupplierCode: "B-77", Active: true}
	if err := e.App.Store.CreateProduct(e.Ctx, pb); err != nil {
		t.Fatal(err)
	}
	f.productB = "/products/" + itoa(pb.ID)
	f.staff = e.Token(e.User("admin-search@connectparts.test", model.RoleAdmin, nil))
	return f
}

// Staff find each kind of key, typed as people have it: formatted or not,
// in lower case, or the start of a number or SKU.
func TestSearchEveryKeyAsStaff(t *testing.T) {
	f := newSearchFixture(t)
	po1 := "/purchase-orders/" + f.po.Number
	spaced := f.invoiceKey[:4] + " " + f.invoiceKey[4:8] + " " + f.invoiceKey[8:]
	cases := []struct {
		name, q, kind, url string
	}{
		{"order number", f.po.OrderNumber, "sales_order", f.so0},
		{"order number on its PO", f.po.OrderNumber, "purchase_order", po1},
		{"platform order id", "ext-0", "sales_order", f.so0},
		{"PO number", f.po.Number, "purchase_order", po1},
		{"PO number prefix, lower case", strings.ToLower(f.po.Number[:len(f.po.Number)-1]), "purchase_order", po1},
		{"supplier NF-e key with spaces", spaced, "invoice", po1 + "/invoices/" + f.invoiceKey},
		{"billing NF-e key", f.billingKey, "invoice", po1 + "/billing-invoice"},
		{"shipment NF-e key", f.shipKey, "shipment", po1},
		{"tracking code, lower case", strings.ToLower(goodS10), "shipment", po1},
		{"CPF formatted", "529.982.247-25", "sales_order", f.so0},
		{"CPF digits", "52998224725", "purchase_order", po1},
		{"supplier CNPJ formatted", cnpj.Format(nfetest.IssuerCNPJ), "supplier", "/suppliers/" + itoa(f.a.ID)},
		{"SKU", "SKU-PF-100", "product", f.productA},
		{"SKU prefix", "sku-pf", "product", f.productA},
		{"supplier code", "B-77", "product", f.productB},
	}
	for _, c := range cases {
		kind := c.kind
		if hits := apiSearch(t, f.poFixture, f.staff, c.q); !hasHit(hits, kind, c.url) {
			t.Errorf("%s (%q): no %s %s in %+v", c.name, c.q, kind, c.url, hits)
		}
	}
	// Only exact and prefix matches: a piece from the middle finds nothing.
	if hits := apiSearch(t, f.poFixture, f.staff, "PF-10"); hasKind(hits, "product") {
		t.Errorf("infix matched a product: %+v", hits)
	}
	// The page groups the hits by kind, and the header holds the box.
	b := f.env.Login("admin-search@connectparts.test")
	res := b.Get("/search?q=" + url.QueryEscape("529.982.247-25"))
	if res.Status != 200 || res.Doc.Find("[data-testid=search-sales_order] [data-testid=search-hit]").Length() != 2 ||
		res.Doc.Find("[data-testid=search-purchase_order] [data-testid=search-hit]").Length() != 2 {
		t.Fatalf("search page: %d %s", res.Status, res.Text("main"))
	}
	if res.Doc.Find("header [data-testid=nav-search] input[name=q]").Length() != 1 {
		t.Fatal("no search box in the header")
	}
}

// A supplier finds its own POs, invoices, shipments and products by every
// key, never a sales order, and nothing of another supplier.
func TestSearchSupplierFindsOnlyItsOwn(t *testing.T) {
	f := newSearchFixture(t)
	po1 := "/purchase-orders/" + f.po.Number
	own := []struct {
		name, q, kind, url string
	}{
		{"PO number", f.po.Number, "purchase_order", po1},
		{"order number", f.po.OrderNumber, "purchase_order", po1},
		{"NF-e key", f.invoiceKey, "invoice", po1 + "/invoices/" + f.invoiceKey},
		{"billing NF-e key", f.billingKey, "invoice", po1 + "/billing-invoice"},
		{"tracking code", goodS10, "shipment", po1},
		{"customer CPF", "529.982.247-25", "purchase_order", po1},
		{"SKU", "SKU-PF-100", "product", "/stock?q=SKU-PF-100"},
		{"supplier code", "PF-100", "product", "/stock?q=SKU-PF-100"},
	}
	for _, c := range own {
		hits := apiSearch(t, f.poFixture, f.tokA, c.q)
		if !hasHit(hits, c.kind, c.url) {
			t.Errorf("supplier A, %s (%q): no %s %s in %+v", c.name, c.q, c.kind, c.url, hits)
		}
		if hasKind(hits, "sales_order") || hasKind(hits, "supplier") {
			t.Errorf("supplier A, %s: sales orders or suppliers listed: %+v", c.name, hits)
		}
		// Supplier B finds none of A's rows by the same keys.
		if hits := apiSearch(t, f.poFixture, f.tokB, c.q); len(hits) != 0 {
			t.Errorf("supplier B, %s (%q) found another supplier's rows: %+v", c.name, c.q, hits)
		}
	}
	if hits := apiSearch(t, f.poFixture, f.tokB, "B-77"); !hasHit(hits, "product", "/stock?q=SKU-B-77") {
		t.Errorf("supplier B does not find its own product: %+v", hits)
	}
	if hits := apiSearch(t, f.poFixture, f.tokA, "B-77"); len(hits) != 0 {
		t.Errorf("supplier A finds B's product: %+v", hits)
	}
	if hits := apiSearch(t, f.poFixture, f.tokA, cnpj.Format(nfetest.IssuerCNPJ)); len(hits) != 0 {
		t.Errorf("supplier finds suppliers by CNPJ: %+v", hits)
	}
	// The page as supplier B: nothing for A's PO number.
	f.env.User("b-search@paulista.test", model.RoleSupplier, f.b)
	res := f.env.Login("b-search@paulista.test").Get("/search?q=" + url.QueryEscape(f.po.Number))
	if res.Status != 200 || strings.Contains(res.Body, f.po.Number+" —") || res.Doc.Find("[data-testid=search-empty]").Length() != 1 {
		t.Fatalf("supplier B search page: %d %s", res.Status, res.Text("main"))
	}
}
