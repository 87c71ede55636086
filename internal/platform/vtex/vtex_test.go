package vtex_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

const warehouse = "1fabf84" // the Logistics API example's warehouse

var t0 = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

func newClient(t *testing.T, mod ...func(*vtex.Config)) (*vtex.Client, *vtexfake.Server, *platformtest.Clock) {
	t.Helper()
	fake := vtexfake.New()
	t.Cleanup(fake.Close)
	clock := platformtest.NewClock(t0)
	cfg := vtex.Config{
		Account:   "connectparts",
		AppKey:    fake.AppKey,
		AppToken:  fake.AppToken,
		Warehouse: warehouse,
		BaseURL:   fake.URL,
		Timeout:   2 * time.Second,
		Clock:     clock,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := vtex.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, fake, clock
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func tsp(s string) *time.Time { t := ts(s); return &t }

// exampleOrder is what the official Get order example means in our terms.
func exampleOrder(id, channel string, status model.SOStatus) *platform.Order {
	return &platform.Order{
		Platform:      model.PlatformVTEX,
		ExternalID:    id,
		Number:        "502556",
		ChannelStatus: channel,
		Status:        status,
		Reserve:       true,
		Customer: platform.Customer{
			Name:     "Rodrigo Smith",
			Type:     model.PersonIndividual,
			Document: "84513427019",
			Email:    "rodrigo.smith@email.com",
			Phones:   []string{"+5561992227222"},
		},
		Address: platform.Address{
			Recipient:  "Rodrigo Smith",
			Street:     "Avenida Lúcio Costa",
			Number:     "126",
			Complement: "10",
			Reference:  "apartment",
			District:   "Barra da Tijuca",
			CEP:        "22630011",
			City:       "Rio de Janeiro",
			State:      "RJ",
			Country:    "BR",
		},
		ShippingMethod: "Normal",
		Carrier:        "Correios",
		Items: []platform.Item{{
			SKU: "BIGBML", PlatformItemID: "18", Name: "Bay Max L",
			Quantity: 1, UnitCents: 990, TotalCents: 990,
		}},
		ItemsCents:    99,
		ShippingCents: 300,
		DiscountCents: 0,
		TotalCents:    1160,
		CreatedAt:     ts("2024-02-04T20:09:43.899958+00:00"),
		PaidAt:        tsp("2024-02-04T20:46:11.7010747+00:00"),
		UpdatedAt:     ts("2024-02-06T20:46:11.7010747+00:00"),
	}
}

func TestGetOrderParsesOfficialExamples(t *testing.T) {
	c, _, _ := newClient(t)
	tests := []struct {
		name string
		id   string
		want *platform.Order
	}{
		{"complete example", vtexfake.OrderFull, exampleOrder(vtexfake.OrderFull, "handling", model.SOHandling)},
		{"trimmed example as the feed's order", vtexfake.OrderFeed, exampleOrder(vtexfake.OrderFeed, "ready-for-handling", model.SOReadyForHandling)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.GetOrder(context.Background(), tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GetOrder(%s)\n got: %+v\nwant: %+v", tt.id, got, tt.want)
			}
		})
	}
}

// editExample applies edit to the trimmed Get order example and parses it.
func editExample(t *testing.T, edit func(m map[string]any)) *platform.Order {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(vtexfake.Fixture("vtex-order.json"), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, _ := json.Marshal(m)
	o, err := vtex.ParseOrder(b)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestParseOrderCustomer(t *testing.T) {
	corporate := func(ie string) func(m map[string]any) {
		return func(m map[string]any) {
			p := m["clientProfileData"].(map[string]any)
			p["isCorporate"] = true
			p["corporateName"] = "Oficina Smith Ltda"
			p["tradeName"] = "Oficina Smith"
			p["corporateDocument"] = "12.ABC.345/01DE-35"
			p["stateInscription"] = ie
			p["corporatePhone"] = "+552133334444"
		}
	}
	tests := []struct {
		name string
		edit func(m map[string]any)
		want platform.Customer
	}{
		{"individual", func(map[string]any) {}, platform.Customer{
			Name: "Rodrigo Smith", Type: model.PersonIndividual, Document: "84513427019",
			Email: "rodrigo.smith@email.com", Phones: []string{"+5561992227222"},
		}},
		{"company, ICMS contributor", corporate("110.042.490.114"), platform.Customer{
			Name: "Oficina Smith Ltda", TradeName: "Oficina Smith", Type: model.PersonCompany,
			Document: "12ABC34501DE35", StateRegistration: "110.042.490.114", ICMSContributor: true,
			Email: "rodrigo.smith@email.com", Phones: []string{"+5561992227222", "+552133334444"},
		}},
		{"company exempt from IE", corporate("ISENTO"), platform.Customer{
			Name: "Oficina Smith Ltda", TradeName: "Oficina Smith", Type: model.PersonCompany,
			Document: "12ABC34501DE35", StateRegistration: "ISENTO", ICMSContributor: false,
			Email: "rodrigo.smith@email.com", Phones: []string{"+5561992227222", "+552133334444"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := editExample(t, tt.edit).Customer
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("customer\n got: %+v\nwant: %+v", got, tt.want)
			}
		})
	}
}

func TestParseOrderStatusFromPackages(t *testing.T) {
	withStatus := func(status string, pkg func(p map[string]any)) func(m map[string]any) {
		return func(m map[string]any) {
			m["status"] = status
			p := m["packageAttachment"].(map[string]any)["packages"].([]any)[0].(map[string]any)
			pkg(p)
		}
	}
	tests := []struct {
		name     string
		edit     func(m map[string]any)
		want     model.SOStatus
		tracking string
	}{
		{"invoiced, output package delivered", withStatus("invoiced", func(p map[string]any) { p["type"] = "Output" }),
			model.SODelivered, "TRK-48960684"},
		{"invoiced, output package with tracking", withStatus("invoiced", func(p map[string]any) {
			p["type"] = "Output"
			delete(p, "courierStatus")
		}), model.SODispatched, "TRK-48960684"},
		{"invoiced, only a return (Input) package", withStatus("invoiced", func(map[string]any) {}),
			model.SOInvoiced, ""},
		{"handling keeps its status whatever the packages say", withStatus("handling", func(p map[string]any) { p["type"] = "Output" }),
			model.SOHandling, "TRK-48960684"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := editExample(t, tt.edit)
			if o.Status != tt.want || o.TrackingNumber != tt.tracking {
				t.Errorf("status %q tracking %q, want %q %q", o.Status, o.TrackingNumber, tt.want, tt.tracking)
			}
		})
	}
}

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		vtex    string
		status  model.SOStatus
		reserve bool
		known   bool
	}{
		{"order-created", model.SOAwaitingPayment, false, true},
		{"waiting-for-sellers-confirmation", model.SOAwaitingPayment, false, true},
		{"payment-pending", model.SOAwaitingPayment, false, true},
		{"approve-payment", model.SOAwaitingPayment, false, true},
		{"payment-approved", model.SOPaymentApproved, true, true},
		{"window-to-cancel", model.SOPaymentApproved, true, true},
		{"ready-for-handling", model.SOReadyForHandling, true, true},
		{"start-handling", model.SOHandling, true, true},
		{"handling", model.SOHandling, true, true},
		{"invoice", model.SOInvoiced, true, true},
		{"invoiced", model.SOInvoiced, true, true},
		{"request-cancel", model.SOUnknown, true, false},
		{"cancellation-requested", model.SOUnknown, true, false},
		{"canceling", model.SOCancelled, false, true},
		{"cancel", model.SOCancelled, false, true},
		{"canceled", model.SOCancelled, false, true},
		{"replaced", model.SOCancelled, false, true},
		{"made-up-status", model.SOUnknown, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.vtex, func(t *testing.T) {
			s, r, k := vtex.MapStatus(tt.vtex)
			if s != tt.status || r != tt.reserve || k != tt.known {
				t.Errorf("MapStatus(%q) = %q, %v, %v; want %q, %v, %v", tt.vtex, s, r, k, tt.status, tt.reserve, tt.known)
			}
		})
	}
}

// Every status the VTEX docs list must be mapped; only cancellation requests
// are deliberately left without a portal status.
func TestEveryDocumentedStatusIsMapped(t *testing.T) {
	var doc struct {
		Statuses []struct {
			API string `json:"api"`
		} `json:"statuses"`
		FStatus []string `json:"list_orders_f_status_values"`
		Feed    []string `json:"feed_FromWorkflow_status_values"`
	}
	if err := json.Unmarshal(vtexfake.Fixture("vtex-order-statuses.json"), &doc); err != nil {
		t.Fatal(err)
	}
	all := append([]string(nil), doc.FStatus...)
	all = append(all, doc.Feed...)
	for _, s := range doc.Statuses {
		all = append(all, s.API)
	}
	for _, s := range all {
		st, _, known := vtex.MapStatus(s)
		if !known && s != "request-cancel" && s != "cancellation-requested" {
			t.Errorf("documented status %q is not mapped", s)
		}
		if known && st == model.SOUnknown {
			t.Errorf("status %q is known but maps to no status", s)
		}
	}
	for _, s := range vtex.FeedStatuses {
		if _, _, known := vtex.MapStatus(s); !known && s != "request-cancel" && s != "cancellation-requested" {
			t.Errorf("feed subscribes to unmapped status %q", s)
		}
	}
}

const exampleHandle = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." // prefix of the feed example's handle

func TestChangesDeduplicatesAndAckCommitsEveryHandle(t *testing.T) {
	c, fake, _ := newClient(t)
	ctx := context.Background()
	b, err := c.Changes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Cursor != "" {
		t.Errorf("cursor = %q, want empty (the queue lives at VTEX)", b.Cursor)
	}
	if len(b.Changes) != 2 {
		t.Fatalf("got %d changes, want 2 (3 events, 2 orders): %+v", len(b.Changes), b.Changes)
	}
	first, second := b.Changes[0], b.Changes[1]
	if first.ExternalID != vtexfake.OrderFeed || first.ChannelStatus != "ready-for-handling" ||
		len(first.AckTokens) != 2 || !strings.HasPrefix(first.AckTokens[0], exampleHandle) || first.AckTokens[1] != "fake-handle-2" ||
		!first.ChangedAt.Equal(ts("2019-08-12T20:54:24Z")) {
		t.Errorf("merged change = %+v", first)
	}
	if second.ExternalID != vtexfake.OrderFull || second.ChannelStatus != "handling" ||
		!reflect.DeepEqual(second.AckTokens, []string{"fake-handle-1"}) {
		t.Errorf("second change = %+v", second)
	}
	if n := fake.Count(vtexfake.EndpointFeed); n != 1 {
		t.Errorf("feed reads = %d, want 1 (a short lot ends the read)", n)
	}

	// Not acknowledged: after the visibility timeout VTEX delivers again.
	fake.ExpireInflight()
	again, err := c.Changes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 2 {
		t.Fatalf("re-delivery gave %d changes, want 2", len(again.Changes))
	}

	// The engine imports the first order and ignores the second (say, its
	// shipping method has no carrier mapping): both must be committed.
	if err := c.Ack(ctx, again.Changes); err != nil {
		t.Fatal(err)
	}
	committed := fake.Committed()
	if len(committed) != 3 || !strings.HasPrefix(committed[0], exampleHandle) ||
		committed[1] != "fake-handle-2" || committed[2] != "fake-handle-1" {
		t.Errorf("committed = %v", committed)
	}
	if fake.Pending() != 0 {
		t.Errorf("%d events left in the feed", fake.Pending())
	}
	empty, err := c.Changes(ctx, "")
	if err != nil || len(empty.Changes) != 0 {
		t.Errorf("after ack: %+v, %v", empty, err)
	}
}

func TestChangesReadsSeveralLots(t *testing.T) {
	tests := []struct {
		name        string
		maxLots     int
		wantChanges int
		wantReads   int
		wantMore    bool // more events wait at VTEX: import again at once
	}{
		{"until a short lot", 10, 2 + 25, 3, false}, // 28 events: 10 + 10 + 8
		{"bounded by MaxLots", 2, 2 + 17, 2, true},  // 20 events read: 3 fixture + 17 generated
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake, _ := newClient(t, func(cfg *vtex.Config) { cfg.MaxLots = tt.maxLots })
			fake.AddOrders(25, "ready-for-handling")
			b, err := c.Changes(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Changes) != tt.wantChanges || fake.Count(vtexfake.EndpointFeed) != tt.wantReads {
				t.Errorf("changes %d reads %d, want %d %d", len(b.Changes), fake.Count(vtexfake.EndpointFeed), tt.wantChanges, tt.wantReads)
			}
			if b.More != tt.wantMore {
				t.Errorf("More = %v, want %v", b.More, tt.wantMore)
			}
		})
	}
}

func TestChangesCommitsEventsWithoutOrder(t *testing.T) {
	c, fake, _ := newClient(t)
	fake.Enqueue(vtexfake.Event{Domain: "Fulfillment", State: "handling"})
	b, err := c.Changes(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Changes) != 2 {
		t.Errorf("changes = %d, want 2", len(b.Changes))
	}
	if got := fake.Committed(); !reflect.DeepEqual(got, []string{"fake-handle-3"}) {
		t.Errorf("committed = %v, want the orphan event's handle", got)
	}
}

func TestChangesConfiguresMissingFeed(t *testing.T) {
	c, fake, _ := newClient(t)
	fake.RemoveFeedConfig()
	b, err := c.Changes(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Changes) != 2 || fake.Count(vtexfake.EndpointFeedConfig) != 1 || fake.Count(vtexfake.EndpointFeed) != 2 {
		t.Errorf("changes %d, config posts %d, feed reads %d", len(b.Changes),
			fake.Count(vtexfake.EndpointFeedConfig), fake.Count(vtexfake.EndpointFeed))
	}
	var cfg struct {
		Filter struct {
			Type   string   `json:"type"`
			Status []string `json:"status"`
		} `json:"filter"`
		Queue map[string]int `json:"queue"`
	}
	if err := json.Unmarshal(fake.FeedConfig(), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Filter.Type != "FromWorkflow" || !reflect.DeepEqual(cfg.Filter.Status, vtex.FeedStatuses) ||
		cfg.Queue["visibilityTimeoutInSeconds"] != vtex.FeedVisibilityTimeout || cfg.Queue["MessageRetentionPeriodInSeconds"] != 345600 {
		t.Errorf("feed config = %s", fake.FeedConfig())
	}
}

func TestStartHandling(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		status     string // set on the fake first, "" keeps the example's
		wantKind   platform.ErrorKind
		wantStatus string
		wantCalls  int // start-handling requests
		wantReads  int // order reads (after a 409)
	}{
		{"ready for handling", vtexfake.OrderFeed, "", "", "handling", 1, 0},
		{"already handling: 409 tolerated", vtexfake.OrderFull, "", "", "handling", 1, 1},
		{"already invoiced: 409 tolerated", vtexfake.OrderFull, "invoiced", "", "invoiced", 1, 1},
		{"not paid yet: 409 is a refusal", vtexfake.OrderFeed, "payment-pending", platform.ErrRejected, "payment-pending", 1, 1},
		{"unknown order", "0000000000000-01", "", platform.ErrNotFound, "", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake, _ := newClient(t)
			if tt.status != "" {
				fake.SetStatus(tt.id, tt.status)
			}
			err := c.StartHandling(context.Background(), tt.id)
			if platform.KindOf(err) != tt.wantKind {
				t.Errorf("err = %v, want kind %q", err, tt.wantKind)
			}
			if fake.Status(tt.id) != tt.wantStatus || fake.Count(vtexfake.EndpointStartHandling) != tt.wantCalls ||
				fake.Count(vtexfake.EndpointOrder) != tt.wantReads {
				t.Errorf("status %q, calls %d, reads %d", fake.Status(tt.id),
					fake.Count(vtexfake.EndpointStartHandling), fake.Count(vtexfake.EndpointOrder))
			}
		})
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name       string
		faults     []platformtest.Fault
		cfg        func(*vtex.Config)
		id         string
		wantKind   platform.ErrorKind
		wantHTTP   int
		wantRetry  time.Duration
		wantSleeps []time.Duration
		wantCalls  int
		wantCode   string
	}{
		{name: "500", faults: []platformtest.Fault{{Status: 500, Body: `{"error":{"message":"boom"}}`}},
			wantKind: platform.ErrTemporary, wantHTTP: 500, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "503", faults: []platformtest.Fault{{Status: 503}},
			wantKind: platform.ErrTemporary, wantHTTP: 503, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "503 saying when to come back", faults: []platformtest.Fault{{Status: 503, RetryAfter: "30"}},
			wantKind: platform.ErrTemporary, wantHTTP: 503, wantRetry: 30 * time.Second, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "garbage JSON", faults: []platformtest.Fault{platformtest.Garbage()},
			wantKind: platform.ErrInvalidResponse, wantHTTP: 200, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "JSON without an order", faults: []platformtest.Fault{{Status: 200, Body: `{"foo": 1}`}},
			wantKind: platform.ErrInvalidResponse, wantHTTP: 200, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "timeout", faults: []platformtest.Fault{{Delay: 2 * time.Second}},
			cfg:      func(c *vtex.Config) { c.Timeout = 50 * time.Millisecond },
			wantKind: platform.ErrTemporary, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "401", faults: []platformtest.Fault{{Status: 401}},
			wantKind: platform.ErrAuth, wantHTTP: 401, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "wrong app token", cfg: func(c *vtex.Config) { c.AppToken = "wrong" },
			wantKind: platform.ErrAuth, wantHTTP: 401, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "403", faults: []platformtest.Fault{{Status: 403}},
			wantKind: platform.ErrAuth, wantHTTP: 403, wantCalls: 1, wantCode: apperr.EUNAVAILABLE},
		{name: "unknown order", id: "0000000000000-01",
			wantKind: platform.ErrNotFound, wantHTTP: 404, wantCalls: 1, wantCode: apperr.ENOTFOUND},
		{name: "429 then success after Retry-After",
			faults:     []platformtest.Fault{{Status: 429, RetryAfter: "2", Times: 1}},
			wantSleeps: []time.Duration{2 * time.Second}, wantCalls: 2},
		{name: "429 without Retry-After: exponential backoff",
			faults:     []platformtest.Fault{{Status: 429, Times: 2}},
			wantSleeps: []time.Duration{time.Second, 2 * time.Second}, wantCalls: 3},
		{name: "429 forever", faults: []platformtest.Fault{{Status: 429, RetryAfter: "1"}},
			wantKind: platform.ErrRateLimited, wantHTTP: 429, wantRetry: time.Second,
			wantSleeps: []time.Duration{time.Second, time.Second, time.Second}, wantCalls: 4, wantCode: apperr.ERATELIMIT},
		{name: "429 asking for longer than we sleep", faults: []platformtest.Fault{{Status: 429, RetryAfter: "120"}},
			wantKind: platform.ErrRateLimited, wantHTTP: 429, wantRetry: 2 * time.Minute, wantCalls: 1, wantCode: apperr.ERATELIMIT},
		{name: "429 with an HTTP date", faults: []platformtest.Fault{{Status: 429, RetryAfter: t0.Add(3 * time.Second).Format(http.TimeFormat), Times: 1}},
			wantSleeps: []time.Duration{3 * time.Second}, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mods := []func(*vtex.Config){func(c *vtex.Config) { c.GetOrderPerMinute = -1 }}
			if tt.cfg != nil {
				mods = append(mods, tt.cfg)
			}
			c, fake, clock := newClient(t, mods...)
			for _, f := range tt.faults {
				fake.Fail(vtexfake.EndpointOrder, f)
			}
			id := tt.id
			if id == "" {
				id = vtexfake.OrderFull
			}
			o, err := c.GetOrder(context.Background(), id)
			if tt.wantKind == "" {
				if err != nil || o.ExternalID != vtexfake.OrderFull {
					t.Fatalf("GetOrder = %v, %v; want the order", o, err)
				}
			} else {
				var pe *platform.Error
				if !errors.Is(err, tt.wantKind) || !errors.As(err, &pe) {
					t.Fatalf("err = %v, want kind %q", err, tt.wantKind)
				}
				if o != nil {
					t.Errorf("order returned with the error")
				}
				if pe.HTTPStatus != tt.wantHTTP || pe.RetryAfter != tt.wantRetry || pe.Platform != model.PlatformVTEX || pe.Op != "get_order" {
					t.Errorf("error = %+v", pe)
				}
				if apperr.Code(err) != tt.wantCode {
					t.Errorf("apperr code = %q, want %q", apperr.Code(err), tt.wantCode)
				}
				if msg := apperr.Message(err); msg != pe.Message || !strings.Contains(msg, "VTEX") {
					t.Errorf("user message = %q", msg)
				}
			}
			if got := clock.Sleeps(); !reflect.DeepEqual(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if n := fake.Count(vtexfake.EndpointOrder); n != tt.wantCalls {
				t.Errorf("requests = %d, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestCallerContextCancelledIsNotAPlatformError(t *testing.T) {
	c, fake, _ := newClient(t)
	fake.Fail(vtexfake.EndpointOrder, platformtest.Fault{Delay: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.GetOrder(ctx, vtexfake.OrderFull)
	if !errors.Is(err, context.DeadlineExceeded) || platform.KindOf(err) != "" {
		t.Errorf("err = %v, want the caller's context error", err)
	}
}

func TestGetOrderRateLimiter(t *testing.T) {
	c, fake, clock := newClient(t, func(cfg *vtex.Config) {
		cfg.GetOrderPerMinute = 60
		cfg.GetOrderBurst = 2
	})
	for i := 0; i < 4; i++ {
		if _, err := c.GetOrder(context.Background(), vtexfake.OrderFull); err != nil {
			t.Fatal(err)
		}
	}
	// Two at once (the burst), then one per second.
	if got, want := clock.Sleeps(), []time.Duration{time.Second, time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
	if n := fake.Count(vtexfake.EndpointOrder); n != 4 {
		t.Errorf("requests = %d", n)
	}
}

func TestSetStock(t *testing.T) {
	tests := []struct {
		name       string
		sku        string
		qty        int64
		faults     []platformtest.Fault
		wantKind   platform.ErrorKind
		wantBody   string
		wantSleeps []time.Duration
		wantPuts   int
	}{
		{name: "absolute quantity", sku: "BIGBML", qty: 7,
			wantBody: `{"quantity":7,"unlimitedQuantity":false}`, wantPuts: 1},
		{name: "negative clamped to zero", sku: "BIGBML", qty: -3,
			wantBody: `{"quantity":0,"unlimitedQuantity":false}`, wantPuts: 1},
		{name: "423 retried with backoff", sku: "BIGBML", qty: 5, faults: []platformtest.Fault{vtexfake.Locked(2)},
			wantBody:   `{"quantity":5,"unlimitedQuantity":false}`,
			wantSleeps: []time.Duration{500 * time.Millisecond, time.Second}, wantPuts: 3},
		{name: "423 that never clears", sku: "BIGBML", qty: 5, faults: []platformtest.Fault{vtexfake.Locked(0)},
			wantKind:   platform.ErrTemporary,
			wantSleeps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, wantPuts: 4},
		{name: "500", sku: "BIGBML", qty: 5, faults: []platformtest.Fault{{Status: 500}},
			wantKind: platform.ErrTemporary, wantPuts: 1},
		{name: "sku unknown at VTEX", sku: "NOPE", qty: 5, wantKind: platform.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake, clock := newClient(t)
			for _, f := range tt.faults {
				fake.Fail(vtexfake.EndpointInventory, f)
			}
			err := c.SetStock(context.Background(), tt.sku, tt.qty)
			if platform.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %q", err, tt.wantKind)
			}
			if n := fake.Count(vtexfake.EndpointInventory); n != tt.wantPuts {
				t.Errorf("PUTs = %d, want %d", n, tt.wantPuts)
			}
			if got := clock.Sleeps(); !reflect.DeepEqual(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if tt.wantBody != "" {
				st, ok := fake.Stock("18", warehouse)
				if !ok || st.RawBodyJSON != tt.wantBody || st.Method != http.MethodPatch {
					t.Errorf("stock write = %+v, want PATCH %s on SKU 18", st, tt.wantBody)
				}
			}
		})
	}
}

func TestSetStockCachesSKULookup(t *testing.T) {
	c, fake, _ := newClient(t)
	c.PrimeSKU("PRIMED", "99")
	for _, q := range []int64{1, 2, 3} {
		if err := c.SetStock(context.Background(), "BIGBML", q); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SetStock(context.Background(), "PRIMED", 4); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count(vtexfake.EndpointSKUByRefID); n != 1 {
		t.Errorf("SKU lookups = %d, want 1", n)
	}
	writes := fake.StockWrites()
	if len(writes) != 4 || writes[2].SKUID != "18" || writes[2].Quantity != 3 || writes[3].SKUID != "99" {
		t.Errorf("writes = %+v", writes)
	}
}

func TestSendInvoiceAndTracking(t *testing.T) {
	c, fake, _ := newClient(t)
	ctx := context.Background()
	issued := time.Date(2026, 1, 5, 10, 0, 0, 0, time.FixedZone("BRT", -3*3600))
	inv := platform.Invoice{
		Number: "1234", Series: "1",
		Key:        "35260111222333000181550010000012341000012345",
		IssuedAt:   issued,
		ValueCents: 1290,
		XML:        []byte(`<nfeProc versao="4.00"/>`),
	}
	if err := c.SendInvoice(ctx, vtexfake.OrderFeed, inv); err != nil {
		t.Fatal(err)
	}
	got := fake.Invoices(vtexfake.OrderFeed)
	if len(got) != 1 {
		t.Fatalf("invoices = %d", len(got))
	}
	want := `{"courier":"","embeddedInvoice":"\u003cnfeProc versao=\"4.00\"/\u003e","invoiceKey":"35260111222333000181550010000012341000012345",` +
		`"invoiceNumber":"1234","invoiceUrl":"","invoiceValue":"1290","issuanceDate":"2026-01-05T10:00:00-03:00",` +
		`"items":[{"id":"18","price":990,"description":"Bay Max L","quantity":1}],"trackingNumber":"","trackingUrl":"","type":"Output"}`
	if string(got[0]) != want {
		t.Errorf("invoice body\n got: %s\nwant: %s", got[0], want)
	}
	if fake.Status(vtexfake.OrderFeed) != "invoiced" {
		t.Errorf("status = %q", fake.Status(vtexfake.OrderFeed))
	}

	tr := platform.Tracking{InvoiceNumber: "1234", Carrier: "Correios", Code: "AA123456785BR",
		URL: "https://rastreamento.correios.com.br/app/index.php", DispatchedAt: issued.Add(2 * time.Hour)}
	if err := c.SendTracking(ctx, vtexfake.OrderFeed, tr); err != nil {
		t.Fatal(err)
	}
	tracks := fake.Trackings(vtexfake.OrderFeed)
	wantTrack := `{"courier":"Correios","dispatchedDate":"2026-01-05T12:00:00-03:00","trackingNumber":"AA123456785BR","trackingUrl":"https://rastreamento.correios.com.br/app/index.php"}`
	if len(tracks) != 1 || string(tracks[0]) != wantTrack {
		t.Errorf("tracking bodies = %s", tracks)
	}

	tr.InvoiceNumber = "9999"
	if err := c.SendTracking(ctx, vtexfake.OrderFeed, tr); platform.KindOf(err) != platform.ErrNotFound {
		t.Errorf("tracking for an unknown invoice: %v", err)
	}
}

func TestSendInvoiceItems(t *testing.T) {
	tests := []struct {
		name      string
		items     []platform.InvoiceItem
		wantKind  platform.ErrorKind
		wantItems string
		wantReads int
	}{
		{"by our sku", []platform.InvoiceItem{{SKU: "BIGBML", Quantity: 1, UnitCents: 990}}, "",
			`[{"id":"18","price":990,"quantity":1}]`, 1},
		{"platform id given: no order read", []platform.InvoiceItem{{PlatformItemID: "18", Quantity: 2, UnitCents: 500, Description: "x"}}, "",
			`[{"id":"18","price":500,"description":"x","quantity":2}]`, 0},
		{"sku not in the order", []platform.InvoiceItem{{SKU: "OTHER", Quantity: 1, UnitCents: 990}}, platform.ErrRejected, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake, _ := newClient(t)
			err := c.SendInvoice(context.Background(), vtexfake.OrderFull, platform.Invoice{
				Number: "77", IssuedAt: t0, ValueCents: 990, Items: tt.items,
			})
			if platform.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v", err)
			}
			if fake.Count(vtexfake.EndpointOrder) != tt.wantReads {
				t.Errorf("order reads = %d, want %d", fake.Count(vtexfake.EndpointOrder), tt.wantReads)
			}
			if tt.wantItems == "" {
				if n := fake.Count(vtexfake.EndpointInvoice); n != 0 {
					t.Errorf("invoice sent %d times", n)
				}
				return
			}
			var body struct {
				Items json.RawMessage `json:"items"`
			}
			_ = json.Unmarshal(fake.Invoices(vtexfake.OrderFull)[0], &body)
			if string(body.Items) != tt.wantItems {
				t.Errorf("items = %s, want %s", body.Items, tt.wantItems)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	c, fake, _ := newClient(t)
	if err := c.Cancel(context.Background(), vtexfake.OrderFeed, "Fornecedor sem estoque"); err != nil {
		t.Fatal(err)
	}
	if fake.Status(vtexfake.OrderFeed) != "canceled" ||
		!reflect.DeepEqual(fake.Cancellations(vtexfake.OrderFeed), []string{"Fornecedor sem estoque"}) {
		t.Errorf("status %q, cancellations %v", fake.Status(vtexfake.OrderFeed), fake.Cancellations(vtexfake.OrderFeed))
	}
	o, err := c.GetOrder(context.Background(), vtexfake.OrderFeed)
	if err != nil || o.Status != model.SOCancelled || o.Reserve {
		t.Errorf("after cancel: %+v, %v", o, err)
	}
}

func TestParseSettings(t *testing.T) {
	tests := []struct {
		name     string
		baseURL  string
		settings map[string]string
		fields   []string // fields with problems, in order
	}{
		{"complete", "", map[string]string{"account": "connectparts", "app_key": "k", "app_token": "t", "warehouse": "1", "import_from": "payment_confirmed"}, nil},
		{"base URL instead of account", "http://127.0.0.1:1", map[string]string{"app_key": "k", "app_token": "t", "warehouse": "1"}, nil},
		{"everything missing", "", map[string]string{"import_from": "paid", "appkey": "x"},
			[]string{"account", "app_key", "app_token", "warehouse", "import_from", "appkey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := vtex.ParseSettings(tt.baseURL, tt.settings)
			var fields []string
			for _, d := range apperr.Details(err) {
				fields = append(fields, d.Field)
			}
			if !reflect.DeepEqual(fields, tt.fields) {
				t.Errorf("problems on %v, want %v (%v)", fields, tt.fields, err)
			}
		})
	}
}

// The fake's generated orders (benchmarks): the items given, one SLA per
// item, a feed event per status change, and the instant GET order first
// answered each status.
func TestFakeOrderWithItemsAndPaymentApproval(t *testing.T) {
	c, fake, _ := newClient(t)
	ctx := context.Background()
	id, seq := fake.AddOrder("payment-pending", []vtexfake.Item{{RefID: "FC-1", Quantity: 2, Price: 4990}, {RefID: "PA-3", Quantity: 1, Price: 100}})
	if _, seen := fake.FirstServed(id, "payment-pending"); seen {
		t.Fatal("served before any GET")
	}
	o, err := c.GetOrder(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Number != seq || o.Status != model.SOAwaitingPayment || o.ShippingMethod != "Normal" || o.TotalCents != 2*4990+100 || len(o.Items) != 2 ||
		o.Items[0].SKU != "FC-1" || o.Items[0].Quantity != 2 || o.Items[0].TotalCents != 9980 || o.Items[1].SKU != "PA-3" || o.Items[1].UnitCents != 100 {
		t.Fatalf("order %+v", o)
	}
	first, seen := fake.FirstServed(id, "payment-pending")
	if !seen {
		t.Fatal("first GET not recorded")
	}
	if _, seen := fake.FirstServed(id, "ready-for-handling"); seen {
		t.Fatal("ready-for-handling served before the payment approval")
	}

	b, err := c.Changes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ack(ctx, b.Changes); err != nil {
		t.Fatal(err)
	}
	fake.ChangeStatus(id, "ready-for-handling")
	b, err = c.Changes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Changes) != 1 || b.Changes[0].ExternalID != id || b.Changes[0].ChannelStatus != "ready-for-handling" {
		t.Fatalf("changes after the approval: %+v", b.Changes)
	}
	if _, err := c.GetOrder(ctx, id); err != nil {
		t.Fatal(err)
	}
	paid, seen := fake.FirstServed(id, "ready-for-handling")
	if _, err := c.GetOrder(ctx, id); err != nil {
		t.Fatal(err)
	}
	again, _ := fake.FirstServed(id, "ready-for-handling")
	if !seen || paid.Before(first) || !again.Equal(paid) {
		t.Fatalf("served pending %v, paid %v (%v), again %v", first, paid, seen, again)
	}
}
