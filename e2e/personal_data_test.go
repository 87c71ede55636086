package e2e_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// LGPD in the browser: the admin sets the days on the settings page; a PO
// shipped longer ago than that shows its customer masked to the supplier
// (name initials, CPF middle digits, city/UF only) while an open PO shows
// everything; staff see the shipped PO in full; the admin finds the
// supplier's sight of the open PO on the log page.
func TestBrowserPersonalDataMasking(t *testing.T) {
	d := apptest.NewDropship(t)
	env := d.Env
	env.User("admin@cp.example", model.RoleAdmin, nil)
	env.User("fornecedor@freios.example", model.RoleSupplier, d.Supplier)
	pos := d.Import()
	if len(pos) < 2 {
		t.Fatalf("need two POs, got %d", len(pos))
	}
	shipped, open := pos[0], pos[1]
	if shipped.CustomerName == "" || shipped.CustomerDocument == "" || shipped.DeliveryStreet == "" {
		t.Fatalf("the sandbox order has no customer to mask: %+v", shipped)
	}
	at := time.Now().UTC().AddDate(0, 0, -10)
	if err := env.App.DB.Gorm.Exec(`UPDATE purchase_orders SET status = 'shipped', shipped_at = ? WHERE id = ?`, at, shipped.ID).Error; err != nil {
		t.Fatal(err)
	}

	admin := newBrowser(t, env)
	admin.login("admin@cp.example", apptest.Password)
	admin.visit("/admin/settings")
	admin.run(fill("[data-testid=personal-data-days]", "7"))
	admin.submit("[data-testid=settings-form] button[type=submit]")
	admin.run(chromedp.WaitVisible(chromedp.CSS("[data-testid=flash-success]")))
	if got := admin.text("[data-testid=flash-success]"); !strings.Contains(got, "salvas") {
		t.Fatalf("settings: %q", got)
	}

	sup := newBrowser(t, env)
	sup.login("fornecedor@freios.example", apptest.Password)
	sup.visit("/purchase-orders/" + shipped.Number)
	page := sup.text("main")
	for _, s := range []string{shipped.CustomerName, shipped.CustomerDocument, shipped.DeliveryStreet, fmtCPF(shipped.CustomerDocument)} {
		if s != "" && strings.Contains(page, s) {
			t.Errorf("masked PO shows %q", s)
		}
	}
	if !sup.exists("[data-testid=personal-data-masked]") || !strings.Contains(sup.text("[data-testid=po-customer]"), "***") ||
		!strings.Contains(sup.text("[data-testid=po-delivery]"), shipped.DeliveryCity+"/"+shipped.DeliveryState) {
		t.Errorf("masked PO page: %q", sup.text("[data-testid=po-customer]"))
	}
	sup.shot("supplier-masked-po")
	sup.visit("/purchase-orders")
	if got := sup.text("[data-testid=po-table]"); strings.Contains(got, shipped.CustomerName) || !strings.Contains(got, open.CustomerName) {
		t.Errorf("inbox: %q", got)
	}
	sup.shot("supplier-inbox-masked-row")
	sup.visit("/purchase-orders/" + open.Number)
	if got := sup.text("[data-testid=po-customer]"); !strings.Contains(got, open.CustomerName) || sup.exists("[data-testid=personal-data-masked]") {
		t.Errorf("open PO masked: %q", got)
	}
	sup.shot("supplier-open-po-full")

	admin.visit("/purchase-orders/" + shipped.Number)
	if got := admin.text("[data-testid=po-customer]"); !strings.Contains(got, shipped.CustomerName) {
		t.Errorf("staff see the customer masked: %q", got)
	}
	admin.shot("staff-shipped-po-full")
	admin.visit("/admin/personal-data-views?supplier=" + strconv.FormatInt(d.Supplier.ID, 10))
	if got := admin.text("[data-testid=personal-data-table]"); !strings.Contains(got, open.Number) || !strings.Contains(got, "fornecedor@freios.example") ||
		strings.Contains(got, shipped.Number) {
		t.Errorf("log page: %q", got)
	}
	admin.shot("admin-personal-data-log")
}

func fmtCPF(d string) string {
	if len(d) != 11 {
		return ""
	}
	return d[0:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:]
}
