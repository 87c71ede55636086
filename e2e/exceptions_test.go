package e2e_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/syncengine"
)

// An admin opens the exceptions inbox from the menu and walks one fix of each
// kind, each returning to the inbox with its flash: maps a shipping method
// (all its orders at once) and imports now, creates the missing product,
// links an unknown SKU to an existing product (and sees it on the product page),
// reprices, reminds the supplier of a divergent NF-e, continues a backorder,
// despacha a late PO, retries a failed push and resolves a cancellation
// after the despacho. The POs are put in their exceptional states directly in
// the database (the web tests reach them through the real flows).
func TestBrowserExceptionsInbox(t *testing.T) {
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
	csv := "codigo;preco\r\nF-CP-001;150,00\r\nF-CP-002;80,00\r\nF-CP-003;45,00\r\n"
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := env.App.PriceTables.SubmitFile(env.Ctx, sup.ID, pricetable.File{Name: "t.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		t.Fatal(err)
	}
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: "Loja Demo",
		Settings: map[string]string{"seed": "2", "orders": "30"}})
	if err != nil {
		t.Fatal(err)
	}
	for m, c := range map[string]string{"Normal": "Correios", "Econômica": "Loggi"} {
		if _, err := env.App.SyncEngine.MapCarrier(env.Ctx, p.Name, m, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.App.SyncEngine.RunImport(env.Ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	db := env.App.DB.Gorm
	now := env.App.Store.Now()
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO blocked_orders (platform_id, external_id, reason, detail, method, sku, channel_status, first_seen_at, last_seen_at)
		VALUES (?, 'SBX-901', 'unknown_sku', 'SKU CP-404 não cadastrado', '', 'CP-404', 'ready-for-handling', ?, ?)`, p.ID, now, now)
	for _, id := range []string{"SBX-902", "SBX-903"} {
		exec(`INSERT INTO blocked_orders (platform_id, external_id, reason, detail, method, sku, channel_status, first_seen_at, last_seen_at)
			VALUES (?, ?, 'unknown_sku', 'SKU ML-PASTILHA-2 não cadastrado', '', 'ML-PASTILHA-2', 'ready-for-handling', ?, ?)`, p.ID, id, now, now)
	}

	// One PO per kind, from orders the import brought in.
	var orders []model.SalesOrder
	if err := db.Where("platform_id = ?", p.ID).Order("id").Find(&orders).Error; err != nil || len(orders) < 6 {
		t.Fatalf("imported orders: %d %v", len(orders), err)
	}
	for _, so := range orders {
		if _, err := env.App.Purchasing.CreateForOrder(env.Ctx, so.ID); err != nil {
			t.Fatalf("PO for %s: %v", so.Number, err)
		}
	}
	var all []model.PurchaseOrder
	if err := db.Order("id").Find(&all).Error; err != nil || len(all) < 5 {
		t.Fatalf("POs: %d %v", len(all), err)
	}
	pos := make([]*model.PurchaseOrder, 5)
	for i := range pos {
		pos[i] = &all[i]
	}
	noPrice, divergent, backordered, late, cancelled := pos[0], pos[1], pos[2], pos[3], pos[4]
	exec(`UPDATE purchase_orders SET status = 'no_price' WHERE id = ?`, noPrice.ID)
	exec(`UPDATE purchase_orders SET status = 'invoice_divergent' WHERE id = ?`, divergent.ID)
	exec(`UPDATE purchase_orders SET status = 'backordered', backorder_available_on = ?, backorder_reason = 'Aguardando importação' WHERE id = ?`,
		now.AddDate(0, 0, 10).In(format.Location).Format("2006-01-02"), backordered.ID)
	exec(`UPDATE purchase_orders SET status = 'billed', billed_at = ?, dispatch_hours = 24 WHERE id = ?`, now.Add(-48*time.Hour), late.ID)
	exec(`UPDATE sales_orders SET status = 'invoiced' WHERE id = ?`, late.SalesOrderID)
	exec(`UPDATE purchase_orders SET status = 'shipped', billed_at = ?, dispatched_at = ?, shipped_at = ?, cancel_exception_at = ?,
		cancel_exception_reason = 'Cliente desistiu' WHERE id = ?`, now, now, now, now, cancelled.ID)
	exec(`INSERT INTO status_pushes (order_id, platform_id, action, status, attempts, last_error_kind, last_error, created_at, updated_at)
		VALUES (?, ?, 'cancel', 'failed', 1, 'rejected', 'A plataforma recusou: pedido em estado inválido.', ?, ?)`, orders[len(orders)-1].ID, p.ID, now, now)

	b := newBrowser(t, env)
	b.login("admin@cp.example", apptest.Password)
	b.submit("[data-testid=nav-exceptions]")
	if !b.exists("[data-testid=exceptions-inbox]") {
		t.Fatalf("inbox not opened from the menu: %s", b.location())
	}
	b.shot("inbox-overview")
	flash := func(kind, want string) {
		t.Helper()
		if got := b.text("[data-testid=flash-" + kind + "]"); !strings.Contains(got, want) {
			t.Fatalf("flash %s: %q, want %q", kind, got, want)
		}
		if !strings.HasPrefix(b.location(), "/exceptions") {
			t.Fatalf("not back in the inbox: %s", b.location())
		}
	}

	// Blocked imports: one mapping for all of Expressa's orders, then Importar agora.
	b.visit("/exceptions?kind=blocked_carrier")
	cause := "[data-testid=cause-row][data-method=Expressa]"
	b.run(fill(cause+" [data-testid=new-carrier]", "Jadlog"))
	b.submit(cause + " [data-testid=map-carrier]")
	flash("success", "bloqueados por ela são importados")
	b.shot("inbox-carrier-mapped")
	b.submit(cause + " [data-testid=import-now]")
	flash("success", "pedidos corrigidos serão importados")
	b.shot("inbox-import-now")

	// Unknown SKU: the product form, SKU filled in.
	b.visit("/exceptions?kind=blocked_sku")
	b.submit("[data-testid=cause-row][data-sku=CP-404] [data-testid=create-product]")
	if !strings.HasPrefix(b.location(), "/products/new") {
		t.Fatalf("create product went to %s", b.location())
	}
	b.shot("inbox-unknown-sku")

	// Unknown SKU that is an existing product under another code: link it,
	// then the product page lists the link.
	b.visit("/exceptions?kind=blocked_sku")
	alias := "[data-testid=cause-row][data-sku=ML-PASTILHA-2]"
	b.run(fill(alias+" [data-testid=sku-alias-product]", "CP-002"))
	b.submit(alias + " [data-testid=sku-alias-link]")
	flash("success", "os 2 pedidos bloqueados por ele são importados")
	if !b.exists(alias + " [data-testid=cause-fixed]") {
		t.Fatal("linked SKU not shown as fixed")
	}
	b.shot("inbox-sku-linked")
	linked, err := env.App.Store.FindProductBySKU(env.Ctx, "CP-002")
	if err != nil {
		t.Fatal(err)
	}
	b.visit("/products/" + strconv.FormatInt(linked.ID, 10))
	if !b.exists("[data-testid=sku-alias-row][data-platform-sku=ML-PASTILHA-2]") {
		t.Fatal("product page does not list the linked SKU")
	}
	b.shot("product-sku-aliases")

	// No price: Reprecificar with the table in force.
	b.visit("/exceptions?kind=no_price")
	b.submit("[data-testid=row-no_price][data-number='" + noPrice.Number + "'] [data-testid=reprice-submit]")
	flash("success", "reprecificado")
	b.shot("inbox-repriced")

	// NF-e divergence: remind the supplier.
	b.visit("/exceptions?kind=invoice_divergent")
	b.submit("[data-testid=row-invoice_divergent][data-number='" + divergent.Number + "'] [data-testid=remind-submit]")
	flash("success", "avisado")
	b.shot("inbox-divergent-reminded")

	// Backorder: continue.
	b.visit("/exceptions?kind=backordered")
	b.submit("[data-testid=row-backordered][data-number='" + backordered.Number + "'] [data-testid=continue-submit]")
	flash("success", "continua")
	b.shot("inbox-backorder-continued")

	// Late: despachar.
	b.visit("/exceptions?kind=late")
	b.submit("[data-testid=row-late][data-number='" + late.Number + "'] [data-testid=dispatch-submit]")
	flash("success", "despachado")
	b.shot("inbox-late-dispatched")

	// Failed push: tentar de novo.
	b.visit("/exceptions?kind=failed_push")
	if got := b.text("[data-testid=push-explained]"); !strings.Contains(got, "recusou") {
		t.Fatalf("push explained: %q", got)
	}
	b.submit("[data-testid=retry-submit]")
	flash("success", "nova tentativa na fila")
	b.shot("inbox-push-retried")

	// Cancelled after the despacho: resolve with a note.
	b.visit("/exceptions?kind=cancelled_after")
	row := "[data-testid=row-cancelled_after][data-number='" + cancelled.Number + "']"
	b.run(fill(row+" input[name=note]", "Devolução combinada com o fornecedor"))
	b.submit(row + " [data-testid=resolve-submit]")
	flash("success", "resolvida")
	b.shot("inbox-cancel-resolved")
}
