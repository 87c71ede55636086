package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// frozen stops the store's clock so that the seconds-long waits between
// attempts cannot lapse while a test runs.
func frozen(env *apptest.Env) {
	now := time.Now().UTC()
	env.App.Store.SetClock(func() time.Time { return now })
}

func browserFrom(env *apptest.Env, xff string) *apptest.Browser {
	b := env.Browser()
	b.Header = http.Header{"X-Forwarded-For": {xff}}
	return b
}

func login(b *apptest.Browser, email, password string) *apptest.Response {
	return b.Submit("/login", url.Values{"email": {email}, "password": {password}})
}

// Behind a trusted reverse proxy every request comes from the proxy's
// address: an attack on one account from one client slows that client only.
func TestLoginAttackBehindTrustedProxy(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1", "10.0.0.0/8"} }})
	frozen(env)
	env.User("vitima@fornecedor.example", model.RoleAdmin, nil)
	env.User("vizinho@fornecedor.example", model.RoleAdmin, nil)

	// The proxy appends the address it saw; whatever the attacker wrote to the
	// left of it is ignored, so rotating it does not reset the count.
	attacker := env.Browser()
	var res *apptest.Response
	for i := 0; i < 10; i++ {
		attacker.Header = http.Header{"X-Forwarded-For": {"192.0.2." + itoa(int64(i)) + ", 203.0.113.66, 10.0.0.2"}}
		res = login(attacker, "vitima@fornecedor.example", "chute-errado-123")
	}
	if res.Status != http.StatusTooManyRequests || !strings.Contains(res.Text("[data-testid=form-error]"), "Tente novamente em") {
		t.Fatalf("attacker not slowed: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	// The victim, from its own address, logs in during the attack.
	if res := login(browserFrom(env, "198.51.100.7"), "vitima@fornecedor.example", apptest.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("victim refused: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	// A bystander behind the same proxy logs in too.
	if res := login(browserFrom(env, "198.51.100.8"), "vizinho@fornecedor.example", apptest.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("bystander refused: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	// The audit log names the client, not the proxy.
	entries, _, err := env.App.Store.ListAudit(env.Ctx, store.AuditFilter{Query: "auth.login"}, store.Page{Size: 10})
	if err != nil || len(entries) == 0 || entries[0].IP != "198.51.100.8" {
		t.Fatalf("audited address: %+v %v", entries, err)
	}
}

// X-Forwarded-For from a peer that is not a trusted proxy is the client's
// own claim: ignored, so rotating it neither escapes the throttle nor shows in
// the audit log.
func TestForwardedForFromUntrustedPeerIgnored(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.TrustedProxies = []string{"10.9.9.9"} }})
	frozen(env)
	env.User("vitima@fornecedor.example", model.RoleAdmin, nil)
	var res *apptest.Response
	for i := 0; i < 6; i++ {
		res = login(browserFrom(env, "192.0.2."+itoa(int64(i))), "vitima@fornecedor.example", "chute-errado-123")
	}
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("rotating X-Forwarded-For escaped the throttle: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	entries, _, err := env.App.Store.ListAudit(env.Ctx, store.AuditFilter{Query: "auth.login_failed"}, store.Page{Size: 10})
	if err != nil || len(entries) == 0 || entries[0].IP != "127.0.0.1" {
		t.Fatalf("audited address: %+v %v", entries, err)
	}
}

// Two portal processes on one database count the same attempts.
func TestLoginThrottleCountsAcrossInstances(t *testing.T) {
	one := apptest.New(t)
	two := apptest.New(t, apptest.Options{DatabaseURL: one.DatabaseURL})
	frozen(one)
	frozen(two)
	one.User("vitima@fornecedor.example", model.RoleAdmin, nil)
	for i, env := range []*apptest.Env{one, two, one, two} { // four failures: the fourth starts a wait
		if res := login(env.Browser(), "vitima@fornecedor.example", "chute-errado-123"); res.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, res.Status)
		}
	}
	for name, env := range map[string]*apptest.Env{"one": one, "two": two} {
		if res := login(env.Browser(), "vitima@fornecedor.example", apptest.Password); res.Status != http.StatusTooManyRequests {
			t.Fatalf("instance %s ignored the failures made on both: %d", name, res.Status)
		}
	}
}
