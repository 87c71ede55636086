package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// smtpServer is a real SMTP server on localhost (go-smtp) that requires
// PLAIN authentication and keeps what it receives.
type smtpServer struct {
	addr string
	mu   sync.Mutex
	msgs []smtpMessage
}

type smtpMessage struct {
	user, from string
	to         []string
	data       []byte
}

type smtpSession struct {
	srv *smtpServer
	msg smtpMessage
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != "portal" || pass != "s3nha" {
			return errors.New("invalid credentials")
		}
		s.msg.user = user
		return nil
	}), nil
}
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.msg.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := s.msg
	m.data = b
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, m)
	s.srv.mu.Unlock()
	return nil
}
func (s *smtpSession) Reset()        { s.msg = smtpMessage{user: s.msg.user} }
func (s *smtpSession) Logout() error { return nil }

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ss := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: ss}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ss.addr = ln.Addr().String()
	go srv.Serve(ln) //nolint:errcheck
	t.Cleanup(func() { srv.Close() })
	return ss
}

func (s *smtpServer) messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.msgs...)
}

// decoded returns the subject and the plain-text body of a message.
func decoded(t *testing.T, raw []byte) (string, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}

// poEvent is a PO event as the purchasing service publishes it.
func poEvent(kind string, sup *model.Supplier, number string) model.Event {
	return model.Event{
		Kind: kind, Audience: model.Audience{SupplierID: &sup.ID}, SupplierID: &sup.ID,
		Message: "Novo pedido de compra " + number + " para você.", Link: "/purchase-orders/" + number,
		Data: map[string]any{"purchase_order": map[string]any{"number": number, "status": "awaiting_supplier"}},
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// With SMTP configured, a published event reaches a real SMTP server through
// the River job: recipient, subject and body, and the outbox says sent.
func TestEmailSentOverSMTP(t *testing.T) {
	mailSrv := newSMTPServer(t)
	env := apptest.New(t, apptest.Options{Work: true, Config: func(c *config.Config) {
		// No TLS on the test server: PLAIN is allowed in clear text to localhost only.
		c.SMTPURL = "smtp://portal:s3nha@" + mailSrv.addr + "?auth=plain"
		c.MailFrom = "ConnectParts <portal@connectparts.test>"
		c.BaseURL = "https://portal.connectparts.test"
	}})
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	env.User("joao@paulista.test", model.RoleSupplier, sup)
	if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPOCreated, sup, "PC-000042")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the e-mail to reach the SMTP server", func() bool {
		if list, _, _ := env.App.Store.SearchEmails(env.Ctx, store.EmailFilter{}, store.Page{}); len(list) > 0 && list[0].LastError != "" {
			t.Fatalf("sending failed: %s", list[0].LastError)
		}
		return len(mailSrv.messages()) > 0
	})
	msgs := mailSrv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.user != "portal" || m.from != "portal@connectparts.test" || len(m.to) != 1 || m.to[0] != "joao@paulista.test" {
		t.Fatalf("envelope: %+v", m)
	}
	subject, body := decoded(t, m.data)
	if subject != "ConnectParts: Novo pedido de compra — PC-000042" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{"Olá, joao,", "Novo pedido de compra PC-000042 para você.", "Acesse: https://portal.connectparts.test/purchase-orders/PC-000042"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	waitFor(t, "the outbox to record the e-mail sent", func() bool {
		list, _, err := env.App.Store.SearchEmails(env.Ctx, store.EmailFilter{Status: model.EmailSent}, store.Page{})
		return err == nil && len(list) == 1 && list[0].Attempts == 1 && list[0].SentAt != nil
	})
}

// E-mails held while SMTP was not configured are sent from the outbox once it
// is: one by one or all at once, through the job to a real SMTP server.
func TestOutboxResendsHeldEmails(t *testing.T) {
	mailSrv := newSMTPServer(t)
	env := apptest.New(t, apptest.Options{Work: true, Config: func(c *config.Config) {
		c.SMTPURL = "smtp://portal:s3nha@" + mailSrv.addr + "?auth=plain"
		c.MailFrom = "portal@connectparts.test"
	}})
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	env.User("joao@paulista.test", model.RoleSupplier, sup)
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	// Two e-mails, sent; then set back to held, the status a portal without
	// PORTAL_SMTP_URL writes (and queues no job for).
	db := env.App.DB.Gorm
	for _, n := range []string{"PC-000042", "PC-000043"} {
		if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPOCreated, sup, n)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the first two e-mails sent and their jobs finished", func() bool {
		res, err := env.App.Jobs.River().JobList(context.Background(),
			river.NewJobListParams().Kinds("send_email").States(rivertype.JobStateCompleted).First(10))
		return err == nil && len(res.Jobs) == 2 && len(mailSrv.messages()) == 2
	})
	if err := db.Exec("UPDATE email_outbox SET status = ?, sent_at = NULL", model.EmailHeld).Error; err != nil {
		t.Fatal(err)
	}
	held, _, _ := env.App.Store.SearchEmails(env.Ctx, store.EmailFilter{Status: model.EmailHeld}, store.Page{})
	if len(held) != 2 {
		t.Fatalf("%d held e-mails", len(held))
	}

	admin := env.Login("admin@connectparts.test")
	page := "/admin/outbox/" + strconv.FormatInt(held[0].ID, 10)
	admin.Get(page)
	if res := admin.Submit("/admin/outbox/resend", url.Values{"id": {strconv.FormatInt(held[0].ID, 10)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("resend one: %d", res.Status)
	}
	waitFor(t, "the resent e-mail", func() bool { return len(mailSrv.messages()) == 3 })
	if res := admin.Submit("/admin/outbox/resend", url.Values{"id": {strconv.FormatInt(held[0].ID, 10)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("resend a sent e-mail: %d", res.Status)
	} else if got := admin.Get(res.Location()).Text("[data-testid=flash-error]"); !strings.Contains(got, "Só um e-mail retido") {
		t.Errorf("resending a sent e-mail: %q", got)
	}
	admin.Get("/admin/outbox")
	if res := admin.Submit("/admin/outbox/resend", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("resend held: %d", res.Status)
	}
	waitFor(t, "every held e-mail sent", func() bool {
		list, _, _ := env.App.Store.SearchEmails(env.Ctx, store.EmailFilter{Status: model.EmailSent}, store.Page{})
		return len(list) == 2 && len(mailSrv.messages()) == 4
	})
}

// Without SMTP the e-mail is held in the outbox, with no job, and staff see
// it on "E-mails enviados"; suppliers do not reach the page.
func TestOutboxHoldsEmailsWithoutSMTP(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	env.User("joao@paulista.test", model.RoleSupplier, sup)
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPOCreated, sup, "PC-000042")); err != nil {
		t.Fatal(err)
	}
	if n := jobCount(t, env, "send_email"); n != 0 {
		t.Fatalf("%d send_email jobs without SMTP", n)
	}
	admin := env.Login("admin@connectparts.test")
	res := admin.Get("/admin/outbox")
	if res.Status != 200 || res.Doc.Find("[data-testid=smtp-unset]").Length() != 1 {
		t.Fatalf("outbox: %d", res.Status)
	}
	rows := res.Doc.Find("[data-testid=outbox-row]")
	if rows.Length() != 1 || rows.AttrOr("data-status", "") != model.EmailHeld ||
		!strings.Contains(rows.Text(), "joao@paulista.test") || !strings.Contains(rows.Text(), "Não enviado — SMTP não configurado") {
		t.Fatalf("outbox rows: %d %q", rows.Length(), rows.Text())
	}
	if n := admin.Get("/admin/outbox?status=sent").Doc.Find("[data-testid=outbox-row]").Length(); n != 0 {
		t.Fatalf("status filter: %d rows", n)
	}
	if n := admin.Get("/admin/outbox?kind=" + url.QueryEscape(model.EventPOBilled)).Doc.Find("[data-testid=outbox-row]").Length(); n != 0 {
		t.Fatalf("kind filter: %d rows", n)
	}
	href, _ := rows.Find("a").Attr("href")
	page := admin.Get(href)
	if page.Status != 200 || page.Text("[data-testid=email-to]") != "joao@paulista.test" ||
		!strings.Contains(page.Text("[data-testid=email-body]"), "http://localhost:8080/purchase-orders/PC-000042") {
		t.Fatalf("e-mail page: %d %q", page.Status, page.Text("[data-testid=email-body]"))
	}
	if res := admin.Submit("/admin/outbox/resend", nil); res.Status != http.StatusSeeOther ||
		!strings.Contains(admin.Get(res.Location()).Text("[data-testid=flash-error]"), "não está configurado") {
		t.Fatalf("resend without SMTP: %d", res.Status)
	}
	if n := jobCount(t, env, "send_email"); n != 0 {
		t.Fatalf("%d send_email jobs after a resend without SMTP", n)
	}
	if res := env.Login("joao@paulista.test").Get("/admin/outbox"); res.Status != http.StatusForbidden {
		t.Fatalf("supplier on the outbox: %d", res.Status)
	}
}

// receiver is a supplier's HTTPS endpoint that checks signatures with the
// secret it was given and answers with the scripted statuses.
type receiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	secret   string
	statuses []int
	got      []receivedRequest
}

type receivedRequest struct {
	header   http.Header
	body     []byte
	verified bool
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		mac := hmac.New(sha256.New, []byte(r.secret))
		mac.Write([]byte(req.Header.Get("X-Portal-Timestamp") + "."))
		mac.Write(body)
		ok := r.secret != "" && hmac.Equal([]byte("sha256="+hex.EncodeToString(mac.Sum(nil))), []byte(req.Header.Get("X-Portal-Signature")))
		r.got = append(r.got, receivedRequest{header: req.Header.Clone(), body: body, verified: ok})
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("recebido " + strconv.Itoa(status)))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []receivedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedRequest(nil), r.got...)
}

type webhookFixture struct {
	env        *apptest.Env
	rcv        *receiver
	a, b       *model.Supplier
	tokA, tokB string
}

func newWebhookFixture(t *testing.T, work bool, statuses ...int) *webhookFixture {
	rcv := newReceiver(t, statuses...)
	env := apptest.New(t, apptest.Options{Work: work, App: func(o *app.Options) { o.WebhookTransport = rcv.srv.Client().Transport }})
	f := &webhookFixture{env: env, rcv: rcv, a: env.Supplier("11222333000181", "Paulista Autopeças"), b: env.Supplier("11444777000161", "Freios & Cia")}
	f.tokA = env.Token(env.User("a@paulista.test", model.RoleSupplier, f.a))
	f.tokB = env.Token(env.User("b@freios.test", model.RoleSupplier, f.b))
	return f
}

// register signs supplier A's user in and registers the receiver through
// the page; it returns the browser and the secret shown once.
func (f *webhookFixture) register(t *testing.T) (*apptest.Browser, string) {
	t.Helper()
	br := f.env.Login("a@paulista.test")
	br.Get("/webhooks")
	res := br.Submit("/webhooks", url.Values{"url": {f.rcv.srv.URL + "/hook"}, "events": {model.EventPOCreated, model.EventPOBilled}})
	secret := res.Doc.Find("[data-testid=secret-value]").AttrOr("value", "")
	if res.Status != 200 || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("register: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	f.rcv.mu.Lock()
	f.rcv.secret = secret
	f.rcv.mu.Unlock()
	return br, secret
}

// The supplier registers an HTTPS endpoint (http:// refused), gets the
// secret once (stored sealed), and an event is POSTed signed; two 500s then a
// 200 leave the delivery delivered after 3 attempts, each in the log, the
// second retried with "Reenviar agora".
func TestWebhookDeliveryEndToEnd(t *testing.T) {
	f := newWebhookFixture(t, false, 500, 500, 200)
	env := f.env
	br := env.Login("a@paulista.test")
	br.Get("/webhooks")
	res := br.Submit("/webhooks", url.Values{"url": {"http://erp.paulista.test/hook"}, "events": {model.EventPOCreated}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "precisa usar https://") {
		t.Fatalf("http:// URL: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	if _, err := env.App.Store.FindWebhookOfSupplier(env.Ctx, f.a.ID); err == nil {
		t.Fatal("a refused webhook was saved")
	}
	br, secret := f.register(t)
	wh, err := env.App.Store.FindWebhookOfSupplier(env.Ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(wh.SecretSealed, "v1:") || strings.Contains(wh.SecretSealed, strings.TrimPrefix(secret, "whsec_")) {
		t.Fatalf("secret not sealed: %q", wh.SecretSealed)
	}
	if page := br.Get("/webhooks"); strings.Contains(page.Body, secret) {
		t.Fatal("the secret is shown again on the webhook page")
	}

	jobsBefore := jobCount(t, env, "deliver_webhook")
	if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPOCreated, f.a, "PC-000042")); err != nil {
		t.Fatal(err)
	}
	if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPODeadlineNear, f.a, "PC-000042")); err != nil { // not subscribed
		t.Fatal(err)
	}
	if n := jobCount(t, env, "deliver_webhook"); n != jobsBefore+1 {
		t.Fatalf("deliver_webhook jobs: %d, want %d", n, jobsBefore+1)
	}
	list, _, err := env.App.Store.ListDeliveries(env.Ctx, f.a.ID, store.Page{})
	if err != nil || len(list) != 1 {
		t.Fatalf("deliveries: %v %d", err, len(list))
	}
	id := list[0].ID

	// The job's attempts, as River would run them.
	if err := env.App.Notify.DeliverWebhook(env.Ctx, id); err == nil {
		t.Fatal("a 500 answer counted as delivered")
	}
	if err := env.App.Notify.DeliverWebhook(env.Ctx, id); err == nil {
		t.Fatal("a 500 answer counted as delivered")
	}
	path := "/webhooks/deliveries/" + strconv.FormatInt(id, 10)
	page := br.Get(path)
	if page.Text("[data-testid=delivery-status]") != "Falhou" || page.Doc.Find("[data-testid=attempt-row]").Length() != 2 {
		t.Fatalf("after two failures: %q, %d attempts", page.Text("[data-testid=delivery-status]"), page.Doc.Find("[data-testid=attempt-row]").Length())
	}
	if res := br.Submit(path+"/retry", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("retry now: %d", res.Status)
	}
	if n := jobCount(t, env, "deliver_webhook"); n != jobsBefore+2 {
		t.Fatalf("retry now queued %d jobs", n-jobsBefore-1)
	}
	if err := env.App.Notify.DeliverWebhook(env.Ctx, id); err != nil {
		t.Fatalf("third attempt: %v", err)
	}
	if err := env.App.Notify.DeliverWebhook(env.Ctx, id); err != nil { // delivered: not sent again
		t.Fatal(err)
	}

	got := f.rcv.requests()
	if len(got) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(got))
	}
	for i, r := range got {
		if !r.verified {
			t.Errorf("request %d: signature does not verify with the secret shown once", i+1)
		}
		if r.header.Get("Content-Type") != "application/json" || r.header.Get("X-Portal-Event") != model.EventPOCreated ||
			r.header.Get("X-Portal-Delivery") != strconv.FormatInt(id, 10) {
			t.Errorf("request %d headers: %v", i+1, r.header)
		}
		ts, err := strconv.ParseInt(r.header.Get("X-Portal-Timestamp"), 10, 64)
		if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
			t.Errorf("request %d timestamp %q", i+1, r.header.Get("X-Portal-Timestamp"))
		}
	}
	var body struct {
		ID         int64  `json:"id"`
		Event      string `json:"event"`
		OccurredAt string `json:"occurred_at"`
		Message    string `json:"message"`
		Link       string `json:"link"`
		Data       struct {
			PurchaseOrder struct {
				Number string `json:"number"`
			} `json:"purchase_order"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got[2].body, &body); err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse(time.RFC3339, body.OccurredAt); err != nil || body.ID != id || body.Event != model.EventPOCreated ||
		body.Link != "http://localhost:8080/purchase-orders/PC-000042" || body.Data.PurchaseOrder.Number != "PC-000042" || body.Message == "" {
		t.Fatalf("payload: %s", got[2].body)
	}

	page = br.Get(path)
	rows := page.Doc.Find("[data-testid=attempt-row]")
	if page.Text("[data-testid=delivery-status]") != "Entregue" || rows.Length() != 3 {
		t.Fatalf("log: %q, %d attempts", page.Text("[data-testid=delivery-status]"), rows.Length())
	}
	for i, want := range []string{"500", "500", "200"} {
		if !strings.Contains(rows.Eq(i).Text(), want) {
			t.Errorf("attempt %d: %q, want HTTP %s", i+1, rows.Eq(i).Text(), want)
		}
	}
	if !strings.Contains(rows.Eq(0).Text(), "recebido 500") {
		t.Errorf("attempt 1 lacks the response excerpt: %q", rows.Eq(0).Text())
	}
	if d, _ := env.App.Store.FindDelivery(env.Ctx, nil, id); d.Attempts != 3 || d.Status != model.DeliveryDelivered || d.DeliveredAt == nil {
		t.Fatalf("delivery: %+v", d)
	}
}

// With workers running, "Enviar evento de teste" reaches the endpoint
// through the River job.
func TestWebhookPingThroughTheJob(t *testing.T) {
	f := newWebhookFixture(t, true)
	br, _ := f.register(t)
	if res := br.Submit("/webhooks/test", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("test event: %d", res.Status)
	}
	waitFor(t, "the ping to be delivered", func() bool {
		list, _, err := f.env.App.Store.ListDeliveries(f.env.Ctx, f.a.ID, store.Page{})
		return err == nil && len(list) == 1 && list[0].Status == model.DeliveryDelivered
	})
	got := f.rcv.requests()
	if len(got) != 1 || got[0].header.Get("X-Portal-Event") != model.EventPing || !got[0].verified {
		t.Fatalf("ping: %d requests", len(got))
	}
}

// A supplier sees and manages only its own webhook and deliveries, on the
// page and through the API; staff read every webhook on /admin/webhooks.
func TestWebhookSupplierIsolation(t *testing.T) {
	f := newWebhookFixture(t, false, 500)
	env := f.env
	f.register(t)
	if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPOCreated, f.a, "PC-000042")); err != nil {
		t.Fatal(err)
	}
	list, _, _ := env.App.Store.ListDeliveries(env.Ctx, f.a.ID, store.Page{})
	if len(list) != 1 {
		t.Fatalf("deliveries: %d", len(list))
	}
	_ = env.App.Notify.DeliverWebhook(env.Ctx, list[0].ID) // fails: retry possible
	path := "/webhooks/deliveries/" + strconv.FormatInt(list[0].ID, 10)

	b := env.Login("b@freios.test")
	page := b.Get("/webhooks")
	b.Get("/webhooks")
	if page.Status != 200 || strings.Contains(page.Body, f.rcv.srv.URL) || page.Doc.Find("[data-testid=delivery-row]").Length() != 0 {
		t.Fatalf("B's webhook page shows A's webhook: %d", page.Status)
	}
	if res := b.Get(path); res.Status != http.StatusNotFound {
		t.Fatalf("B on A's delivery: %d", res.Status)
	}
	if res := b.Submit(path+"/retry", nil); res.Status != http.StatusNotFound {
		t.Fatalf("B retrying A's delivery: %d", res.Status)
	}
	if d, _ := env.App.Store.FindDelivery(env.Ctx, nil, list[0].ID); d.Status != model.DeliveryFailed {
		t.Fatalf("B's retry changed A's delivery: %s", d.Status)
	}

	if res := env.API(f.tokB, "GET", "/api/v1/webhook", nil, ""); res.Status != http.StatusNotFound {
		t.Fatalf("B's API webhook: %d %s", res.Status, res.Body)
	}
	if res := env.API(f.tokB, "DELETE", "/api/v1/webhook", nil, ""); res.Status != http.StatusNotFound {
		t.Fatalf("B deleting: %d", res.Status)
	}
	res := env.API(f.tokA, "GET", "/api/v1/webhook", nil, "")
	if res.Status != 200 || !strings.Contains(res.Body, f.rcv.srv.URL+"/hook") || strings.Contains(res.Body, "secret\"") {
		t.Fatalf("A's API webhook: %d %s", res.Status, res.Body)
	}
	res = env.API(f.tokB, "PUT", "/api/v1/webhook", strings.NewReader(`{"url": "http://erp.freios.test/h", "events": ["purchase_order.created"]}`), "application/json")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "https://") {
		t.Fatalf("API http:// URL: %d %s", res.Status, res.Body)
	}
	res = env.API(f.tokB, "PUT", "/api/v1/webhook", strings.NewReader(`{"url": "https://erp.freios.test/h", "events": ["purchase_order.created", "purchase_order.cancelled"]}`), "application/json")
	var created struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
		Secret string   `json:"secret"`
	}
	if res.Status != http.StatusCreated || json.Unmarshal([]byte(res.Body), &created) != nil || !strings.HasPrefix(created.Secret, "whsec_") || len(created.Events) != 2 {
		t.Fatalf("API create: %d %s", res.Status, res.Body)
	}
	res = env.API(f.tokB, "PUT", "/api/v1/webhook", strings.NewReader(`{"url": "https://erp.freios.test/h2", "events": ["purchase_order.billed"]}`), "application/json")
	if res.Status != 200 || strings.Contains(res.Body, "whsec_") {
		t.Fatalf("API update: %d %s", res.Status, res.Body)
	}
	if wa, _ := env.App.Store.FindWebhookOfSupplier(env.Ctx, f.a.ID); wa.URL != f.rcv.srv.URL+"/hook" {
		t.Fatalf("B's PUT changed A's webhook: %s", wa.URL)
	}
	staff := env.Token(env.User("compras@connectparts.test", model.RolePurchasing, nil))
	if res := env.API(staff, "GET", "/api/v1/webhook", nil, ""); res.Status != http.StatusForbidden {
		t.Fatalf("staff on /api/v1/webhook: %d", res.Status)
	}
	if res := b.Get("/admin/webhooks"); res.Status != http.StatusForbidden {
		t.Fatalf("supplier on /admin/webhooks: %d", res.Status)
	}

	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	admin := env.Login("admin@connectparts.test")
	res = admin.Get("/admin/webhooks")
	if res.Status != 200 || !strings.Contains(res.Body, "Paulista Autopeças") || !strings.Contains(res.Body, "Freios &amp; Cia") {
		t.Fatalf("admin webhooks: %d", res.Status)
	}
	wa, _ := env.App.Store.FindWebhookOfSupplier(env.Ctx, f.a.ID)
	res = admin.Get("/admin/webhooks/" + strconv.FormatInt(wa.ID, 10))
	if res.Status != 200 || res.Text("[data-testid=webhook-url]") != wa.URL || res.Doc.Find("[data-testid=delivery-row]").Length() != 1 ||
		res.Doc.Find("form[action='/webhooks']").Length() != 0 {
		t.Fatalf("admin webhook page: %d", res.Status)
	}
	if res := admin.Get("/admin/webhooks/deliveries/" + strconv.FormatInt(list[0].ID, 10)); res.Status != 200 || res.Doc.Find("[data-testid=attempt-row]").Length() != 1 {
		t.Fatalf("admin delivery page: %d", res.Status)
	}

	if res := env.API(f.tokA, "DELETE", "/api/v1/webhook", nil, ""); res.Status != http.StatusNoContent {
		t.Fatalf("A deleting: %d", res.Status)
	}
	if res := env.API(f.tokA, "GET", "/api/v1/webhook", nil, ""); res.Status != http.StatusNotFound {
		t.Fatalf("after delete: %d", res.Status)
	}
	if _, n, _ := env.App.Store.ListDeliveries(env.Ctx, f.a.ID, store.Page{}); n != 0 {
		t.Fatalf("deliveries left after delete: %d", n)
	}
	if _, err := env.App.Store.FindWebhookOfSupplier(env.Ctx, f.b.ID); err != nil {
		t.Fatalf("A's delete removed B's webhook: %v", err)
	}
}

// A supplier pauses its webhook (page or API): events published meanwhile
// make no delivery; resumed, they do again.
func TestWebhookPausedMakesNoDelivery(t *testing.T) {
	f := newWebhookFixture(t, false, 200)
	env := f.env
	br, _ := f.register(t)
	deliveries := func() int {
		list, _, err := env.App.Store.ListDeliveries(env.Ctx, f.a.ID, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	publish := func(n string) {
		if err := env.App.Store.Publish(env.Ctx, poEvent(model.EventPOCreated, f.a, n)); err != nil {
			t.Fatal(err)
		}
	}

	// Paused on the page: the box unchecked.
	if page := br.Get("/webhooks"); page.Doc.Find("[data-testid=webhook-active]:checked").Length() != 1 {
		t.Fatal("a new webhook is not shown active")
	}
	res := br.Submit("/webhooks", url.Values{"url": {f.rcv.srv.URL + "/hook"}, "events": {model.EventPOCreated}, "active_shown": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("pause: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	if page := br.Get("/webhooks"); page.Doc.Find("[data-testid=webhook-active]:checked").Length() != 0 {
		t.Fatal("the page shows the paused webhook active")
	}
	publish("PC-000042")
	if n := deliveries(); n != 0 {
		t.Fatalf("%d deliveries while paused", n)
	}
	if res := env.API(f.tokA, "GET", "/api/v1/webhook", nil, ""); !strings.Contains(res.Body, `"active":false`) {
		t.Fatalf("API after pause: %s", res.Body)
	}

	// Resumed through the API.
	res = env.API(f.tokA, "PUT", "/api/v1/webhook", strings.NewReader(`{"url": "`+f.rcv.srv.URL+`/hook", "events": ["purchase_order.created"], "active": true}`), "application/json")
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `"active":true`) {
		t.Fatalf("resume: %d %s", res.Status, res.Body)
	}
	publish("PC-000043")
	if n := deliveries(); n != 1 {
		t.Fatalf("%d deliveries after resuming, want 1", n)
	}
}
