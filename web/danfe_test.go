package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// The billing NF-e printed DANFE-style: the PO's supplier and staff see it
// with the key in groups of four, its barcode, both parties' documents
// formatted, the items and the additional information; another supplier,
// and a PO not billed yet, get 404. The supplier's own NF-e prints too.
func TestBillingInvoiceDANFE(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	fiscalTok := e.Token(e.User("fiscal@connectparts.test", model.RoleFiscal, nil))
	path := "/api/v1/purchase-orders/" + f.po1
	supplierXML := f.xml(t, f.po1, nil)
	if res := e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(supplierXML), "application/xml"); res.Status != 201 {
		t.Fatalf("supplier invoice: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscalTok, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 200 {
		t.Fatalf("book: %d %s", res.Status, res.Body)
	}
	var key string
	xml := f.billingXML(t, func(d *nfetest.Doc) {
		d.ExtraInf = "<infAdic><infCpl>Venda a ordem; mercadoria entregue pelo fornecedor Freios &amp; Cia.</infCpl></infAdic>"
		key = d.Key()
	})
	if res := e.API(fiscalTok, "POST", path+"/billing-invoice", strings.NewReader(xml), "application/xml"); res.Status != 201 {
		t.Fatalf("billing: %d %s", res.Status, res.Body)
	}
	grouped := key[0:4] + " " + key[4:8] + " " + key[8:12]

	a := e.Login("a@freios.test")
	page := "/purchase-orders/" + f.po1
	if href, _ := a.Get(page).Doc.Find("[data-testid=billing-danfe]").Attr("href"); href != page+"/billing-invoice" {
		t.Fatalf("PO page link %q", href)
	}
	res := a.Get(page + "/billing-invoice")
	if res.Status != 200 {
		t.Fatalf("supplier DANFE: %d", res.Status)
	}
	checks := map[string]string{
		"danfe-key":                grouped,
		"danfe-recipient-document": "529.982.247-25",
		"danfe-recipient-name":     "CONNECTPARTS COMERCIO LTDA",
		"danfe-issuer-document":    "58.716.523/0001-19",
		"danfe-number":             "Nº 000.009.002",
		"danfe-protocol":           "135260000000001 – 10/07/2026 10:31",
		"danfe-issued-at":          "10/07/2026 10:30",
		"danfe-cfop":               "6.120",
		"danfe-operation":          "VENDA A ORDEM",
		"danfe-total":              "R$ 196,30",
		"danfe-notes":              "mercadoria entregue pelo fornecedor Freios & Cia.",
	}
	for id, want := range checks {
		if got := res.Text("[data-testid=" + id + "]"); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if got := res.Text("[data-testid=danfe-key]"); strings.ReplaceAll(got, " ", "") != key || len(strings.Fields(got)) != 11 {
		t.Errorf("key %q is not %s in 11 groups", got, key)
	}
	// 44 digits in code set C: start, 22 pairs, check, stop = 25 symbols of 3 bars (the stop has 4).
	if n := res.Doc.Find("[data-testid=danfe-barcode] rect[fill='#000']").Length(); n != 24*3+4 {
		t.Errorf("barcode bars: %d", n)
	}
	// Quantities and unit values as Brazilians write them: "2.0000" is 2, "89.9000000000" is 89,90.
	var rows [][]string
	res.Doc.Find("[data-testid=danfe-item]").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		rows = append(rows, cells)
	})
	want := [][]string{
		{"SKU-PF-100", "PASTILHA DE FREIO DIANTEIRA", "87083090", "6120", "JG", "2", "89,90", "179,80"},
		{"SKU-DF-200", "DISCO DE FREIO", "87083090", "6120", "UN", "3", "0,3333333333", "1,00"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("items:\n%q\nwant\n%q", rows, want)
	}
	if res.Doc.Find("[data-testid=danfe-homolog]").Length() != 1 {
		t.Error("a homologation NF-e is not marked without fiscal value")
	}
	if href, _ := res.Doc.Find("[data-testid=danfe-xml]").Attr("href"); href != page+"/billing-invoice.xml" {
		t.Errorf("XML link %q", href)
	}

	e.User("fiscal-web@connectparts.test", model.RoleFiscal, nil)
	if res := e.Login("fiscal-web@connectparts.test").Get(page + "/billing-invoice"); res.Status != 200 ||
		!strings.Contains(res.Text("[data-testid=danfe-recipient-document]"), "529.982.247-25") || !strings.Contains(res.Text("[data-testid=danfe-key]"), grouped) {
		t.Fatalf("fiscal DANFE: %d", res.Status)
	}
	b := e.Login("b@paulista.test")
	if res := b.Get(page + "/billing-invoice"); res.Status != 404 || strings.Contains(res.Body, grouped) {
		t.Fatalf("another supplier: %d", res.Status)
	}
	if res := a.Get("/purchase-orders/" + f.po2 + "/billing-invoice"); res.Status != 404 {
		t.Fatalf("not billed: %d", res.Status)
	}

	// The supplier's own NF-e, from the PO page's link.
	href, _ := a.Get(page).Doc.Find("[data-testid=invoice-danfe]").Attr("href")
	res = a.Get(href)
	if res.Status != 200 || !strings.Contains(res.Text("[data-testid=danfe-issuer-document]"), "06.929.383/0001-63") ||
		!strings.Contains(res.Text("[data-testid=danfe-recipient-document]"), "58.716.523/0001-19") {
		t.Fatalf("supplier invoice DANFE %s: %d", href, res.Status)
	}
	// Its XML, exactly as uploaded, from the DANFE's link and the API.
	xmlHref, _ := res.Doc.Find("[data-testid=danfe-xml]").Attr("href")
	inv, err := e.App.Store.ListSupplierInvoices(e.Ctx, mustPO(t, f, f.po1).ID)
	if err != nil || len(inv) == 0 {
		t.Fatalf("supplier invoices: %v", err)
	}
	if x := a.Get(xmlHref); x.Status != 200 || x.Body != inv[len(inv)-1].XML && x.Body != inv[0].XML {
		t.Fatalf("supplier NF-e XML %q: %d", xmlHref, x.Status)
	}
	if x := b.Get(xmlHref); x.Status != 404 {
		t.Fatalf("another supplier, supplier NF-e XML: %d", x.Status)
	}
	if res := b.Get(href); res.Status != 404 {
		t.Fatalf("another supplier, supplier invoice: %d", res.Status)
	}
	if res := a.Get(page + "/invoices/" + key); res.Status != 404 {
		t.Fatalf("the billing key as a supplier invoice: %d", res.Status)
	}
}
