package auth_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/store"
)

const (
	anaEmail = "ana@connectparts.com.br"
	anaPass  = "senha-forte-123"
)

func TestDelaySchedule(t *testing.T) {
	p := auth.DefaultPolicy
	want := map[int]time.Duration{1: 0, 3: 0, 4: time.Second, 5: 2 * time.Second, 6: 4 * time.Second, 13: 512 * time.Second, 14: 15 * time.Minute, 100: 15 * time.Minute}
	for n, d := range want {
		if got := p.Delay(n); got != d {
			t.Errorf("Delay(%d) = %s, want %s", n, got, d)
		}
	}
}

// The attacker guessing from one address slows only itself: the victim logs
// in from its own address at once, even with the attack still going on.
func TestAttackerCannotLockVictimOut(t *testing.T) {
	f := newFixture(t)
	const attacker, victim = "203.0.113.66", "198.51.100.7"
	var err error
	for i := 1; i <= 3; i++ {
		if _, _, err = f.svc.Login(f.ctx, anaEmail, "chute-errado", attacker, ""); !apperr.Is(err, apperr.EUNAUTHORIZED) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, _, err = f.svc.Login(f.ctx, anaEmail, "chute-errado", attacker, ""); !apperr.Is(err, apperr.EUNAUTHORIZED) || !strings.Contains(apperr.Message(err), "Aguarde 1 s") {
		t.Fatalf("4th failure should announce the wait: %v", err)
	}
	// Waiting: refused without checking the password, even the right one.
	_, _, err = f.svc.Login(f.ctx, anaEmail, anaPass, attacker, "")
	if !apperr.Is(err, apperr.ELOCKED) || !strings.Contains(apperr.Message(err), "Tente novamente em 1 s") {
		t.Fatalf("attacker during its wait: %v", err)
	}
	// The delay doubles with each failure.
	for i, wantWait := range []int{2, 4, 8, 16} {
		f.now = f.now.Add(time.Hour)
		f.svc.Login(f.ctx, anaEmail, "chute-errado", attacker, "") //nolint:errcheck
		_, _, err = f.svc.Login(f.ctx, anaEmail, "chute-errado", attacker, "")
		if !apperr.Is(err, apperr.ELOCKED) || !strings.Contains(apperr.Message(err), "em "+strconv.Itoa(wantWait)+" s") {
			t.Fatalf("round %d: want a %d s wait, got %v", i, wantWait, err)
		}
	}
	// The victim, from an address with no failures, is never refused.
	if _, _, err := f.svc.Login(f.ctx, anaEmail, anaPass, victim, ""); err != nil {
		t.Fatalf("victim refused during the attack: %v", err)
	}
	// A wait does not forget the failures: the next failure waits longer.
	f.now = f.now.Add(time.Hour)
	f.svc.Login(f.ctx, anaEmail, "chute-errado", attacker, "") //nolint:errcheck
	if _, _, err = f.svc.Login(f.ctx, anaEmail, anaPass, attacker, ""); !strings.Contains(apperr.Message(err), "em 32 s") {
		t.Fatalf("after the wait: %v", err)
	}
	// A day without failures forgets them.
	f.now = f.now.Add(25 * time.Hour)
	if _, _, err := f.svc.Login(f.ctx, anaEmail, "chute-errado", attacker, ""); apperr.Message(err) != "E-mail ou senha incorretos." {
		t.Fatalf("after a day: %v", err)
	}
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Query: "auth.login_failed"}, store.Page{Size: 100})
	if err != nil || len(entries) < 14 {
		t.Fatalf("failed and refused logins audited: %d %v", len(entries), err)
	}
}

// Many accounts guessed from one address (a proxy without
// PORTAL_TRUSTED_PROXIES, or a NAT) never refuse another account behind it.
func TestSprayFromOneAddressRefusesNobodyElse(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 60; i++ {
		f.svc.Login(f.ctx, "user"+strconv.Itoa(i%6)+"@x.com", "wrong-password", "10.0.0.4", "") //nolint:errcheck
	}
	if _, _, err := f.svc.Login(f.ctx, "user1@x.com", "wrong-password", "10.0.0.4", ""); !apperr.Is(err, apperr.ELOCKED) {
		t.Fatalf("guessed pair not slowed: %v", err)
	}
	if _, _, err := f.svc.Login(f.ctx, anaEmail, anaPass, "10.0.0.4", ""); err != nil {
		t.Fatalf("bystander behind the same address refused: %v", err)
	}
}

// Parallel guesses cannot all slip in before the first failure is counted:
// each attempt is counted before its password is checked.
func TestParallelGuessesAreCounted(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := f.svc.Login(f.ctx, anaEmail, "chute-errado", "203.0.113.9", "")
			if apperr.Is(err, apperr.EUNAUTHORIZED) {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if want := auth.DefaultPolicy.FreeFailures + 1; checked > want {
		t.Fatalf("%d parallel guesses were checked, want at most %d", checked, want)
	}
}

func TestSuccessClearsFailures(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 3; i++ {
		f.svc.Login(f.ctx, anaEmail, "chute-errado", "10.0.0.8", "") //nolint:errcheck
	}
	if _, _, err := f.svc.Login(f.ctx, anaEmail, anaPass, "10.0.0.8", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, _, err := f.svc.Login(f.ctx, anaEmail, "chute-errado", "10.0.0.8", ""); apperr.Message(err) != "E-mail ou senha incorretos." {
			t.Fatalf("failure %d after a success: %v", i+1, err)
		}
	}
}
