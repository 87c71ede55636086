package web_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// fakeDNS answers from a table, as a supplier's DNS could.
type fakeDNS map[string]string

func (f fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := f[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, Server: "10.0.0.2:53", IsNotFound: true}
}

func TestWebhookToInternalAddressRefusedWhenSaved(t *testing.T) {
	dns := fakeDNS{"erp.fornecedor.example": "203.0.113.10", "erp.interno.example": "10.20.0.5", "metadata.example": "169.254.169.254", "localhost": "127.0.0.1"}
	env := apptest.New(t, apptest.Options{App: func(o *app.Options) { o.WebhookResolver = dns }})
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	tok := env.Token(env.User("a@paulista.test", model.RoleSupplier, sup))
	put := func(u string) *apptest.Response {
		return env.API(tok, http.MethodPut, "/api/v1/webhook", strings.NewReader(`{"url":"`+u+`","events":["purchase_order.created"]}`), "application/json")
	}
	for _, u := range []string{"https://erp.interno.example/hook", "https://metadata.example/latest", "https://localhost:8443/", "https://127.0.0.1/", "https://[::1]/", "https://[fd00::1]/"} {
		res := put(u)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "rede interna") {
			t.Errorf("%s: %d %s", u, res.Status, res.Body)
		}
	}
	if res := put("https://nao-existe.example/hook"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "DNS") || strings.Contains(res.Body, "10.0.0.2") {
		t.Errorf("unknown host: %d %s", res.Status, res.Body)
	}
	if res := put("https://erp.fornecedor.example/hook"); res.Status != http.StatusOK && res.Status != http.StatusCreated {
		t.Fatalf("public host: %d %s", res.Status, res.Body)
	}
}

// A host that resolved to a public address when saved and to an internal one
// when delivering (DNS rebinding) is refused on connection, and the delivery
// log the supplier reads names neither the address nor the port tried.
func TestWebhookDeliveryLogHidesInternalAddresses(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	env := apptest.New(t, apptest.Options{App: func(o *app.Options) { o.WebhookResolver = fakeDNS{"localhost": "203.0.113.10"} }})
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	tok := env.Token(env.User("a@paulista.test", model.RoleSupplier, sup))
	res := env.API(tok, http.MethodPut, "/api/v1/webhook", strings.NewReader(`{"url":"https://localhost:`+port+`/hook","events":["purchase_order.created"]}`), "application/json")
	if res.Status != http.StatusOK && res.Status != http.StatusCreated {
		t.Fatalf("save: %d %s", res.Status, res.Body)
	}
	id, err := env.App.Store.QueuePing(env.Ctx, sup.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.App.Notify.DeliverWebhook(env.Ctx, id); err == nil {
		t.Fatal("delivered to loopback")
	}
	attempts, err := env.App.Store.ListAttempts(env.Ctx, id)
	if err != nil || len(attempts) != 1 {
		t.Fatalf("attempts: %v %v", attempts, err)
	}
	got := attempts[0].Error
	if !strings.Contains(got, "rede interna") || strings.Contains(got, "127.0.0.1") || strings.Contains(got, port) || strings.Contains(got, "::1") {
		t.Fatalf("delivery log says %q", got)
	}
}
