package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// Every bar of the dashboard's charts opens a list holding exactly the rows
// the bar counts, and today's numbers link to their lists.
func TestDashboardBarsOpenTheirRows(t *testing.T) {
	d := apptest.NewDropship(t)
	pos := d.Import()
	if len(pos) < 2 {
		t.Fatalf("%d POs", len(pos))
	}
	// Two POs despachado an hour ago: the lead-time histogram has bars.
	at := time.Now().Add(-time.Hour).UTC()
	if err := d.App.DB.Gorm.Exec("UPDATE purchase_orders SET dispatched_at = ? WHERE id IN ?", at, []int64{pos[0].ID, pos[1].ID}).Error; err != nil {
		t.Fatal(err)
	}
	d.User("admin@example.com", model.RoleAdmin, nil)
	b := d.Login("admin@example.com")
	res := b.Get("/dashboard")
	if res.Status != http.StatusOK {
		t.Fatalf("dashboard: %d", res.Status)
	}
	if n := res.Doc.Find("svg[role=img] title").Length(); n < 4 {
		t.Errorf("%d titled charts, want 4 at least", n)
	}
	rowsOf := map[string]string{"chart-orders": "[data-testid=order-row]", "chart-pos": "[data-testid=po-row]",
		"chart-lead-dispatch": "[data-testid=po-row]", "chart-lead-ship": "[data-testid=po-row]"}
	followed := map[string]int{}
	var total int64
	for chart, rowSel := range rowsOf {
		res.Doc.Find("[data-testid=" + chart + "] a[data-testid=chart-bar]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			v, _ := a.Attr("data-value")
			n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
			if err != nil {
				t.Fatalf("%s bar value %q", chart, v)
			}
			if n == 0 && followed[chart] > 0 {
				return // one empty bar per chart is enough
			}
			list := b.Get(href)
			if list.Status != http.StatusOK {
				t.Fatalf("%s %s: %d", chart, href, list.Status)
			}
			if got := list.Doc.Find(rowSel).Length(); got != n {
				t.Errorf("%s bar %s says %d, its list %s shows %d rows", chart, a.AttrOr("data-label", ""), n, href, got)
			}
			followed[chart]++
			if chart == "chart-pos" {
				total += int64(n)
			}
		})
	}
	for chart := range rowsOf {
		if followed[chart] == 0 {
			t.Errorf("%s: no bar followed", chart)
		}
	}
	if total != int64(len(pos)) {
		t.Errorf("the POs chart counts %d POs, the import raised %d", total, len(pos))
	}
	dispatched := 0
	res.Doc.Find("[data-testid=chart-lead-dispatch] a[data-testid=chart-bar]").Each(func(_ int, a *goquery.Selection) {
		n, _ := strconv.Atoi(a.AttrOr("data-value", ""))
		dispatched += n
	})
	if dispatched != 2 {
		t.Errorf("the despacho histogram counts %d POs, want 2", dispatched)
	}
	// Today's numbers: the step counts link to the status lists.
	step := res.Doc.Find("a[data-testid=step-awaiting_supplier]")
	if href, _ := step.Attr("href"); href != "/purchase-orders?status=awaiting_supplier" || step.Text() != strconv.Itoa(len(pos)) {
		t.Errorf("awaiting step %q → %q, want %d", step.Text(), href, len(pos))
	}
	// The dashboard is staff's: a supplier is refused.
	d.User("forn@example.com", model.RoleSupplier, d.Supplier)
	if res := d.Login("forn@example.com").Get("/dashboard"); res.Status != http.StatusForbidden {
		t.Errorf("supplier on /dashboard: %d, want 403", res.Status)
	}
}

// A supplier sees its own scorecard only; staff see every supplier's from
// the suppliers list; the supplier's home lists what waits with its clock.
func TestScorecardIsolationAndClocks(t *testing.T) {
	d := apptest.NewDropship(t)
	pos := d.Import()
	other := d.Env.Supplier("11222333000181", "Outra Peças")
	d.User("forn@example.com", model.RoleSupplier, d.Supplier)
	d.User("outro@example.com", model.RoleSupplier, other)
	d.User("compras@example.com", model.RolePurchasing, nil)

	own := d.Login("forn@example.com")
	res := own.Get("/scorecard")
	if res.Status != http.StatusOK || res.Text("[data-testid=sc-pos]") != strconv.Itoa(len(pos)) {
		t.Fatalf("own scorecard: %d, %q POs, want %d", res.Status, res.Text("[data-testid=sc-pos]"), len(pos))
	}
	if !strings.Contains(res.Text("h1"), d.Supplier.DisplayName()) {
		t.Errorf("own scorecard titled %q", res.Text("h1"))
	}
	for _, path := range []string{"/suppliers/" + strconv.FormatInt(other.ID, 10) + "/scorecard", "/suppliers/" + strconv.FormatInt(d.Supplier.ID, 10) + "/scorecard"} {
		if res := own.Get(path); res.Status != http.StatusForbidden {
			t.Errorf("supplier on %s: %d, want 403", path, res.Status)
		}
	}
	if res := own.Get("/scorecard?supplier=" + strconv.FormatInt(other.ID, 10)); res.Text("[data-testid=sc-pos]") != strconv.Itoa(len(pos)) {
		t.Errorf("?supplier= changed the supplier's own scorecard")
	}
	if res := d.Login("outro@example.com").Get("/scorecard"); res.Text("[data-testid=sc-pos]") != "0" {
		t.Errorf("the other supplier's scorecard counts %q POs, want 0", res.Text("[data-testid=sc-pos]"))
	}

	staff := d.Login("compras@example.com")
	list := staff.Get("/suppliers")
	href, ok := list.Doc.Find("a[data-testid=scorecard-link][href='/suppliers/" + strconv.FormatInt(d.Supplier.ID, 10) + "/scorecard']").Attr("href")
	if !ok {
		t.Fatal("no scorecard link on the suppliers list")
	}
	res = staff.Get(href)
	if res.Status != http.StatusOK || res.Text("[data-testid=sc-pos]") != strconv.Itoa(len(pos)) {
		t.Errorf("staff scorecard: %d, %q", res.Status, res.Text("[data-testid=sc-pos]"))
	}
	// Its figures link to the supplier's POs of the period.
	link, _ := res.Doc.Find("[data-testid=scorecard-table] a").First().Attr("href")
	if l := staff.Get(link); l.Doc.Find("[data-testid=po-row]").Length() != len(pos) || !strings.Contains(link, "supplier="+strconv.FormatInt(d.Supplier.ID, 10)) {
		t.Errorf("scorecard link %s shows %d rows, want %d", link, l.Doc.Find("[data-testid=po-row]").Length(), len(pos))
	}
	if res := staff.Get("/suppliers/999999/scorecard"); res.Status != http.StatusNotFound {
		t.Errorf("unknown supplier's scorecard: %d, want 404", res.Status)
	}
	if res := staff.Get("/scorecard"); res.Status != http.StatusForbidden {
		t.Errorf("staff on /scorecard: %d, want 403", res.Status)
	}

	// The home's clocks: the POs to answer, each with its deadline.
	home := own.Get("/")
	if got := home.Text("[data-testid=clock-answer-total]"); got != strconv.Itoa(len(pos)) {
		t.Errorf("to answer: %q, want %d", got, len(pos))
	}
	items := home.Doc.Find("[data-testid=clock-answer] [data-testid=clock-item]")
	want := min(len(pos), 5)
	if items.Length() != want {
		t.Errorf("%d clocks listed, want %d", items.Length(), want)
	}
	if c := items.First().Find("[data-testid=clock]").Text(); !strings.HasPrefix(c, "faltam ") && !strings.HasPrefix(c, "atrasado há ") {
		t.Errorf("clock %q", c)
	}
	if got := d.Login("outro@example.com").Get("/").Text("[data-testid=clock-answer-total]"); got != "0" {
		t.Errorf("the other supplier waits on %q POs, want 0", got)
	}
}
