package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

func TestAuditLogInWordsWithFilters(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	admin := env.Login("admin@cp.example")
	admin.Get("/admin/users/new")
	res := admin.Submit("/admin/users", url.Values{"email": {"nova@cp.example"}, "name": {"Nova"}, "role": {"fiscal"}})
	if res.Status != http.StatusSeeOther && res.Status != http.StatusOK {
		t.Fatalf("create user: %d", res.Status)
	}

	res = admin.Get("/admin/audit")
	if res.Status != 200 {
		t.Fatalf("audit: %d", res.Status)
	}
	text := res.Text("[data-testid=audit-table]")
	for _, want := range []string{"Entrou no portal", "Criou o usuário nova@cp.example", "admin@cp.example"} {
		if !strings.Contains(text, want) {
			t.Errorf("audit page lacks %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"auth.login", "user.create", "{\"", "user 1"} {
		if strings.Contains(text, raw) {
			t.Errorf("audit page shows %q", raw)
		}
	}

	// Filters: action, user, period.
	logins := admin.Get("/admin/audit?action=auth.login")
	if n := logins.Doc.Find("[data-testid=audit-row]").Length(); n == 0 {
		t.Fatal("no login rows")
	}
	if got := logins.Text("[data-testid=audit-sentence]"); strings.Replace(got, "Entrou no portal", "", -1) != "" {
		t.Errorf("action filter lets through: %q", got)
	}
	if n := admin.Get("/admin/audit?user=ninguem@cp.example").Doc.Find("[data-testid=audit-row]").Length(); n != 0 {
		t.Errorf("user filter: %d rows for a user with no entries", n)
	}
	if n := admin.Get("/admin/audit?user=admin@cp.example&action=user.create").Doc.Find("[data-testid=audit-row]").Length(); n != 1 {
		t.Errorf("user + action filter: %d rows, want 1", n)
	}
	tomorrow := format.Day(time.Now()).AddDate(0, 0, 1).Format("2006-01-02")
	today := format.Day(time.Now()).Format("2006-01-02")
	if n := admin.Get("/admin/audit?from=" + tomorrow).Doc.Find("[data-testid=audit-row]").Length(); n != 0 {
		t.Errorf("from tomorrow: %d rows", n)
	}
	if n := admin.Get("/admin/audit?from=" + today + "&to=" + today).Doc.Find("[data-testid=audit-row]").Length(); n < 2 {
		t.Errorf("today (to includes the whole day): %d rows", n)
	}
	bad := admin.Get("/admin/audit?from=ontem")
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Text("[data-testid=form-error]"), "DD/MM/AAAA") {
		t.Errorf("bad date: %d %q", bad.Status, bad.Text("[data-testid=form-error]"))
	}
}
