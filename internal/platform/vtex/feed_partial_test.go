package vtex_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

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

// The fake hands an uncommitted event out again once the feed's visibility
// timeout has passed, as the feed documents.
func TestFakeRedeliversAfterVisibilityTimeout(t *testing.T) {
	c, fake, _ := newClient(t)
	body := strings.NewReader(`{"filter":{"type":"FromWorkflow","status":["ready-for-handling"]},"queue":{"visibilityTimeoutInSeconds":1,"MessageRetentionPeriodInSeconds":345600}}`)
	req, _ := http.NewRequest(http.MethodPost, fake.URL+"/api/orders/feed/config", body)
	req.Header.Set("X-VTEX-API-AppKey", fake.AppKey)
	req.Header.Set("X-VTEX-API-AppToken", fake.AppToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("feed config: %v %v", res, err)
	}
	res.Body.Close()
	first, err := c.Changes(context.Background(), "")
	if err != nil || len(first.Changes) == 0 {
		t.Fatalf("first read: %+v %v", first, err)
	}
	if again, err := c.Changes(context.Background(), ""); err != nil || len(again.Changes) != 0 {
		t.Fatalf("read within the timeout: %+v %v", again, err)
	}
	time.Sleep(1100 * time.Millisecond)
	again, err := c.Changes(context.Background(), "")
	if err != nil || len(again.Changes) != len(first.Changes) {
		t.Fatalf("read after the timeout: %d changes, want %d (%v)", len(again.Changes), len(first.Changes), err)
	}
}
