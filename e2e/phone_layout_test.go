package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
)

// phoneWidth × phoneHeight is a common phone's screen in CSS pixels.
const phoneWidth, phoneHeight = 390, 844

// At 390 × 844, on the demo data, as a supplier and as staff: no page is
// wider than the screen, the menu is collapsed and opens with a tap, and the
// PO list shows each PO as a card whose status, total and deadline are on
// the screen, labelled.
func TestBrowserPhoneLayout(t *testing.T) {
	dataDir := t.TempDir()
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.DataDir = dataDir }})
	a := env.App
	if _, err := seed.Demo(env.Ctx, seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, PriceTables: a.PriceTables,
		Orders: a.SyncEngine, Purchasing: a.Purchasing}); err != nil {
		t.Fatal(err)
	}
	pos, _, err := a.Store.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{}, store.Page{Size: 1})
	if err != nil || len(pos) == 0 {
		t.Fatalf("demo POs: %v", err)
	}
	paulista, err := a.Store.FindSupplierByCNPJ(env.Ctx, "11222333000181")
	if err != nil {
		t.Fatal(err)
	}
	supPOs, _, err := a.Store.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{SupplierID: &paulista.ID}, store.Page{Size: 1})
	if err != nil || len(supPOs) == 0 {
		t.Fatalf("Paulista's demo POs: %v", err)
	}

	bs := newBrowsers(t, env, "fornecedor", "admin")
	sup, staff := bs[0], bs[1]
	for _, b := range bs {
		b.run(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch))
	}
	sup.login("fornecedor@paulista.example", seed.DemoPassword)
	staff.login("admin@connectparts.example", seed.DemoPassword)

	supPages := []string{"/", "/purchase-orders", "/price-tables", "/stock", "/notifications", "/account/tokens",
		"/purchase-orders/" + supPOs[0].Number}
	staffPages := []string{"/", "/purchase-orders", "/purchase-orders/exceptions", "/orders", "/orders/blocked",
		"/price-tables", "/stock", "/products", "/suppliers", "/platforms", "/logistics/dispatch", "/admin/users",
		"/admin/audit", "/admin/outbox", "/admin/tasks", "/search?q=" + pos[0].Number,
		"/orders/" + fmt.Sprint(pos[0].SalesOrderID), "/purchase-orders/" + pos[0].Number}
	for _, c := range []struct {
		b     *browser
		pages []string
	}{{sup, supPages}, {staff, staffPages}} {
		for _, path := range c.pages {
			c.b.visit(path)
			c.b.checkPhonePage(path, false)
			c.b.shot("phone" + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(path))
		}
	}

	// The menu: collapsed, opened by a tap on "Menu", its links then usable.
	sup.visit("/purchase-orders")
	if sup.visibleNow("[data-testid=nav-purchase-orders]") {
		t.Fatal("the menu is open on a phone before it is asked for")
	}
	sup.run(chromedp.Click(chromedp.CSS("[data-testid=nav-toggle]")))
	if !sup.visibleNow("[data-testid=nav-purchase-orders]") || !sup.visibleNow("[data-testid=nav-stock]") {
		t.Fatal("the menu did not open")
	}
	sup.shot("phone-menu-open")
	sup.checkPhonePage("/purchase-orders (menu open)", true)
	sup.submit("[data-testid=nav-stock]")
	if loc := sup.location(); loc != "/stock" {
		t.Fatalf("the menu's link led to %q", loc)
	}

	// On a desktop screen there is no "Menu" button: the menu is open.
	staff.run(chromedp.EmulateViewport(1280, 900))
	staff.visit("/purchase-orders")
	if staff.visibleNow("[data-testid=nav-toggle]") || !staff.visibleNow("[data-testid=nav-purchase-orders]") {
		t.Fatal("desktop: the phone's Menu button shows, or the menu is collapsed")
	}

	// The supplier's PO list: each PO a card; its status, total and
	// deadline labelled and within the screen.
	sup.visit("/purchase-orders")
	var cells []phoneCell
	sup.evalJSON(`(() => {
		const row = document.querySelector("[data-testid=po-row]");
		return JSON.stringify(Array.from(row.cells).map(c => {
			const r = c.getBoundingClientRect();
			return {label: c.dataset.label || "", text: c.innerText.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom};
		}));
	})()`, &cells)
	for _, label := range []string{"Status", "Total", "Prazo de envio"} {
		var found *phoneCell
		for i := range cells {
			if cells[i].Label == label {
				found = &cells[i]
			}
		}
		switch {
		case found == nil:
			t.Errorf("PO card: no cell labelled %q (cells %+v)", label, cells)
		case found.Text == "":
			t.Errorf("PO card: %q is empty", label)
		case found.Left < 0 || found.Right > phoneWidth || found.Top < 0 || found.Bottom > phoneHeight:
			t.Errorf("PO card: %q at %+v, outside the %d×%d screen", label, *found, phoneWidth, phoneHeight)
		}
	}
}

// phoneCell is one cell of a card, as the browser lays it out.
type phoneCell struct {
	Label, Text              string
	Left, Right, Top, Bottom float64
}

// checkPhonePage fails when the page is wider than the phone's screen (the
// page would scroll sideways), naming the widest elements, or when the menu
// is open though it should be collapsed.
func (b *browser) checkPhonePage(path string, menuOpen bool) {
	b.t.Helper()
	var m struct {
		Inner, Client, Scroll, Body int
		Wide                        []string
	}
	b.evalJSON(`(() => {
		const d = document.documentElement, w = window.innerWidth;
		const wide = Array.from(document.querySelectorAll("body *")).filter(e => {
			const r = e.getBoundingClientRect();
			return r.width > 0 && r.right > w + 0.5;
		}).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") +
			(e.dataset.testid ? "[" + e.dataset.testid + "]" : ""));
		return JSON.stringify({inner: w, client: d.clientWidth, scroll: d.scrollWidth, body: document.body.scrollWidth, wide: wide});
	})()`, &m)
	if m.Inner != phoneWidth {
		b.t.Errorf("%s: window.innerWidth %d, want %d (the browser zoomed out to fit a wide page)", path, m.Inner, phoneWidth)
	}
	if m.Scroll > m.Inner || m.Scroll > m.Client || m.Body > m.Inner {
		b.t.Errorf("%s: scrolls sideways: document %d px, body %d px, viewport %d px; wide: %v", path, m.Scroll, m.Body, m.Inner, m.Wide)
	}
	if !menuOpen && b.visibleNow("[data-testid=nav-collapse]") {
		b.t.Errorf("%s: the menu is open on a phone before it is asked for", path)
	}
}

// evalJSON runs a script returning JSON and decodes it into out.
func (b *browser) evalJSON(js string, out any) {
	b.t.Helper()
	raw := b.eval(js)
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		b.t.Fatalf("eval: %v in %q", err, raw)
	}
}

// visibleNow reports whether the first element of sel is rendered (has a box).
func (b *browser) visibleNow(sel string) bool {
	b.t.Helper()
	var ok bool
	b.evalJSON(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return JSON.stringify(!!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden") })()`, sel), &ok)
	return ok
}
