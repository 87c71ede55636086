package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/model"
)

// The blocked imports are grouped by cause: one form per unmapped shipping
// method with the number of orders it holds back (not one form per order);
// one mapping unblocks all of that method's orders and the next import takes
// them; "Importar agora" queues the platform's import once.
func TestExceptionsInboxGroupsBlockedImports(t *testing.T) {
	f := newOrdersFixture(t, nil) // no method mapped: every imported order is blocked
	want := map[string]int{}
	total := 0
	for _, o := range f.imported() {
		want[o.ShippingMethod]++
		total++
	}
	if len(want) < 2 || total < 10 {
		t.Fatalf("the seed gives %d orders over %v: change it", total, want)
	}

	back := "/exceptions?kind=blocked_carrier"
	res := f.admin.Get(back)
	if res.Status != 200 {
		t.Fatalf("inbox: %d", res.Status)
	}
	sec := res.Doc.Find("[data-testid=section-blocked_carrier]")
	rows := sec.Find("[data-testid=cause-row]")
	if rows.Length() != len(want) || sec.Find("[data-testid=map-carrier-form]").Length() != len(want) {
		t.Fatalf("%d cause rows and %d forms for %d methods (%d orders)", rows.Length(), sec.Find("[data-testid=map-carrier-form]").Length(), len(want), total)
	}
	rows.Each(func(_ int, r *goquery.Selection) {
		m := strings.TrimSpace(r.Find("[data-testid=cause-method]").Text())
		if got := strings.TrimSpace(r.Find("[data-testid=cause-count]").Text()); got != itoa(int64(want[m])) {
			t.Errorf("method %s: count %s, want %d", m, got, want[m])
		}
		if r.Find("[data-testid=import-now-form]").Length() != 1 {
			t.Errorf("method %s: no Importar agora", m)
		}
	})
	if got := res.Text("[data-testid=count-blocked_carrier]"); got != itoa(int64(total)) {
		t.Errorf("tab count %q, want %d", got, total)
	}
	// The blocked queue page shows the same grouped fixes, not one per order.
	if n := f.admin.Get("/orders/blocked").Doc.Find("[data-testid=map-carrier-form]").Length(); n != len(want) {
		t.Errorf("/orders/blocked: %d forms for %d methods", n, len(want))
	}

	// One mapping for the method with most orders.
	method := ""
	for m, n := range want {
		if method == "" || n > want[method] {
			method = m
		}
	}
	res = f.admin.Submit("/orders/blocked/map-carrier", url.Values{"platform_id": {itoa(f.p.ID)}, "method": {method},
		"new_carrier": {"Jadlog"}, "back": {back}})
	if res.Status != 303 || res.Location() != back {
		t.Fatalf("map: %d → %q", res.Status, res.Location())
	}
	res = f.admin.Get(back)
	if got := res.Text("[data-testid=flash-success]"); !strings.Contains(got, "os "+itoa(int64(want[method]))+" pedidos bloqueados por ela") {
		t.Errorf("flash: %q", got)
	}
	fixed := res.Doc.Find("[data-testid=cause-row][data-method='" + method + "']")
	if fixed.Find("[data-testid=cause-fixed]").Length() != 1 || fixed.Find("[data-testid=map-carrier-form]").Length() != 0 {
		t.Errorf("mapped method still offers a form: %q", fixed.Text())
	}

	// Importar agora: queued once, a second click finds it waiting.
	res = f.admin.Submit("/exceptions/import-now", url.Values{"platform_id": {itoa(f.p.ID)}, "back": {back}})
	if res.Status != 303 || res.Location() != back {
		t.Fatalf("import now: %d → %q", res.Status, res.Location())
	}
	if got := f.admin.Get(back).Text("[data-testid=flash-success]"); !strings.Contains(got, itoa(int64(want[method]))+" pedidos corrigidos serão importados") ||
		!strings.Contains(got, itoa(int64(total-want[method]))+" ainda aguardam correção") {
		t.Errorf("import now flash: %q", got)
	}
	f.admin.Submit("/exceptions/import-now", url.Values{"platform_id": {itoa(f.p.ID)}, "back": {back}})
	if got := f.admin.Get(back).Text("[data-testid=flash-info]"); !strings.Contains(got, "já está na fila") {
		t.Errorf("second import now: %q", got)
	}

	// The import takes every order of the method, and only those.
	rep := f.runImport(t)
	if rep.Imported != want[method] {
		t.Errorf("imported %d, want %d", rep.Imported, want[method])
	}
	for _, o := range f.imported() {
		_, err := f.env.App.Store.FindSalesOrderByExternalID(f.env.Ctx, f.p.ID, o.ExternalID)
		if (err == nil) != (o.ShippingMethod == method) {
			t.Errorf("order %s (%s): imported=%v", o.ExternalID, o.ShippingMethod, err == nil)
		}
	}
	res = f.admin.Get(back)
	if res.Doc.Find("[data-testid=cause-row][data-method='"+method+"']").Length() != 0 ||
		res.Doc.Find("[data-testid=section-blocked_carrier] [data-testid=cause-row]").Length() != len(want)-1 {
		t.Errorf("after the import: %q", res.Text("[data-testid=section-blocked_carrier]"))
	}
}

// An unknown SKU is one row however many orders wait for it; creating the
// product fixes it for all.
func TestExceptionsInboxGroupsUnknownSKUs(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	for _, id := range []string{"SBX-901", "SBX-902", "SBX-903"} {
		if err := f.env.App.DB.Gorm.Exec(`INSERT INTO blocked_orders (platform_id, external_id, reason, detail, method, sku, channel_status, first_seen_at, last_seen_at)
			VALUES (?, ?, 'unknown_sku', 'SKU CP-404 não cadastrado', '', 'CP-404', 'ready-for-handling', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, f.p.ID, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	res := f.admin.Get("/exceptions?kind=blocked_sku")
	row := res.Doc.Find("[data-testid=section-blocked_sku] [data-testid=cause-row]")
	if row.Length() != 1 || strings.TrimSpace(row.Find("[data-testid=cause-count]").Text()) != "3" {
		t.Fatalf("SKU causes: %d %q", row.Length(), row.Text())
	}
	if href, _ := row.Find("[data-testid=create-product]").Attr("href"); href != "/products/new?sku=CP-404" {
		t.Fatalf("create product link %q", href)
	}
	sup := f.env.Supplier("12ABC34501DE35", "Freios & Cia")
	if err := f.env.App.Store.CreateProduct(f.env.Ctx, &model.Product{SKU: "CP-404", Name: "Novo", SupplierID: &sup.ID, SupplierCode: "N-1", Active: true}); err != nil {
		t.Fatal(err)
	}
	row = f.admin.Get("/exceptions?kind=blocked_sku").Doc.Find("[data-testid=section-blocked_sku] [data-testid=cause-row]")
	if row.Find("[data-testid=cause-fixed]").Length() != 1 {
		t.Fatalf("SKU created, cause not fixed: %q", row.Text())
	}
}
