package e2e_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

var resetPath = regexp.MustCompile(`/password/reset/[0-9a-f]{64}`)

// "Esqueci minha senha" in Chromium, through the outbox: the login page's
// link asks for the e-mail; a known and an unknown address get the same
// answer; the admin finds the one e-mail in the outbox and the user follows
// its link, chooses a new password and enters with it; the link is spent.
func TestBrowserPasswordResetThroughOutbox(t *testing.T) {
	env := apptest.New(t)
	env.User("ana@connectparts.example", model.RoleFiscal, nil)
	env.User("admin@connectparts.example", model.RoleAdmin, nil)
	bs := newBrowsers(t, env, "usuario", "admin")
	user, admin := bs[0], bs[1]

	answer := func(email string) string {
		t.Helper()
		user.visit("/login")
		user.submit("[data-testid=forgot-link]")
		user.run(fill("#f-email", email))
		user.submit("[data-testid=forgot-submit]")
		if strings.Contains(user.location(), "/password/forgot") && user.exists("[data-testid=forgot-sent]") {
			return strings.ReplaceAll(user.text("[data-testid=forgot-sent]"), email, "…")
		}
		t.Fatalf("forgot %s: %s", email, user.location())
		return ""
	}
	known := answer("ana@connectparts.example")
	user.shot("forgot-sent")
	if unknown := answer("ninguem@connectparts.example"); unknown != known {
		t.Fatalf("answers differ:\n%q\n%q", known, unknown)
	}

	admin.login("admin@connectparts.example", apptest.Password)
	admin.visit("/admin/outbox")
	row := "[data-testid=outbox-row]"
	if !admin.exists(row) {
		t.Fatal("no e-mail in the outbox")
	}
	if got := admin.text("[data-testid=outbox-table] tbody"); !strings.Contains(got, "ana@connectparts.example") || strings.Contains(got, "ninguem@") {
		t.Fatalf("outbox: %q", got)
	}
	admin.shot("outbox")
	admin.submit(row + " a")
	body := admin.text("[data-testid=email-body]")
	admin.shot("reset-email")
	link := resetPath.FindString(body)
	if link == "" || !strings.Contains(body, "1 hora") {
		t.Fatalf("e-mail body: %q", body)
	}

	user.visit(link)
	user.run(fill("#f-password", "Xk9#trilho-azul"), fill("#f-confirm", "Xk9#trilho-azul"))
	user.shot("reset-form")
	user.submit("[data-testid=reset-submit]")
	if !strings.HasPrefix(user.location(), "/login") {
		t.Fatalf("after the reset: %s", user.location())
	}
	user.login("ana@connectparts.example", "Xk9#trilho-azul")
	if strings.HasPrefix(user.location(), "/login") {
		t.Fatalf("the new password does not enter: %s", user.location())
	}
	user.shot("entered")
	user.visit(link)
	if !user.exists("[data-testid=reset-invalid]") {
		t.Fatal("the link works twice")
	}
	user.shot("link-spent")
}
