// Package config reads the portal's configuration from the environment,
// validates it and reports every problem at once.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/cnpj"
)

// Config is the whole configuration of one portal process.
type Config struct {
	Env          string // "development" (default) or "production"
	DatabaseURL  string // postgres://… or a SQLite file path
	Addr         string
	DataDir      string
	BlobURL      string // PORTAL_BLOB_URL: object storage for documents (s3://…, file:///…); empty: in the database
	Secret       string // PORTAL_SECRET; when empty outside production it is generated into DataDir
	CompanyCNPJ  string // PORTAL_COMPANY_CNPJ, normalized; empty when unset
	BaseURL      string // PORTAL_BASE_URL, used in e-mails and to decide Secure cookies
	SecureCookie bool   // PORTAL_SECURE_COOKIES; defaults to true in production
	LogFormat    string // "json" or "text"; json in production
	LogLevel     string

	SessionIdle     time.Duration // PORTAL_SESSION_IDLE, default 2h
	SessionAbsolute time.Duration // PORTAL_SESSION_MAX, default 12h
	ShutdownGrace   time.Duration // PORTAL_SHUTDOWN_GRACE, default 30s: what requests and jobs in flight get after SIGTERM
	MaxBodyBytes    int           // PORTAL_MAX_BODY_MB, default 60 MB (uploads)
	Workers         bool          // PORTAL_WORKERS=false disables background job processing in this process

	SMTPURL  string // PORTAL_SMTP_URL: smtp://user:pass@host:port (STARTTLS when offered) or smtps://…; empty: e-mails are held in the outbox
	MailFrom string // PORTAL_MAIL_FROM: the sender of e-mails, required with PORTAL_SMTP_URL

	// TrustedProxies (PORTAL_TRUSTED_PROXIES, comma-separated IPs or CIDRs) are
	// the reverse proxies whose X-Forwarded-For names the client; empty: the
	// peer address is the client and X-Forwarded-For is ignored.
	TrustedProxies []string
	Operations     // PORTAL_METRICS_ADDR, PORTAL_JOB_TIMEOUT, PORTAL_JOB_RESCUE_AFTER (operations.go)
}

// Getenv abstracts os.Getenv for tests.
type Getenv func(string) string

// Load reads the configuration. Every invalid variable is reported in one error.
func Load(getenv Getenv) (Config, error) {
	c := Config{
		Env:         strings.ToLower(strings.TrimSpace(getenv("PORTAL_ENV"))),
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		Addr:        strings.TrimSpace(getenv("PORTAL_ADDR")),
		DataDir:     strings.TrimSpace(getenv("PORTAL_DATA_DIR")),
		BlobURL:     strings.TrimSpace(getenv("PORTAL_BLOB_URL")),
		Secret:      getenv("PORTAL_SECRET"),
		BaseURL:     strings.TrimRight(strings.TrimSpace(getenv("PORTAL_BASE_URL")), "/"),
		LogFormat:   strings.ToLower(strings.TrimSpace(getenv("PORTAL_LOG_FORMAT"))),
		LogLevel:    strings.ToLower(strings.TrimSpace(getenv("PORTAL_LOG_LEVEL"))),
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	if c.Env == "" {
		c.Env = "development"
	}
	if c.Env != "development" && c.Env != "production" {
		bad("PORTAL_ENV", "deve ser development ou production, não %q", c.Env)
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "./var/portal.db"
	}
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("PORTAL_ADDR", "endereço inválido %q (use host:porta, ex.: :8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("PORTAL_ADDR", "porta inválida %q", port)
	}
	if c.DataDir == "" {
		c.DataDir = "./var/files"
	}
	if c.Production() && c.Secret == "" {
		bad("PORTAL_SECRET", "obrigatório quando PORTAL_ENV=production (gere com: openssl rand -hex 32)")
	}
	if c.Secret != "" && len(c.Secret) < 32 {
		bad("PORTAL_SECRET", "muito curto: use pelo menos 32 caracteres")
	}
	if v := getenv("PORTAL_COMPANY_CNPJ"); strings.TrimSpace(v) != "" {
		if msg := cnpj.Check(v); msg != "" {
			bad("PORTAL_COMPANY_CNPJ", "%s (%q)", msg, v)
		} else {
			c.CompanyCNPJ = cnpj.Normalize(v)
		}
	}
	c.SecureCookie = c.Production() || strings.HasPrefix(c.BaseURL, "https://")
	if v := strings.TrimSpace(getenv("PORTAL_SECURE_COOKIES")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("PORTAL_SECURE_COOKIES", "use true ou false, não %q", v)
		}
		c.SecureCookie = b
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
		if c.Production() {
			c.LogFormat = "json"
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("PORTAL_LOG_FORMAT", "use text ou json, não %q", c.LogFormat)
	}
	switch c.LogLevel {
	case "":
		c.LogLevel = "info"
	case "debug", "info", "warn", "error":
	default:
		bad("PORTAL_LOG_LEVEL", "use debug, info, warn ou error, não %q", c.LogLevel)
	}
	c.SessionIdle = duration(getenv, "PORTAL_SESSION_IDLE", 2*time.Hour, bad)
	c.SessionAbsolute = duration(getenv, "PORTAL_SESSION_MAX", 12*time.Hour, bad)
	c.ShutdownGrace = duration(getenv, "PORTAL_SHUTDOWN_GRACE", 30*time.Second, bad)
	if c.SessionIdle > c.SessionAbsolute {
		bad("PORTAL_SESSION_IDLE", "não pode ser maior que PORTAL_SESSION_MAX")
	}
	c.MaxBodyBytes = 60 << 20
	if v := strings.TrimSpace(getenv("PORTAL_MAX_BODY_MB")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			bad("PORTAL_MAX_BODY_MB", "use um inteiro entre 1 e 1024, não %q", v)
		} else {
			c.MaxBodyBytes = n << 20
		}
	}
	c.Workers = true
	if v := strings.TrimSpace(getenv("PORTAL_WORKERS")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("PORTAL_WORKERS", "use true ou false, não %q", v)
		}
		c.Workers = b
	}
	c.SMTPURL = strings.TrimSpace(getenv("PORTAL_SMTP_URL"))
	c.MailFrom = strings.TrimSpace(getenv("PORTAL_MAIL_FROM"))
	if c.SMTPURL != "" {
		if msg := checkSMTPURL(c.SMTPURL); msg != "" {
			bad("PORTAL_SMTP_URL", "%s", msg)
		}
		if c.MailFrom == "" {
			bad("PORTAL_MAIL_FROM", "obrigatório com PORTAL_SMTP_URL (ex.: ConnectParts <portal@connectparts.com.br>)")
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			bad("PORTAL_MAIL_FROM", "endereço inválido %q (ex.: ConnectParts <portal@connectparts.com.br>)", c.MailFrom)
		}
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("PORTAL_BASE_URL", "use uma URL http:// ou https:// (ex.: https://portal.connectparts.com.br), não %q", c.BaseURL)
		}
	}
	for _, p := range strings.Split(getenv("PORTAL_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !ValidProxy(p) {
			bad("PORTAL_TRUSTED_PROXIES", "%q não é um IP nem uma faixa CIDR (ex.: 10.0.0.5,10.1.0.0/16)", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	loadOperations(&c, getenv, bad)
	if len(errs) > 0 {
		return c, fmt.Errorf("configuração inválida:\n  %w", errors.Join(errs...))
	}
	return c, nil
}

func duration(getenv Getenv, name string, def time.Duration, bad func(string, string, ...any)) time.Duration {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		bad(name, "duração inválida %q (ex.: 30m, 2h)", v)
		return def
	}
	return d
}

// checkSMTPURL returns what is wrong with an SMTP URL ("" when valid). The
// password never appears in the message.
func checkSMTPURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "URL inválida (use smtp://usuario:senha@host:porta ou smtps://…)"
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return fmt.Sprintf("use smtp:// (STARTTLS quando o servidor oferece) ou smtps:// (TLS direto), não %q", u.Scheme+"://")
	}
	if u.Hostname() == "" {
		return "informe o servidor (ex.: smtp://usuario:senha@smtp.exemplo.com.br:587)"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("porta inválida %q", p)
		}
	}
	switch a := strings.ToLower(u.Query().Get("auth")); a {
	case "", "auto", "plain", "login", "cram-md5", "scram-sha-1", "scram-sha-256":
	default:
		return fmt.Sprintf("auth=%q desconhecido (use plain, login, cram-md5, scram-sha-1 ou scram-sha-256; sem auth, o mais forte que o servidor oferece)", a)
	}
	return ""
}

// ValidProxy reports whether p is an IP address or a CIDR range.
func ValidProxy(p string) bool {
	if net.ParseIP(p) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(p)
	return err == nil
}

// PublicURL is the portal's public base URL for links in e-mails and
// webhook payloads: PORTAL_BASE_URL, or the listen address's LocalURL when unset.
func (c Config) PublicURL() string {
	if c.BaseURL == "" {
		return c.LocalURL()
	}
	return c.BaseURL
}

// LocalURL is the address this process listens on as a browser on the same
// machine reaches it: ":8080" and "0.0.0.0:8080" give http://localhost:8080,
// "127.0.0.1:9000" gives http://127.0.0.1:9000, "[::1]:9000" http://[::1]:9000.
func (c Config) LocalURL() string {
	addr := c.Addr
	if addr == "" {
		addr = ":8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Production reports whether PORTAL_ENV=production.
func (c Config) Production() bool { return c.Env == "production" }

// IsPostgres reports whether DatabaseURL points to PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}
