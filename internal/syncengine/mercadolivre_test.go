package syncengine_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/syncengine"
)

// Mercado Livre refresh tokens are single-use: the rotated token must be
// stored (sealed) before the next run, which may happen in another process.
func TestMercadoLivreTokensPersistSealed(t *testing.T) {
	f := newFixture(t)
	fake := melifake.New()
	t.Cleanup(fake.Close)
	ids := fake.AddOrders(1, time.Now().Add(-2*time.Hour), time.Minute)
	p := f.platform(model.PlatformMercadoLivre, "Mercado Livre", fake.URL, map[string]string{
		"client_id": melifake.ClientID, "client_secret": melifake.ClientSecret,
		"refresh_token": melifake.InitialRefresh, "seller_id": melifake.SellerID,
	})
	rep := f.run(p)
	if rep.Blocked != 1 {
		t.Fatalf("run: %+v", rep)
	}
	if b := f.blocked(p, ids[0]); b.Reason != model.BlockUnmappedCarrier || b.Method == "" {
		t.Fatalf("blocked: %+v", b)
	}
	stored, err := f.st.FindPlatform(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Cursor == "" {
		t.Fatal("search cursor not saved")
	}
	sealed := stored.TokenSealed
	if !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, fake.RefreshToken()) || strings.Contains(sealed, fake.AccessToken()) {
		t.Fatalf("token stored in the clear or not at all: %q", sealed)
	}
	if fake.RefreshToken() == melifake.InitialRefresh {
		t.Fatal("the fake did not rotate the refresh token")
	}

	// Another process: a new registry builds the adapter again and must use
	// the rotated refresh token (the initial one is spent).
	fake.ExpireAccessToken()
	other := syncengine.New(syncengine.Options{Store: f.st, Stock: f.stock, Box: f.box, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if rep, err := other.RunImport(f.ctx, p.ID); err != nil || !rep.OK() {
		t.Fatalf("run in another process: %+v %v", rep, err)
	}
}

// A new refresh token on the platform page is a new authorisation: the tokens
// rotated from the old one are forgotten with the settings change; editing
// anything else keeps them.
func TestMercadoLivreNewRefreshTokenClearsStoredTokens(t *testing.T) {
	f := newFixture(t)
	p := f.platform(model.PlatformMercadoLivre, "Mercado Livre", "", map[string]string{
		"client_id": melifake.ClientID, "client_secret": melifake.ClientSecret,
		"refresh_token": melifake.InitialRefresh, "seller_id": melifake.SellerID,
	})
	if err := f.st.SavePlatformToken(f.ctx, p.ID, "v1:rotated"); err != nil {
		t.Fatal(err)
	}
	change := syncengine.PlatformChange{Enabled: true, ImportInterval: 5 * time.Minute,
		Settings: map[string]string{"seller_id": "123"}}
	if _, err := f.svc.UpdatePlatform(f.ctx, p.ID, change); err != nil {
		t.Fatal(err)
	}
	if tok, err := f.st.PlatformToken(f.ctx, p.ID); err != nil || tok != "v1:rotated" {
		t.Fatalf("token after another setting changed: %q %v", tok, err)
	}
	change.Settings = map[string]string{"refresh_token": "TG-NEW"}
	if _, err := f.svc.UpdatePlatform(f.ctx, p.ID, change); err != nil {
		t.Fatal(err)
	}
	if tok, err := f.st.PlatformToken(f.ctx, p.ID); err != nil || tok != "" {
		t.Fatalf("token after a new refresh token: %q %v", tok, err)
	}
}
