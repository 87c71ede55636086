package store_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// dashData is four POs of one supplier with constructed stamps (São Paulo
// times), every other order and PO moved to 2020:
//
//	A: paid 01/12 09:00, created 10:00, acknowledged 11:00, NF-e 13:00, billed 02/12 10:00,
//	   despachado 11:00, shipped 20:00 (deadline 03/12 10:00: on time by 14 h)
//	B: paid 03/12 08:00, created 08:00, acknowledged 11:00, NF-e 14:00 (after a divergent one),
//	   billed 04/12 09:00, despachado 10:00, shipped 05/12 12:00 (deadline 05/12 09:00: 3 h late)
//	C: paid and placed 06/12 22:30 (07/12 01:30 UTC), created 23:00, backordered 07/12 00:00
//	D: paid 05/12 09:00, created 10:00, billed 06/12 12:00, despachado 13:00, not shipped
//	   (deadline 07/12 12:00, past at now = 07/12 15:00)
type dashData struct {
	env        *apptest.Env
	st         *store.Store
	supplier   int64
	a, b, c, d model.PurchaseOrder
	now        time.Time
}

func sp(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, format.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func newDashData(t *testing.T) *dashData {
	t.Helper()
	ds := apptest.NewDropship(t)
	pos := ds.Import()
	if len(pos) < 4 {
		t.Fatalf("need 4 POs, the import raised %d", len(pos))
	}
	db := ds.App.DB.Gorm
	old := sp("2020-01-01 12:00").UTC()
	if err := db.Exec("UPDATE sales_orders SET placed_at = ?, paid_at = ?", old, old).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE purchase_orders SET created_at = ?, acknowledged_at = NULL, invoiced_at = NULL, billed_at = NULL, "+
		"dispatched_at = NULL, shipped_at = NULL, backordered_at = NULL, dispatch_hours = 24", old).Error; err != nil {
		t.Fatal(err)
	}
	set := func(po model.PurchaseOrder, placed, paid string, cols map[string]any) {
		t.Helper()
		if err := db.Exec("UPDATE sales_orders SET placed_at = ?, paid_at = ? WHERE id = ?", sp(placed).UTC(), sp(paid).UTC(), po.SalesOrderID).Error; err != nil {
			t.Fatal(err)
		}
		for k, v := range cols {
			if s, ok := v.(string); ok && k != "status" {
				v = sp(s).UTC()
			}
			if err := db.Table("purchase_orders").Where("id = ?", po.ID).Update(k, v).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	d := &dashData{env: ds.Env, st: ds.App.Store, supplier: ds.Supplier.ID, a: pos[0], b: pos[1], c: pos[2], d: pos[3], now: sp("2026-12-07 15:00")}
	set(d.a, "2026-12-01 09:00", "2026-12-01 09:00", map[string]any{"status": "shipped", "created_at": "2026-12-01 10:00",
		"acknowledged_at": "2026-12-01 11:00", "invoiced_at": "2026-12-01 13:00", "billed_at": "2026-12-02 10:00",
		"dispatched_at": "2026-12-02 11:00", "shipped_at": "2026-12-02 20:00"})
	set(d.b, "2026-12-03 07:00", "2026-12-03 08:00", map[string]any{"status": "shipped", "created_at": "2026-12-03 08:00",
		"acknowledged_at": "2026-12-03 11:00", "invoiced_at": "2026-12-03 14:00", "billed_at": "2026-12-04 09:00",
		"dispatched_at": "2026-12-04 10:00", "shipped_at": "2026-12-05 12:00"})
	set(d.c, "2026-12-06 22:30", "2026-12-06 22:30", map[string]any{"status": "backordered", "created_at": "2026-12-06 23:00",
		"backordered_at": "2026-12-07 00:00"})
	set(d.d, "2026-12-05 09:00", "2026-12-05 09:00", map[string]any{"status": "billed", "created_at": "2026-12-05 10:00",
		"billed_at": "2026-12-06 12:00", "dispatched_at": "2026-12-06 13:00"})
	if err := d.st.AddPurchaseOrderEvent(d.env.Ctx, d.b.ID, model.POEventDivergent, "NF-e divergente"); err != nil {
		t.Fatal(err)
	}
	d.st.SetClock(func() time.Time { return d.now })
	return d
}

func TestDashboardFigures(t *testing.T) {
	d := newDashData(t)
	ctx := d.env.Ctx
	from, to := sp("2026-11-08 00:00"), sp("2026-12-08 00:00")

	// Days are São Paulo days: C's order, placed 01:30 UTC on the 7th, is the 6th's.
	want := []store.DayCount{{Day: "2026-12-01", N: 1}, {Day: "2026-12-03", N: 1}, {Day: "2026-12-05", N: 1}, {Day: "2026-12-06", N: 1}}
	orders, err := d.st.CountSalesOrdersByDay(ctx, from, to)
	if err != nil || !slices.Equal(orders, want) {
		t.Errorf("orders by day %v (%v), want %v", orders, err, want)
	}
	pos, err := d.st.CountPurchaseOrdersByDay(ctx, from, to)
	if err != nil || !slices.Equal(pos, want) {
		t.Errorf("POs by day %v (%v), want %v", pos, err, want)
	}
	for stamp, want := range map[store.LeadStamp][]float64{store.LeadDispatch: {26, 26, 28}, store.LeadShip: {35, 52}} {
		got, err := d.st.LeadTimeHours(ctx, stamp, from, to)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if len(got) != len(want) {
			t.Fatalf("%s lead hours %v, want %v", stamp, got, want)
		}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-6 {
				t.Errorf("%s lead hours %v, want %v", stamp, got, want)
			}
		}
	}
	ship, err := d.st.ShippingByDay(ctx, from, to)
	wantShip := []store.SupplierDayShipping{{SupplierID: d.supplier, Day: "2026-12-02", Shipped: 1, OnTime: 1}, {SupplierID: d.supplier, Day: "2026-12-05", Shipped: 1, OnTime: 0}}
	if err != nil || !slices.Equal(ship, wantShip) {
		t.Errorf("shipping by day %v (%v), want %v", ship, err, wantShip)
	}

	// The lists behind the bars hold exactly the rows the bars count.
	h := func(f float64) *float64 { return &f }
	day := func(s string) *time.Time { t := sp(s + " 00:00"); return &t }
	for name, c := range map[string]struct {
		f    store.PurchaseOrderFilter
		want []int64
	}{
		"despacho 24–48 h": {store.PurchaseOrderFilter{Lead: &store.POLead{Stamp: store.LeadDispatch, MinHours: h(24), MaxHours: h(48)}}, []int64{d.a.ID, d.b.ID, d.d.ID}},
		"despacho ≥ 27 h":  {store.PurchaseOrderFilter{Lead: &store.POLead{Stamp: store.LeadDispatch, MinHours: h(27)}}, []int64{d.d.ID}},
		"envio 48–72 h":    {store.PurchaseOrderFilter{Lead: &store.POLead{Stamp: store.LeadShip, MinHours: h(48), MaxHours: h(72)}}, []int64{d.b.ID}},
		"on time":          {store.PurchaseOrderFilter{Shipped: store.POShippedOnTime}, []int64{d.a.ID}},
		"late":             {store.PurchaseOrderFilter{Shipped: store.POShippedLate}, []int64{d.b.ID}},
		"shipped":          {store.PurchaseOrderFilter{Shipped: store.POShippedAny}, []int64{d.a.ID, d.b.ID}},
		"created 03–05/12": {store.PurchaseOrderFilter{Period: store.POPeriod{Column: "created_at", From: day("2026-12-03"), To: day("2026-12-06")}}, []int64{d.b.ID, d.d.ID}},
		"created 06/12":    {store.PurchaseOrderFilter{Period: store.POPeriod{Column: "created_at", From: day("2026-12-06"), To: day("2026-12-07")}}, []int64{d.c.ID}},
		"shipped 02/12":    {store.PurchaseOrderFilter{SupplierID: &d.supplier, Shipped: store.POShippedAny, Period: store.POPeriod{Column: "shipped_at", From: day("2026-12-02"), To: day("2026-12-03")}}, []int64{d.a.ID}},
	} {
		rows, total, err := d.st.ListPurchaseOrders(ctx, c.f, store.Page{Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range rows {
			got = append(got, r.ID)
		}
		slices.Sort(got)
		slices.Sort(c.want)
		if !slices.Equal(got, c.want) || total != int64(len(c.want)) {
			t.Errorf("%s: POs %v (total %d), want %v", name, got, total, c.want)
		}
	}
}

func TestScorecardFigures(t *testing.T) {
	d := newDashData(t)
	from, to := sp("2026-11-08 00:00"), sp("2026-12-08 00:00")
	rows, err := d.st.ScorecardRows(d.env.Ctx, d.supplier, from, to)
	if err != nil {
		t.Fatal(err)
	}
	sc := model.ComputeScorecard(rows, d.now)
	want := model.Scorecard{POs: 4, Acknowledged: 2, AckTotal: 4 * time.Hour, Invoiced: 2, InvoiceTotal: 9 * time.Hour,
		Shipped: 2, OnTime: 1, MarginTotal: 11 * time.Hour, LateNow: 1, Backordered: 1, Divergent: 1, NFeSent: 2}
	if sc != want {
		t.Errorf("scorecard\n got %+v\nwant %+v", sc, want)
	}
	if m, _ := model.Mean(sc.AckTotal, sc.Acknowledged); format.Duration(m) != "2 h" {
		t.Errorf("mean time to acknowledge %s", format.Duration(m))
	}
	if r, _ := model.Rate(sc.OnTime, sc.Shipped); format.Percent(r) != "50 %" {
		t.Errorf("on-time rate %s", format.Percent(r))
	}
	// A period without the POs, and another supplier, read nothing.
	if rows, err := d.st.ScorecardRows(d.env.Ctx, d.supplier, sp("2026-12-02 00:00"), sp("2026-12-03 00:00")); err != nil || len(rows) != 0 {
		t.Errorf("02/12 holds %d POs (%v), want 0", len(rows), err)
	}
	if rows, err := d.st.ScorecardRows(d.env.Ctx, d.supplier+1000, from, to); err != nil || len(rows) != 0 {
		t.Errorf("another supplier reads %d POs (%v)", len(rows), err)
	}
	weeks := model.ScorecardWeeks(rows, from, to, d.now)
	if len(weeks) != 5 {
		t.Fatalf("%d weeks, want 5 (30 days)", len(weeks))
	}
	// Weeks from 08/11: A, B and D (01, 03 and 05/12) in the 4th, C (06/12 23:00) in the 5th of 2 days.
	if w := weeks[3]; w.POs != 3 || w.Shipped != 2 || w.OnTime != 1 || w.LateNow != 1 || !w.From.Equal(sp("2026-11-29 00:00")) {
		t.Errorf("week 4 %+v", w)
	}
	if w := weeks[4]; w.POs != 1 || w.Shipped != 0 || w.Backordered != 1 || !w.To.Equal(to) || !w.From.Equal(sp("2026-12-06 00:00")) {
		t.Errorf("week 5 %+v", w)
	}
}
