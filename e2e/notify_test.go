package e2e_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// A supplier registers its webhook in the browser (http:// refused), copies
// the secret shown once, sends the test event and sees it delivered in the
// log; the admin finds the held e-mails in "E-mails enviados".
func TestBrowserWebhookAndOutbox(t *testing.T) {
	var (
		mu  sync.Mutex
		got []http.Header
	)
	rcv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rcv.Close()
	env := apptest.New(t, apptest.Options{Work: true, App: func(o *app.Options) { o.WebhookTransport = rcv.Client().Transport }})
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	env.User("fornecedor@paulista.example", model.RoleSupplier, sup)
	env.User("admin@cp.example", model.RoleAdmin, nil)

	b := newBrowser(t, env)
	b.login("fornecedor@paulista.example", apptest.Password)
	b.visit("/webhooks")
	b.run(fill("#f-url", "http://erp.paulista.example/hook"))
	b.submit("[data-testid=webhook-save]")
	if msg := b.text("#e-url"); !strings.Contains(msg, "https://") {
		t.Fatalf("http:// URL message: %q", msg)
	}
	b.shot("webhook-http-refused")
	b.run(fill("#f-url", rcv.URL+"/hook"))
	b.submit("[data-testid=webhook-save]")
	// The secret's page may still be replacing the form's: wait for the node
	// before reading it (reading at once raced the navigation on PostgreSQL).
	b.run(chromedp.WaitVisible(chromedp.CSS("[data-testid=secret-value]")))
	secret, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("[data-testid=secret-value]")))
	if err != nil || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret shown once: %q %v", secret, err)
	}
	b.shot("webhook-secret")
	b.visit("/webhooks")
	b.submit("[data-testid=webhook-test]")
	deadline := time.Now().Add(20 * time.Second)
	for {
		list, _, err := env.App.Store.ListDeliveries(env.Ctx, sup.ID, store.Page{})
		if err == nil && len(list) == 1 && list[0].Status == model.DeliveryDelivered {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the test event was not delivered")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.visit("/webhooks")
	if s := b.text("[data-testid=delivery-row]"); !strings.Contains(s, "ping") || !strings.Contains(s, "Entregue") || !strings.Contains(s, "HTTP 204") {
		t.Fatalf("delivery row: %q", s)
	}
	b.shot("webhook-delivered")
	mu.Lock()
	if len(got) != 1 || got[0].Get("X-Portal-Event") != "ping" || !strings.HasPrefix(got[0].Get("X-Portal-Signature"), "sha256=") {
		t.Fatalf("receiver: %v", got)
	}
	mu.Unlock()

	if err := env.App.Store.Publish(env.Ctx, model.Event{Kind: model.EventPOCreated, Audience: model.Audience{SupplierID: &sup.ID},
		Message: "Novo pedido de compra PC-000001.", Link: "/purchase-orders/PC-000001"}); err != nil {
		t.Fatal(err)
	}
	t.Run("admin", func(t *testing.T) { // its own browser and screenshot folder
		a := newBrowser(t, env)
		a.login("admin@cp.example", apptest.Password)
		a.run(chromedp.Click(chromedp.CSS("[data-testid=admin-menu]")))
		a.submit("[data-testid=nav-outbox]")
		if s := a.text("[data-testid=outbox-row]"); !strings.Contains(s, "fornecedor@paulista.example") || !strings.Contains(s, "SMTP não configurado") {
			t.Fatalf("outbox row: %q", s)
		}
		a.shot("outbox")
	})
}
