package platform_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/platformtest"
)

var t0 = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

func TestLimiterSequential(t *testing.T) {
	clock := platformtest.NewClock(t0)
	l := platform.NewLimiter(60, 3, clock) // one per second, bursts of three
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := clock.Sleeps(), []time.Duration{time.Second, time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("sleeps = %v, want %v (three free, then one per second)", got, want)
	}
	// A quiet period refills the bucket up to the burst, not beyond.
	clock.Reset()
	clock.Advance(time.Minute)
	for i := 0; i < 4; i++ {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := clock.Sleeps(), []time.Duration{time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a quiet minute: sleeps = %v, want %v", got, want)
	}
}

// frozenClock records sleeps without moving time, to see the reservations of
// requests arriving at the same instant.
type frozenClock struct {
	mu     sync.Mutex
	sleeps []time.Duration
	fail   bool
}

func (c *frozenClock) Now() time.Time { return t0 }
func (c *frozenClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if c.fail {
		return context.Canceled
	}
	return nil
}

func TestLimiterQueuesSimultaneousRequests(t *testing.T) {
	clock := &frozenClock{}
	l := platform.NewLimiter(6000, 1, clock) // the VTEX default rate: one every 10 ms
	for i := 0; i < 4; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond}
	if !reflect.DeepEqual(clock.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", clock.sleeps, want)
	}
	// A caller that gives up returns its slot: the next one waits as long as it would have.
	clock.fail = true
	if err := l.Wait(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	clock.fail = false
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := clock.sleeps[len(clock.sleeps)-2:]; !reflect.DeepEqual(got, []time.Duration{40 * time.Millisecond, 40 * time.Millisecond}) {
		t.Errorf("sleeps = %v", clock.sleeps)
	}
}

func TestLimiterDisabled(t *testing.T) {
	clock := &frozenClock{}
	l := platform.NewLimiter(0, 1, clock)
	for i := 0; i < 100; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(clock.sleeps) != 0 {
		t.Errorf("disabled limiter slept %v", clock.sleeps)
	}
}

func TestCentsFromDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"0", 0, false},
		{"50", 5000, false},
		{"129.95", 12995, false},
		{"0.1", 10, false},
		{"0.05", 5, false},
		{"1234567.89", 123456789, false},
		{"-12.5", -1250, false},
		{"14.290000000000001", 1429, false},
		{"14.289999999999999", 1429, false},
		{"0.009999999999", 1, false},
		{"1.2E+2", 12000, false},
		{"1e2", 10000, false},
		{"125e-2", 125, false},
		{"1.005", 0, true},
		{"12.345", 0, true},
		{"", 0, true},
		{"abc", 0, true},
		{"1.", 0, true},
		{".5", 0, true},
		{"1,5", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := platform.CentsFromDecimal(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("CentsFromDecimal(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		kind      platform.ErrorKind
		code      string
		retryable bool
	}{
		{platform.ErrTemporary, apperr.EUNAVAILABLE, true},
		{platform.ErrRateLimited, apperr.ERATELIMIT, true},
		{platform.ErrInvalidResponse, apperr.EUNAVAILABLE, true},
		{platform.ErrAuth, apperr.EUNAVAILABLE, false},
		{platform.ErrNotFound, apperr.ENOTFOUND, false},
		{platform.ErrRejected, apperr.EINVALID, false},
		{platform.ErrUnsupported, apperr.ECONFLICT, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			cause := errors.New("socket closed")
			e := platform.NewError(tt.kind, model.PlatformVTEX, "get_order", "Mensagem em português.", cause)
			e.RetryAfter = 3 * time.Second
			err := fmt.Errorf("sync cycle: %w", e)
			if !errors.Is(err, tt.kind) || !errors.Is(err, cause) {
				t.Errorf("errors.Is fails")
			}
			for _, other := range []platform.ErrorKind{platform.ErrTemporary, platform.ErrAuth} {
				if other != tt.kind && errors.Is(err, other) {
					t.Errorf("also matches %s", other)
				}
			}
			if platform.KindOf(err) != tt.kind || platform.Retryable(err) != tt.retryable || platform.RetryAfter(err) != 3*time.Second {
				t.Errorf("KindOf %q Retryable %v RetryAfter %v", platform.KindOf(err), platform.Retryable(err), platform.RetryAfter(err))
			}
			if apperr.Code(err) != tt.code || apperr.Message(err) != "Mensagem em português." {
				t.Errorf("apperr code %q message %q", apperr.Code(err), apperr.Message(err))
			}
		})
	}
	if platform.KindOf(context.Canceled) != "" || platform.Retryable(nil) {
		t.Error("foreign errors have no kind")
	}
}

func TestCallerCheck(t *testing.T) {
	c := platform.Caller{Platform: model.PlatformMercadoLivre}
	tests := []struct {
		status int
		body   string
		kind   platform.ErrorKind
		msg    string
	}{
		{200, "", "", ""},
		{204, "", "", ""},
		{400, `{"message":"Validation error","error":"validation_error","status":400,"cause":[]}`, platform.ErrRejected,
			"O Mercado Livre recusou a operação (HTTP 400): Validation error."},
		{409, `{"error":{"code":"OMS003","message":"Order status should be ready-for-handling"}}`, platform.ErrRejected,
			"O Mercado Livre recusou a operação (HTTP 409): Order status should be ready-for-handling."},
		{401, "", platform.ErrAuth, "O Mercado Livre recusou as credenciais da integração (HTTP 401); verifique a conexão da plataforma."},
		{403, "", platform.ErrAuth, "O Mercado Livre recusou as credenciais da integração (HTTP 403); verifique a conexão da plataforma."},
		{404, "", platform.ErrNotFound, "O registro não foi encontrado no Mercado Livre."},
		{408, "", platform.ErrTemporary, "O Mercado Livre está com problemas no momento (HTTP 408); a operação será tentada de novo."},
		{429, "", platform.ErrRateLimited, "O Mercado Livre limitou o número de requisições; a operação será tentada de novo mais tarde."},
		{502, "<html>Bad gateway</html>", platform.ErrTemporary, "O Mercado Livre está com problemas no momento (HTTP 502); a operação será tentada de novo."},
	}
	for _, tt := range tests {
		err := c.Check("op", &platform.Response{Status: tt.status, Body: []byte(tt.body)})
		if platform.KindOf(err) != tt.kind || apperr.Message(err) != tt.msg && err != nil {
			t.Errorf("HTTP %d: %v (%q)", tt.status, err, apperr.Message(err))
		}
	}
}

func TestImportFrom(t *testing.T) {
	tests := []struct {
		setting string
		status  model.SOStatus
		want    bool
	}{
		{"", model.SOAwaitingPayment, true},
		{"awaiting_payment", model.SOReadyForHandling, true},
		{"payment_confirmed", model.SOAwaitingPayment, false},
		{"payment_confirmed", model.SOPaymentApproved, true},
		{"payment_confirmed", model.SOInvoiced, true},
		{"awaiting_payment", model.SOCancelled, false},
		{"awaiting_payment", model.SOUnknown, false},
	}
	for _, tt := range tests {
		f, err := model.ParseImportFrom(tt.setting)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Allows(tt.status); got != tt.want {
			t.Errorf("%q allows %q = %v", tt.setting, tt.status, got)
		}
	}
	if _, err := model.ParseImportFrom("paid"); !apperr.Is(err, apperr.EINVALID) {
		t.Errorf("bad setting: %v", err)
	}
}

func TestNormalizers(t *testing.T) {
	for in, want := range map[string]string{"RJ": "RJ", "sp": "SP", "BR-RJ": "RJ", "Rio de Janeiro": "RJ",
		"São Paulo": "SP", "Paraná": "PR", "Pará": "PA", "Atlantis": "Atlantis"} {
		if got := platform.StateUF(in); got != want {
			t.Errorf("StateUF(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"BRA": "BR", "Brasil": "BR", "br": "BR", "ARG": "ARG"} {
		if got := platform.NormalizeCountry(in); got != want {
			t.Errorf("NormalizeCountry(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"845.134.270-19": "84513427019", "12.abc.345/01de-35": "12ABC34501DE35"} {
		if got := platform.NormalizeDocument(in); got != want {
			t.Errorf("NormalizeDocument(%q) = %q", in, got)
		}
	}
	if platform.DocumentPersonType("84513427019") != model.PersonIndividual || platform.DocumentPersonType("12ABC34501DE35") != model.PersonCompany {
		t.Error("DocumentPersonType")
	}
}

// The timeout message is for people: "(1 s)", not Go's "(1s)" or "(1m0s)".
func TestCallerTimeoutMessage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	for timeout, want := range map[time.Duration]string{
		50 * time.Millisecond: "(50 ms)",
		time.Second:           "(1 s)",
	} {
		c := platform.Caller{Platform: model.PlatformVTEX, Timeout: timeout}.WithDefaults()
		_, err := c.Do(context.Background(), platform.Request{Op: "get_order", Method: http.MethodGet, URL: srv.URL})
		if platform.KindOf(err) != platform.ErrTemporary || !strings.Contains(apperr.Message(err), want) {
			t.Errorf("timeout %v: %v, want a temporary error mentioning %s", timeout, err, want)
		}
	}
}
