package notify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

func TestSignAndVerify(t *testing.T) {
	body := []byte(`{"id":1,"event":"ping"}`)
	now := time.Unix(1_790_000_000, 0)
	sig := Sign("whsec_abc", now.Unix(), body)
	// printf '%s' '1790000000.{"id":1,"event":"ping"}' | openssl dgst -sha256 -hmac whsec_abc
	if want := "sha256=6aaabc92970f416673d3d03ba72e2e8814fd75c2f3cb8f87e609bc9db2e820e0"; sig != want {
		t.Fatalf("signature %q, want %q", sig, want)
	}
	ts := "1790000000"
	if !Verify("whsec_abc", ts, sig, body, now, 5*time.Minute) {
		t.Fatal("a good signature does not verify")
	}
	for name, ok := range map[string]bool{
		"other secret": Verify("whsec_abd", ts, sig, body, now, 5*time.Minute),
		"tampered":     Verify("whsec_abc", ts, sig, []byte(`{"id":2,"event":"ping"}`), now, 5*time.Minute),
		"other time":   Verify("whsec_abc", "1790000001", sig, body, now, 5*time.Minute),
		"replayed":     Verify("whsec_abc", ts, sig, body, now.Add(6*time.Minute), 5*time.Minute),
	} {
		if ok {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestCheckURL(t *testing.T) {
	if u, err := CheckURL("  https://erp.exemplo.com.br/hooks/cp#x "); err != nil || u != "https://erp.exemplo.com.br/hooks/cp" {
		t.Fatalf("https URL: %q %v", u, err)
	}
	for raw, want := range map[string]string{
		"http://erp.exemplo.com.br/h":        "precisa usar https://",
		"https://user:pw@erp.exemplo.com.br": "usuário e senha",
		"erp.exemplo.com.br/h":               "URL completa",
		"":                                   "Informe",
		"ftp://erp.exemplo.com.br":           "URL completa",
	} {
		_, err := CheckURL(raw)
		if !apperr.Is(err, apperr.EINVALID) || !strings.Contains(apperr.Message(err), want) {
			t.Errorf("%q: %v, want %q", raw, err, want)
		}
	}
	if ev, err := CheckEvents([]string{model.EventPODeadlineNear, model.EventPOCreated}); err != nil || len(ev) != 2 || ev[0] != model.EventPOCreated {
		t.Errorf("events: %v %v", ev, err)
	}
	for _, bad := range [][]string{nil, {"purchase_order.deleted"}, {model.EventPing}} {
		if _, err := CheckEvents(bad); !apperr.Is(err, apperr.EINVALID) {
			t.Errorf("events %v accepted", bad)
		}
	}
}

// The production transport never connects to the portal's own networks.
func TestPublicTransportRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := &http.Client{Transport: publicTransport()}
	_, err := c.Get(srv.URL)
	if err == nil || !strings.Contains(err.Error(), "não permitido") {
		t.Fatalf("loopback reached: %v", err)
	}
	for addr, allowed := range map[string]bool{
		"8.8.8.8:443": true, "[2001:4860:4860::8888]:443": true,
		"127.0.0.1:443": false, "10.1.2.3:443": false, "192.168.0.10:443": false, "172.16.5.4:443": false,
		"169.254.169.254:80": false, "100.64.0.1:443": false, "[::1]:443": false, "[fd00::1]:443": false,
		"[::ffff:127.0.0.1]:443": false, "0.0.0.0:443": false,
	} {
		if err := refusePrivate("tcp", addr, nil); (err == nil) != allowed {
			t.Errorf("%s: %v, allowed %v", addr, err, allowed)
		}
	}
}
