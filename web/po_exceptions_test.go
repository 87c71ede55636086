package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
)

// noPricePO gives supplier B (no price table) a product and a sales order,
// whose PO lands in no_price; it returns the PO number.
func (f *poFixture) noPricePO(t *testing.T) string {
	t.Helper()
	e := f.env
	p := &model.Product{SKU: "SKU-B-1", Name: "Produto B-1", SupplierID: &f.b.ID, SupplierCode: "B-1", Dropship: true, Active: true}
	if err := e.App.Store.CreateProduct(e.Ctx, p); err != nil {
		t.Fatal(err)
	}
	loc, err := e.App.Stock.LocationFor(e.Ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	po1 := mustPO(t, f, f.po1)
	so := &model.SalesOrder{PlatformID: mustSalesOrder(t, f, po1.SalesOrderID).PlatformID, ExternalID: "ext-b", Number: "V-B", Status: model.SOPaymentApproved,
		CustomerName: "João", CustomerDocument: "52998224725", PlacedAt: time.Now().UTC(),
		Items: []model.SalesOrderItem{{ProductID: p.ID, LocationID: loc.ID, SKU: p.SKU, Quantity: 2, UnitPriceCents: 100, TotalCents: 200}}}
	if err := e.App.Store.CreateSalesOrder(e.Ctx, so); err != nil {
		t.Fatal(err)
	}
	pos, err := e.App.Purchasing.CreateForOrder(e.Ctx, so.ID)
	if err != nil || len(pos) != 1 || pos[0].Status != model.PONoPrice {
		t.Fatalf("no-price PO: %v %v", pos, err)
	}
	return pos[0].Number
}

func mustSalesOrder(t *testing.T, f *poFixture, id int64) *model.SalesOrder {
	t.Helper()
	so, err := f.env.App.Store.FindSalesOrder(f.env.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return so
}

func (f *poFixture) count(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.env.App.DB.Gorm.Raw("SELECT COUNT(*) FROM "+q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPurchaseOrderExceptionsAPI(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	buyer := e.Token(e.User("compras2@connectparts.test", model.RolePurchasing, nil))
	fiscal := e.Token(e.User("fiscal2@connectparts.test", model.RoleFiscal, nil))
	api := func(tok, path, body string) (int, string) {
		t.Helper()
		res := e.API(tok, "POST", "/api/v1/purchase-orders/"+path, strings.NewReader(body), "application/json")
		return res.Status, res.Body
	}

	// Backorder → continue.
	if st, body := api(f.tokA, f.po1+"/backorder", `{"available_on":"2030-03-10","reason":"Aguardando importação"}`); st != 200 {
		t.Fatalf("backorder: %d %s", st, body)
	}
	// The supplier's clock stops while purchasing decides.
	if got := f.env.Login("a@freios.test").Get("/purchase-orders/" + f.po1).Text("[data-testid=po-countdown]"); !strings.Contains(got, "aguardando decisão de compras") {
		t.Errorf("backordered PO clock: %q", got)
	}
	// Suppliers and fiscal staff may not decide: 403, nothing changed.
	for _, tok := range []string{f.tokA, f.tokB, fiscal} {
		for _, action := range []string{"/continue", "/cancel", "/reprice", "/resolve-exception"} {
			if st, _ := api(tok, f.po1+action, `{"reason":"x","note":"x"}`); st != 403 {
				t.Errorf("POST %s by a non-buyer: %d", action, st)
			}
		}
	}
	// Another supplier does not see it at all.
	if res := e.API(f.tokB, "GET", "/api/v1/purchase-orders/"+f.po1, nil, ""); res.Status != 404 {
		t.Errorf("another supplier: %d", res.Status)
	}
	// Wrong state: 409 in Portuguese, nothing changed.
	if st, body := api(buyer, f.po2+"/continue", ""); st != 409 || !strings.Contains(body, "Não é possível continuar") {
		t.Errorf("continue an awaiting PO: %d %s", st, body)
	}
	if st, body := api(buyer, f.po2+"/reprice", ""); st != 409 || !strings.Contains(body, "reprecificar") {
		t.Errorf("reprice a priced PO: %d %s", st, body)
	}
	if st, _ := api(buyer, f.po2+"/resolve-exception", `{"note":"x"}`); st != 409 {
		t.Errorf("resolve without exception: %d", st)
	}
	if got := mustPO(t, f, f.po2); got.Status != model.POAwaitingSupplier {
		t.Fatalf("refused actions changed the PO: %s", got.Status)
	}
	st, body := api(buyer, f.po1+"/continue", "")
	if st != 200 || !strings.Contains(body, `"status":"acknowledged"`) || !strings.Contains(body, `"available_on":"2030-03-10"`) {
		t.Fatalf("continue: %d %s", st, body)
	}

	// Backorder again → cancel: reason required; then the PO is cancelled and
	// the cancellation queued for the platform.
	if st, body := api(f.tokA, f.po1+"/backorder", `{"available_on":"2030-04-01","reason":"Fábrica parada"}`); st != 200 {
		t.Fatalf("backorder again: %d %s", st, body)
	}
	if st, _ := api(buyer, f.po1+"/cancel", `{"reason":""}`); st != 422 {
		t.Errorf("cancel without reason: %d", st)
	}
	if st, _ := api(buyer, f.po1+"/cancel", `not json`); st != 400 {
		t.Errorf("cancel with garbage: %d", st)
	}
	st, body = api(buyer, f.po1+"/cancel", `{"reason":"Cliente não quis aguardar"}`)
	if st != 200 || !strings.Contains(body, `"status":"cancelled"`) || !strings.Contains(body, `"cancel_reason":"Cliente não quis aguardar"`) {
		t.Fatalf("cancel: %d %s", st, body)
	}
	soID := mustPO(t, f, f.po1).SalesOrderID
	if n := f.count(t, "status_pushes WHERE order_id = ? AND action = 'cancel' AND reason = ?", soID, "Cliente não quis aguardar"); n != 1 {
		t.Errorf("%d cancel pushes queued", n)
	}
	if st, _ := api(buyer, f.po1+"/cancel", `{"reason":"de novo"}`); st != 409 {
		t.Errorf("cancel twice: %d", st)
	}
	res := e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1, nil, "")
	if res.Status != 200 || !strings.Contains(res.Body, `"cancelled_at":"`) {
		t.Errorf("supplier sees the cancellation: %d %.300s", res.Status, res.Body)
	}

	// Reprice: still without price → 422 naming the code; with B's table → priced.
	nop := f.noPricePO(t)
	st, body = api(buyer, nop+"/reprice", "")
	if code, fields := errorDetails(t, body); st != 422 || code != "invalid" || len(fields) != 1 || !strings.Contains(body, "B-1") {
		t.Fatalf("reprice without table: %d %s", st, body)
	}
	if st, body := api(buyer, nop+"/reprice", `{"manual_prices":[{"line":1,"unit_price_cents":0,"justification":"cotação"}]}`); st != 422 || !strings.Contains(body, "maior que zero") {
		t.Errorf("manual price zero: %d %s", st, body)
	}
	if st, _ := api(buyer, nop+"/reprice", `{"manual_prices":`); st != 400 {
		t.Errorf("garbage body: %d", st)
	}
	csv := "codigo;preco\r\nB-1;12,50\r\n"
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := e.App.PriceTables.SubmitFile(e.Ctx, f.b.ID, pricetable.File{Name: "b.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		t.Fatal(err)
	}
	st, body = api(buyer, nop+"/reprice", "")
	if st != 200 || !strings.Contains(body, `"status":"awaiting_supplier"`) || !strings.Contains(body, `"total_cents":2500`) {
		t.Fatalf("reprice: %d %s", st, body)
	}

	// Cancelled on the platform after the despacho: the queue, then resolved.
	f.stockUp(t)
	f.bill(t, f.po2)
	logistics := e.Token(e.User("logistica2@connectparts.test", model.RoleLogistics, nil))
	if res := e.API(logistics, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(`{"numbers":["`+f.po2+`"]}`), "application/json"); res.Status != 200 {
		t.Fatalf("dispatch: %d %s", res.Status, res.Body)
	}
	if _, err := e.App.Purchasing.CancelForOrder(e.Ctx, mustPO(t, f, f.po2).SalesOrderID, "Cliente desistiu"); err != nil {
		t.Fatal(err)
	}
	res = e.API(buyer, "GET", "/api/v1/purchase-orders?exception=cancelled_after_dispatch", nil, "")
	var list struct {
		Items []struct {
			Number    string `json:"number"`
			Status    string `json:"status"`
			CancelExc *struct {
				Reason string `json:"reason"`
			} `json:"cancel_exception"`
		} `json:"items"`
	}
	if res.Status != 200 || json.Unmarshal([]byte(res.Body), &list) != nil || len(list.Items) != 1 || list.Items[0].Number != f.po2 ||
		list.Items[0].Status != "billed" || list.Items[0].CancelExc == nil || list.Items[0].CancelExc.Reason != "Cliente desistiu" {
		t.Fatalf("exception queue: %d %s", res.Status, res.Body)
	}
	if res := e.API(f.tokA, "GET", "/api/v1/purchase-orders?exception=cancelled_after_dispatch", nil, ""); res.Status != 403 {
		t.Errorf("supplier reading the staff queue: %d", res.Status)
	}
	if st, _ := api(buyer, f.po2+"/resolve-exception", `{"note":" "}`); st != 422 {
		t.Errorf("resolve without note: %d", st)
	}
	if st, body := api(buyer, f.po2+"/resolve-exception", `{"note":"Devolução combinada"}`); st != 200 || !strings.Contains(body, `"resolution":"Devolução combinada"`) {
		t.Fatalf("resolve: %d %s", st, body)
	}
	if st, _ := api(buyer, f.po2+"/resolve-exception", `{"note":"de novo"}`); st != 409 {
		t.Errorf("resolve twice: %d", st)
	}
	if res := e.API(buyer, "GET", "/api/v1/purchase-orders?exception=cancelled_after_dispatch", nil, ""); !strings.Contains(res.Body, `"items":[]`) {
		t.Errorf("resolved PO still queued: %s", res.Body)
	}
}

func TestPurchaseOrderExceptionsPage(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	e.User("fiscal3@connectparts.test", model.RoleFiscal, nil)
	if res := e.API(f.tokA, "POST", "/api/v1/purchase-orders/"+f.po1+"/backorder", strings.NewReader(`{"available_on":"2030-03-10","reason":"Aguardando importação"}`), "application/json"); res.Status != 200 {
		t.Fatalf("backorder: %d %s", res.Status, res.Body)
	}
	nop := f.noPricePO(t)

	buyer := e.Login("compras@connectparts.test")
	res := buyer.Get("/purchase-orders/exceptions")
	if res.Status != 200 || res.Doc.Find("[data-testid=nav-exceptions]").Length() != 1 {
		t.Fatalf("queue page: %d", res.Status)
	}
	if row := res.Doc.Find("[data-testid=backordered-row]"); row.Length() != 1 || !strings.Contains(row.Text(), f.po1) ||
		!strings.Contains(row.Find("[data-testid=available-on]").Text(), "10/03/2030") || !strings.Contains(row.Text(), "Aguardando importação") {
		t.Errorf("backordered section: %q", row.Text())
	}
	if row := res.Doc.Find("[data-testid=no-price-row]"); row.Length() != 1 || !strings.Contains(row.Text(), nop) ||
		strings.TrimSpace(row.Find("[data-testid=unpriced]").Text()) != "B-1" {
		t.Errorf("no-price section: %q", row.Text())
	}
	if res.Doc.Find("[data-testid=cancel-form][data-confirm]").Length() != 1 {
		t.Error("the cancel form does not ask for confirmation")
	}

	// Suppliers and fiscal never reach the queue or its actions.
	for _, email := range []string{"a@freios.test", "fiscal3@connectparts.test"} {
		b := e.Login(email)
		if res := b.Get("/purchase-orders/exceptions"); res.Status != http.StatusForbidden {
			t.Errorf("%s on the queue: %d", email, res.Status)
		}
		b.Get("/purchase-orders")
		if res := b.Submit("/purchase-orders/"+f.po1+"/cancel", url.Values{"reason": {"x"}}); res.Status != http.StatusForbidden {
			t.Errorf("%s cancelling: %d", email, res.Status)
		}
	}
	if got := mustPO(t, f, f.po1); got.Status != model.POBackordered {
		t.Fatalf("PO changed by refused requests: %s", got.Status)
	}

	// Cancel from the queue: back to the queue with a success message.
	buyer.Get("/purchase-orders/exceptions")
	res = buyer.Submit("/purchase-orders/"+f.po1+"/cancel", url.Values{"reason": {"Cliente não quis aguardar"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/purchase-orders/"+f.po1 {
		t.Fatalf("cancel: %d → %s", res.Status, res.Location())
	}
	page := buyer.Get(res.Location())
	if !strings.Contains(page.Text("[data-testid=flash-success]"), "cancelado") || !strings.Contains(page.Text("[data-testid=po-cancelled]"), "Cliente não quis aguardar") {
		t.Errorf("after cancel: %q / %q", page.Text("[data-testid=flash-success]"), page.Text("[data-testid=po-cancelled]"))
	}
	if page.Doc.Find("[data-testid=continue-form]").Length() != 0 {
		t.Error("actions still offered on a cancelled PO")
	}
	// Wrong state from a stale page: an error message, nothing changed.
	res = buyer.Submit("/purchase-orders/"+f.po1+"/continue", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("continue a cancelled PO: %d", res.Status)
	}
	if msg := buyer.Get(res.Location()).Text("[data-testid=flash-error]"); !strings.Contains(msg, "Não é possível continuar") {
		t.Errorf("conflict message %q", msg)
	}
	if got := mustPO(t, f, f.po1); got.Status != model.POCancelled {
		t.Fatalf("status %s", got.Status)
	}
	// The supplier sees the cancellation on its PO page.
	if res := e.Login("a@freios.test").Get("/purchase-orders/" + f.po1); !strings.Contains(res.Text("[data-testid=po-cancelled]"), "não fature nem envie") {
		t.Errorf("supplier page: %q", res.Text("[data-testid=po-cancelled]"))
	}

	// Reprice from the PO page: still no price → the reason, and the PO stays.
	buyer.Get("/purchase-orders/" + nop)
	res = buyer.Submit("/purchase-orders/"+nop+"/reprice", nil)
	page = buyer.Get(res.Location())
	if msg := page.Text("[data-testid=flash-error]"); !strings.Contains(msg, "B-1") {
		t.Errorf("reprice message %q", msg)
	}
	if page.Doc.Find("[data-testid=manual-price-1]").Length() != 1 {
		t.Fatal("no manual price field for the line without price")
	}
	// A manual price needs a justification; with one, the PO goes to the supplier.
	res = buyer.Submit("/purchase-orders/"+nop+"/reprice", url.Values{"price_1": {"12,50"}})
	if msg := buyer.Get(res.Location()).Text("[data-testid=flash-error]"); !strings.Contains(msg, "justifique") {
		t.Errorf("manual price without justification: %q", msg)
	}
	res = buyer.Submit("/purchase-orders/"+nop+"/reprice", url.Values{"price_1": {"12,5x"}, "justification": {"x"}})
	if msg := buyer.Get(res.Location()).Text("[data-testid=flash-error]"); !strings.Contains(msg, "Preço manual inválido") {
		t.Errorf("bad manual price: %q", msg)
	}
	res = buyer.Submit("/purchase-orders/"+nop+"/reprice", url.Values{"price_1": {"12,50"}, "justification": {"Cotação por e-mail"}})
	if msg := buyer.Get(res.Location()).Text("[data-testid=flash-success]"); !strings.Contains(msg, "reprecificado") {
		t.Errorf("manual price: %q", msg)
	}
	if got := mustPO(t, f, nop); got.Status != model.POAwaitingSupplier || got.TotalCents != 2500 || got.Items[0].PriceTableID != nil {
		t.Errorf("after manual price: %s %d", got.Status, got.TotalCents)
	}
}
