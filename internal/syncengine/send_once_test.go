package syncengine_test

import (
	"context"
	"testing"

	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// lostAnswer delivers start-handling to the platform, which applies it, and
// then loses the answer, as a timeout or a kill -9 between the call and
// recording its outcome does.
type lostAnswer struct {
	platform.Adapter
	lost int // answers still to lose
}

func (a *lostAnswer) StartHandling(ctx context.Context, externalID string) error {
	err := a.Adapter.StartHandling(ctx, externalID)
	if err == nil && a.lost > 0 {
		a.lost--
		return platform.NewError(platform.ErrTemporary, "vtex", "start-handling", "A VTEX não respondeu a tempo.", nil)
	}
	return err
}

// Each state-changing call is sent once per order: an attempt after a lost
// answer checks the order on the platform and does not call again.
func TestStartHandlingIsSentOncePerOrder(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 50)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	ad, err := f.svc.Registry().Adapter(f.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := &lostAnswer{Adapter: ad, lost: 2}
	f.svc.Registry().Use(p.ID, wrapped)
	ids := fake.AddOrders(3, "ready-for-handling")
	if rep := f.run(p); !rep.OK() {
		t.Fatalf("import: %+v", rep)
	}
	orders, err := f.st.PendingStatusPushes(f.ctx, p.ID, 0) // the example feed's order too
	if err != nil || len(orders) != len(ids)+1 {
		t.Fatalf("pushes queued: %d %v", len(orders), err)
	}
	before := fake.Count(vtexfake.EndpointStartHandling)
	if _, err := f.svc.PushStatuses(f.ctx, p.ID, 0); err == nil {
		t.Fatal("lost answers not reported for retry")
	}
	sent, err := f.svc.PushStatuses(f.ctx, p.ID, 0) // the retry
	if err != nil || sent != 2 {
		t.Fatalf("retry: sent %d, %v", sent, err)
	}
	pending, err := f.st.PendingStatusPushes(f.ctx, p.ID, 0)
	if err != nil || len(pending) != 0 {
		t.Fatalf("still pending: %+v %v", pending, err)
	}
	handling := 0
	for _, sp := range orders {
		if fake.Status(sp.ExternalID) == "handling" {
			handling++
		}
	}
	if calls := fake.Count(vtexfake.EndpointStartHandling) - before; calls != len(orders) || handling != len(orders) {
		t.Fatalf("%d start-handling calls for %d orders (%d handling), want one each", calls, len(orders), handling)
	}
}
