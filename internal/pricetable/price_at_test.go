package pricetable_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// TestPriceAtAcrossTableBoundaries walks a product's price through a
// supplier's history: no table, a first table in force at once, a table
// taking effect at midnight 20 days later, withdrawn and rejected tables that
// never count, a product dropped by a newer table, and two tables on the
// same date.
func TestPriceAtAcrossTableBoundaries(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	other := e.supplier(1, "Freios & Cia")
	ids := e.products(sup, "A", 3)
	foreign := e.products(other, "A", 1)[0]
	a, b, c := ids[0], ids[1], ids[2]

	submittedAt := e.now // 05/11/2026 15:00
	t1 := e.submit(sup, "2026-11-05", "codigo;preco", "A0001;10,00", "A0002;20,00", "A0003;30,00")
	if !t1.EffectiveFrom.Equal(submittedAt) {
		t.Fatalf("first table takes effect at submission (%v), got %v", submittedAt, t1.EffectiveFrom)
	}
	t2 := e.submit(sup, "2026-11-25", "codigo;preco", "A0001;11,00", "A0002;20,00")
	if !t2.EffectiveFrom.Equal(at("2026-11-25 00:00")) {
		t.Fatalf("t2 effective %v, want midnight of 25/11 in São Paulo", t2.EffectiveFrom)
	}
	t3 := e.submit(sup, "2026-12-10", "codigo;preco", "A0001;99,00")
	if err := e.svc.Withdraw(e.ctx, sup.ID, t3.ID); err != nil {
		t.Fatal(err)
	}
	t4 := e.submit(sup, "2026-12-10", "codigo;preco", "A0001;98,00")
	if err := e.svc.Reject(e.ctx, t4.ID, "Aumento sem acordo comercial"); err != nil {
		t.Fatal(err)
	}
	t5 := e.submit(sup, "2026-12-20", "codigo;preco", "A0001;12,00", "A0003;33,00")
	t6 := e.submit(sup, "2026-12-20", "codigo;preco", "A0001;12,50", "A0003;33,00")

	cases := []struct {
		name    string
		product int64
		at      time.Time
		cents   int64
		table   int64 // 0: ENOTFOUND
	}{
		{"before any table", a, submittedAt.Add(-time.Microsecond), 0, 0},
		{"first table at its submission", a, submittedAt, 1000, t1.ID},
		{"last instant of the first table", a, at("2026-11-25 00:00").Add(-time.Nanosecond), 1000, t1.ID},
		{"23:59 the day before, São Paulo", a, at("2026-11-24 23:59"), 1000, t1.ID},
		{"midnight in São Paulo is 03:00 UTC", a, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC), 1100, t2.ID},
		{"02:59 UTC is still the 24th in São Paulo", a, time.Date(2026, 11, 25, 2, 59, 0, 0, time.UTC), 1000, t1.ID},
		{"unchanged price comes from the new table", b, at("2026-11-26 10:00"), 2000, t2.ID},
		{"product dropped by the new table has no price", c, at("2026-11-26 10:00"), 0, 0},
		{"but kept its price before", c, at("2026-11-20 10:00"), 3000, t1.ID},
		{"withdrawn and rejected tables never count", a, at("2026-12-15 00:00"), 1100, t2.ID},
		{"same effective date: the newer table wins", a, at("2026-12-20 00:00"), 1250, t6.ID},
		{"product back in a later table", c, at("2027-01-01 00:00"), 3300, t6.ID},
		{"product of another supplier", foreign, at("2027-01-01 00:00"), 0, 0},
		{"unknown product", 999999, at("2027-01-01 00:00"), 0, 0},
	}
	_ = t5
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cents, table, err := e.svc.PriceAt(e.ctx, tc.product, tc.at)
			if tc.table == 0 {
				if !apperr.Is(err, apperr.ENOTFOUND) {
					t.Fatalf("want ENOTFOUND, got %d from %d, err %v", cents, table, err)
				}
				return
			}
			if err != nil || cents != tc.cents || table != tc.table {
				t.Fatalf("got %d from table %d (err %v), want %d from table %d", cents, table, err, tc.cents, tc.table)
			}
		})
	}

	// Statuses are derived from the same rule.
	e.now = at("2026-12-21 08:00")
	want := map[int64]model.PriceTableStatus{
		t1.ID: model.PriceTableStatusSuperseded, t2.ID: model.PriceTableStatusSuperseded,
		t3.ID: model.PriceTableStatusWithdrawn, t4.ID: model.PriceTableStatusRejected,
		t5.ID: model.PriceTableStatusSuperseded, t6.ID: model.PriceTableStatusInForce,
	}
	for id, st := range want {
		got, err := e.store.FindPriceTable(e.ctx, id, e.now)
		if err != nil || got.Status != st {
			t.Errorf("table %d: status %q (err %v), want %q", id, got.Status, err, st)
		}
	}
}

// TestNoticeRule: 20 calendar days from the day of submission once a table
// is in force; an earlier date is refused with the earliest allowed one.
func TestNoticeRule(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "A", 2)

	// Nothing in force: a date in the past is refused, today is fine.
	_, err := e.svc.SubmitFile(e.ctx, sup.ID, file("t.csv", csv1252(t, "codigo;preco", "A0001;1,00")), "2026-11-04")
	if !apperr.Is(err, apperr.EINVALID) || !strings.Contains(apperr.Message(err), "05/11/2026") {
		t.Fatalf("date in the past: %v", err)
	}
	e.submit(sup, "2026-11-05", "codigo;preco", "A0001;1,00")

	e.now = at("2026-11-06 23:30")
	_, err = e.svc.SubmitFile(e.ctx, sup.ID, file("t.csv", csv1252(t, "codigo;preco", "A0001;2,00")), "2026-11-25")
	if !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("19 days ahead accepted: %v", err)
	}
	msg := apperr.Message(err)
	if !strings.Contains(msg, "26/11/2026") || !strings.Contains(msg, "2026-11-26") || !strings.Contains(msg, "20 dias") {
		t.Fatalf("message lacks the earliest date: %q", msg)
	}
	if d := apperr.Details(err); len(d) != 1 || d[0].Field != "effective_from" {
		t.Fatalf("details: %+v", d)
	}
	if n := e.count("price_tables"); n != 1 {
		t.Fatalf("a refused table was kept: %d tables", n)
	}
	tb := e.submit(sup, "2026-11-26", "codigo;preco", "A0001;2,00")
	if tb.Status != model.PriceTableStatusScheduled || tb.NoticeDays != 20 || !tb.EarliestAllowed.Equal(at("2026-11-26 00:00")) {
		t.Fatalf("scheduled table: %+v", tb)
	}

	// Purchasing may bring it forward, only with a justification.
	if _, err := e.svc.GrantEarlyDate(e.ctx, tb.ID, "2026-11-10", "curta"); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("short justification accepted: %v", err)
	}
	if _, err := e.svc.GrantEarlyDate(e.ctx, tb.ID, "2026-11-01", "Acordo comercial assinado em 06/11."); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("date in the past accepted: %v", err)
	}
	got, err := e.svc.GrantEarlyDate(e.ctx, tb.ID, "2026-11-10", "Acordo comercial assinado em 06/11.")
	if err != nil {
		t.Fatal(err)
	}
	if !got.EffectiveFrom.Equal(at("2026-11-10 00:00")) || got.EarlyJustification == "" || got.EarlyGrantedAt == nil {
		t.Fatalf("early grant not recorded: %+v", got)
	}
	var audited int64
	e.db.Gorm.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'price_table.early_date' AND details LIKE '%Acordo comercial%'").Scan(&audited)
	if audited != 1 {
		t.Fatal("early date not in the audit log with its justification")
	}
	// Once in force, nothing can be changed any more.
	e.now = at("2026-11-10 00:00")
	if err := e.svc.Withdraw(e.ctx, sup.ID, tb.ID); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("withdrawing a table in force: %v", err)
	}
	if err := e.svc.Reject(e.ctx, tb.ID, "tarde demais"); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("rejecting a table in force: %v", err)
	}
}

func TestEarliestDate(t *testing.T) {
	cases := []struct {
		at      string
		notice  int
		inForce bool
		want    string
	}{
		{"2026-11-05 15:00", 20, true, "2026-11-25 00:00"},
		{"2026-11-05 00:00", 20, true, "2026-11-25 00:00"},
		{"2026-11-05 23:59", 20, true, "2026-11-25 00:00"},
		{"2026-12-20 10:00", 20, true, "2027-01-09 00:00"},
		{"2026-11-05 15:00", 20, false, "2026-11-05 00:00"},
		{"2026-11-05 15:00", 0, true, "2026-11-05 00:00"},
	}
	for _, tc := range cases {
		if got := earliest(at(tc.at), tc.notice, tc.inForce); !got.Equal(at(tc.want)) {
			t.Errorf("%s +%d (in force %v): %v, want %s", tc.at, tc.notice, tc.inForce, got, tc.want)
		}
	}
}
