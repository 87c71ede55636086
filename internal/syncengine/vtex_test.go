package syncengine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
)

func vtexPlatform(f *fixture) (*model.Platform, *vtexfake.Server) {
	f.t.Helper()
	fake := vtexfake.New()
	f.t.Cleanup(fake.Close)
	p := f.platform(model.PlatformVTEX, "Loja VTEX", fake.URL, map[string]string{
		"account": "connectparts", "app_key": fake.AppKey, "app_token": fake.AppToken, "warehouse": "1fabf84",
	})
	return p, fake
}

func event(id, state, at string) vtexfake.Event {
	return vtexfake.Event{Domain: "Fulfillment", State: state, OrderID: id, LastChange: at, CurrentChange: at}
}

func TestVTEXImportFollowsPaymentAndCancellation(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")

	// The feed holds the example event twice and an event of the full example.
	rep := f.run(p)
	if rep.Imported != 2 || rep.Blocked != 0 || !rep.OK() {
		t.Fatalf("first run: %+v", rep)
	}
	if fake.Pending() != 0 || len(fake.Committed()) != 3 {
		t.Fatalf("feed not committed: pending %d, committed %v", fake.Pending(), fake.Committed())
	}
	if ph, r := f.stockOf("BIGBML"); ph != 10 || r != 2 {
		t.Fatalf("after import: physical %d reserved %d", ph, r)
	}
	full := f.order(p, vtexfake.OrderFull)
	if full.Status != model.SOHandling || full.ChannelStatus != "handling" || full.Number != "502556" ||
		full.CustomerDocument != "84513427019" || full.DeliveryCEP != "22630011" || full.TotalCents != 1160 || !full.Reserved {
		t.Fatalf("full example stored as %+v", full)
	}

	// "Aguardando Pagamento" does not reserve (VTEX reserves by itself)…
	pending := fake.AddOrders(1, "payment-pending")[0]
	if rep := f.run(p); rep.Imported != 1 {
		t.Fatalf("pending run: %+v", rep)
	}
	if so := f.order(p, pending); so.Reserved || so.Status != model.SOAwaitingPayment {
		t.Fatalf("pending order: %+v", so)
	}
	if _, r := f.stockOf("BIGBML"); r != 2 {
		t.Fatalf("payment-pending order reserved: %d", r)
	}
	// …and reserves once the payment is approved.
	fake.SetStatus(pending, "payment-approved")
	fake.Enqueue(event(pending, "payment-approved", "2026-01-05T13:00:00Z"))
	if rep := f.run(p); rep.Updated != 1 {
		t.Fatalf("approval run: %+v", rep)
	}
	if so := f.order(p, pending); !so.Reserved || so.Status != model.SOPaymentApproved {
		t.Fatalf("approved order: %+v", so)
	}
	if _, r := f.stockOf("BIGBML"); r != 3 {
		t.Fatalf("after approval reserved %d, want 3", r)
	}

	// Cancellation before invoicing releases; invoicing consumes.
	fake.SetStatus(vtexfake.OrderFeed, "canceled")
	fake.Enqueue(event(vtexfake.OrderFeed, "canceled", "2026-01-05T14:00:00Z"))
	fake.SetStatus(vtexfake.OrderFull, "invoiced")
	fake.Enqueue(event(vtexfake.OrderFull, "invoiced", "2026-01-05T14:00:00Z"))
	if rep := f.run(p); rep.Updated != 2 {
		t.Fatalf("cancel/invoice run: %+v", rep)
	}
	if ph, r := f.stockOf("BIGBML"); ph != 9 || r != 1 {
		t.Fatalf("after cancel and invoice: physical %d reserved %d, want 9 and 1", ph, r)
	}

	// A repeated event changes nothing and never duplicates.
	fake.Enqueue(event(pending, "payment-approved", "2026-01-05T13:00:00Z"))
	fake.Enqueue(event(vtexfake.OrderFeed, "canceled", "2026-01-05T14:00:00Z"))
	if rep := f.run(p); rep.Skipped != 2 || rep.Updated+rep.Imported != 0 {
		t.Fatalf("repeat run: %+v", rep)
	}
	if n := f.orderCount(p); n != 3 {
		t.Fatalf("%d orders, want 3", n)
	}
	if ph, r := f.stockOf("BIGBML"); ph != 9 || r != 1 {
		t.Fatalf("after repeats: physical %d reserved %d", ph, r)
	}
	f.verifyLedger()
	evs := f.events(f.order(p, vtexfake.OrderFeed))
	want := []string{model.OrderEventImported, model.OrderEventStockReserved, model.OrderEventStatusChanged, model.OrderEventStockReleased}
	if strings.Join(evs, ",") != strings.Join(want, ",") {
		t.Fatalf("timeline %v, want %v", evs, want)
	}
}

func TestVTEXUnknownSKUBlockedThenImported(t *testing.T) {
	f := newFixture(t)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")

	rep := f.run(p)
	if rep.Blocked != 2 || rep.Imported != 0 || !rep.OK() {
		t.Fatalf("run without product: %+v", rep)
	}
	b := f.blocked(p, vtexfake.OrderFull)
	if b.Reason != model.BlockUnknownSKU || b.SKU != "BIGBML" || !strings.Contains(b.Detail, "BIGBML") || b.ResolvedAt != nil {
		t.Fatalf("blocked row: %+v", b)
	}
	// The feed events are committed; the next run finds the orders through
	// the blocked list.
	if fake.Pending() != 0 {
		t.Fatalf("%d feed events left", fake.Pending())
	}
	// While the SKU is missing, blocked orders are not fetched again.
	gets := fake.Count(vtexfake.EndpointOrder)
	if rep := f.run(p); rep.Blocked+rep.Imported+rep.Skipped != 0 || fake.Count(vtexfake.EndpointOrder) != gets {
		t.Fatalf("second run: %+v, %d order reads", rep, fake.Count(vtexfake.EndpointOrder)-gets)
	}

	// …until they have waited long enough: then they are checked again.
	f.st.SetClock(func() time.Time { return time.Now().UTC().Add(syncengine.BlockedRecheck + time.Minute) })
	if rep := f.run(p); rep.Blocked != 2 || fake.Count(vtexfake.EndpointOrder) != gets+2 {
		t.Fatalf("recheck run: %+v, %d order reads", rep, fake.Count(vtexfake.EndpointOrder)-gets)
	}
	if b := f.blocked(p, vtexfake.OrderFull); b.FirstSeenAt.Equal(b.LastSeenAt) {
		t.Fatalf("last_seen_at not refreshed: %+v", b)
	}

	f.product("BIGBML", 4)
	rep = f.run(p)
	if rep.Imported != 2 || rep.Blocked != 0 {
		t.Fatalf("run with product: %+v", rep)
	}
	if b := f.blocked(p, vtexfake.OrderFull); b.ResolvedAt == nil {
		t.Fatal("blocked order not resolved")
	}
	if _, r := f.stockOf("BIGBML"); r != 2 {
		t.Fatalf("reserved %d, want 2", r)
	}
	if rep := f.run(p); rep.Imported+rep.Blocked+rep.Updated+rep.Skipped != 0 {
		t.Fatalf("last run: %+v", rep)
	}
}

func TestVTEXUnmappedCarrierBlockedThenImported(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 4)
	p, _ := vtexPlatform(f)
	if rep := f.run(p); rep.Blocked != 2 {
		t.Fatalf("run without mapping: %+v", rep)
	}
	if b := f.blocked(p, vtexfake.OrderFeed); b.Reason != model.BlockUnmappedCarrier || b.Method != "Normal" {
		t.Fatalf("blocked row: %+v", b)
	}
	f.mapCarrier(p, "Normal", "Correios")
	if rep := f.run(p); rep.Imported != 2 {
		t.Fatalf("run after mapping: %+v", rep)
	}
	so := f.order(p, vtexfake.OrderFeed)
	m, err := f.st.FindCarrierMapping(f.ctx, p.ID, "Normal")
	if err != nil || so.CarrierID == nil || *so.CarrierID != m.CarrierID || m.Carrier.Name != "Correios" {
		t.Fatalf("carrier of the order: %+v %+v %v", so.CarrierID, m, err)
	}
}

func TestVTEXServerErrorFailsRunAndLosesNothing(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	// The first order answers, the second gets HTTP 500 (requests in feed order).
	f.svc.SetImportFetchers(1)
	fake.Fail(vtexfake.EndpointOrder, platformtest.Fault{Times: 1})
	fake.Fail(vtexfake.EndpointOrder, platformtest.Fault{Status: 500, Body: `{"error":{"message":"boom"}}`, Times: 1})

	rep, err := f.svc.RunImport(f.ctx, p.ID)
	const msg = "A VTEX está com problemas no momento (HTTP 500); a operação será tentada de novo."
	if err == nil || !errors.Is(err, platform.ErrTemporary) || apperr.Message(err) != msg {
		t.Fatalf("run error: %v", err)
	}
	if rep.OK() || rep.Error != msg || rep.Imported != 1 {
		t.Fatalf("failed run report: %+v", rep)
	}
	run, err := f.st.FindSyncRun(f.ctx, rep.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != model.SyncFailed || run.ErrorKind != "temporary" || run.ErrorMessage != msg || run.FinishedAt == nil || run.Imported != 1 {
		t.Fatalf("sync run row: %+v", run)
	}
	// What was applied is committed at VTEX; the failed order's event is not.
	committed := strings.Join(fake.Committed(), ",")
	if strings.Contains(committed, "fake-handle-1") || committed == "" {
		t.Fatalf("committed after failure: %s", committed)
	}

	// After the feed's visibility timeout the event comes back and the next
	// run completes.
	fake.ExpireInflight()
	rep = f.run(p)
	if rep.Imported != 1 {
		t.Fatalf("recovery run: %+v", rep)
	}
	if n := f.orderCount(p); n != 2 {
		t.Fatalf("%d orders, want 2", n)
	}
	if ph, r := f.stockOf("BIGBML"); ph != 10 || r != 2 {
		t.Fatalf("physical %d reserved %d", ph, r)
	}
	runs, err := f.st.ListSyncRuns(f.ctx, p.ID, 10)
	if err != nil || len(runs) != 2 || runs[0].Status != model.SyncOK || runs[1].Status != model.SyncFailed {
		t.Fatalf("runs: %+v %v", runs, err)
	}
	if fake.Pending() != 0 {
		t.Fatalf("%d feed events left", fake.Pending())
	}
}

func TestCredentialsAreSealed(t *testing.T) {
	f := newFixture(t)
	p, fake := vtexPlatform(f)
	var raw struct {
		SettingsSealed string
		BaseURL        string
	}
	if err := f.db.Gorm.Raw("SELECT settings_sealed, base_url FROM platforms WHERE id = ?", p.ID).Scan(&raw).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw.SettingsSealed, "v1:") || strings.Contains(raw.SettingsSealed, fake.AppToken) ||
		strings.Contains(raw.SettingsSealed, fake.AppKey) || strings.Contains(raw.SettingsSealed, "app_token") {
		t.Fatalf("settings stored in the clear: %q", raw.SettingsSealed)
	}
	var audit []string
	if err := f.db.Gorm.Raw("SELECT details FROM audit_log WHERE entity = 'platform'").Scan(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || strings.Contains(audit[0], fake.AppToken) || strings.Contains(audit[0], fake.AppKey) {
		t.Fatalf("audit: %q", audit)
	}
	settings, err := f.svc.Registry().Settings(p)
	if err != nil || settings["app_token"] != fake.AppToken || settings["warehouse"] != "1fabf84" {
		t.Fatalf("opened settings: %v %v", settings, err)
	}
}

func TestAddPlatformValidates(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.AddPlatform(f.ctx, orderPlatform("vtex", "Loja", map[string]string{"account": "x", "app_key": "k", "senha": "y"}))
	var fields []string
	for _, d := range apperr.Details(err) {
		fields = append(fields, d.Field)
	}
	if !apperr.Is(err, apperr.EINVALID) || strings.Join(fields, ",") != "app_token,warehouse,senha" {
		t.Fatalf("vtex without token: %v %v", err, fields)
	}
	if _, err := f.svc.AddPlatform(f.ctx, orderPlatform("shopee", "Loja", nil)); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := f.svc.AddPlatform(f.ctx, orderPlatform("sandbox", "Demo", map[string]string{"import_from": "sempre"})); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("bad import_from: %v", err)
	}
	f.platform("sandbox", "Demo", "", nil)
	if _, err := f.svc.AddPlatform(f.ctx, orderPlatform("sandbox", "Demo", nil)); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := f.svc.MapCarrier(f.ctx, "Nenhuma", "Normal", "Correios"); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("map on unknown platform: %v", err)
	}
}

// A burst larger than one run's pages: the run says more waits until the
// feed is drained, and each run imports the next page (one page a run here).
func TestVTEXRunSaysWhenMoreWaits(t *testing.T) {
	f := newFixture(t)
	f.svc.SetPagesPerRun(1)
	f.product("BIGBML", 1000)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	fake.AddOrders(150, "ready-for-handling") // + 3 fixture events: more than one run's 10 lots of 10

	first := f.run(p)
	if !first.OK() || !first.More || first.Imported == 0 {
		t.Fatalf("first run: %+v", first)
	}
	total, runs := first.Imported, 1
	for rep := first; rep.More; runs++ {
		if runs > 5 {
			t.Fatal("the feed never drained")
		}
		rep = f.run(p)
		total += rep.Imported
	}
	if total != 152 || fake.Pending() != 0 {
		t.Fatalf("%d orders imported in %d runs, %d events pending", total, runs, fake.Pending())
	}
}

// A run takes page after page of the feed (reading the next while it applies
// one), up to PagesPerRun: 152 events in one run, and with two pages a run,
// 350 in two runs of 200 and 152.
func TestVTEXRunTakesSeveralPages(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 1000)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	fake.AddOrders(150, "ready-for-handling")
	if rep := f.run(p); !rep.OK() || rep.More || rep.Imported != 152 || fake.Pending() != 0 {
		t.Fatalf("one run of up to %d pages: %+v, %d events pending", syncengine.PagesPerRun, rep, fake.Pending())
	}
	f.svc.SetPagesPerRun(2)
	fake.AddOrders(350, "ready-for-handling")
	if rep := f.run(p); !rep.OK() || !rep.More || rep.Imported != 200 {
		t.Fatalf("first run of two pages: %+v", rep)
	}
	if rep := f.run(p); !rep.OK() || rep.More || rep.Imported != 150 || fake.Pending() != 0 {
		t.Fatalf("second run: %+v, %d events pending", rep, fake.Pending())
	}
}

// A run that fails on its first page abandons the page it read ahead: its
// orders are neither applied nor committed, and come back once the feed's
// visibility timeout passes; every order is then imported exactly once.
func TestVTEXFailedPageAbandonsTheNextOne(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 1000)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	ids := fake.AddOrders(250, "ready-for-handling")
	fake.Fail(vtexfake.EndpointOrder, platformtest.Fault{Status: 500, Times: 1})
	if rep, err := f.svc.RunImport(f.ctx, p.ID); err == nil || rep.OK() || rep.Imported >= 100 {
		t.Fatalf("run against a 500 on its first page: %+v %v", rep, err)
	}
	if n := len(fake.Committed()); n >= 100 {
		t.Fatalf("%d events committed after a failure on the first page", n)
	}
	// The visibility timeout passes (before each run: a lot read by the
	// abandoned page may reach the fake after the run returned, its request
	// cancelled in flight).
	for runs := 0; fake.Pending() > 0; runs++ {
		if runs > 5 {
			t.Fatal("the feed never drained")
		}
		fake.ExpireInflight()
		if rep := f.run(p); !rep.OK() {
			t.Fatalf("run %d: %+v", runs, rep)
		}
	}
	var n int64
	if err := f.db.Gorm.Model(&model.SalesOrder{}).Where("platform_id = ?", p.ID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != int64(len(ids))+2 {
		t.Fatalf("%d orders in the database, want %d", n, len(ids)+2)
	}
	for _, id := range ids {
		f.order(p, id)
	}
}

// portal sync (RunCycle) drains a burst too, and reports the sum of its runs.
func TestVTEXCycleDrainsABurst(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 1000)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	fake.AddOrders(150, "ready-for-handling")
	rep, err := f.svc.RunCycle(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Import.Imported != 152 || rep.Import.More || fake.Pending() != 0 {
		t.Fatalf("cycle imported %d (more %v), %d events pending", rep.Import.Imported, rep.Import.More, fake.Pending())
	}
}

// An order whose two SKUs are both missing is blocked under each of them:
// the blocked queue lists both causes (one order each, one order in the
// count), finds the order by either SKU, and the order waits until both
// exist; creating one of them does not release it.
func TestVTEXOrderMissingTwoSKUs(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	id, _ := fake.AddOrder("ready-for-handling", []vtexfake.Item{{RefID: "PASTILHA-A", Quantity: 1, Price: 1000}, {RefID: "DISCO-B", Quantity: 2, Price: 2000}})
	if rep := f.run(p); rep.Blocked != 1 || !rep.OK() {
		t.Fatalf("first run: %+v", rep)
	}
	causes, err := f.st.ListBlockedCauses(f.ctx, store.BlockedCauseFilter{PlatformID: &p.ID, Reason: model.BlockUnknownSKU})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range causes {
		got = append(got, fmt.Sprintf("%s:%d", c.SKU, c.Orders))
	}
	if strings.Join(got, ",") != "DISCO-B:1,PASTILHA-A:1" {
		t.Fatalf("causes %v, want each SKU with its one order", got)
	}
	if n, err := f.st.CountOpenBlockedFor(f.ctx, &p.ID, model.BlockUnknownSKU); err != nil || n != 1 {
		t.Fatalf("open blocked orders %d %v, want 1", n, err)
	}
	for _, q := range []string{"pastilha", "disco-b"} {
		rows, _, err := f.st.ListBlockedQueue(f.ctx, store.BlockedFilter{PlatformID: &p.ID, OpenOnly: true, Query: q}, store.Page{Size: 10})
		if err != nil || len(rows) != 1 || rows[0].ExternalID != id || strings.Join(rows[0].SKUs, ",") != "DISCO-B,PASTILHA-A" {
			t.Fatalf("queue searched for %q: %+v %v", q, rows, err)
		}
	}

	f.product("PASTILHA-A", 5)
	gets := fake.Count(vtexfake.EndpointOrder)
	if rep := f.run(p); rep.Imported != 0 || fake.Count(vtexfake.EndpointOrder) != gets {
		t.Fatalf("run with one of the two SKUs: %+v, %d order reads", rep, fake.Count(vtexfake.EndpointOrder)-gets)
	}
	if b := f.blocked(p, id); b.ResolvedAt != nil {
		t.Fatal("the order was released with an SKU still missing")
	}
	f.product("DISCO-B", 5)
	if rep := f.run(p); rep.Imported != 1 || rep.Blocked != 0 {
		t.Fatalf("run with both SKUs: %+v", rep)
	}
	if items := f.order(p, id).Items; len(items) != 2 {
		t.Fatalf("imported with %d lines", len(items))
	}
	if b := f.blocked(p, id); b.ResolvedAt == nil {
		t.Fatal("blocked order not resolved")
	}
}
