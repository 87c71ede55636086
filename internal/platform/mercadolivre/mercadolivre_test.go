package mercadolivre_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/mercadolivre"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/platform/platformtest"
)

var now = time.Date(2022, 4, 9, 0, 0, 0, 0, time.UTC)

// store is a TokenStore that checks the rule of single-use refresh tokens: a
// new access token must be saved before any request uses it.
type store struct {
	t        *testing.T
	fake     *melifake.Server
	mu       sync.Mutex
	tok      mercadolivre.Token
	saves    []mercadolivre.Token
	failNext int
}

func (s *store) Load(context.Context) (mercadolivre.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, nil
}

func (s *store) Save(_ context.Context, tok mercadolivre.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.fake.TokenUses(tok.AccessToken); n != 0 {
		s.t.Errorf("access token %s used %d times before it was saved", tok.AccessToken, n)
	}
	if s.failNext > 0 {
		s.failNext--
		return errors.New("database is down")
	}
	s.tok = tok
	s.saves = append(s.saves, tok)
	return nil
}

func (s *store) saved() []mercadolivre.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mercadolivre.Token(nil), s.saves...)
}

func newClient(t *testing.T, mod ...func(*mercadolivre.Config)) (*mercadolivre.Client, *melifake.Server, *platformtest.Clock, *store) {
	t.Helper()
	fake := melifake.New()
	t.Cleanup(fake.Close)
	clock := platformtest.NewClock(now)
	st := &store{t: t, fake: fake, tok: mercadolivre.Token{RefreshToken: melifake.InitialRefresh}}
	cfg := mercadolivre.Config{
		ClientID:     melifake.ClientID,
		ClientSecret: melifake.ClientSecret,
		SellerID:     melifake.SellerID,
		BaseURL:      fake.URL,
		Tokens:       st,
		Timeout:      2 * time.Second,
		Clock:        clock,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := mercadolivre.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, fake, clock, st
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func tsp(s string) *time.Time { t := ts(s); return &t }

func TestGetOrderParsesOfficialExamples(t *testing.T) {
	tests := []struct {
		id   string
		want *platform.Order
	}{
		{melifake.OrderPack, &platform.Order{
			Platform:      model.PlatformMercadoLivre,
			ExternalID:    "2000003508897196",
			Number:        "2000003508553677",
			ChannelStatus: "paid / ready_to_ship:invoice_pending",
			Status:        model.SOReadyForHandling,
			Reserve:       true,
			Customer: platform.Customer{
				Name: "María Lupita Gomez Blanco", Type: model.PersonIndividual, Document: "32659430",
				Phones: []string{"1199988776644"},
			},
			Address: platform.Address{
				Recipient: "Test Test", Street: "Nicolau de Marcos", Number: "05", Complement: "7b",
				District: "Jardim Ornelas", CEP: "28660000", City: "Bom Jardim", State: "RJ", Country: "BR",
			},
			ShippingMethod: "drop_off", Logistics: model.LogisticsPlatformLabel,
			Carrier:    "MEL Distribution",
			ShipmentID: "41297142475",
			Items: []platform.Item{{
				PlatformItemID: "MLB2608564035", VariationID: "174390848694", Name: "Camiseta Basica",
				Variation: "Tamanho: M, Cor: Preto", Quantity: 1, UnitCents: 5000, TotalCents: 5000,
			}},
			ItemsCents: 5000,
			TotalCents: 5000,
			CreatedAt:  ts("2022-04-08T17:01:30.000-04:00"),
			PaidAt:     tsp("2022-04-08T17:01:32.000-04:00"),
			UpdatedAt:  ts("2022-04-08T17:03:32.000-04:00"),
		}},
		{melifake.OrderSearch, &platform.Order{
			Platform:      model.PlatformMercadoLivre,
			ExternalID:    "2032217210",
			ChannelStatus: "paid / pending:buffered",
			Status:        model.SOPaymentApproved,
			Reserve:       true,
			Customer: platform.Customer{
				Name: "Apple Brasil", Type: model.PersonCompany, Document: "326594309119203",
				StateRegistration: "30703088534", ICMSContributor: true,
			},
			ShippingMethod: "xd_drop_off", Logistics: model.LogisticsPlatformLabel,
			Carrier:    "Express a domicilio",
			ShipmentID: "27968238880",
			Items: []platform.Item{{
				PlatformItemID: "MLB1054990648", Name: "Kit Com 03 Adesivo Spray 3m 75 Cola Silk Sublimação 300g",
				Quantity: 1, UnitCents: 12995, TotalCents: 12995,
			}},
			ItemsCents: 12995,
			TotalCents: 12995,
			CreatedAt:  ts("2019-05-22T03:51:05.000-04:00"),
			PaidAt:     tsp("2019-05-22T03:51:07.000-04:00"),
			UpdatedAt:  ts("2020-02-14T02:55:49.811Z"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, fake, _, _ := newClient(t)
			got, err := c.GetOrder(context.Background(), tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GetOrder(%s)\n got: %+v\nwant: %+v", tt.id, got, tt.want)
			}
			want := map[string]int{melifake.EndpointToken: 1, melifake.EndpointOrder: 1,
				melifake.EndpointShipment: 1, melifake.EndpointBillingInfo: 1}
			if tt.id == melifake.OrderPack {
				want[melifake.EndpointPack] = 1 // the order has a pack_id: the pack is read
			}
			if got := fake.Counts(); !reflect.DeepEqual(got, want) {
				t.Errorf("requests = %v, want %v", got, want)
			}
		})
	}
}

func TestGetOrderUsesNewBillingEndpoint(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ids := fake.AddOrders(1, now.Add(-time.Hour), time.Second)
	o, err := c.GetOrder(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	// Served only under /orders/billing-info/MLB/{billing_info.id} for generated orders.
	if o.Customer.Document != "32659430" || o.ShipmentID != "50000000001" || o.ShippingMethod != "drop_off" {
		t.Errorf("order = %+v", o)
	}
}

func TestParseShipmentSchemaExample(t *testing.T) {
	o, err := mercadolivre.ParseOrder(melifake.Fixture("meli-order.json"), melifake.Fixture("meli-shipment.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The schema example's values are placeholders ("string"): only logistic
	// and receiver_phone are real; the status cannot be mapped.
	if o.ShippingMethod != "drop_off" || o.Status != model.SOUnknown || !o.Reserve ||
		!reflect.DeepEqual(o.Customer.Phones, []string{"1199988776644"}) || o.Customer.Name != "Test Test" {
		t.Errorf("order = %+v", o)
	}
}

func TestParseOrderAmounts(t *testing.T) {
	tests := []struct {
		unitPrice string // JSON number text of order_items[0].unit_price
		want      int64
		wantErr   bool
	}{
		{"50", 5000, false},
		{"129.95", 12995, false},
		{"0.1", 10, false},
		{"14.290000000000001", 1429, false}, // float artefact, as in the search example's sale_fee
		{"14.289999999999999", 1429, false},
		{"1.2E+2", 12000, false},
		{"12.345", 0, true},
		{`"12.34"`, 1234, false}, // a quoted number is still a number
	}
	for _, tt := range tests {
		t.Run(tt.unitPrice, func(t *testing.T) {
			body := bytes.Replace(melifake.Fixture("meli-order.json"),
				[]byte(`"unit_price": 50,`), []byte(`"unit_price": `+tt.unitPrice+`,`), 1)
			o, err := mercadolivre.ParseOrder(body, nil, nil)
			if tt.wantErr {
				if !errors.Is(err, platform.ErrInvalidResponse) {
					t.Errorf("err = %v, want invalid response", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Items[0].UnitCents != tt.want || o.Items[0].TotalCents != tt.want {
				t.Errorf("unit %d total %d, want %d", o.Items[0].UnitCents, o.Items[0].TotalCents, tt.want)
			}
		})
	}
}

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		order, ship, sub string
		status           model.SOStatus
		reserve, known   bool
	}{
		{"payment_required", "", "", model.SOAwaitingPayment, true, true},
		{"payment_in_process", "pending", "", model.SOAwaitingPayment, true, true},
		{"confirmed", "", "", model.SOAwaitingPayment, true, true},
		{"paid", "", "", model.SOPaymentApproved, true, true},
		{"paid", "pending", "buffered", model.SOPaymentApproved, true, true},
		{"paid", "handling", "", model.SOReadyForHandling, true, true},
		{"paid", "ready_to_ship", "invoice_pending", model.SOReadyForHandling, true, true},
		{"paid", "ready_to_ship", "ready_to_print", model.SOInvoiced, true, true},
		{"paid", "ready_to_ship", "printed", model.SOInvoiced, true, true},
		{"paid", "ready_to_ship", "picked_up", model.SODispatched, true, true},
		{"paid", "ready_to_ship", "dropped_off", model.SODispatched, true, true},
		{"paid", "shipped", "out_for_delivery", model.SODispatched, true, true},
		{"paid", "not_delivered", "returning_to_sender", model.SODispatched, true, true},
		{"paid", "delivered", "", model.SODelivered, true, true},
		{"paid", "cancelled", "", model.SOCancelled, false, true},
		{"partially_refunded", "delivered", "", model.SODelivered, true, true},
		{"cancelled", "cancelled", "", model.SOCancelled, false, true},
		{"invalid", "", "", model.SOCancelled, false, true},
		{"pending_cancel", "", "", model.SOCancelled, false, true},
		{"paid", "lost_in_space", "", model.SOUnknown, true, false},
		{"something_new", "", "", model.SOUnknown, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.order+"/"+tt.ship+"/"+tt.sub, func(t *testing.T) {
			s, r, k := mercadolivre.MapStatus(tt.order, tt.ship, tt.sub)
			if s != tt.status || r != tt.reserve || k != tt.known {
				t.Errorf("got %q %v %v, want %q %v %v", s, r, k, tt.status, tt.reserve, tt.known)
			}
		})
	}
}

func TestChangesSearchesWindowWithPaging(t *testing.T) {
	c, fake, _, _ := newClient(t, func(cfg *mercadolivre.Config) { cfg.PageSize = 1 })
	ctx := context.Background()
	b, err := c.Changes(ctx, "2019-01-01T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	want := []platform.Change{
		{ExternalID: "2032217210", ChannelStatus: "paid", ChangedAt: ts("2020-02-14T02:55:49.811Z")},
		{ExternalID: "2000003508897196", ChannelStatus: "paid", ChangedAt: ts("2022-04-08T17:03:32.000-04:00")},
	}
	if !reflect.DeepEqual(b.Changes, want) {
		t.Errorf("changes = %+v", b.Changes)
	}
	if b.Cursor != "2022-04-08T23:59:30Z" { // now − 30 s lag
		t.Errorf("cursor = %q", b.Cursor)
	}
	if n := fake.Count(melifake.EndpointOrdersSearch); n != 2 {
		t.Errorf("searches = %d, want 2 (one per page)", n)
	}
	if err := c.Ack(ctx, b.Changes); err != nil || len(fake.Counts()) != 2 { // token + search only
		t.Errorf("Ack = %v, requests %v", err, fake.Counts())
	}

	// Without a cursor the window starts 72 h ago: only the 2022 order.
	first, err := c.Changes(ctx, "")
	if err != nil || len(first.Changes) != 1 || first.Changes[0].ExternalID != "2000003508897196" {
		t.Errorf("first window = %+v, %v", first, err)
	}
}

func TestChangesHalvesCrowdedWindows(t *testing.T) {
	c, fake, _, _ := newClient(t, func(cfg *mercadolivre.Config) {
		cfg.MaxWindowResults = 10
		cfg.Overlap = time.Second
	})
	day := time.Date(2022, 4, 8, 0, 0, 0, 0, time.UTC)
	ids := fake.AddOrders(24, day, time.Hour) // 00:00 … 23:00, plus the 21:03 example order
	b, err := c.Changes(context.Background(), "2022-04-08T00:00:01Z")
	if err != nil {
		t.Fatal(err)
	}
	// [00:00:00, 23:59:30] has 25 orders → [00:00:00, 11:59:45] has 12 → [00:00:00, 05:59:52.5] has 6.
	if b.Cursor != "2022-04-08T05:59:52.5Z" || len(b.Changes) != 6 || b.Changes[0].ExternalID != ids[0] || b.Changes[5].ExternalID != ids[5] {
		t.Fatalf("batch = cursor %q, %d changes", b.Cursor, len(b.Changes))
	}
	next, err := c.Changes(context.Background(), b.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	// [05:59:51.5, 23:59:30] has 19 → [05:59:51.5, 14:59:40.75] has 9 (06:00 … 14:00).
	if next.Cursor != "2022-04-08T14:59:40.75Z" || len(next.Changes) != 9 || next.Changes[0].ExternalID != ids[6] {
		t.Errorf("next = cursor %q, %d changes", next.Cursor, len(next.Changes))
	}
}

func TestTokenRotation(t *testing.T) {
	c, fake, clock, st := newClient(t)
	ctx := context.Background()
	if _, err := c.GetOrder(ctx, melifake.OrderPack); err != nil {
		t.Fatal(err)
	}
	want := []mercadolivre.Token{{AccessToken: "APP_USR-FAKE-1", RefreshToken: "TG-FAKE-1", ExpiresAt: now.Add(10800 * time.Second)}}
	if !reflect.DeepEqual(st.saved(), want) {
		t.Errorf("saved = %+v", st.saved())
	}
	if fake.RefreshToken() != "TG-FAKE-1" || fake.TokenUses("APP_USR-FAKE-1") != 4 { // order, pack, shipment, billing info
		t.Errorf("fake refresh %q, uses %d", fake.RefreshToken(), fake.TokenUses("APP_USR-FAKE-1"))
	}

	// Close to expiry (inside the 5-minute margin): refreshed before use.
	clock.Advance(10800*time.Second - 4*time.Minute)
	if _, err := c.GetOrder(ctx, melifake.OrderPack); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count(melifake.EndpointToken); n != 2 || len(st.saved()) != 2 || st.saved()[1].RefreshToken != "TG-FAKE-2" {
		t.Errorf("token requests %d, saves %+v", n, st.saved())
	}

	// Expired early at Mercado Livre: 401, one refresh, the request repeated.
	fake.ExpireAccessToken()
	if _, err := c.GetOrder(ctx, melifake.OrderPack); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count(melifake.EndpointToken); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
	if n := fake.Count(melifake.EndpointOrder); n != 4 { // 3 successful + 1 refused
		t.Errorf("order requests = %d, want 4", n)
	}
}

func TestTokenRefreshIsSingleFlight(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	if _, err := c.GetOrder(ctx, melifake.OrderPack); err != nil {
		t.Fatal(err)
	}
	fake.ExpireAccessToken()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = c.GetOrder(ctx, melifake.OrderSearch)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count(melifake.EndpointToken); n != 2 {
		t.Errorf("token requests = %d, want 2 (one initial, one after expiry): a second concurrent refresh would burn the single-use token", n)
	}
}

func TestTokenSaveFailure(t *testing.T) {
	c, fake, _, st := newClient(t)
	st.failNext = 1
	ctx := context.Background()
	_, err := c.GetOrder(ctx, melifake.OrderPack)
	var pe *platform.Error
	if !errors.As(err, &pe) || pe.Kind != platform.ErrTemporary || pe.Op != "save_token" {
		t.Fatalf("err = %v, want a temporary save_token error", err)
	}
	if fake.TokenUses("APP_USR-FAKE-1") != 0 || fake.Count(melifake.EndpointOrder) != 0 {
		t.Errorf("the unsaved token was used")
	}
	// The refreshed token is kept and saved first on the next call; no second refresh.
	if _, err := c.GetOrder(ctx, melifake.OrderPack); err != nil {
		t.Fatal(err)
	}
	if fake.Count(melifake.EndpointToken) != 1 || len(st.saved()) != 1 || st.saved()[0].RefreshToken != "TG-FAKE-1" {
		t.Errorf("token requests %d, saves %+v", fake.Count(melifake.EndpointToken), st.saved())
	}
}

func TestAuthErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(*melifake.Server, *mercadolivre.Config)
		wantHTTP int
		wantMsg  string
	}{
		{"refresh token revoked: invalid_grant", func(f *melifake.Server, _ *mercadolivre.Config) { f.RevokeRefreshToken() },
			400, "Reconecte a conta do Mercado Livre"},
		{"wrong client secret", func(_ *melifake.Server, c *mercadolivre.Config) { c.ClientSecret = "wrong" },
			400, "client_id/client_secret"},
		{"401 even with a fresh token", func(f *melifake.Server, _ *mercadolivre.Config) {
			f.Fail(melifake.EndpointOrder, platformtest.Fault{Status: 401, Body: `{"message":"invalid access token"}`, Times: 2})
		}, 401, "mesmo após renová-lo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := melifake.New()
			defer f.Close()
			cfg := mercadolivre.Config{
				ClientID: melifake.ClientID, ClientSecret: melifake.ClientSecret, SellerID: melifake.SellerID,
				BaseURL: f.URL, Tokens: mercadolivre.NewMemoryTokenStore(mercadolivre.Token{RefreshToken: melifake.InitialRefresh}),
				Clock: platformtest.NewClock(now),
			}
			tt.setup(f, &cfg)
			c, err := mercadolivre.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetOrder(context.Background(), melifake.OrderPack)
			var pe *platform.Error
			if !errors.As(err, &pe) || pe.Kind != platform.ErrAuth || pe.HTTPStatus != tt.wantHTTP {
				t.Fatalf("err = %v, want auth error with HTTP %d", err, tt.wantHTTP)
			}
			if msg := apperr.Message(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q lacks %q", msg, tt.wantMsg)
			}
			if platform.Retryable(err) {
				t.Errorf("auth errors must not be retryable")
			}
		})
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name       string
		fault      platformtest.Fault
		cfg        func(*mercadolivre.Config)
		id         string
		wantKind   platform.ErrorKind
		wantSleeps []time.Duration
		wantCalls  int
	}{
		{name: "500", fault: platformtest.Fault{Status: 500}, wantKind: platform.ErrTemporary, wantCalls: 1},
		{name: "garbage JSON", fault: platformtest.Garbage(), wantKind: platform.ErrInvalidResponse, wantCalls: 1},
		{name: "timeout", fault: platformtest.Fault{Delay: 2 * time.Second},
			cfg: func(c *mercadolivre.Config) { c.Timeout = 50 * time.Millisecond }, wantKind: platform.ErrTemporary, wantCalls: 1},
		{name: "404", id: "1", wantKind: platform.ErrNotFound, wantCalls: 1},
		{name: "429 then success", fault: platformtest.Fault{Status: 429, RetryAfter: "1", Times: 1},
			wantSleeps: []time.Duration{time.Second}, wantCalls: 2},
		{name: "429 forever", fault: platformtest.Fault{Status: 429, Body: `{"error":"local_rate_limited"}`, RetryAfter: "1"},
			wantKind: platform.ErrRateLimited, wantSleeps: []time.Duration{time.Second, time.Second, time.Second}, wantCalls: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mods []func(*mercadolivre.Config)
			if tt.cfg != nil {
				mods = append(mods, tt.cfg)
			}
			c, fake, clock, _ := newClient(t, mods...)
			if tt.fault != (platformtest.Fault{}) {
				fake.Fail(melifake.EndpointOrder, tt.fault)
			}
			id := tt.id
			if id == "" {
				id = melifake.OrderPack
			}
			_, err := c.GetOrder(context.Background(), id)
			if platform.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %q", err, tt.wantKind)
			}
			if got := clock.Sleeps(); !reflect.DeepEqual(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if n := fake.Count(melifake.EndpointOrder); n != tt.wantCalls {
				t.Errorf("order requests = %d, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestSetStock(t *testing.T) {
	tests := []struct {
		name       string
		sku        string
		qty        int64
		fault      *platformtest.Fault
		wantKind   platform.ErrorKind
		want       []melifake.StockWrite
		wantSleeps []time.Duration
		wantSearch int
	}{
		{name: "listing without variations", sku: "KIT-ADESIVO-3M-75", qty: 7,
			want: []melifake.StockWrite{{ItemID: "MLB1054990648", Quantity: 7}}, wantSearch: 1},
		{name: "negative clamped to zero", sku: "KIT-ADESIVO-3M-75", qty: -2,
			want: []melifake.StockWrite{{ItemID: "MLB1054990648", Quantity: 0}}, wantSearch: 1},
		{name: "one variation of a listing, every variation sent", sku: "CAMISETA-BASICA-G-PRETO", qty: 3,
			want: []melifake.StockWrite{{ItemID: "MLB2608564035", VariationID: "174390848695", Quantity: 3}}, wantSearch: 1},
		{name: "423 retried", sku: "KIT-ADESIVO-3M-75", qty: 1, fault: &platformtest.Fault{Status: 423, Times: 1},
			want:       []melifake.StockWrite{{ItemID: "MLB1054990648", Quantity: 1}},
			wantSleeps: []time.Duration{500 * time.Millisecond}, wantSearch: 1},
		{name: "sku on no listing", sku: "NOPE", qty: 1, wantKind: platform.ErrNotFound, wantSearch: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake, clock, _ := newClient(t)
			if tt.fault != nil {
				fake.Fail(melifake.EndpointItemUpdate, *tt.fault)
			}
			err := c.SetStock(context.Background(), tt.sku, tt.qty)
			if platform.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %q", err, tt.wantKind)
			}
			if got := fake.StockWrites(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("writes = %+v, want %+v", got, tt.want)
			}
			if got := clock.Sleeps(); !reflect.DeepEqual(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if n := fake.Count(melifake.EndpointItemsSearch); n != tt.wantSearch {
				t.Errorf("sku searches = %d, want %d", n, tt.wantSearch)
			}
		})
	}
}

func TestSetStockCachesListings(t *testing.T) {
	c, fake, _, _ := newClient(t)
	for _, q := range []int64{5, 4, 3} {
		if err := c.SetStock(context.Background(), "CAMISETA-BASICA-M-PRETO", q); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count(melifake.EndpointItemsSearch); n != 1 {
		t.Errorf("sku searches = %d, want 1", n)
	}
	w := fake.StockWrites()
	if len(w) != 3 || w[2] != (melifake.StockWrite{ItemID: "MLB2608564035", VariationID: "174390848694", Quantity: 3}) {
		t.Errorf("writes = %+v", w)
	}
}

const nfe = `<?xml version="1.0" encoding="UTF-8"?><nfeProc versao="4.00" xmlns="http://www.portalfiscal.inf.br/nfe">` +
	`<NFe><infNFe Id="NFe35220411222333000181550010000012341000012345" versao="4.00"/></NFe>` +
	`<protNFe versao="4.00"><infProt><chNFe>35220411222333000181550010000012341000012345</chNFe><cStat>100</cStat></infProt></protNFe></nfeProc>`

func TestSendInvoice(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	inv := platform.Invoice{Number: "1234", Series: "1", Key: "35220411222333000181550010000012341000012345", XML: []byte(nfe), ValueCents: 5000}
	if err := c.SendInvoice(ctx, melifake.OrderPack, inv); err != nil {
		t.Fatal(err)
	}
	// Sent again (a retry after a lost answer): 400 duplicated_fiscal_key is success.
	if err := c.SendInvoice(ctx, melifake.OrderPack, inv); err != nil {
		t.Fatalf("duplicate: %v", err)
	}
	got := fake.Invoices("41297142475")
	if len(got) != 1 || string(got[0]) != nfe || fake.Count(melifake.EndpointInvoiceData) != 2 {
		t.Errorf("invoices %d, requests %d", len(got), fake.Count(melifake.EndpointInvoiceData))
	}
	if err := c.SendInvoice(ctx, melifake.OrderPack, platform.Invoice{Number: "1"}); platform.KindOf(err) != platform.ErrRejected {
		t.Errorf("without XML: %v", err)
	}
	fake.Fail(melifake.EndpointInvoiceData, platformtest.Fault{Status: 400, Body: `{"message":"invalid fiscal document","error":"bad_request"}`, Times: 1})
	err := c.SendInvoice(ctx, melifake.OrderSearch, inv)
	if platform.KindOf(err) != platform.ErrRejected || !strings.Contains(apperr.Message(err), "invalid fiscal document") {
		t.Errorf("other 400: %v", err)
	}
}

func TestSendTracking(t *testing.T) {
	tr := platform.Tracking{InvoiceNumber: "1234", Carrier: "Jadlog", Code: "JD123456789BR", URL: "https://www.jadlog.com.br/",
		DispatchedAt: time.Date(2022, 4, 9, 10, 0, 0, 0, time.FixedZone("BRT", -3*3600))}
	t.Run("ME2: Mercado Envios owns tracking", func(t *testing.T) {
		c, fake, _, _ := newClient(t)
		if err := c.SendTracking(context.Background(), melifake.OrderPack, tr); err != nil {
			t.Fatal(err)
		}
		if n := fake.Count(melifake.EndpointSellerNotifications); n != 0 {
			t.Errorf("notifications sent: %d", n)
		}
	})
	t.Run("ME1: seller notification", func(t *testing.T) {
		c, fake, _, _ := newClient(t)
		fake.SetShipment("41297142475", bytes.Replace(melifake.Fixture("shipment-41297142475.json"),
			[]byte(`"mode": "me2"`), []byte(`"mode": "me1"`), 1))
		if err := c.SendTracking(context.Background(), melifake.OrderPack, tr); err != nil {
			t.Fatal(err)
		}
		got := fake.SellerNotifications("41297142475")
		want := `{"payload":{"comment":"Jadlog","date":"2022-04-09T10:00:00.000-03:00","service_id":11},"status":"shipped","substatus":"null","tracking_number":"JD123456789BR","tracking_url":"https://www.jadlog.com.br/"}`
		if len(got) != 1 || string(got[0]) != want {
			t.Errorf("notification\n got: %s\nwant: %s", got, want)
		}
	})
}

func TestUnsupportedAndNoOps(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	if err := c.StartHandling(ctx, melifake.OrderPack); err != nil {
		t.Errorf("StartHandling = %v", err)
	}
	err := c.Cancel(ctx, melifake.OrderPack, "sem estoque")
	if !errors.Is(err, platform.ErrUnsupported) || !strings.Contains(apperr.Message(err), "painel do Mercado Livre") {
		t.Errorf("Cancel = %v", err)
	}
	if len(fake.Counts()) != 0 {
		t.Errorf("requests made: %v", fake.Counts())
	}
}

func TestParseSettings(t *testing.T) {
	cfg, tok, err := mercadolivre.ParseSettings("", map[string]string{
		"client_id": "123", "client_secret": "s", "refresh_token": "TG-1", "seller_id": "239432672",
	})
	if err != nil || cfg.ClientID != "123" || cfg.SellerID != "239432672" || tok != (mercadolivre.Token{RefreshToken: "TG-1"}) {
		t.Errorf("ParseSettings = %+v %+v %v", cfg, tok, err)
	}
	_, _, err = mercadolivre.ParseSettings("", map[string]string{"seller_id": "abc", "import_from": "x", "token": "y"})
	var fields []string
	for _, d := range apperr.Details(err) {
		fields = append(fields, d.Field)
	}
	want := []string{"client_id", "client_secret", "refresh_token", "seller_id", "import_from", "token"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("problems on %v, want %v", fields, want)
	}
}
