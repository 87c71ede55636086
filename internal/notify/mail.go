// Package notify sends what the store's Publish put in the outbox: e-mails
// over SMTP and signed webhook deliveries to suppliers' systems, and manages
// the suppliers' webhooks (URL, events, the sealed signing secret). It runs
// in jobs, never inside the transaction that published.
package notify

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mailer sends one plain-text e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTP sends through the server of an smtp:// (STARTTLS when the server
// offers it) or smtps:// (TLS from the start) URL, with the URL's user and
// password when given: the strongest mechanism the server offers, or the
// one named by ?auth= (plain, login, cram-md5, scram-sha-1, scram-sha-256).
type SMTP struct {
	host     string
	port     int
	ssl      bool
	user     string
	password string
	auth     gomail.SMTPAuthType
	from     string
}

// smtpAuth maps the URL's ?auth= onto go-mail's mechanisms. The default
// picks the strongest the server offers, and never sends a password in
// clear text; plain and login also refuse clear text except to localhost.
var smtpAuth = map[string]gomail.SMTPAuthType{
	"": gomail.SMTPAuthAutoDiscover, "auto": gomail.SMTPAuthAutoDiscover,
	"plain": gomail.SMTPAuthPlain, "login": gomail.SMTPAuthLogin, "cram-md5": gomail.SMTPAuthCramMD5,
	"scram-sha-1": gomail.SMTPAuthSCRAMSHA1, "scram-sha-256": gomail.SMTPAuthSCRAMSHA256,
}

// NewSMTP builds the mailer from PORTAL_SMTP_URL and PORTAL_MAIL_FROM
// (validated by config).
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("PORTAL_SMTP_URL inválida")
	}
	m := &SMTP{host: u.Hostname(), ssl: u.Scheme == "smtps", from: from}
	m.port = 587
	if m.ssl {
		m.port = 465
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("PORTAL_SMTP_URL: porta inválida")
		}
	}
	var ok bool
	if m.auth, ok = smtpAuth[strings.ToLower(u.Query().Get("auth"))]; !ok {
		return nil, fmt.Errorf("PORTAL_SMTP_URL: auth desconhecido")
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.password, _ = u.User.Password()
	}
	return m, nil
}

// Send delivers one message.
func (m *SMTP) Send(ctx context.Context, to, subject, body string) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("remetente inválido: %w", err)
	}
	if err := msg.To(to); err != nil {
		return fmt.Errorf("destinatário inválido %q: %w", to, err)
	}
	msg.Subject(subject)
	msg.SetBodyString(gomail.TypeTextPlain, body)
	opts := []gomail.Option{gomail.WithPort(m.port), gomail.WithTimeout(30 * time.Second)}
	if m.ssl {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if m.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(m.auth),
			gomail.WithUsername(m.user), gomail.WithPassword(m.password))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
