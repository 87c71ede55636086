package syncengine_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/syncengine"
)

// TestRegistrySeesChangesMadeByAnotherInstance: each portal process keeps its
// own adapters, built from the sealed settings. A settings change saved by
// another process (its own engine and registry, same database) must not be
// hidden by the adapter cached here: the next run rebuilds it.
func TestRegistrySeesChangesMadeByAnotherInstance(t *testing.T) {
	f := newFixture(t)
	f.product("REG-1", 10)
	p := f.platform(model.PlatformSandbox, "Loja", "", map[string]string{"seed": "1", "orders": "3"})
	here := f.svc.Registry()
	a, err := here.Adapter(f.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(a.(*sandbox.Platform).Orders()); n != 3 {
		t.Fatalf("adapter before the change: %d orders", n)
	}
	other := syncengine.New(syncengine.Options{Store: f.st, Stock: f.stock, Box: f.box, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	_, err = other.UpdatePlatform(f.ctx, p.ID, syncengine.PlatformChange{
		BaseURL: p.BaseURL, Enabled: true, ImportInterval: time.Duration(p.ImportIntervalSeconds) * time.Second,
		ImportFrom: string(p.ImportFrom), Settings: map[string]string{"orders": "7"},
	})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := f.st.FindPlatform(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err = here.Adapter(f.ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(a.(*sandbox.Platform).Orders()); n != 7 {
		t.Fatalf("adapter after another instance changed the settings: %d orders, want 7", n)
	}
}
