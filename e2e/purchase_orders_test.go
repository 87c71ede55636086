package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/orders"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
)

// The import turns paid orders into purchase orders; the supplier finds one
// in its inbox, accepts it and uploads the NF-e, first with a wrong price
// (divergence, line by line), then the right one (accepted). Staff see the
// PO with both invoices.
func TestBrowserPurchaseOrderFlow(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.CompanyCNPJ = nfetest.BuyerCNPJ }})
	env.User("compras@cp.example", model.RolePurchasing, nil)
	sup := env.Supplier(nfetest.IssuerCNPJ, "Freios & Cia")
	env.User("fornecedor@freios.example", model.RoleSupplier, sup)
	var lines []string
	for i, sku := range []string{"CP-001", "CP-002", "CP-003"} {
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
		lines = append(lines, fmt.Sprintf("F-%s;%d,50", sku, 40+i*10))
	}
	csv := "codigo;preco\r\n" + strings.Join(lines, "\r\n") + "\r\n"
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := env.App.PriceTables.SubmitFile(env.Ctx, sup.ID, pricetable.File{Name: "t.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		t.Fatal(err)
	}
	p, err := env.App.Orders.AddPlatform(env.Ctx, orders.NewPlatform{Kind: platform.KindSandbox, Name: "Loja Demo",
		Settings: map[string]string{"seed": "2", "orders": "12"}})
	if err != nil {
		t.Fatal(err)
	}
	for m, c := range map[string]string{"Normal": "Correios", "Econômica": "Loggi", "Expressa": "Jadlog"} {
		if _, err := env.App.Orders.MapCarrier(env.Ctx, p.Name, m, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.App.Orders.RunImport(env.Ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	pos, _, err := env.App.Store.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{SupplierID: &sup.ID, Status: model.POAwaitingSupplier}, store.Page{Size: 5})
	if err != nil || len(pos) == 0 {
		t.Fatalf("no PO after the import: %v", err)
	}
	po := pos[0]
	dir := t.TempDir()
	write := func(name string, bump int64) string {
		d := nfetest.Valid()
		d.Proc, d.NNF, d.Items = true, fmt.Sprint(7000+bump), nil
		for i, it := range po.Items {
			unit := *it.UnitPriceCents
			if i == 0 {
				unit += bump
			}
			d.Items = append(d.Items, nfetest.Item{Code: it.SupplierCode, EAN: "SEM GTIN", Desc: it.Name, NCM: "87083090", CFOP: "6119", Unit: "UN",
				Q: fmt.Sprint(it.Quantity), V: money(unit), VProd: money(unit * it.Quantity), XPed: po.Number})
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(d.XML(t)), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	wrong, right := write("errada.xml", 5), write("certa.xml", 0)

	b := newBrowser(t, env)
	b.login("fornecedor@freios.example", apptest.Password)
	b.visit("/purchase-orders")
	if got := b.text("[data-testid=po-table]"); !strings.Contains(got, po.Number) || !strings.Contains(got, "faltam") {
		t.Fatalf("inbox: %q", got)
	}
	b.shot("supplier-inbox")
	b.visit("/purchase-orders/" + po.Number)
	b.shot("po-detail")
	b.submit("[data-testid=ack-submit]")
	if got := b.text("[data-testid=po-status]"); got != model.POAcknowledged.Label() {
		t.Fatalf("after ack: %q", got)
	}
	b.run(chromedp.SetUploadFiles(chromedp.CSS("#f-xml"), []string{wrong}))
	b.submit("[data-testid=invoice-submit]")
	if got := b.text("[data-testid=invoice-result] [data-testid=invoice-checks]"); !strings.Contains(got, "preço unitário") {
		t.Fatalf("divergence: %q", got)
	}
	b.shot("invoice-divergent")
	b.run(chromedp.SetUploadFiles(chromedp.CSS("#f-xml"), []string{right}))
	b.submit("[data-testid=invoice-submit]")
	if got := b.text("[data-testid=invoice-accepted]"); !strings.Contains(got, "conferida") {
		t.Fatalf("accepted: %q", got)
	}
	b.shot("invoice-accepted")

	t.Run("staff", func(t *testing.T) {
		s := newBrowser(t, env)
		s.login("compras@cp.example", apptest.Password)
		s.visit("/purchase-orders/" + po.Number)
		if got := s.text("[data-testid=po-status]"); got != model.POSupplierInvoiced.Label() {
			t.Fatalf("staff sees %q", got)
		}
		s.shot("staff-po")
		s.visit("/purchase-orders")
		s.shot("staff-inbox")
	})
}

func money(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }
