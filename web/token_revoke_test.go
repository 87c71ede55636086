package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

func TestAdminResetOffersTokenRevocation(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Freios Paulista")
	env.User("admin@cp.example", model.RoleAdmin, nil)
	u := env.User("erp@paulista.example", model.RoleSupplier, sup)
	kept, revoked := env.Token(u), env.Token(u)
	admin := env.Login("admin@cp.example")

	page := admin.Get("/admin/users/" + itoa(u.ID))
	if _, checked := page.Doc.Find("[data-testid=revoke-tokens] input").Attr("checked"); !checked {
		t.Fatal("the reset form does not offer token revocation ticked by default")
	}
	// Unticked: the tokens stay, but answer 403 until the user changes the password.
	if res := admin.Submit("/admin/users/"+itoa(u.ID)+"/reset-password", url.Values{}); res.Status != http.StatusOK {
		t.Fatalf("reset: %d", res.Status)
	}
	res := env.API(kept, http.MethodGet, "/api/v1/me", nil, "")
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "senha tempor") {
		t.Fatalf("token of a user who must change the password: %d %s", res.Status, res.Body)
	}
	// Ticked: the tokens are revoked.
	if res := admin.Submit("/admin/users/"+itoa(u.ID)+"/reset-password", url.Values{"revoke_tokens": {"1"}}); res.Status != http.StatusOK {
		t.Fatalf("reset with revocation: %d", res.Status)
	}
	for _, tok := range []string{kept, revoked} {
		if res := env.API(tok, http.MethodGet, "/api/v1/me", nil, ""); res.Status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d %s", res.Status, res.Body)
		}
	}
}
