package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/pricetable"
)

// Every kind of exception appears in the inbox of the role that fixes it,
// with its fix, and the fix works from there (returning to the inbox with a
// flash); other roles get no such section and 403 on the actions.
func TestExceptionsInboxKindsAndFixes(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	if res := e.API(f.tokA, "POST", "/api/v1/purchase-orders/"+f.po1+"/backorder", strings.NewReader(`{"available_on":"2030-03-10","reason":"Aguardando importação"}`), "application/json"); res.Status != 200 {
		t.Fatalf("backorder: %d %s", res.Status, res.Body)
	}
	nop := f.noPricePO(t)
	csv := "codigo;preco\r\nB-1;12,50\r\n"
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := e.App.PriceTables.SubmitFile(e.Ctx, f.b.ID, pricetable.File{Name: "b.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		t.Fatal(err)
	}
	f.stockUp(t)
	f.bill(t, f.po2)
	po1 := mustPO(t, f, f.po1)
	so1 := mustSalesOrder(t, f, po1.SalesOrderID)
	if err := e.App.DB.Gorm.Exec(`INSERT INTO status_pushes (order_id, platform_id, action, status, attempts, last_error_kind, last_error, created_at, updated_at)
		VALUES (?, ?, 'start_handling', 'failed', 1, 'rejected', 'A plataforma recusou: pedido em estado inválido.', ?, ?)`,
		so1.ID, so1.PlatformID, e.App.Store.Now(), e.App.Store.Now()).Error; err != nil {
		t.Fatal(err)
	}

	e.User("admin@connectparts.test", model.RoleAdmin, nil)
	e.User("fiscal@connectparts.test", model.RoleFiscal, nil)
	e.User("logistica@connectparts.test", model.RoleLogistics, nil)
	e.User("consulta@connectparts.test", model.RoleViewer, nil)
	buyer, fiscal := e.Login("compras@connectparts.test"), e.Login("fiscal@connectparts.test")
	logistics, admin := e.Login("logistica@connectparts.test"), e.Login("admin@connectparts.test")

	sections := func(body string) map[model.ExceptionKind]bool {
		out := map[model.ExceptionKind]bool{}
		for _, k := range model.ExceptionKinds {
			out[k] = strings.Contains(body, `data-testid="section-`+string(k)+`"`)
		}
		return out
	}

	// Purchasing: blocked SKUs, no price, backorders, cancelled after despacho.
	// The home's exceptions card holds the sum of the inbox's tabs (the home
	// reuses its PO counts for it).
	for _, who := range []*apptest.Browser{buyer, admin} {
		home := who.Get("/")
		if home.Doc.Find("[data-testid=home-exceptions]").Length() != 1 {
			t.Fatal("home has no exceptions card")
		}
		sum := 0
		who.Get("/exceptions").Doc.Find("[data-testid^=count-]").Each(func(_ int, sel *goquery.Selection) {
			n, _ := strconv.Atoi(strings.ReplaceAll(sel.Text(), ".", ""))
			sum += n
		})
		if got := home.Text("[data-testid=home-exceptions]"); got != strconv.Itoa(sum) || sum == 0 {
			t.Errorf("home card %q, the inbox's tabs add up to %d", got, sum)
		}
	}
	res := buyer.Get("/exceptions")
	if res.Status != 200 || res.Doc.Find("[data-testid=nav-exceptions]").Length() != 1 {
		t.Fatalf("purchasing inbox: %d", res.Status)
	}
	got := sections(res.Body)
	for _, k := range model.ExceptionKinds {
		want := k == model.ExcBlockedSKU || k == model.ExcNoPrice || k == model.ExcBackordered || k == model.ExcCancelledAfter
		if got[k] != want {
			t.Errorf("purchasing sees section %s: %v", k, got[k])
		}
	}
	if res.Doc.Find("[data-testid=row-no_price][data-number='"+nop+"'] [data-testid=reprice-form]").Length() != 1 ||
		res.Doc.Find("[data-testid=row-backordered][data-number='"+f.po1+"'] [data-testid=continue-form]").Length() != 1 {
		t.Fatalf("purchasing rows: %q", res.Text("main"))
	}
	if res.Text("[data-testid=count-no_price]") != "1" || res.Text("[data-testid=count-backordered]") != "1" {
		t.Errorf("counts: %q %q", res.Text("[data-testid=count-no_price]"), res.Text("[data-testid=count-backordered]"))
	}
	// The supplier filter narrows the PO kinds (the no-price PO is B's).
	if res := buyer.Get("/exceptions?kind=no_price&supplier=" + itoa(f.a.ID)); res.Doc.Find("[data-testid=row-no_price]").Length() != 0 ||
		res.Text("[data-testid=count-no_price]") != "0" {
		t.Errorf("supplier filter: %q", res.Text("[data-testid=section-no_price]"))
	}

	back := "/exceptions?kind=no_price"
	res = buyer.Submit("/purchase-orders/"+nop+"/reprice", url.Values{"back": {back}})
	if res.Status != 303 || res.Location() != back {
		t.Fatalf("reprice: %d → %q", res.Status, res.Location())
	}
	if got := buyer.Get(back).Text("[data-testid=flash-success]"); !strings.Contains(got, nop+" reprecificado") {
		t.Errorf("reprice flash: %q", got)
	}
	if po := mustPO(t, f, nop); po.Status != model.POAwaitingSupplier {
		t.Errorf("repriced PO: %s", po.Status)
	}
	// A back outside the inbox is not followed.
	res = buyer.Submit("/purchase-orders/"+f.po1+"/continue", url.Values{"back": {"https://evil.example/"}})
	if res.Status != 303 || strings.Contains(res.Location(), "evil") {
		t.Fatalf("continue: %d → %q", res.Status, res.Location())
	}
	if po := mustPO(t, f, f.po1); po.Status != model.POAcknowledged {
		t.Fatalf("continued PO: %s", po.Status)
	}

	// Fiscal: the divergent NF-e, with its divergences and the reminder.
	if res := e.API(f.tokA, "POST", "/api/v1/purchase-orders/"+f.po1+"/invoice", strings.NewReader(f.xml(t, f.po1, func(d *nfetest.Doc) { d.Items = d.Items[:1] })), "application/xml"); res.Status != 422 {
		t.Fatalf("divergent invoice: %d %s", res.Status, res.Body)
	}
	res = fiscal.Get("/exceptions")
	got = sections(res.Body)
	for _, k := range model.ExceptionKinds {
		if got[k] != (k == model.ExcInvoiceDivergent) {
			t.Errorf("fiscal sees section %s: %v", k, got[k])
		}
	}
	row := res.Doc.Find("[data-testid=row-invoice_divergent][data-number='" + f.po1 + "']")
	if row.Length() != 1 || strings.TrimSpace(row.Find("[data-testid=divergences]").Text()) == "" || row.Find("[data-testid=remind-form]").Length() != 1 {
		t.Fatalf("divergent row: %q", row.Text())
	}
	res = fiscal.Submit("/exceptions/remind/"+f.po1, url.Values{"back": {"/exceptions"}})
	if res.Status != 303 || res.Location() != "/exceptions" {
		t.Fatalf("remind: %d → %q", res.Status, res.Location())
	}
	if n := f.count(t, "notifications n JOIN users u ON u.id = n.user_id WHERE u.supplier_id = ? AND n.kind = 'purchase_order.remind_invoice'", f.a.ID); n == 0 {
		t.Error("the supplier was not told to send a corrected NF-e")
	}
	for path, form := range map[string]url.Values{
		"/exceptions/retry-push":                           {"kind": {"status"}, "id": {"1"}},
		"/exceptions/import-now":                           {"platform_id": {itoa(so1.PlatformID)}},
		"/purchase-orders/" + f.po2 + "/resolve-exception": {"note": {"x"}},
	} {
		if res := fiscal.Submit(path, form); res.Status != 403 {
			t.Errorf("fiscal POST %s: %d", path, res.Status)
		}
	}

	// Logistics: the late shipment, despachar and remind from the inbox; not the NF-e reminder.
	later := time.Now().Add(25 * time.Hour)
	e.App.Store.SetClock(func() time.Time { return later })
	// A day later the sessions have expired: log in again.
	buyer, logistics, admin = e.Login("compras@connectparts.test"), e.Login("logistica@connectparts.test"), e.Login("admin@connectparts.test")
	back = "/exceptions?kind=late"
	res = logistics.Get(back)
	row = res.Doc.Find("[data-testid=row-late][data-number='" + f.po2 + "']")
	if res.Status != 200 || row.Find("[data-testid=dispatch-form]").Length() != 1 || row.Find("[data-testid=remind-form]").Length() != 1 {
		t.Fatalf("late row: %d %q", res.Status, res.Text("main"))
	}
	if strings.Contains(res.Body, `data-testid="section-failed_push"`) || strings.Contains(res.Body, `data-testid="section-no_price"`) {
		t.Error("logistics sees sections it cannot fix")
	}
	res = logistics.Submit("/logistics/dispatch?number="+f.po2, url.Values{"back": {back}})
	if res.Status != 303 || res.Location() != back {
		t.Fatalf("dispatch: %d → %q", res.Status, res.Location())
	}
	if po := mustPO(t, f, f.po2); po.DispatchedAt == nil {
		t.Error("not despachado")
	}
	if res := logistics.Submit("/exceptions/remind/"+f.po2, url.Values{"back": {back}}); res.Status != 303 ||
		!strings.Contains(logistics.Get(back).Text("[data-testid=flash-success]"), "avisado") {
		t.Errorf("late reminder: %d", res.Status)
	}
	if n := f.count(t, "notifications n JOIN users u ON u.id = n.user_id WHERE u.supplier_id = ? AND n.kind = 'purchase_order.remind_shipment'", f.a.ID); n == 0 {
		t.Error("the supplier was not told to ship")
	}
	if res := logistics.Submit("/exceptions/remind/"+f.po1, url.Values{}); res.Status != 403 {
		t.Errorf("logistics reminds of an NF-e: %d", res.Status)
	}

	// Cancelled on the platform after the despacho: purchasing resolves it here.
	if _, err := e.App.Purchasing.CancelForOrder(e.Ctx, mustPO(t, f, f.po2).SalesOrderID, "Cliente desistiu"); err != nil {
		t.Fatal(err)
	}
	back = "/exceptions?kind=cancelled_after"
	if row := buyer.Get(back).Doc.Find("[data-testid=row-cancelled_after][data-number='" + f.po2 + "']"); row.Find("[data-testid=resolve-form]").Length() != 1 {
		t.Fatalf("cancelled-after row: %q", row.Text())
	}
	res = buyer.Submit("/purchase-orders/"+f.po2+"/resolve-exception", url.Values{"note": {"Devolução combinada"}, "back": {back}})
	if res.Status != 303 || res.Location() != back {
		t.Fatalf("resolve: %d → %q", res.Status, res.Location())
	}
	if res := buyer.Get(back); res.Doc.Find("[data-testid=row-cancelled_after]").Length() != 0 || !strings.Contains(res.Text("[data-testid=flash-success]"), "resolvida") {
		t.Errorf("after resolve: %q", res.Text("main"))
	}

	// Admin: the failed push, explained, and "Tentar de novo".
	back = "/exceptions?kind=failed_push"
	res = admin.Get(back)
	row = res.Doc.Find("[data-testid=row-failed_push][data-subject='" + so1.ExternalID + "']")
	if row.Length() != 1 || !strings.Contains(row.Find("[data-testid=push-explained]").Text(), "parou de tentar") || row.Find("[data-testid=retry-form]").Length() != 1 {
		t.Fatalf("failed push row: %q", res.Text("[data-testid=section-failed_push]"))
	}
	id, _ := row.Find("input[name=id]").Attr("value")
	res = admin.Submit("/exceptions/retry-push", url.Values{"kind": {"status"}, "id": {id}, "back": {back}})
	if res.Status != 303 || res.Location() != back {
		t.Fatalf("retry: %d → %q", res.Status, res.Location())
	}
	if n := f.count(t, "status_pushes WHERE id = ? AND status = 'pending'", id); n != 1 {
		t.Error("the push is not pending again")
	}
	if n := f.count(t, "audit_log WHERE action = 'status_push.retry'"); n != 1 {
		t.Errorf("retry audited %d times", n)
	}
	if res := admin.Get(back); !strings.Contains(res.Text("[data-testid=flash-success]"), "nova tentativa na fila") {
		t.Errorf("retry flash: %q", res.Text("[data-testid=flash-success]"))
	}

	// Home card for whoever has an inbox (checked against the tabs above,
	// while they held exceptions); none for a viewer, who gets 403.
	viewer := e.Login("consulta@connectparts.test")
	if res := viewer.Get("/"); res.Doc.Find("[data-testid=home-exceptions]").Length() != 0 || res.Doc.Find("[data-testid=nav-exceptions]").Length() != 0 {
		t.Error("viewer is offered the inbox")
	}
	if res := viewer.Get("/exceptions"); res.Status != 403 {
		t.Errorf("viewer /exceptions: %d", res.Status)
	}
	supplier := e.Login("a@freios.test")
	if res := supplier.Get("/exceptions"); res.Status != 403 {
		t.Errorf("supplier /exceptions: %d", res.Status)
	}
}
