package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

var resetLink = regexp.MustCompile(`http://[^\s]+/password/reset/([0-9a-f]{64})`)

// resetEmails returns the password-reset e-mails in the outbox, newest first.
func resetEmails(t *testing.T, env *apptest.Env) []model.Email {
	t.Helper()
	mails, _, err := env.App.Store.SearchEmails(env.Ctx, store.EmailFilter{Kind: model.EmailPasswordReset}, store.Page{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	return mails
}

func TestPasswordResetByEmail(t *testing.T) {
	env := apptest.New(t)
	env.User("ana@cp.example", model.RoleFiscal, nil)
	open := env.Login("ana@cp.example") // a session that the reset must end

	b := env.Browser()
	if res := b.Get("/login"); res.Doc.Find(`a[href="/password/forgot"]`).Length() != 1 {
		t.Fatal("the login page has no 'Esqueci minha senha' link")
	}
	known := b.Submit("/password/forgot", url.Values{"email": {"ana@cp.example"}})
	unknown := b.Submit("/password/forgot", url.Values{"email": {"ninguem@cp.example"}})
	if known.Status != 200 || unknown.Status != 200 {
		t.Fatalf("forgot: %d / %d", known.Status, unknown.Status)
	}
	strip := func(s string) string { return strings.ReplaceAll(s, "ninguem@cp.example", "ana@cp.example") }
	if k, u := known.Text("[data-testid=forgot-sent]"), strip(unknown.Text("[data-testid=forgot-sent]")); k == "" || k != u {
		t.Fatalf("answers differ:\n%q\n%q", k, u)
	}
	mails := resetEmails(t, env)
	if len(mails) != 1 || mails[0].ToAddr != "ana@cp.example" {
		t.Fatalf("outbox: %+v", mails)
	}
	m := resetLink.FindStringSubmatch(mails[0].Body)
	if m == nil || !strings.Contains(mails[0].Body, "1 hora") {
		t.Fatalf("e-mail body: %s", mails[0].Body)
	}
	path := "/password/reset/" + m[1]

	if res := b.Get(path); res.Doc.Find("[data-testid=reset-form]").Length() != 1 {
		t.Fatalf("reset page: %d", res.Status)
	}
	res := b.Submit(path, url.Values{"password": {"Xk9#trilho-azul"}, "confirm": {"outra-coisa-9"}})
	if res.Status != http.StatusUnprocessableEntity || res.Text("#e-confirm") == "" {
		t.Fatalf("mismatch: %d", res.Status)
	}
	res = b.Submit(path, url.Values{"password": {"curta"}, "confirm": {"curta"}})
	if res.Status != http.StatusUnprocessableEntity || res.Text("#e-password") == "" {
		t.Fatalf("weak: %d", res.Status)
	}
	res = b.Submit(path, url.Values{"password": {"Xk9#trilho-azul"}, "confirm": {"Xk9#trilho-azul"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/login" {
		t.Fatalf("reset: %d %s", res.Status, res.Location())
	}
	// The link is spent; the old session ended; the new password works, the old one not.
	if res := b.Get(path); res.Status != http.StatusGone || res.Text("[data-testid=reset-invalid]") == "" {
		t.Fatalf("second use: %d", res.Status)
	}
	if res := b.Submit(path, url.Values{"password": {"Outra#senha-forte-1"}, "confirm": {"Outra#senha-forte-1"}}); res.Status != http.StatusGone {
		t.Fatalf("second submit: %d", res.Status)
	}
	if res := open.Get("/"); res.Status != http.StatusFound && res.Status != http.StatusSeeOther {
		t.Fatalf("the session opened before the reset still works: %d", res.Status)
	}
	if res := env.Browser().Submit("/login", url.Values{"email": {"ana@cp.example"}, "password": {apptest.Password}}); res.Status == http.StatusSeeOther {
		t.Fatal("the old password still works")
	}
	if res := env.Browser().Submit("/login", url.Values{"email": {"ana@cp.example"}, "password": {"Xk9#trilho-azul"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", res.Status)
	}
}

func TestPasswordResetLinkExpiresAndIsRateLimited(t *testing.T) {
	env := apptest.New(t)
	env.User("bia@cp.example", model.RoleViewer, nil)
	b := env.Browser()
	for i := 0; i < 5; i++ {
		if res := b.Submit("/password/forgot", url.Values{"email": {"bia@cp.example"}}); res.Status != 200 || res.Text("[data-testid=forgot-sent]") == "" {
			t.Fatalf("request %d: %d", i+1, res.Status)
		}
	}
	mails := resetEmails(t, env)
	if len(mails) != 3 {
		t.Fatalf("%d links e-mailed for 5 requests in an hour, want 3", len(mails))
	}
	// Asking for a new link does not spend the old ones; an hour later they expire.
	token := resetLink.FindStringSubmatch(mails[len(mails)-1].Body)[1]
	if res := b.Get("/password/reset/" + token); res.Status != 200 {
		t.Fatalf("first link before expiry: %d", res.Status)
	}
	env.App.Store.SetClock(func() time.Time { return time.Now().UTC().Add(61 * time.Minute) })
	if res := b.Get("/password/reset/" + token); res.Status != http.StatusGone {
		t.Fatalf("expired link: %d", res.Status)
	}
	// An hour on, the quota is back.
	b.Submit("/password/forgot", url.Values{"email": {"bia@cp.example"}})
	if n := len(resetEmails(t, env)); n != 4 {
		t.Fatalf("after an hour: %d e-mails, want 4", n)
	}
	// One address asking for many accounts is told to wait.
	var last *apptest.Response
	for i := 0; i < 25; i++ {
		last = b.Submit("/password/forgot", url.Values{"email": {"x" + string(rune('a'+i)) + "@cp.example"}})
	}
	if last.Status != http.StatusTooManyRequests || !strings.Contains(last.Text("[data-testid=form-error]"), "Tente novamente em uma hora") {
		t.Fatalf("flood from one address: %d %q", last.Status, last.Text("[data-testid=form-error]"))
	}
	// A made-up token is refused like a spent one.
	if res := b.Get("/password/reset/" + strings.Repeat("ab", 32)); res.Status != http.StatusGone {
		t.Fatalf("unknown token: %d", res.Status)
	}
}
