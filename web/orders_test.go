package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
)

// ordersFixture is a portal with a catalog, a sandbox platform whose 30
// generated orders were imported once, and an admin.
type ordersFixture struct {
	env   *apptest.Env
	p     *model.Platform
	sb    *sandbox.Platform
	admin *apptest.Browser
}

// newOrdersFixture maps the given shipping methods (sandbox: Normal,
// Expressa, Econômica) and runs one import; orders of other methods are blocked.
func newOrdersFixture(t *testing.T, mapped map[string]string) *ordersFixture {
	t.Helper()
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	for _, sku := range []string{"CP-001", "CP-002", "CP-003"} {
		p := &model.Product{SKU: sku, Name: "Produto " + sku, SupplierID: &sup.ID, SupplierCode: "F-" + sku, Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			t.Fatal(err)
		}
		loc, err := env.App.Stock.LocationFor(env.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Stock.Count(env.Ctx, p.ID, loc.ID, 500, model.SourceInventory, "inv:test", ""); err != nil {
			t.Fatal(err)
		}
	}
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: "Demo",
		Settings: map[string]string{"seed": "2", "orders": "30"}})
	if err != nil {
		t.Fatal(err)
	}
	for m, c := range mapped {
		if _, err := env.App.SyncEngine.MapCarrier(env.Ctx, p.Name, m, c); err != nil {
			t.Fatal(err)
		}
	}
	ad, err := env.App.SyncEngine.Registry().Adapter(env.Ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	f := &ordersFixture{env: env, p: p, sb: ad.(*sandbox.Platform)}
	f.runImport(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	f.admin = env.Login("admin@cp.example")
	return f
}

func (f *ordersFixture) runImport(t *testing.T) syncengine.RunReport {
	t.Helper()
	rep, err := f.env.App.SyncEngine.RunImport(f.env.Ctx, f.p.ID)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

var allCarriers = map[string]string{"Normal": "Correios", "Expressa": "Jadlog", "Econômica": "Loggi"}

func (f *ordersFixture) imported() []platform.Order {
	var out []platform.Order
	for _, o := range f.sb.Orders() {
		if o.Status != model.SOCancelled {
			out = append(out, o)
		}
	}
	return out
}

func TestOrderListFiltersSearchPaginationAndDetail(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	all := f.imported()
	if len(all) <= 25 {
		t.Fatalf("%d imported orders: the seed must give more than one page", len(all))
	}
	res := f.admin.Get("/orders")
	if res.Status != 200 {
		t.Fatalf("/orders: %d", res.Status)
	}
	if n := res.Doc.Find("[data-testid=order-row]").Length(); n != 25 {
		t.Fatalf("first page shows %d orders, want 25", n)
	}
	if got := res.Text(".pager span"); !strings.Contains(got, "de "+itoa(int64(len(all)))) {
		t.Fatalf("pager: %q", got)
	}
	if res = f.admin.Get("/orders?page=2"); res.Doc.Find("[data-testid=order-row]").Length() != len(all)-25 {
		t.Fatalf("second page: %d rows", res.Doc.Find("[data-testid=order-row]").Length())
	}
	if !strings.Contains(res.Body, "R$ ") {
		t.Fatal("totals not shown as R$")
	}

	// Status filter: every row shown has the status, and the count matches.
	want := 0
	for _, o := range all {
		if o.Status == model.SOReadyForHandling {
			want++
		}
	}
	res = f.admin.Get("/orders?status=ready_for_handling")
	if n := res.Doc.Find("[data-testid=order-row]").Length(); n != min(want, 25) || want == 0 {
		t.Fatalf("status filter: %d rows, want %d", n, want)
	}
	for _, s := range res.Doc.Find("[data-testid=order-row] [data-testid=order-status]").Nodes {
		if txt := strings.TrimSpace(s.FirstChild.Data); txt != "Pronto para manuseio" {
			t.Fatalf("status filter shows %q", txt)
		}
	}

	// Search by external id, by formatted and bare document.
	target := all[3]
	for _, q := range []string{target.ExternalID, target.Customer.Document, formatDoc(target.Customer.Document)} {
		res = f.admin.Get("/orders?q=" + url.QueryEscape(q))
		if n := res.Doc.Find("[data-testid=order-row]").Length(); n < 1 || !strings.Contains(res.Text("[data-testid=orders-table]"), target.Customer.Name) {
			t.Fatalf("search %q: %d rows", q, n)
		}
	}
	if res = f.admin.Get("/orders?q=nao-existe-123"); res.Doc.Find("[data-testid=order-row]").Length() != 0 {
		t.Fatal("search for nothing found something")
	}
	// Platform and date filters.
	if res = f.admin.Get("/orders?platform=" + itoa(f.p.ID+100)); res.Doc.Find("[data-testid=order-row]").Length() != 0 {
		t.Fatal("other platform filter shows orders")
	}
	if res = f.admin.Get("/orders?from=2031-01-01"); res.Doc.Find("[data-testid=order-row]").Length() != 0 {
		t.Fatal("future date filter shows orders")
	}
	// The sandbox places its orders on 2026-01-05 (São Paulo) onwards.
	res = f.admin.Get("/orders?from=2026-01-05&to=2026-01-05")
	if n := res.Doc.Find("[data-testid=order-row]").Length(); n == 0 {
		t.Fatal("date filter on the sandbox's first day shows nothing")
	}
	if res = f.admin.Get("/orders?from=banana"); res.Status != 200 || res.Text("[data-testid=form-error]") == "" {
		t.Fatalf("bad date: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}

	// Detail.
	so, err := f.env.App.Store.FindSalesOrderByExternalID(f.env.Ctx, f.p.ID, target.ExternalID)
	if err != nil {
		t.Fatal(err)
	}
	res = f.admin.Get("/orders/" + itoa(so.ID))
	if res.Status != 200 {
		t.Fatalf("detail: %d", res.Status)
	}
	checks := map[string]string{
		"[data-testid=order-external-id]":    target.ExternalID,
		"[data-testid=customer-document]":    formatDoc(target.Customer.Document),
		"[data-testid=ibge-code]":            target.Address.IBGECityCode,
		"[data-testid=order-carrier]":        allCarriers[target.ShippingMethod],
		"[data-testid=order-channel-status]": model.ChannelStatusLabel(target.ChannelStatus),
		"[data-testid=order-total]":          format.Money(target.TotalCents),
		"[data-testid=order-status]":         target.Status.Label(),
	}
	for sel, want := range checks {
		if got := res.Text(sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if code, _ := res.Doc.Find("[data-testid=order-channel-status]").Attr("data-code"); code != target.ChannelStatus {
		t.Errorf("channel status code %q, want %q", code, target.ChannelStatus)
	}
	if n := res.Doc.Find("[data-testid=order-items] tbody tr").Length(); n != len(target.Items) {
		t.Errorf("%d item rows, want %d", n, len(target.Items))
	}
	if tl := res.Text("[data-testid=order-timeline]"); !strings.Contains(tl, "Importado") || !strings.Contains(tl, "Pedido importado de Demo") {
		t.Errorf("timeline: %q", tl)
	}
	if res = f.admin.Get("/orders/999999"); res.Status != 404 {
		t.Errorf("missing order: %d", res.Status)
	}
}

func formatDoc(d string) string {
	if len(d) == 11 {
		return d[0:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:11]
	}
	return d[0:2] + "." + d[2:5] + "." + d[5:8] + "/" + d[8:12] + "-" + d[12:14]
}

func TestBlockedQueueMapsCarrierAndNextRunImports(t *testing.T) {
	f := newOrdersFixture(t, map[string]string{"Normal": "Correios"})
	var expressa []platform.Order
	for _, o := range f.imported() {
		if o.ShippingMethod == "Expressa" {
			expressa = append(expressa, o)
		}
	}
	if len(expressa) == 0 {
		t.Fatal("no Expressa orders; change the seed")
	}
	res := f.admin.Get("/orders/blocked")
	if res.Status != 200 {
		t.Fatalf("blocked: %d", res.Status)
	}
	row := res.Doc.Find("[data-testid=blocked-row][data-external-id='" + expressa[0].ExternalID + "']")
	if row.Length() != 1 || !strings.Contains(row.Text(), "Forma de envio sem transportadora vinculada") ||
		strings.TrimSpace(row.Find("[data-testid=blocked-method]").Text()) != "Expressa" || row.Find("[data-testid=map-carrier-form]").Length() != 0 {
		t.Fatalf("blocked row: %q", row.Text())
	}
	// The fix is per method, above the orders: one form for all of Expressa's.
	if res.Doc.Find("[data-testid=cause-row][data-method=Expressa] [data-testid=map-carrier-form]").Length() != 1 {
		t.Fatalf("no grouped form for Expressa: %q", res.Text("[data-testid=causes-unmapped_carrier]"))
	}
	if !strings.Contains(f.admin.Get("/orders").Text("[data-testid=blocked-link]"), "(") {
		t.Error("order list does not count the blocked orders")
	}

	// Neither an existing carrier nor a new name: refused with a message.
	res = f.admin.Submit("/orders/blocked/map-carrier", url.Values{"platform_id": {itoa(f.p.ID)}, "method": {"Expressa"}})
	if res.Status != 303 {
		t.Fatalf("empty mapping: %d", res.Status)
	}
	if got := f.admin.Get("/orders/blocked").Text("[data-testid=flash-error]"); !strings.Contains(got, "Escolha uma transportadora") {
		t.Fatalf("empty mapping flash: %q", got)
	}

	res = f.admin.Submit("/orders/blocked/map-carrier", url.Values{"platform_id": {itoa(f.p.ID)}, "method": {"Expressa"}, "new_carrier": {"Jadlog"}})
	if res.Status != 303 {
		t.Fatalf("map: %d %s", res.Status, res.Body)
	}
	res = f.admin.Get(res.Location())
	if got := res.Text("[data-testid=flash-success]"); !strings.Contains(got, "importados na próxima sincronização") {
		t.Fatalf("flash: %q", got)
	}
	if res.Doc.Find("[data-testid=blocked-row][data-external-id='"+expressa[0].ExternalID+"'] [data-testid=blocked-fixed]").Length() != 1 {
		t.Error("mapped row still offers the form instead of waiting for the next run")
	}
	// An existing carrier chosen in the select (Correios) for the other method.
	carriers, _ := f.env.App.Store.ListCarriers(f.env.Ctx)
	var correios int64
	for _, c := range carriers {
		if c.Name == "Correios" {
			correios = c.ID
		}
	}
	res = f.admin.Submit("/orders/blocked/map-carrier", url.Values{"platform_id": {itoa(f.p.ID)}, "method": {"Econômica"}, "carrier_id": {itoa(correios)}})
	if res.Status != 303 {
		t.Fatalf("map with select: %d", res.Status)
	}
	if m, err := f.env.App.Store.FindCarrierMapping(f.env.Ctx, f.p.ID, "Econômica"); err != nil || m.Carrier.Name != "Correios" {
		t.Fatalf("Econômica mapping: %+v %v", m, err)
	}

	rep := f.runImport(t)
	if rep.Imported == 0 || rep.Blocked != 0 {
		t.Fatalf("run after mapping: %+v", rep)
	}
	so, err := f.env.App.Store.FindSalesOrderByExternalID(f.env.Ctx, f.p.ID, expressa[0].ExternalID)
	if err != nil {
		t.Fatalf("Expressa order not imported: %v", err)
	}
	res = f.admin.Get("/orders/" + itoa(so.ID))
	if got := res.Text("[data-testid=order-carrier]"); got != "Jadlog" {
		t.Errorf("carrier %q", got)
	}
	if tl := res.Text("[data-testid=order-timeline]"); !strings.Contains(tl, "Estava bloqueado") {
		t.Errorf("timeline: %q", tl)
	}
	res = f.admin.Get("/orders/blocked")
	if res.Doc.Find("[data-testid=blocked-row]").Length() != 0 || res.Text("[data-testid=blocked-empty]") == "" {
		t.Fatalf("queue not empty after import: %q", res.Text("[data-testid=blocked-table]"))
	}
	if res = f.admin.Get("/orders/blocked?resolved=1"); !strings.Contains(res.Text("[data-testid=blocked-table]"), "Resolvido em") {
		t.Fatal("resolved orders not listed with ?resolved=1")
	}
	// The sync log shows both runs.
	res = f.admin.Get("/sync-runs?platform=" + itoa(f.p.ID))
	if n := res.Doc.Find("[data-testid=sync-run-row]").Length(); n != 2 || !strings.Contains(res.Text("[data-testid=sync-runs-table]"), "Concluída") {
		t.Fatalf("sync log: %d rows %q", n, res.Text("[data-testid=sync-runs-table]"))
	}
	if res = f.admin.Get("/sync-runs?status=failed"); res.Doc.Find("[data-testid=sync-run-row]").Length() != 0 {
		t.Fatal("failed filter shows successful runs")
	}
}

func TestOrdersAndPlatformsForbiddenToSuppliers(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	sup := f.env.Supplier("12ABC34501DE35", "Freios & Cia")
	f.env.User("fornecedor@freios.example", model.RoleSupplier, sup)
	supTok := f.env.Token(f.env.User("api@freios.example", model.RoleSupplier, sup))
	f.env.User("viewer@cp.example", model.RoleViewer, nil)
	viewerTok := f.env.Token(f.env.User("fiscal@cp.example", model.RoleFiscal, nil))
	b := f.env.Login("fornecedor@freios.example")
	orders, _, _ := f.env.App.Store.SearchSalesOrders(f.env.Ctx, store.OrderSearch{}, store.Page{Size: 1})
	oid := itoa(orders[0].ID)
	pid := itoa(f.p.ID)
	pages := []string{"/orders", "/orders/blocked", "/orders/" + oid, "/platforms", "/platforms/new", "/platforms/" + pid, "/sync-runs"}
	for _, path := range pages {
		if res := b.Get(path); res.Status != 403 {
			t.Errorf("supplier GET %s: %d", path, res.Status)
		}
	}
	posts := map[string]url.Values{
		"/orders/blocked/map-carrier":            {"platform_id": {pid}, "method": {"X"}, "new_carrier": {"Y"}},
		"/platforms":                             {"kind": {"sandbox"}, "name": {"X"}, "interval": {"15"}},
		"/platforms/" + pid:                      {"interval": {"15"}},
		"/platforms/" + pid + "/carriers":        {"method": {"X"}, "carrier": {"Y"}},
		"/platforms/" + pid + "/carriers/remove": {"method": {"Normal"}},
	}
	for path, form := range posts {
		if res := b.Submit(path, form); res.Status != 403 {
			t.Errorf("supplier POST %s: %d", path, res.Status)
		}
	}
	for _, path := range []string{"/api/v1/orders", "/api/v1/orders/" + oid} {
		if res := f.env.API(supTok, "GET", path, nil, ""); res.Status != 403 {
			t.Errorf("supplier API %s: %d", path, res.Status)
		}
		if res := f.env.API(viewerTok, "GET", path, nil, ""); res.Status != 200 {
			t.Errorf("fiscal API %s: %d", path, res.Status)
		}
	}
	if _, err := f.env.App.Store.FindCarrierMapping(f.env.Ctx, f.p.ID, "X"); err == nil {
		t.Error("a refused POST mapped a carrier")
	}
	// Staff who are not admins see the orders but not the platform pages.
	v := f.env.Login("viewer@cp.example")
	for _, path := range []string{"/orders", "/orders/blocked", "/orders/" + oid, "/sync-runs"} {
		if res := v.Get(path); res.Status != 200 {
			t.Errorf("viewer GET %s: %d", path, res.Status)
		}
	}
	if res := v.Get("/orders/blocked"); res.Doc.Find("[data-testid=map-carrier-form]").Length() != 0 {
		t.Error("viewer sees the mapping form")
	}
	for _, path := range []string{"/platforms", "/platforms/" + pid} {
		if res := v.Get(path); res.Status != 403 {
			t.Errorf("viewer GET %s: %d", path, res.Status)
		}
	}
	home := v.Get("/")
	if home.Doc.Find("[data-testid=nav-orders]").Length() != 1 || home.Doc.Find("[data-testid=nav-platforms]").Length() != 0 {
		t.Error("viewer navigation: want Pedidos, not Plataformas")
	}
}

func TestPlatformCreateEditAndSecrets(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	res := b.Get("/platforms/new?kind=vtex")
	if res.Status != 200 || res.Doc.Find("#f-s_app_token[type=password]").Length() != 1 {
		t.Fatalf("new vtex form: %d", res.Status)
	}
	const secret = "token-super-secreto-987"
	res = b.Submit("/platforms", url.Values{"kind": {"vtex"}, "name": {"Loja"}, "s_app_token": {secret},
		"import_from": {"awaiting_payment"}, "interval": {"0"}})
	if res.Status != 422 {
		t.Fatalf("bad settings: %d", res.Status)
	}
	for _, id := range []string{"#e-s_app_key", "#e-s_warehouse", "#e-s_account", "#e-interval"} {
		if res.Text(id) == "" {
			t.Errorf("no field error %s", id)
		}
	}
	if strings.Contains(res.Body, secret) {
		t.Fatal("the refused form renders the secret back")
	}
	if list, _ := env.App.Store.ListPlatforms(env.Ctx); len(list) != 0 {
		t.Fatal("a refused form created a platform")
	}

	res = b.Submit("/platforms", url.Values{"kind": {"vtex"}, "name": {"Loja"}, "s_account": {"connectparts"},
		"s_app_key": {"vtexappkey-cp-XYZ"}, "s_app_token": {secret}, "s_warehouse": {"1_1"},
		"import_from": {"payment_confirmed"}, "interval": {"30"}})
	if res.Status != 303 {
		t.Fatalf("create: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	p, err := env.App.Store.FindPlatformByName(env.Ctx, "Loja")
	if err != nil || p.ImportIntervalSeconds != 1800 || p.ImportFrom != model.ImportFromPaymentConfirmed || !p.Enabled {
		t.Fatalf("created: %+v %v", p, err)
	}
	if strings.Contains(p.SettingsSealed, secret) {
		t.Fatal("settings stored in clear")
	}
	res = b.Get(res.Location())
	if got := res.Text("[data-testid=flash-success]"); !strings.Contains(got, "Loja") {
		t.Fatalf("created flash: %q", got)
	}
	if strings.Contains(res.Body, secret) || strings.Contains(res.Body, "vtexappkey-cp-XYZ") {
		t.Fatal("platform page renders a secret")
	}
	if v, _ := res.Doc.Find("#f-s_account").Attr("value"); v != "connectparts" {
		t.Errorf("account shown as %q", v)
	}
	if res.Doc.Find("[data-testid=sync-now-form] input[name=_csrf]").Length() != 1 {
		t.Error("no Sincronizar agora form with CSRF")
	}
	if res = b.Get("/platforms"); !strings.Contains(res.Text("[data-testid=platforms-table]"), "30 min") {
		t.Errorf("list: %q", res.Text("[data-testid=platforms-table]"))
	}

	// Blank secrets keep the stored ones; the rest changes; a bad interval is refused.
	pid := itoa(p.ID)
	res = b.Submit("/platforms/"+pid, url.Values{"s_account": {"connectparts"}, "s_warehouse": {"2_1"}, "import_from": {"awaiting_payment"}, "interval": {"5000"}})
	if res.Status != 422 || res.Text("#e-interval") == "" || strings.Contains(res.Body, secret) {
		t.Fatalf("bad interval: %d %q", res.Status, res.Text("#e-interval"))
	}
	res = b.Submit("/platforms/"+pid, url.Values{"s_account": {"connectparts"}, "s_warehouse": {"2_1"}, "import_from": {"awaiting_payment"}, "interval": {"10"}})
	if res.Status != 303 {
		t.Fatalf("update: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	p, _ = env.App.Store.FindPlatform(env.Ctx, p.ID)
	settings, err := env.App.SyncEngine.Registry().Settings(p)
	if err != nil || settings["app_token"] != secret || settings["app_key"] != "vtexappkey-cp-XYZ" || settings["warehouse"] != "2_1" {
		t.Fatalf("settings after update: %v %v", settings, err)
	}
	if p.Enabled || p.ImportIntervalSeconds != 600 || p.ImportFrom != model.ImportFromAwaitingPayment {
		t.Fatalf("after update: %+v", p)
	}

	var details []string
	if err := env.App.DB.Gorm.Raw("SELECT details FROM audit_log WHERE entity = 'platform'").Scan(&details).Error; err != nil || len(details) < 2 {
		t.Fatalf("platform audit: %v %v", details, err)
	}
	for _, d := range details {
		if strings.Contains(d, secret) || strings.Contains(d, "vtexappkey-cp-XYZ") {
			t.Fatalf("audit log holds a secret: %s", d)
		}
	}
	// Carrier mappings: add, list, remove.
	if res = b.Submit("/platforms/"+pid+"/carriers", url.Values{"method": {"PAC"}, "carrier": {"Correios"}}); res.Status != 303 {
		t.Fatalf("map: %d", res.Status)
	}
	res = b.Get("/platforms/" + pid)
	if !strings.Contains(res.Text("[data-testid=mappings-table]"), "Correios") {
		t.Fatalf("mappings: %q", res.Text("[data-testid=mappings-table]"))
	}
	if res = b.Submit("/platforms/"+pid+"/carriers/remove", url.Values{"method": {"PAC"}}); res.Status != 303 {
		t.Fatalf("unmap: %d", res.Status)
	}
	if _, err := env.App.Store.FindCarrierMapping(env.Ctx, p.ID, "PAC"); err == nil {
		t.Fatal("mapping not removed")
	}
	// Name taken: a field error.
	res = b.Submit("/platforms", url.Values{"kind": {"sandbox"}, "name": {"Loja"}, "import_from": {"awaiting_payment"}, "interval": {"15"}})
	if res.Status != 422 || res.Text("#e-name") == "" {
		t.Fatalf("duplicate name: %d %q", res.Status, res.Text("#e-name"))
	}
}

func TestAPIOrdersListAndDetail(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	tok := f.env.Token(f.env.User("compras@cp.example", model.RolePurchasing, nil))
	all := f.imported()
	type page struct {
		Items []struct {
			ID       int64
			Status   string
			Customer struct{ Document string }
			Delivery struct {
				IBGECode string `json:"ibge_code"`
			}
			Items []struct{ SKU string }
		}
		NextCursor *string `json:"next_cursor"`
	}
	var seen []int64
	cursor := ""
	for range 10 {
		res := f.env.API(tok, "GET", "/api/v1/orders?limit=10&cursor="+cursor, nil, "")
		if res.Status != 200 {
			t.Fatalf("list: %d %s", res.Status, res.Body)
		}
		var pg page
		if err := json.Unmarshal([]byte(res.Body), &pg); err != nil {
			t.Fatal(err)
		}
		for _, it := range pg.Items {
			if len(seen) > 0 && it.ID >= seen[len(seen)-1] {
				t.Fatalf("not newest first: %d after %d", it.ID, seen[len(seen)-1])
			}
			if len(it.Items) == 0 || it.Customer.Document == "" || it.Delivery.IBGECode == "" {
				t.Fatalf("order %d incomplete: %+v", it.ID, it)
			}
			seen = append(seen, it.ID)
		}
		if pg.NextCursor == nil {
			break
		}
		cursor = *pg.NextCursor
	}
	if len(seen) != len(all) {
		t.Fatalf("paged through %d orders, want %d", len(seen), len(all))
	}
	res := f.env.API(tok, "GET", "/api/v1/orders?status=awaiting_payment", nil, "")
	var pg page
	_ = json.Unmarshal([]byte(res.Body), &pg)
	for _, it := range pg.Items {
		if it.Status != "awaiting_payment" {
			t.Fatalf("status filter returned %s", it.Status)
		}
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders?status=pago", nil, ""); res.Status != 422 || !strings.Contains(res.Body, `"field":"status"`) {
		t.Fatalf("bad status: %d %s", res.Status, res.Body)
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders?cursor=abc", nil, ""); res.Status != 400 {
		t.Fatalf("bad cursor: %d", res.Status)
	}
	res = f.env.API(tok, "GET", "/api/v1/orders/"+itoa(seen[0]), nil, "")
	var d struct {
		ID             int64
		Platform       string
		Carrier        *string
		PurchaseOrders []any `json:"purchase_orders"`
		Timeline       []struct{ Kind, Message string }
		Items          []struct {
			Quantity       int64
			UnitPriceCents int64 `json:"unit_price_cents"`
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &d); err != nil || res.Status != 200 {
		t.Fatalf("detail: %d %v", res.Status, err)
	}
	if d.Platform != "Demo" || d.Carrier == nil || d.PurchaseOrders == nil || len(d.PurchaseOrders) != 0 ||
		len(d.Timeline) == 0 || d.Timeline[0].Kind != "imported" || len(d.Items) == 0 || d.Items[0].UnitPriceCents <= 0 {
		t.Fatalf("detail: %s", res.Body)
	}
	if !strings.Contains(res.Body, `"purchase_orders":[]`) {
		t.Fatal("purchase_orders not an empty array")
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders/999999", nil, ""); res.Status != 404 {
		t.Fatalf("missing: %d", res.Status)
	}
}

// The sync log lists the pushes the platform refused, with their retry state.
func TestSyncLogShowsFailedPushes(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	db := f.env.App.DB.Gorm
	prod, err := f.env.App.Store.FindProductBySKU(f.env.Ctx, "CP-002")
	if err != nil {
		t.Fatal(err)
	}
	orders, _, _ := f.env.App.Store.SearchSalesOrders(f.env.Ctx, store.OrderSearch{}, store.Page{Size: 1})
	now := f.env.App.Store.Now()
	if err := db.Exec(`INSERT INTO stock_push_state (platform_id, product_id, dirty, version, attempts, last_error_kind, last_error, last_error_at, updated_at)
		VALUES (?, ?, ?, 3, 2, 'unavailable', 'A plataforma de demonstração não respondeu.', ?, ?)`, f.p.ID, prod.ID, true, now, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO status_pushes (order_id, platform_id, action, status, attempts, last_error_kind, last_error, created_at, updated_at)
		VALUES (?, ?, 'cancel', 'failed', 1, 'rejected', 'Pedido já faturado na plataforma.', ?, ?)`, orders[0].ID, f.p.ID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	res := f.admin.Get("/sync-runs")
	rows := res.Doc.Find("[data-testid=failed-push-row]")
	if rows.Length() != 2 {
		t.Fatalf("%d failed pushes shown: %q", rows.Length(), res.Text("[data-testid=failed-pushes-table]"))
	}
	txt := res.Text("[data-testid=failed-pushes-table]")
	for _, want := range []string{"CP-002", "Nova tentativa pendente", "não respondeu", orders[0].ExternalID, "Status: Cancelar", "Recusado"} {
		if !strings.Contains(txt, want) {
			t.Errorf("failed pushes lack %q: %q", want, txt)
		}
	}
	if res = f.admin.Get("/sync-runs?platform=" + itoa(f.p.ID+1)); res.Doc.Find("[data-testid=failed-push-row]").Length() != 0 {
		t.Error("platform filter ignored for failed pushes")
	}
}

// An order blocked for an unknown SKU links to the product form, SKU filled in.
func TestBlockedUnknownSKULinksToProductForm(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	now := f.env.App.Store.Now()
	if err := f.env.App.DB.Gorm.Exec(`INSERT INTO blocked_orders (platform_id, external_id, reason, detail, method, sku, channel_status, first_seen_at, last_seen_at)
		VALUES (?, 'SBX-999', 'unknown_sku', 'SKU não cadastrado no catálogo: CP-NOVO 1.', '', 'CP-NOVO 1', 'ready_for_handling', ?, ?)`, f.p.ID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	res := f.admin.Get("/orders/blocked")
	row := res.Doc.Find("[data-testid=blocked-row][data-external-id=SBX-999]")
	href, _ := res.Doc.Find("[data-testid=cause-row][data-sku='CP-NOVO 1'] [data-testid=create-product]").Attr("href")
	if !strings.Contains(row.Text(), "SKU não cadastrado no catálogo") || href != "/products/new?sku=CP-NOVO+1" {
		t.Fatalf("unknown SKU row: %q, link %q", row.Text(), href)
	}
	res = f.admin.Get(href)
	if v, _ := res.Doc.Find("#f-sku").Attr("value"); v != "CP-NOVO 1" {
		t.Fatalf("product form SKU %q", v)
	}
	// Once the product exists, the row waits for the next run.
	if err := f.env.App.Store.CreateProduct(f.env.Ctx, &model.Product{SKU: "CP-NOVO 1", Name: "Produto novo", Active: true}); err != nil {
		t.Fatal(err)
	}
	row = f.admin.Get("/orders/blocked").Doc.Find("[data-testid=blocked-row][data-external-id=SBX-999]")
	if row.Find("[data-testid=blocked-fixed]").Length() != 1 || row.Find("[data-testid=create-product]").Length() != 0 {
		t.Fatalf("row of a SKU created since: %q", row.Text())
	}
}

// No status code reaches a person: the orders list, an order's page and the
// blocked queue speak Portuguese (the codes stay in attributes for tools).
func TestOrderPagesShowNoStatusCodes(t *testing.T) {
	f := newOrdersFixture(t, map[string]string{"Normal": "Correios"}) // the other methods block
	codes := []string{"ready-for-handling", "payment-pending", "payment-approved", "window-to-cancel", "invoiced"}
	for _, st := range model.SOStatuses {
		codes = append(codes, string(st))
	}
	pages := []string{"/orders", "/orders/blocked"}
	for _, o := range f.imported() {
		so, err := f.env.App.Store.FindSalesOrderByExternalID(f.env.Ctx, f.p.ID, o.ExternalID)
		if err == nil && len(pages) < 6 {
			pages = append(pages, "/orders/"+itoa(so.ID))
		}
	}
	if len(pages) < 3 {
		t.Fatal("no imported order to open")
	}
	for _, path := range pages {
		res := f.admin.Get(path)
		if res.Status != 200 {
			t.Fatalf("%s: %d", path, res.Status)
		}
		text := res.Doc.Find("main").Text()
		for _, word := range strings.Fields(text) {
			word = strings.Trim(word, ".,;:()")
			for _, c := range codes {
				if word == c {
					t.Errorf("%s shows the code %q", path, c)
				}
			}
		}
	}
}
