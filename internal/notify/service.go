package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/store"
)

// DeliveryTimeout bounds one webhook POST, connection to response.
const DeliveryTimeout = 10 * time.Second

// maxResponse is how much of a receiver's answer is read (and at most 300
// characters of it kept in the log).
const maxResponse = 4 << 10

// Options configures the service.
type Options struct {
	Store  *store.Store
	Box    *secret.Box
	Mailer Mailer // nil: SMTP not configured (e-mails stay held)
	// Transport carries the webhook POSTs; nil: a transport that only
	// connects to public addresses. Tests pass the TLS test server's.
	Transport http.RoundTripper
	// Resolver checks a webhook's host when it is saved. nil: the system
	// resolver, unless a Transport is given — that transport then decides
	// where POSTs may go, and saving does not resolve.
	Resolver Resolver
}

// Service sends e-mails and webhook deliveries and manages webhooks.
type Service struct {
	store    *store.Store
	box      *secret.Box
	mailer   Mailer
	client   *http.Client
	resolver Resolver
}

// New builds the service.
func New(o Options) *Service {
	tr, res := o.Transport, o.Resolver
	if tr == nil {
		tr = publicTransport()
		if res == nil {
			res = net.DefaultResolver
		}
	}
	return &Service{
		store: o.Store, box: o.Box, mailer: o.Mailer, resolver: res,
		client: &http.Client{
			Transport: tr,
			Timeout:   DeliveryTimeout,
			// A redirect is an answer like any other non-2xx: not followed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// MailConfigured reports whether e-mails are sent (SMTP configured).
func (s *Service) MailConfigured() bool { return s.mailer != nil }

// SendEmail sends one outbox e-mail and records the result; an error makes
// the job retry. Sent and held e-mails are left alone.
func (s *Service) SendEmail(ctx context.Context, id int64) error {
	e, err := s.store.FindEmail(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.ENOTFOUND) {
			return nil
		}
		return err
	}
	if e.Status == model.EmailSent || e.Status == model.EmailHeld || s.mailer == nil {
		return nil
	}
	sendErr := s.mailer.Send(ctx, e.ToAddr, e.Subject, e.Body)
	if err := s.store.RecordEmailAttempt(ctx, id, sendErr); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

// WebhookSaved is the result of saving a webhook: Secret is set only when it
// was generated (creation or rotation) and is shown this once.
type WebhookSaved struct {
	Webhook *model.Webhook
	Secret  string
	Created bool
}

// SaveWebhook registers or updates the supplier's webhook. A new webhook
// gets a signing secret; rotate replaces the secret of an existing one.
// active pauses (false) or resumes (true) the deliveries; nil keeps the
// webhook as it is (a new one is active).
func (s *Service) SaveWebhook(ctx context.Context, supplierID int64, rawURL string, events []string, rotate bool, active *bool) (*WebhookSaved, error) {
	u, uerr := CheckURL(rawURL)
	ev, eerr := CheckEvents(events)
	if uerr != nil || eerr != nil {
		var details []apperr.Detail
		details = append(details, apperr.Details(uerr)...)
		details = append(details, apperr.Details(eerr)...)
		return nil, apperr.Invalid("Revise os campos do webhook.", details...)
	}
	if err := s.checkHost(ctx, u); err != nil {
		return nil, err
	}
	wh, err := s.store.FindWebhookOfSupplier(ctx, supplierID)
	created := false
	switch {
	case apperr.Is(err, apperr.ENOTFOUND):
		wh, created, rotate = &model.Webhook{SupplierID: supplierID, Active: true}, true, true
	case err != nil:
		return nil, err
	}
	wh.URL, wh.Events = u, strings.Join(ev, ",")
	if active != nil {
		wh.Active = *active
	}
	out := &WebhookSaved{Webhook: wh, Created: created}
	if rotate {
		if out.Secret, err = newSecret(); err != nil {
			return nil, err
		}
		if wh.SecretSealed, err = s.box.Seal(out.Secret); err != nil {
			return nil, err
		}
	}
	if err := s.store.SaveWebhook(ctx, wh, rotate); err != nil {
		return nil, err
	}
	return out, nil
}

// RotateSecret replaces the supplier's signing secret and returns the new one.
func (s *Service) RotateSecret(ctx context.Context, supplierID int64) (string, error) {
	wh, err := s.store.FindWebhookOfSupplier(ctx, supplierID)
	if err != nil {
		return "", err
	}
	saved, err := s.SaveWebhook(ctx, supplierID, wh.URL, wh.EventList(), true, nil)
	if err != nil {
		return "", err
	}
	return saved.Secret, nil
}

// DeliverWebhook makes one attempt of a delivery and logs it; an error
// (no 2xx answer) makes the job retry with backoff. Delivered deliveries and
// those of a removed webhook are not sent again.
func (s *Service) DeliverWebhook(ctx context.Context, id int64) error {
	d, err := s.store.FindDelivery(ctx, nil, id)
	if err != nil {
		if apperr.Is(err, apperr.ENOTFOUND) {
			return nil
		}
		return err
	}
	if d.Status == model.DeliveryDelivered {
		return nil
	}
	wh, err := s.store.FindWebhook(ctx, d.WebhookID)
	if err != nil {
		if apperr.Is(err, apperr.ENOTFOUND) {
			return nil
		}
		return err
	}
	key, err := s.box.Open(wh.SecretSealed)
	if err != nil {
		return fmt.Errorf("segredo do webhook ilegível: %w", err)
	}
	body, err := Body(d)
	if err != nil {
		return err
	}
	at, began := s.store.Now(), time.Now()
	ts := at.Unix()
	a := &model.WebhookAttempt{DeliveryID: d.ID, AttemptedAt: at}
	status, excerpt, sendErr := s.post(ctx, wh.URL, d, ts, body, key)
	a.DurationMS = time.Since(began).Milliseconds()
	a.StatusCode, a.Response = status, excerpt
	delivered := sendErr == nil && status >= 200 && status < 300
	switch {
	case sendErr != nil:
		a.Error = deliveryError(sendErr)
	case !delivered:
		a.Error = fmt.Sprintf("resposta HTTP %d", status)
	}
	if err := s.store.RecordWebhookAttempt(ctx, a, delivered); err != nil {
		return err
	}
	if !delivered {
		return fmt.Errorf("webhook %s: %s", wh.URL, a.Error)
	}
	return nil
}

func (s *Service) post(ctx context.Context, url string, d *model.WebhookDelivery, ts int64, body []byte, key string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, DeliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ConnectParts-Portal-Webhook/1")
	req.Header.Set(HeaderEvent, d.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(d.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(key, ts, body))
	res, err := s.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
			return 0, "", fmt.Errorf("sem resposta em %s", DeliveryTimeout)
		}
		return 0, "", err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, maxResponse))
	return res.StatusCode, excerpt(raw, 300), nil
}

// excerpt is the start of a response body as valid UTF-8 text.
func excerpt(b []byte, n int) string {
	s := strings.ToValidUTF8(string(b), "�")
	if utf8.RuneCountInString(s) <= n {
		return strings.TrimSpace(s)
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}
