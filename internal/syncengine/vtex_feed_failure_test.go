package syncengine_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// TestVTEXFailedRunCommitsWhatItApplied: a run that read feed events and then
// failed (VTEX answered 500 for one order) commits the events of the orders it
// applied, so they are not handed out again, and only the rest waits for the
// visibility timeout; the next run after it brings in the rest.
func TestVTEXFailedRunCommitsWhatItApplied(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 50)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	ids := fake.AddOrders(6, "ready-for-handling")
	// One Get order fails; which one depends on the prefetchers' timing.
	fake.Fail(vtexfake.EndpointOrder, platformtest.Fault{Status: 500, Times: 1})
	if rep, err := f.svc.RunImport(f.ctx, p.ID); err == nil || rep.OK() {
		t.Fatalf("run against a 500 succeeded: %+v", rep)
	}
	committed := fake.Committed()
	imported := 0
	for i, id := range ids {
		handle := "fake-handle-" + strconv.Itoa(i+3) // AddOrders' events follow the 2 fake ones
		_, err := f.st.FindSalesOrderByExternalID(f.ctx, p.ID, id)
		has := err == nil
		if has {
			imported++
		}
		if slices.Contains(committed, handle) != has {
			t.Errorf("order %s imported %v but its event committed %v", id, has, !has)
		}
	}
	if imported == len(ids) {
		t.Fatalf("every order imported despite the failure")
	}
	// The visibility timeout passes: the rest comes back and is imported.
	fake.ExpireInflight()
	f.run(p)
	for _, id := range ids {
		f.order(p, id)
	}
	if fake.Pending() != 0 {
		t.Fatalf("%d events left in the feed", fake.Pending())
	}
}
