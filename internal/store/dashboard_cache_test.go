package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// dashEdges are the dashboard's lead bands (web.leadBuckets).
var dashEdges = []float64{12, 24, 48, 72, 120, 168}

// liveFigures computes the dashboard's figures of [from, today] with the
// live queries, as the dashboard did before the cache.
func liveFigures(t *testing.T, d *dashData, from, today time.Time) *store.DashboardFigures {
	t.Helper()
	ctx := d.env.Ctx
	to := today.AddDate(0, 0, 1)
	out := &store.DashboardFigures{Lead: map[store.LeadStamp][]int64{}}
	var err error
	if out.Orders, err = d.st.CountSalesOrdersByDay(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	if out.POs, err = d.st.CountPurchaseOrdersByDay(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	for _, l := range []store.LeadStamp{store.LeadDispatch, store.LeadShip} {
		hours, err := d.st.LeadTimeHours(ctx, l, from, to)
		if err != nil {
			t.Fatal(err)
		}
		counts := make([]int64, len(dashEdges)+1)
		for _, h := range hours {
			b := 0
			for b < len(dashEdges) && h >= dashEdges[b] {
				b++
			}
			counts[b]++
		}
		out.Lead[l] = counts
	}
	if out.Shipping, err = d.st.ShippingByDay(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	return out
}

func sortShip(rows []store.SupplierDayShipping) []store.SupplierDayShipping {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b store.SupplierDayShipping) int {
		return cmp.Or(cmp.Compare(a.SupplierID, b.SupplierID), cmp.Compare(a.Day, b.Day))
	})
	return rows
}

func sameFigures(a, b *store.DashboardFigures) bool {
	if !slices.Equal(a.Orders, b.Orders) || !slices.Equal(a.POs, b.POs) ||
		!slices.Equal(sortShip(a.Shipping), sortShip(b.Shipping)) || len(a.Lead) != len(b.Lead) {
		return false
	}
	for l, v := range a.Lead {
		if !slices.Equal(v, b.Lead[l]) {
			return false
		}
	}
	return true
}

// dashWindow is the dashboard's 30 days ending on the data's today (07/12).
func dashWindow(d *dashData) (from, today time.Time) {
	today = format.Day(d.now)
	return today.AddDate(0, 0, -29), today
}

// checkCached views the figures through the cache and compares them with the
// live computation.
func checkCached(t *testing.T, d *dashData, what string) *store.DashboardFigures {
	t.Helper()
	from, today := dashWindow(d)
	got, err := d.st.DashboardFiguresFor(d.env.Ctx, from, today, dashEdges)
	if err != nil {
		t.Fatal(err)
	}
	want := liveFigures(t, d, from, today)
	if !sameFigures(got, want) {
		t.Errorf("%s: cached figures\n %v\nwant live\n %v", what, got, want)
	}
	return want
}

// genSum is the number of generation rows plus the sum of their generations:
// it grows with every bump.
func genSum(t *testing.T, d *dashData) int64 {
	t.Helper()
	var n int64
	if err := d.env.App.DB.Gorm.Raw("SELECT COUNT(*) + COALESCE(SUM(gen), 0) FROM dashboard_day_gens").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func countRows(t *testing.T, d *dashData, table string) int64 {
	t.Helper()
	var n int64
	if err := d.env.App.DB.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDashboardCacheEqualsLive(t *testing.T) {
	d := newDashData(t)
	// a PO created today too, so today (never cached) has figures
	if err := d.env.App.DB.Gorm.Exec("UPDATE purchase_orders SET created_at = ? WHERE id = ?", sp("2026-12-07 09:00").UTC(), d.c.ID).Error; err != nil {
		t.Fatal(err)
	}
	live := checkCached(t, d, "first view (fills the cache)")
	if len(live.Orders) < 3 || len(live.POs) < 3 || len(live.Shipping) < 2 {
		t.Fatalf("the data should span several days: %v", live)
	}
	if countRows(t, d, "dashboard_days") == 0 {
		t.Fatal("the first view kept no day figures")
	}
	// today is never kept
	var todays int64
	d.env.App.DB.Gorm.Table("dashboard_days").Where("day = ?", "2026-12-07").Count(&todays)
	if todays != 0 {
		t.Errorf("today's figures were kept (%d rows)", todays)
	}
	checkCached(t, d, "second view (from the cache)")

	// Another instance (a new store: nothing in its memo) reads the kept
	// rows, not the live queries: a kept count changed behind the triggers'
	// back shows.
	db := d.env.App.DB.Gorm
	if err := db.Exec("UPDATE dashboard_days SET n = n + 5 WHERE day = ? AND figure = 'orders'", "2026-12-03").Error; err != nil {
		t.Fatal(err)
	}
	from, today := dashWindow(d)
	other := store.New(d.env.App.DB)
	other.SetClock(func() time.Time { return d.now })
	got, err := other.DashboardFiguresFor(d.env.Ctx, from, today, dashEdges)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(got.Orders, func(c store.DayCount) bool { return c.Day == "2026-12-03" }); i < 0 || got.Orders[i].N != 6 {
		t.Errorf("the view did not read the kept figures: %v", got.Orders)
	}
	// other lead bands are counted apart, never from rows of these bands
	bands, err := d.st.DashboardFiguresFor(d.env.Ctx, from, today, []float64{30})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{3, 0}; !slices.Equal(bands.Lead[store.LeadDispatch], want) {
		t.Errorf("dispatch lead with the band edge 30 h: %v, want %v", bands.Lead[store.LeadDispatch], want)
	}
}

func TestDashboardCacheFollowsWritesToPastDays(t *testing.T) {
	d := newDashData(t)
	db := d.env.App.DB.Gorm
	before := checkCached(t, d, "first view")
	step := func(what string, write func()) {
		t.Helper()
		write()
		after := checkCached(t, d, what)
		if sameFigures(before, after) {
			t.Errorf("%s: the write changed no figure, the test proves nothing", what)
		}
		before = after
	}

	step("a late-imported order placed yesterday", func() {
		var so model.SalesOrder
		if err := db.First(&so, d.a.SalesOrderID).Error; err != nil {
			t.Fatal(err)
		}
		so.ID, so.ExternalID, so.Number = 0, so.ExternalID+"-late", so.Number+"-late"
		so.PlacedAt = sp("2026-12-06 10:00").UTC()
		if err := db.Omit(clause.Associations).Create(&so).Error; err != nil {
			t.Fatal(err)
		}
	})
	// One statement, two rows, two past days: PostgreSQL's trigger runs once
	// for the statement (00039) and must bump both days.
	step("two late orders of two past days in one insert", func() {
		var so model.SalesOrder
		if err := db.First(&so, d.a.SalesOrderID).Error; err != nil {
			t.Fatal(err)
		}
		rows := []model.SalesOrder{so, so}
		for i, day := range []string{"2026-12-04 11:00", "2026-12-03 16:00"} {
			rows[i].ID, rows[i].Items = 0, nil
			rows[i].ExternalID, rows[i].Number = fmt.Sprint(so.ExternalID, "-both-", i), fmt.Sprint(so.Number, "-both-", i)
			rows[i].PlacedAt = sp(day).UTC()
		}
		if err := db.Omit(clause.Associations).Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
	})
	step("a despacho corrected to a past day", func() {
		if err := db.Exec("UPDATE purchase_orders SET dispatched_at = ? WHERE id = ?", sp("2026-12-05 20:00").UTC(), d.d.ID).Error; err != nil {
			t.Fatal(err)
		}
	})
	step("a payment time changed", func() {
		if err := db.Exec("UPDATE sales_orders SET paid_at = ? WHERE id = ?", sp("2026-11-30 09:00").UTC(), d.b.SalesOrderID).Error; err != nil {
			t.Fatal(err)
		}
	})
	other := d.env.Supplier("11222333000181", "Outro Fornecedor")
	step("a shipped PO moved to another supplier", func() {
		if err := db.Exec("UPDATE purchase_orders SET supplier_id = ? WHERE id = ?", other.ID, d.a.ID).Error; err != nil {
			t.Fatal(err)
		}
	})
	step("a PO deleted", func() {
		if err := db.Exec("DELETE FROM purchase_orders WHERE id = ?", d.b.ID).Error; err != nil {
			t.Fatal(err)
		}
	})
}

func TestDashboardCacheTodaysWritesBumpNoDay(t *testing.T) {
	d := newDashData(t)
	db := d.env.App.DB.Gorm
	now := time.Now().UTC()
	// C created today (this moves it from a past day: that day's bump)
	if err := db.Exec("UPDATE purchase_orders SET created_at = ? WHERE id = ?", now, d.c.ID).Error; err != nil {
		t.Fatal(err)
	}
	gens := genSum(t, d)
	var so model.SalesOrder
	if err := db.First(&so, d.a.SalesOrderID).Error; err != nil {
		t.Fatal(err)
	}
	so.ID, so.ExternalID, so.Number, so.PlacedAt, so.PaidAt = 0, so.ExternalID+"-now", so.Number+"-now", now, &now
	if err := db.Omit(clause.Associations).Create(&so).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE purchase_orders SET dispatched_at = ?, billed_at = ?, status = 'billed' WHERE id = ?", now, now, d.c.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE sales_orders SET status = ? WHERE id = ?", string(model.SOReadyForHandling), so.ID).Error; err != nil {
		t.Fatal(err)
	}
	if got := genSum(t, d); got != gens {
		t.Errorf("writes of today's stamps bumped past days: generations %d, had %d", got, gens)
	}
	// while a write to a past day does
	if err := db.Exec("UPDATE purchase_orders SET created_at = ? WHERE id = ?", now.AddDate(0, 0, -3), d.c.ID).Error; err != nil {
		t.Fatal(err)
	}
	if got := genSum(t, d); got <= gens {
		t.Errorf("a write to a past day bumped no generation (%d)", got)
	}
}

func TestDashboardCacheConcurrentFirstViews(t *testing.T) {
	d := newDashData(t)
	from, today := dashWindow(d)
	want := liveFigures(t, d, from, today)
	// two stores on the database: two processes, each computing the days
	// once, both keeping them
	other := store.New(d.env.App.DB)
	other.SetClock(func() time.Time { return d.now })
	const viewers = 6
	errs := make(chan error, viewers)
	got := make([]*store.DashboardFigures, viewers)
	for i := range viewers {
		st := d.st
		if i%2 == 1 {
			st = other
		}
		go func() {
			var err error
			got[i], err = st.DashboardFiguresFor(d.env.Ctx, from, today, dashEdges)
			errs <- err
		}()
	}
	for range viewers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i, g := range got {
		if !sameFigures(g, want) {
			t.Errorf("viewer %d: %v, want %v", i, g, want)
		}
	}
	checkCached(t, d, "the view after")
}
