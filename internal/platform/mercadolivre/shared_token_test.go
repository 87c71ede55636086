package mercadolivre_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/platform/mercadolivre"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/platform/platformtest"
)

// sharedStore is the token store of several portal instances: one saved
// token and a lock standing for the database's advisory lock.
type sharedStore struct {
	*store
	lock sync.Mutex
}

func (s *sharedStore) WithRefreshLock(ctx context.Context, fn func(context.Context) error) error {
	s.lock.Lock()
	defer s.lock.Unlock()
	return fn(ctx)
}

// Two instances whose access token expires at once refresh it once: the
// second reads the token the first saved instead of spending the single-use
// refresh token again (which Mercado Livre answers with invalid_grant).
func TestTokenRefreshedOnceAcrossInstances(t *testing.T) {
	one, fake, clock, st := newClient(t)
	shared := &sharedStore{store: st}
	one = sameAccount(t, fake, clock, shared)
	two := sameAccount(t, fake, clock, shared)
	ctx := context.Background()
	for _, c := range []*mercadolivre.Client{one, two} {
		if _, err := c.GetOrder(ctx, melifake.OrderPack); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count(melifake.EndpointToken); n != 1 {
		t.Fatalf("token requests after start = %d, want 1", n)
	}
	clock.Advance(4 * time.Hour)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = []*mercadolivre.Client{one, two}[i%2].GetOrder(ctx, melifake.OrderSearch)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count(melifake.EndpointToken); n != 2 {
		t.Errorf("token requests = %d, want 2: each instance refreshing would burn the single-use token", n)
	}
}

// sameAccount builds another client (another instance) of the fake's account.
func sameAccount(t *testing.T, fake *melifake.Server, clock *platformtest.Clock, tokens mercadolivre.TokenStore) *mercadolivre.Client {
	t.Helper()
	c, err := mercadolivre.New(mercadolivre.Config{
		ClientID: melifake.ClientID, ClientSecret: melifake.ClientSecret, SellerID: melifake.SellerID,
		BaseURL: fake.URL, Tokens: tokens, Timeout: 2 * time.Second, Clock: clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
