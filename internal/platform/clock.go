package platform

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source of the adapters: retries and the rate limiter sleep
// through it, so tests run on a fake clock and never wait for real.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and returns
	// ctx.Err() in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Limiter is a token bucket (implemented as GCRA, with integer nanoseconds):
// perMinute requests per minute on average, up to burst at once after a quiet
// period. Wait blocks, through the Clock, until the caller may proceed.
// Requests are served in arrival order: each caller reserves its slot under the
// lock and then sleeps without it.
type Limiter struct {
	mu       sync.Mutex
	clock    Clock
	interval time.Duration // time one token takes to refill
	burst    time.Duration // burst × interval
	tat      time.Time     // theoretical arrival time of the next request
}

// NewLimiter builds a limiter. perMinute ≤ 0 disables limiting; burst < 1 is 1.
func NewLimiter(perMinute, burst int, clock Clock) *Limiter {
	if clock == nil {
		clock = SystemClock
	}
	if burst < 1 {
		burst = 1
	}
	l := &Limiter{clock: clock}
	if perMinute > 0 {
		l.interval = time.Minute / time.Duration(perMinute)
		l.burst = time.Duration(burst) * l.interval
	}
	return l
}

// Wait blocks until a request may be made, or ctx is done.
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil || l.interval == 0 {
		return ctx.Err()
	}
	l.mu.Lock()
	now := l.clock.Now()
	tat := l.tat
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(l.interval)
	wait := next.Add(-l.burst).Sub(now)
	l.tat = next
	l.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if err := l.clock.Sleep(ctx, wait); err != nil {
		// Give the slot back if nobody reserved after us.
		l.mu.Lock()
		if l.tat.Equal(next) {
			l.tat = next.Add(-l.interval)
		}
		l.mu.Unlock()
		return err
	}
	return nil
}
