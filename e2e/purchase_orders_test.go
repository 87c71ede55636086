package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// The import turns paid orders into purchase orders; the supplier finds one
// in its inbox, accepts it and uploads the NF-e, first with a wrong price
// (divergence, line by line), then the right one (accepted). Staff see the
// PO with both invoices.
func TestBrowserPurchaseOrderFlow(t *testing.T) {
	d := apptest.NewDropship(t)
	env := d.Env
	env.User("compras@cp.example", model.RolePurchasing, nil)
	env.User("fornecedor@freios.example", model.RoleSupplier, d.Supplier)
	po := d.Import()[0]
	dir := t.TempDir()
	write := func(name string, bump int64) string {
		xml := d.SupplierInvoiceXML(t, po, func(doc *nfetest.Doc) {
			it := &doc.Items[0]
			unit := *po.Items[0].UnitPriceCents + bump
			it.V, it.VProd = money(unit), money(unit*po.Items[0].Quantity)
		})
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, xml, 0o644); err != nil {
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
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, "conferida") {
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
