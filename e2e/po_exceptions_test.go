package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
)

// Purchasing opens the exception queue from the navigation, sees a PO
// without stock (with the supplier's date) and one without price, cancels
// the first after confirming and finds the cancellation on the PO page.
func TestBrowserPurchaseOrderExceptions(t *testing.T) {
	env := apptest.New(t)
	env.User("compras@cp.example", model.RolePurchasing, nil)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	var ids []int64
	for _, code := range []string{"PA-1", "PA-2"} {
		p := &model.Product{SKU: "SKU-" + code, Name: "Amortecedor " + code, SupplierID: &sup.ID, SupplierCode: code, Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	csv := "codigo;preco\r\nPA-1;150,00\r\n" // PA-2 has no price
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := env.App.PriceTables.SubmitFile(env.Ctx, sup.ID, pricetable.File{Name: "t.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		t.Fatal(err)
	}
	plat := &model.Platform{Kind: model.PlatformSandbox, Name: "Loja", SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
	if err := env.App.Store.CreatePlatform(env.Ctx, plat); err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for i, id := range ids {
		p, _ := env.App.Store.FindProduct(env.Ctx, id)
		loc, err := env.App.Stock.LocationFor(env.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		so := &model.SalesOrder{PlatformID: plat.ID, ExternalID: "ext-" + p.SKU, Number: "V-10" + string(rune('0'+i)), Status: model.SOHandling,
			CustomerName: "Maria da Silva", CustomerDocument: "52998224725", PlacedAt: time.Now().UTC(),
			Items: []model.SalesOrderItem{{ProductID: id, LocationID: loc.ID, SKU: p.SKU, Quantity: 1, UnitPriceCents: 20000, TotalCents: 20000}}}
		if err := env.App.Store.CreateSalesOrder(env.Ctx, so); err != nil {
			t.Fatal(err)
		}
		pos, err := env.App.Purchasing.CreateForOrder(env.Ctx, so.ID)
		if err != nil || len(pos) != 1 {
			t.Fatalf("PO: %v", err)
		}
		numbers = append(numbers, pos[0].Number)
	}
	stockout, noPrice := numbers[0], numbers[1]
	available := time.Now().In(format.Location).AddDate(0, 0, 10)
	if _, err := env.App.Purchasing.Backorder(env.Ctx, sup.ID, stockout, available.Format("2006-01-02"), "Aguardando importação"); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, env)
	b.login("compras@cp.example", apptest.Password)
	b.visit("/purchase-orders/exceptions")
	if got := b.text("[data-testid=backordered-row]"); !strings.Contains(got, stockout) || !strings.Contains(got, format.Date(available)) || !strings.Contains(got, "em 10 dias") {
		t.Fatalf("backordered row: %q", got)
	}
	if got := b.text("[data-testid=no-price-row]"); !strings.Contains(got, noPrice) || !strings.Contains(got, "PA-2") {
		t.Fatalf("no-price row: %q", got)
	}
	b.shot("exception-queue")

	// The cancel button asks first; the answer is recorded to check the question.
	accept := `(() => { window.confirm = m => { sessionStorage.setItem("asked", m); return true }; return true })()`
	b.run(
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](accept)(ctx, t)
			return err
		}),
		fill("[data-testid=backordered-row] input[name=reason]", "Cliente não quis aguardar"),
	)
	b.submit("[data-testid=cancel-submit]")
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, "cancelado") {
		t.Fatalf("after cancel: %q", got)
	}
	asked, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`sessionStorage.getItem("asked") || ""`))
	if err != nil || !strings.Contains(asked, "Cancelar o pedido de venda") {
		t.Errorf("confirmation asked: %q %v", asked, err)
	}
	if b.location() != "/purchase-orders/exceptions" || b.exists("[data-testid=backordered-row]") {
		t.Errorf("back on %s, the cancelled PO still queued: %v", b.location(), b.exists("[data-testid=backordered-row]"))
	}
	b.visit("/purchase-orders/" + stockout)
	if got := b.text("[data-testid=po-cancelled]"); !strings.Contains(got, "Cliente não quis aguardar") {
		t.Fatalf("PO page: %q", got)
	}
	b.shot("po-cancelled")
	if po, err := env.App.Store.FindPurchaseOrderByNumber(env.Ctx, stockout); err != nil || po.Status != model.POCancelled {
		t.Fatalf("PO %v %v", po, err)
	}
	b.visit("/purchase-orders/" + noPrice)
	b.shot("po-no-price")
	if !b.exists("[data-testid=reprice-form]") {
		t.Error("no reprice form on the PO without price")
	}
}
