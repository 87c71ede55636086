package e2e_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/syncengine"
)

// An admin opens the blocked queue, maps the unmapped shipping method to a new
// carrier with one submit right there and sees the flash; after the next
// import the order is on /orders and its page shows the timeline.
func TestBrowserBlockedQueueCarrierMapping(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	for _, sku := range []string{"CP-001", "CP-002", "CP-003"} {
		p := &model.Product{SKU: sku, Name: "Pastilha de freio " + sku, SupplierID: &sup.ID, SupplierCode: "F-" + sku, Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			t.Fatal(err)
		}
		loc, err := env.App.Stock.LocationFor(env.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Stock.Count(env.Ctx, p.ID, loc.ID, 200, model.SourceInventory, "inv:e2e", ""); err != nil {
			t.Fatal(err)
		}
	}
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: "Loja Demo",
		Settings: map[string]string{"seed": "2", "orders": "12"}})
	if err != nil {
		t.Fatal(err)
	}
	for m, c := range map[string]string{"Normal": "Correios", "Econômica": "Loggi"} {
		if _, err := env.App.SyncEngine.MapCarrier(env.Ctx, p.Name, m, c); err != nil {
			t.Fatal(err)
		}
	}
	ad, err := env.App.SyncEngine.Registry().Adapter(env.Ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	var target platform.Order
	for _, o := range ad.(*sandbox.Platform).Orders() {
		if o.ShippingMethod == "Expressa" && o.Status != model.SOCancelled {
			target = o
			break
		}
	}
	if target.ExternalID == "" {
		t.Fatal("no Expressa order; change the seed")
	}
	if rep, err := env.App.SyncEngine.RunImport(env.Ctx, p.ID); err != nil || rep.Blocked == 0 {
		t.Fatalf("first import: %+v %v", rep, err)
	}

	b := newBrowser(t, env)
	b.login("admin@cp.example", apptest.Password)
	b.visit("/orders")
	b.shot("orders-before")
	b.submit("[data-testid=blocked-link]")
	row := "[data-testid=blocked-row][data-external-id='" + target.ExternalID + "']"
	if got := b.text(row + " [data-testid=blocked-reason]"); got != "Forma de envio sem transportadora vinculada" {
		t.Fatalf("reason: %q", got)
	}
	if got := b.text(row + " [data-testid=blocked-method]"); got != "Expressa" {
		t.Fatalf("method: %q", got)
	}
	b.shot("blocked-queue")

	// One form per shipping method, above the orders it holds back.
	cause := "[data-testid=cause-row][data-method=Expressa]"
	b.run(fill(cause+" [data-testid=new-carrier]", "Jadlog"))
	b.submit(cause + " [data-testid=map-carrier]")
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, "importados na próxima sincronização") {
		t.Fatalf("flash: %q", got)
	}
	if got := b.text(row + " [data-testid=blocked-fixed]"); !strings.Contains(got, "próxima sincronização") {
		t.Fatalf("mapped row: %q", got)
	}
	b.shot("carrier-mapped")

	if rep, err := env.App.SyncEngine.RunImport(env.Ctx, p.ID); err != nil || rep.Imported == 0 || rep.Blocked != 0 {
		t.Fatalf("import after mapping: %+v %v", rep, err)
	}
	b.visit("/orders/blocked")
	if !b.exists("[data-testid=blocked-empty]") {
		t.Fatal("queue not empty after the import")
	}
	b.visit("/orders?q=" + target.ExternalID)
	if got := b.text("[data-testid=orders-table]"); !strings.Contains(got, target.Customer.Name) {
		t.Fatalf("order not listed: %q", got)
	}
	b.shot("orders-after")
	b.submit("[data-testid=order-row] a")
	// The title exists only on the order page: waiting for it outlasts a slow navigation.
	b.run(chromedp.WaitVisible(chromedp.CSS("[data-testid=order-title]")))
	if got := b.text("[data-testid=order-carrier]"); got != "Jadlog" {
		t.Fatalf("carrier: %q", got)
	}
	tl := b.text("[data-testid=order-timeline]")
	if !strings.Contains(tl, "Importado") || !strings.Contains(tl, "Estava bloqueado") {
		t.Fatalf("timeline: %q", tl)
	}
	b.shot("order-detail")

	b.visit("/platforms/" + strconv.FormatInt(p.ID, 10))
	b.shot("platform")
	b.visit("/sync-runs")
	b.shot("sync-runs")
	b.visit("/platforms/new?kind=mercadolivre")
	b.shot("platform-new")
}
