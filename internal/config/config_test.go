package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/config"
)

func env(m map[string]string) config.Getenv { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "./var/portal.db" || c.Addr != ":8080" || c.DataDir != "./var/files" || c.IsPostgres() {
		t.Fatalf("defaults: %+v", c)
	}
	if c.SecureCookie || c.LogFormat != "text" || c.SessionIdle != 2*time.Hour {
		t.Fatalf("development defaults: %+v", c)
	}
}

func TestProductionNeedsSecret(t *testing.T) {
	_, err := config.Load(env(map[string]string{"PORTAL_ENV": "production"}))
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET") {
		t.Fatalf("want PORTAL_SECRET error, got %v", err)
	}
	c, err := config.Load(env(map[string]string{"PORTAL_ENV": "production", "PORTAL_SECRET": strings.Repeat("x", 40)}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SecureCookie || c.LogFormat != "json" {
		t.Fatalf("production: %+v", c)
	}
}

func TestEveryProblemReported(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"PORTAL_ADDR":         "localhost",
		"PORTAL_COMPANY_CNPJ": "11222333000182",
		"PORTAL_SESSION_IDLE": "forever",
		"PORTAL_ENV":          "staging",
	}))
	if err == nil {
		t.Fatal("want error")
	}
	for _, name := range []string{"PORTAL_ADDR", "PORTAL_COMPANY_CNPJ", "PORTAL_SESSION_IDLE", "PORTAL_ENV"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not mention %s: %v", name, err)
		}
	}
}

func TestPostgresURL(t *testing.T) {
	c, err := config.Load(env(map[string]string{"DATABASE_URL": "postgres://u@localhost/db", "PORTAL_COMPANY_CNPJ": "12.ABC.345/01DE-35"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsPostgres() || c.CompanyCNPJ != "12ABC34501DE35" {
		t.Fatalf("%+v", c)
	}
}
