package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
)

// A supplier reaches another supplier's purchase order through no API
// endpoint and no page: reads answer 404 (the PO does not exist for it),
// actions answer 404 or 403, and the PO is left exactly as it was.
func TestPurchaseOrderSupplierIsolation(t *testing.T) {
	f := newPOFixture(t)
	env := f.env
	env.User("b2@paulista.test", model.RoleSupplier, f.b)
	before := mustPO(t, f, f.po1)

	api := []struct {
		method, path, body, ctype string
		want                      []int
	}{
		{"GET", "/api/v1/purchase-orders/" + f.po1, "", "", []int{404}},
		{"POST", "/api/v1/purchase-orders/" + f.po1 + "/acknowledge", "", "", []int{404}},
		{"POST", "/api/v1/purchase-orders/" + f.po1 + "/backorder", `{"available_on":"2030-01-01","reason":"sem estoque"}`, "application/json", []int{404}},
		{"POST", "/api/v1/purchase-orders/" + f.po1 + "/invoice", f.xml(t, f.po1, nil), "application/xml", []int{404}},
		{"GET", "/api/v1/purchase-orders/" + f.po1 + "/billing-invoice", "", "", []int{404}},
		{"POST", "/api/v1/purchase-orders/" + f.po1 + "/book-supplier-invoice", "", "", []int{403, 404}},
		{"POST", "/api/v1/purchase-orders/" + f.po1 + "/billing-invoice", "<x/>", "application/xml", []int{403, 404}},
		{"POST", "/api/v1/purchase-orders/dispatch", `{"numbers":["` + f.po1 + `"]}`, "application/json", []int{403, 404}},
	}
	for _, c := range api {
		res := env.API(f.tokB, c.method, c.path, strings.NewReader(c.body), c.ctype)
		if !containsStatus(c.want, res.Status) || strings.Contains(res.Body, f.po1) {
			t.Errorf("%s %s as another supplier: %d %.200s", c.method, c.path, res.Status, res.Body)
		}
	}
	res := env.API(f.tokB, "GET", "/api/v1/purchase-orders", nil, "")
	if res.Status != 200 || strings.Contains(res.Body, f.po1) || strings.Contains(res.Body, f.po2) {
		t.Errorf("list shows another supplier's POs: %d %.300s", res.Status, res.Body)
	}

	b := env.Login("b2@paulista.test")
	for _, path := range []string{"/purchase-orders/" + f.po1, "/purchase-orders/" + f.po1 + "/billing-invoice.xml"} {
		if res := b.Get(path); res.Status != http.StatusNotFound {
			t.Errorf("GET %s as another supplier: %d", path, res.Status)
		}
	}
	b.Get("/purchase-orders")
	for _, action := range []string{"acknowledge", "backorder", "invoice", "book", "billing-invoice"} {
		res := b.Submit("/purchase-orders/"+f.po1+"/"+action, url.Values{"available_on": {"2030-01-01"}, "reason": {"x"}})
		if res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
			t.Errorf("POST %s as another supplier: %d", action, res.Status)
		}
	}
	if res := b.Get("/purchase-orders"); strings.Contains(res.Body, f.po1) || strings.Contains(res.Body, f.po2) {
		t.Error("inbox shows another supplier's POs")
	}
	if res := b.Get("/logistics/dispatch"); res.Status != http.StatusForbidden {
		t.Errorf("dispatch queue as a supplier: %d", res.Status)
	}

	after := mustPO(t, f, f.po1)
	if after.Status != before.Status || after.UpdatedAt != before.UpdatedAt {
		t.Fatalf("another supplier changed the PO: %s → %s", before.Status, after.Status)
	}
}

func containsStatus(list []int, s int) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every route of a PO (by number), the ones above and any added since, is
// closed to another supplier: 404 (it does not exist for them) or 403 (a
// staff action), never its content, and the PO is left as it was.
func TestPurchaseOrderRoutesClosedToAnotherSupplier(t *testing.T) {
	f := newPOFixture(t)
	env := f.env
	env.User("b2@paulista.test", model.RoleSupplier, f.b)
	before := mustPO(t, f, f.po1)
	b := env.Login("b2@paulista.test")
	b.Get("/purchase-orders")

	seen := 0
	for _, r := range env.App.Web.App().GetRoutes(true) {
		if !strings.Contains(r.Path, ":number") || (r.Method != "GET" && r.Method != "POST") {
			continue
		}
		path := strings.NewReplacer(":number", f.po1, ":key", strings.Repeat("3", 44), ":id", "1").Replace(r.Path)
		status, body := 0, ""
		switch {
		case strings.HasPrefix(r.Path, "/api/"):
			rr := env.API(f.tokB, r.Method, path, strings.NewReader("{}"), "application/json")
			status, body = rr.Status, rr.Body
		case r.Method == "GET":
			rr := b.Get(path)
			status, body = rr.Status, rr.Body
		default:
			rr := b.Submit(path, url.Values{"available_on": {"2030-01-01"}, "reason": {"x"}, "note": {"x"}})
			status, body = rr.Status, rr.Body
		}
		seen++
		if status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("%s %s as another supplier: %d", r.Method, path, status)
		}
		if strings.Contains(body, "Maria da Silva") {
			t.Errorf("%s %s shows the customer of another supplier's PO", r.Method, path)
		}
	}
	if seen < 20 {
		t.Fatalf("only %d PO routes found", seen)
	}
	after := mustPO(t, f, f.po1)
	if after.Status != before.Status || after.UpdatedAt != before.UpdatedAt {
		t.Fatalf("another supplier changed the PO: %s → %s", before.Status, after.Status)
	}
}
