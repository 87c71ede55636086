package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/platform/sandbox"
)

// A sandbox given start and interval places its orders then; with a clock
// (Now) it reports an order only once it has happened.
func TestStartIntervalAndClock(t *testing.T) {
	start := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	cfg, err := sandbox.ParseSettings(map[string]string{"orders": "4", "start": "2026-12-06T09:00:00-03:00", "interval": "90m"}, products)
	if err != nil || !cfg.Start.Equal(start) || cfg.Interval != 90*time.Minute {
		t.Fatalf("ParseSettings = %+v, %v", cfg, err)
	}
	for _, bad := range []map[string]string{{"start": "06/12/2026"}, {"interval": "30s"}, {"interval": "2d"}} {
		if _, err := sandbox.ParseSettings(bad, products); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	now := start
	cfg.Now = func() time.Time { return now }
	p, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range p.Orders() {
		first := start.Add(time.Duration(i) * 90 * time.Minute)
		if o.CreatedAt.Before(first) || o.CreatedAt.After(first.Add(10*time.Minute)) {
			t.Errorf("order %d created %s, want within 10 min after %s", i, o.CreatedAt, first)
		}
	}
	count := func() int {
		b, err := p.Changes(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		return len(b.Changes)
	}
	if n := count(); n != 0 {
		t.Errorf("%d orders reported before any happened", n)
	}
	now = start.Add(24 * time.Hour)
	if n := count(); n != 4 {
		t.Errorf("%d orders reported a day later, want 4", n)
	}
	now = p.Orders()[1].UpdatedAt
	if n := count(); n != 2 {
		t.Errorf("%d orders reported at the second order's last change, want 2", n)
	}
}
