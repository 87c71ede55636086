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
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mailer sends one plain-text e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTP sends through the server of an smtp:// (STARTTLS when the server
// offers it) or smtps:// (TLS from the start) URL, with the URL's user and
// password when given (the mechanism the server prefers).
type SMTP struct {
	host     string
	port     int
	ssl      bool
	user     string
	password string
	from     string
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
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.user), gomail.WithPassword(m.password))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
