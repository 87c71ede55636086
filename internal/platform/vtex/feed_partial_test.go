package vtex_test

import (
	"context"
	"testing"

	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// A feed read that fails after a lot was read hands back the lot instead of
// dropping it: those events are invisible at VTEX for the visibility timeout,
// so only the engine can commit them now.
func TestChangesKeepsLotsReadBeforeAFailure(t *testing.T) {
	c, fake, _ := newClient(t, func(cfg *vtex.Config) { cfg.MaxRetries = -1 })
	fake.AddOrders(12, "ready-for-handling") // 3 example events + 12: two full lots and more
	fake.Fail(vtexfake.EndpointFeed, platformtest.Fault{Times: 1})
	fake.Fail(vtexfake.EndpointFeed, platformtest.Fault{Status: 503, Times: 1})
	b, err := c.Changes(context.Background(), "")
	if err != nil {
		t.Fatalf("changes: %v", err)
	}
	var handles int
	for _, ch := range b.Changes {
		handles += len(ch.AckTokens)
	}
	if handles != vtex.MaxLot || !b.More {
		t.Fatalf("batch: %d handles, More %v; want the first lot (%d) and More", handles, b.More, vtex.MaxLot)
	}
	if err := c.Ack(context.Background(), b.Changes); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Committed()); n != vtex.MaxLot {
		t.Fatalf("%d committed, want %d", n, vtex.MaxLot)
	}
	// A first read that fails is a failure: nothing was read.
	fake.Fail(vtexfake.EndpointFeed, platformtest.Fault{Status: 503, Times: 1})
	if _, err := c.Changes(context.Background(), ""); err == nil {
		t.Fatal("a failed first read must fail")
	}
}
