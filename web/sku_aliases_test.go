package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// The other fix of an unknown SKU: point the platform SKU at an existing
// product. Refused for a product that does not exist, a SKU already aliased
// or one the catalog holds; once linked every order it held is fixed and
// "Importar agora" counts them; the product page lists the alias and removes
// it (the orders are blocked again); both changes are in the audit log in
// words; staff who may not create products may not link either.
func TestExceptionsInboxLinksUnknownSKUToExistingProduct(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	for _, id := range []string{"SBX-901", "SBX-902", "SBX-903"} {
		if err := f.env.App.DB.Gorm.Exec(`INSERT INTO blocked_orders (platform_id, external_id, reason, detail, method, sku, channel_status, first_seen_at, last_seen_at)
			VALUES (?, ?, 'unknown_sku', 'SKU CP-404 não cadastrado', '', 'CP-404', 'ready-for-handling', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, f.p.ID, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	back := "/exceptions?kind=blocked_sku"
	row := func() string {
		t.Helper()
		r := f.admin.Get(back).Doc.Find("[data-testid=section-blocked_sku] [data-testid=cause-row][data-sku='CP-404']")
		switch {
		case r.Length() != 1:
			return "missing"
		case r.Find("[data-testid=cause-fixed]").Length() == 1:
			return "fixed"
		case r.Find("[data-testid=sku-alias-cause-form]").Length() == 1:
			return "form"
		}
		return "other: " + r.Text()
	}
	if got := row(); got != "form" {
		t.Fatalf("cause row before linking: %s", got)
	}
	link := func(platformSKU, sku string) (int, string) {
		t.Helper()
		res := f.admin.Submit("/exceptions/sku-alias", url.Values{"platform_id": {itoa(f.p.ID)}, "platform_sku": {platformSKU},
			"sku": {sku}, "back": {back}})
		if res.Location() != back {
			t.Fatalf("link %s → %s: %d → %q", platformSKU, sku, res.Status, res.Location())
		}
		page := f.admin.Get(back)
		return res.Status, page.Text("[data-testid=flash-success]") + page.Text("[data-testid=flash-error]")
	}
	if _, msg := link("CP-404", "CP-999"); !strings.Contains(msg, "não existe no catálogo") {
		t.Errorf("unknown product: %q", msg)
	}
	if got := row(); got != "form" {
		t.Fatalf("refused link changed the cause: %s", got)
	}
	if _, msg := link("CP-404", "CP-001"); !strings.Contains(msg, "vinculado ao produto CP-001") || !strings.Contains(msg, "os 3 pedidos bloqueados por ele") {
		t.Errorf("link flash: %q", msg)
	}
	if got := row(); got != "fixed" {
		t.Fatalf("cause after linking: %s", got)
	}
	if _, msg := link("CP-404", "CP-002"); !strings.Contains(msg, "já está vinculado ao produto CP-001") {
		t.Errorf("second link: %q", msg)
	}
	if _, msg := link("CP-002", "CP-001"); !strings.Contains(msg, "já é um produto do catálogo") {
		t.Errorf("catalog SKU linked: %q", msg)
	}
	res := f.admin.Submit("/exceptions/import-now", url.Values{"platform_id": {itoa(f.p.ID)}, "back": {back}})
	if res.Status != 303 {
		t.Fatalf("import now: %d", res.Status)
	}
	if got := f.admin.Get(back).Text("[data-testid=flash-success]") + f.admin.Get(back).Text("[data-testid=flash-info]"); !strings.Contains(got, "3 pedidos corrigidos serão importados") {
		t.Errorf("import now flash: %q", got)
	}

	prod, err := f.env.App.Store.FindProductBySKU(f.env.Ctx, "CP-001")
	if err != nil {
		t.Fatal(err)
	}
	page := f.admin.Get("/products/" + itoa(prod.ID))
	alias := page.Doc.Find("[data-testid=sku-alias-row][data-platform-sku='CP-404']")
	if alias.Length() != 1 || !strings.Contains(alias.Text(), "Demo") {
		t.Fatalf("product page aliases: %q", page.Text("[data-testid=sku-aliases]"))
	}
	action, _ := alias.Find("form").Attr("action")
	res = f.admin.Submit(action, url.Values{})
	if res.Status != 303 || !strings.HasPrefix(res.Location(), "/products/"+itoa(prod.ID)) {
		t.Fatalf("delete alias: %d → %q", res.Status, res.Location())
	}
	page = f.admin.Get("/products/" + itoa(prod.ID))
	if page.Doc.Find("[data-testid=sku-alias-row]").Length() != 0 || !strings.Contains(page.Text("[data-testid=flash-success]"), "removido") {
		t.Fatalf("after delete: %q / %q", page.Text("[data-testid=sku-aliases]"), page.Text("[data-testid=flash-success]"))
	}
	if got := row(); got != "form" {
		t.Fatalf("cause after removing the alias: %s", got)
	}

	audit := f.admin.Get("/admin/audit").Text("main")
	for _, want := range []string{"Vinculou o SKU “CP-404” de Demo ao produto CP-001", "Removeu o vínculo do SKU “CP-404” de Demo com o produto CP-001"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}

	f.env.User("fiscal@cp.example", model.RoleFiscal, nil)
	fiscal := f.env.Login("fiscal@cp.example")
	if res := fiscal.Submit("/exceptions/sku-alias", url.Values{"platform_id": {itoa(f.p.ID)}, "platform_sku": {"CP-404"}, "sku": {"CP-001"}}); res.Status != 403 {
		t.Errorf("fiscal links a SKU: %d", res.Status)
	}
	if res := fiscal.Submit("/products/"+itoa(prod.ID)+"/sku-aliases", url.Values{"platform_id": {itoa(f.p.ID)}, "platform_sku": {"CP-404"}}); res.Status != 403 {
		t.Errorf("fiscal adds an alias: %d", res.Status)
	}
}

// The product page adds an alias for a chosen platform, and removing one of
// another product's aliases through this product's URL is a 404.
func TestProductPageAddsSKUAlias(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	p1, _ := f.env.App.Store.FindProductBySKU(f.env.Ctx, "CP-001")
	p2, _ := f.env.App.Store.FindProductBySKU(f.env.Ctx, "CP-002")
	form := f.admin.Get("/products/" + itoa(p1.ID)).Doc.Find("[data-testid=sku-alias-form]")
	if form.Length() != 1 {
		t.Fatal("no alias form on the product page")
	}
	res := f.admin.Submit("/products/"+itoa(p1.ID)+"/sku-aliases", url.Values{"platform_id": {itoa(f.p.ID)}, "platform_sku": {" ML-BIELA "}})
	if res.Status != 303 {
		t.Fatalf("add alias: %d", res.Status)
	}
	aliases, err := f.env.App.Store.ListSKUAliases(f.env.Ctx, storeAliasFilter(p1.ID))
	if err != nil || len(aliases) != 1 || aliases[0].PlatformSKU != "ML-BIELA" || aliases[0].PlatformID != f.p.ID {
		t.Fatalf("aliases %+v (%v)", aliases, err)
	}
	got, err := f.env.App.Store.ProductsByPlatformSKU(f.env.Ctx, f.p.ID, []string{"ML-BIELA", "CP-002", "NADA"})
	if err != nil || len(got) != 2 || got["ML-BIELA"].ID != p1.ID || got["CP-002"].ID != p2.ID {
		t.Fatalf("lookup through the alias: %+v (%v)", got, err)
	}
	if res := f.admin.Submit("/products/"+itoa(p2.ID)+"/sku-aliases/"+itoa(aliases[0].ID)+"/delete", url.Values{}); res.Status != 404 {
		t.Errorf("delete through another product: %d", res.Status)
	}
}

func storeAliasFilter(productID int64) store.SKUAliasFilter {
	return store.SKUAliasFilter{ProductID: &productID}
}
