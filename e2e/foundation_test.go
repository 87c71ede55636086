package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// An admin creates a supplier and its user; the supplier logs in, sets a new
// password, sees its home and is refused the admin pages.
func TestBrowserAdminCreatesSupplierAndUser(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := newBrowser(t, env)

	b.login("admin@cp.example", apptest.Password)
	if got := b.text("[data-testid=staff-home]"); !strings.Contains(got, "Olá") {
		t.Fatalf("staff home: %q", got)
	}
	b.shot("staff-home")

	b.visit("/suppliers/new")
	b.run(
		fill("#f-cnpj", "12.ABC.345/01DE-36"), // wrong check digit first
		fill("#f-legal_name", "Freios & Cia Indústria S.A."),
		fill("#f-trade_name", "Freios & Cia"),
		fill("#f-email", "vendas@freioscia.example"),
	)
	b.submit("[data-testid=supplier-save]")
	if got := b.text("#e-cnpj"); !strings.Contains(got, "Dígitos verificadores") {
		t.Fatalf("CNPJ error next to the field: %q", got)
	}
	b.shot("supplier-cnpj-error")
	b.run(fill("#f-cnpj", "12.ABC.345/01DE-35"))
	b.submit("[data-testid=supplier-save]")
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, "Freios & Cia") {
		t.Fatalf("supplier created flash: %q", got)
	}
	b.shot("supplier-created")

	b.submit("[data-testid=add-supplier-user]")
	b.run(
		fill("#f-name", "Fernanda Freios"),
		fill("#f-email", "fernanda@freioscia.example"),
		choose("#f-role", "supplier"),
		fill("#f-password", "senha-inicial-123"),
	)
	b.shot("user-form")
	b.submit("[data-testid=user-save]")
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, "fernanda@freioscia.example") {
		t.Fatalf("user created flash: %q", got)
	}

	b.run(chromedp.Click(chromedp.CSS("[data-testid=user-menu]")))
	b.submit("[data-testid=logout]")
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, "Você saiu") {
		t.Fatalf("logout: %q", got)
	}

	b.login("fernanda@freioscia.example", "senha-inicial-123")
	if loc := b.location(); loc != "/account/password" {
		t.Fatalf("first login should ask for a new password, at %s", loc)
	}
	b.shot("forced-password-change")
	b.run(fill("#f-current", "senha-inicial-123"), fill("#f-password", "nova-senha-fernanda"), fill("#f-confirm", "nova-senha-fernanda"))
	b.submit("form[data-testid=password-form] button[type=submit]")
	if got := b.text("[data-testid=supplier-home]"); got != "Freios & Cia" {
		t.Fatalf("supplier home: %q", got)
	}
	if b.exists("[data-testid=nav-users]") || b.exists("[data-testid=nav-suppliers]") {
		t.Fatal("supplier sees staff navigation")
	}
	b.shot("supplier-home")

	b.visit("/admin/users")
	if got := b.text("[data-testid=error-page] h1"); got != "Acesso negado" {
		t.Fatalf("admin page as supplier: %q", got)
	}
	b.shot("supplier-403")
}
