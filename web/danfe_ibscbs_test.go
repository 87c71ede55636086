package web_test

import (
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// NF-e with the tax reform's groups go through upload, booking and billing
// as before, and both DANFE pages print their IBS and CBS totals.
func TestDANFEShowsIBSCBS(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	fiscalTok := e.Token(e.User("fiscal@connectparts.test", model.RoleFiscal, nil))
	path := "/api/v1/purchase-orders/" + f.po1
	groups := func(d *nfetest.Doc) { nfetest.WithIBSCBS(t, d) }
	if res := e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(f.xml(t, f.po1, groups)), "application/xml"); res.Status != 201 {
		t.Fatalf("supplier invoice: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscalTok, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 200 {
		t.Fatalf("book: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscalTok, "POST", path+"/billing-invoice", strings.NewReader(f.billingXML(t, groups)), "application/xml"); res.Status != 201 {
		t.Fatalf("billing: %d %s", res.Status, res.Body)
	}

	a := e.Login("a@freios.test")
	page := "/purchase-orders/" + f.po1
	supplierDanfe, _ := a.Get(page).Doc.Find("[data-testid=invoice-danfe]").Attr("href")
	for _, url := range []string{page + "/billing-invoice", supplierDanfe} {
		res := a.Get(url)
		if res.Status != 200 {
			t.Fatalf("%s: %d", url, res.Status)
		}
		for id, want := range map[string]string{"danfe-ibs-total": "0,18", "danfe-cbs-total": "1,63", "danfe-total": "R$ 196,30"} {
			if got := strings.TrimSpace(res.Text("[data-testid=" + id + "]")); got != want {
				t.Errorf("%s %s = %q, want %q", url, id, got, want)
			}
		}
	}
}
