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

func TestSMTPSettings(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.SMTPURL != "" || c.PublicURL() != "http://localhost:8080" {
		t.Fatalf("defaults: %v %+v", err, c)
	}
	c, err = config.Load(env(map[string]string{
		"PORTAL_SMTP_URL": "smtp://portal:segredo@smtp.exemplo.com.br:587", "PORTAL_MAIL_FROM": "ConnectParts <portal@connectparts.com.br>",
		"PORTAL_BASE_URL": "https://portal.connectparts.com.br/",
	}))
	if err != nil || c.SMTPURL == "" || c.PublicURL() != "https://portal.connectparts.com.br" {
		t.Fatalf("valid SMTP: %v %+v", err, c)
	}
	_, err = config.Load(env(map[string]string{"PORTAL_SMTP_URL": "http://segredo-na-url@smtp.exemplo.com.br"}))
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SMTP_URL") || !strings.Contains(err.Error(), "PORTAL_MAIL_FROM") {
		t.Fatalf("want PORTAL_SMTP_URL and PORTAL_MAIL_FROM errors, got %v", err)
	}
	if strings.Contains(err.Error(), "segredo") {
		t.Fatalf("the error shows the URL's credentials: %v", err)
	}
	_, err = config.Load(env(map[string]string{"PORTAL_SMTP_URL": "smtps://smtp.exemplo.com.br:99999", "PORTAL_MAIL_FROM": "não é e-mail"}))
	if err == nil || !strings.Contains(err.Error(), "porta inválida") || !strings.Contains(err.Error(), "PORTAL_MAIL_FROM") {
		t.Fatalf("want port and sender errors, got %v", err)
	}
}

func TestLocalURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{":8080", "http://localhost:8080"},
		{"0.0.0.0:9000", "http://localhost:9000"},
		{"127.0.0.1:9000", "http://127.0.0.1:9000"},
		{"[::1]:9000", "http://[::1]:9000"},
		{"portal.lan:80", "http://portal.lan:80"},
	} {
		c := config.Config{Addr: tc.addr}
		if got := c.LocalURL(); got != tc.want {
			t.Errorf("LocalURL(%q) = %q, want %q", tc.addr, got, tc.want)
		}
		if got := c.PublicURL(); got != tc.want {
			t.Errorf("PublicURL without PORTAL_BASE_URL (%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
	if got := (config.Config{Addr: ":8080", BaseURL: "https://portal.connectparts.com.br"}).PublicURL(); got != "https://portal.connectparts.com.br" {
		t.Errorf("PublicURL with PORTAL_BASE_URL = %q", got)
	}
}
