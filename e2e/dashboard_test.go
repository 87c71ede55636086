package e2e_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// evalString runs a JavaScript expression that yields a string.
func (b *browser) evalString(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.shot("failure")
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// Staff open the dashboard, follow today's bar of the POs chart to the
// filtered list, which shows exactly the POs the bar counts, and open a
// supplier's scorecard from the suppliers list; the supplier sees what
// waits on it with its clocks, its own scorecard, and is refused another's.
func TestBrowserDashboardAndScorecards(t *testing.T) {
	d := apptest.NewDropship(t)
	pos := d.Import()
	other := d.Env.Supplier("11222333000181", "Outra Peças")
	// Two POs despachado an hour ago: the despacho histogram has a bar.
	if err := d.App.DB.Gorm.Exec("UPDATE purchase_orders SET dispatched_at = ? WHERE id IN ?", time.Now().Add(-time.Hour).UTC(),
		[]int64{pos[0].ID, pos[1].ID}).Error; err != nil {
		t.Fatal(err)
	}
	d.User("admin@connectparts.example", model.RoleAdmin, nil)
	d.User("fornecedor@freios.example", model.RoleSupplier, d.Supplier)
	bs := newBrowsers(t, d.Env, "admin", "fornecedor")
	admin, sup := bs[0], bs[1]

	admin.login("admin@connectparts.example", apptest.Password)
	admin.submit("[data-testid=nav-dashboard]")
	if got := admin.text("[data-testid=dashboard]"); got != "Painel" {
		t.Fatalf("dashboard heading %q", got)
	}
	admin.shot("dashboard")
	// Today's bar is the last of the POs chart.
	bar := "[data-testid=chart-pos] a[data-testid=chart-bar]:last-of-type"
	val := admin.evalString(`document.querySelector("` + bar + `").getAttribute("data-value")`)
	if val != strconv.Itoa(len(pos)) {
		t.Fatalf("today's POs bar says %s, the import raised %d", val, len(pos))
	}
	admin.run(chromedp.Click(chromedp.CSS(bar)))
	admin.run(chromedp.WaitVisible(chromedp.CSS("[data-testid=po-table]")))
	if loc := admin.location(); !strings.HasPrefix(loc, "/purchase-orders?") || !strings.Contains(loc, "date=created") {
		t.Errorf("the bar opened %s", loc)
	}
	shown := strings.Fields(admin.evalString(`[...document.querySelectorAll("[data-testid=po-row] td:first-child a")].map(a => a.textContent.trim()).join(" ")`))
	var want []string
	for _, po := range pos {
		want = append(want, po.Number)
	}
	slices.Sort(shown)
	slices.Sort(want)
	if !slices.Equal(shown, want) {
		t.Errorf("the list behind the bar shows %v, want %v", shown, want)
	}
	admin.shot("po-list-from-bar")

	// The despacho histogram's non-empty bar opens the two POs.
	admin.visit("/dashboard")
	js := `[...document.querySelectorAll("[data-testid=chart-lead-dispatch] a[data-testid=chart-bar]")].find(a => a.getAttribute("data-value") !== "0").getAttribute("href")`
	admin.visit(admin.evalString(js))
	if n := admin.evalString(`String(document.querySelectorAll("[data-testid=po-row]").length)`); n != "2" {
		t.Errorf("the despacho bar's list shows %s rows, want 2", n)
	}
	admin.shot("po-list-from-lead-bar")

	admin.visit("/suppliers")
	admin.submit("a[data-testid=scorecard-link][href='/suppliers/" + strconv.FormatInt(d.Supplier.ID, 10) + "/scorecard']")
	if got := admin.text("[data-testid=sc-pos]"); got != strconv.Itoa(len(pos)) {
		t.Errorf("staff scorecard counts %s POs, want %d", got, len(pos))
	}
	admin.shot("scorecard-staff")

	sup.login("fornecedor@freios.example", apptest.Password)
	if got := sup.text("[data-testid=clock-answer-total]"); got != strconv.Itoa(len(pos)) {
		t.Errorf("the supplier's home: %s to answer, want %d", got, len(pos))
	}
	if c := sup.text("[data-testid=clock-answer] [data-testid=clock]"); !strings.HasPrefix(c, "faltam") && !strings.HasPrefix(c, "atrasado") {
		t.Errorf("clock %q", c)
	}
	sup.shot("home-clocks")
	sup.submit("[data-testid=nav-scorecard]")
	if got := sup.text("[data-testid=sc-pos]"); got != strconv.Itoa(len(pos)) {
		t.Errorf("own scorecard counts %s POs, want %d", got, len(pos))
	}
	sup.shot("scorecard-own")
	sup.visit("/suppliers/" + strconv.FormatInt(other.ID, 10) + "/scorecard")
	if sup.exists("[data-testid=scorecard]") {
		t.Error("a supplier opened another supplier's scorecard")
	}
	sup.shot("scorecard-other-refused")
}
