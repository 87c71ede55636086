package syncengine_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/internal/testdb"
)

// TestMercadoLivreRefreshAcrossProcesses: `portal serve` and `portal sync`
// are two processes on one database, each with its own adapter. Both need a
// token at the same moment: exactly one refresh reaches Mercado Livre (the
// other process waits for the database's token lock and then uses the
// token the first one stored), and both end up calling the API with a valid
// token. Without the lock the second refresh spends the already-spent
// refresh token and fails with invalid_grant.
func TestMercadoLivreRefreshAcrossProcesses(t *testing.T) {
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	u := testdb.URL(t)
	open := func() *database.DB {
		db, err := database.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if db.Dialect == database.SQLite {
			if err := db.Migrate(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
		return db
	}
	keys, err := secret.Derive(strings.Repeat("segredo-de-teste-", 3))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(keys.Data)
	if err != nil {
		t.Fatal(err)
	}
	fake := melifake.New()
	t.Cleanup(fake.Close)
	// A slow token endpoint widens the window in which both would refresh.
	fake.Fail(melifake.EndpointToken, platformtest.Fault{Delay: 300 * time.Millisecond})

	var svcs []*syncengine.Service
	for range 2 {
		st := store.New(open())
		svcs = append(svcs, syncengine.New(syncengine.Options{Store: st, Stock: stock.New(st), Box: box, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	}
	p, err := svcs[0].AddPlatform(ctx, syncengine.NewPlatform{Kind: model.PlatformMercadoLivre, Name: "Mercado Livre", BaseURL: fake.URL,
		Settings: map[string]string{"client_id": melifake.ClientID, "client_secret": melifake.ClientSecret,
			"refresh_token": melifake.InitialRefresh, "seller_id": melifake.SellerID}})
	if err != nil {
		t.Fatal(err)
	}

	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, len(svcs))
	for i, svc := range svcs {
		ad, err := svc.Registry().Adapter(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = ad.GetOrder(ctx, melifake.OrderPack)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	if n := fake.Count(melifake.EndpointToken); n != 1 {
		t.Errorf("%d refreshes reached Mercado Livre, want 1", n)
	}
	if fake.AccessToken() == "" || fake.TokenUses(fake.AccessToken()) < 2*3 {
		// Each GetOrder makes 3 calls (order, shipment, billing info).
		t.Errorf("the valid access token served %d calls, want both processes' (≥ 6)", fake.TokenUses(fake.AccessToken()))
	}
}
