package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// With the database gone under a running server, every page (login
// included) and the API answer 503 "temporariamente indisponível" with
// Retry-After, not 500 "Erro interno"; /readyz says only "unavailable".
func TestDatabaseDownAnswers503(t *testing.T) {
	env := apptest.New(t)
	admin := env.User("admin@cp.example", model.RoleAdmin, nil)
	token := env.Token(admin)
	logged := env.Login("admin@cp.example")
	anon := env.Browser()
	anon.Get("/login") // the form's CSRF token, before the outage

	if res := anon.Get("/readyz"); res.Status != 200 || strings.TrimSpace(res.Body) != `{"status":"ok"}` {
		t.Fatalf("readyz before the outage: %d %s", res.Status, res.Body)
	}
	if err := env.App.DB.SQL.Close(); err != nil { // the database goes away
		t.Fatal(err)
	}

	res := anon.Get("/readyz")
	if res.Status != http.StatusServiceUnavailable || strings.TrimSpace(res.Body) != `{"status":"unavailable"}` || res.Header.Get("Retry-After") == "" {
		t.Fatalf("readyz during the outage: %d %q Retry-After %q", res.Status, res.Body, res.Header.Get("Retry-After"))
	}
	pages := map[string]*apptest.Response{
		"login POST":      anon.Submit("/login", url.Values{"email": {"admin@cp.example"}, "password": {apptest.Password}}),
		"purchase orders": logged.Get("/purchase-orders"),
		"orders":          logged.Get("/orders"),
		"home":            logged.Get("/"),
	}
	for name, res := range pages {
		if res.Status != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(res.Body, "temporariamente indisponível") || strings.Contains(res.Body, "Erro interno") {
			t.Errorf("%s during the outage: %d Retry-After %q\n%.300s", name, res.Status, res.Header.Get("Retry-After"), res.Body)
		}
	}
	api := env.API(token, "GET", "/api/v1/purchase-orders", nil, "")
	if api.Status != http.StatusServiceUnavailable || !strings.Contains(api.Body, `"code":"unavailable"`) ||
		!strings.Contains(api.Body, "temporariamente indisponível") || api.Header.Get("Retry-After") == "" {
		t.Errorf("API during the outage: %d %s", api.Status, api.Body)
	}
}
