package vtex_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// The contract test takes VTEX's own OpenAPI files (testdata/openapi, copied
// unedited from vtex/openapi-schemas; see its SOURCES.md) as the oracle: every
// request an adapter method sends must match an operation of the definitions
// (method, path, query, headers, body), and every answer vtexfake gives must
// match that operation's response schema for its status. Neither the adapter
// nor the fake is trusted to read the documents right.

var (
	specsOnce sync.Once
	specs     []*openapi3.T
	specsErr  error
)

func loadSpecs(t *testing.T) []*openapi3.T {
	t.Helper()
	specsOnce.Do(func() {
		for _, name := range []string{"vtex-orders.json", "vtex-logistics.json", "vtex-catalog.json"} {
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromFile(filepath.Join("testdata", "openapi", name))
			if err != nil {
				specsErr = fmt.Errorf("%s: %w", name, err)
				return
			}
			// VTEX's own examples are not all valid against their schemas
			// (a number written as a string): the examples are not the oracle.
			if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
				specsErr = fmt.Errorf("%s: %w", name, err)
				return
			}
			specs = append(specs, doc)
		}
	})
	if specsErr != nil {
		t.Fatal(specsErr)
	}
	return specs
}

// oracle is an http.RoundTripper between the adapter and vtexfake that
// validates each exchange against the definitions and records which
// operations were exercised.
type oracle struct {
	t       *testing.T
	routers []routers.Router
	next    http.RoundTripper

	mu       sync.Mutex
	problems []string
	covered  map[string]bool // "operationId status"
}

func newOracle(t *testing.T, serverURL string) *oracle {
	t.Helper()
	o := &oracle{t: t, next: http.DefaultTransport, covered: map[string]bool{}}
	for _, doc := range loadSpecs(t) {
		// Route against the fake instead of https://{accountName}.{environment}.com.br.
		d := *doc
		d.Servers = openapi3.Servers{{URL: serverURL}}
		paths := openapi3.NewPaths()
		for p, item := range doc.Paths.Map() {
			it := *item
			it.Servers = nil
			paths.Set(p, &it)
		}
		d.Paths = paths
		r, err := gorillamux.NewRouter(&d)
		if err != nil {
			t.Fatal(err)
		}
		o.routers = append(o.routers, r)
	}
	return o
}

// headerAuth checks that the credentials a security scheme names are sent.
func headerAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s.Type != "apiKey" || s.In != "header" {
		return fmt.Errorf("scheme %s not used by the adapter", in.SecuritySchemeName)
	}
	if in.RequestValidationInput.Request.Header.Get(s.Name) == "" {
		return fmt.Errorf("header %s missing", s.Name)
	}
	return nil
}

func (o *oracle) problem(format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.problems = append(o.problems, fmt.Sprintf(format, args...))
}

func (o *oracle) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
	}
	reset := func() {
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	reset()
	var route *routers.Route
	var params map[string]string
	for _, r := range o.routers {
		if rt, p, err := r.FindRoute(req); err == nil {
			route, params = rt, p
			break
		}
	}
	call := req.Method + " " + req.URL.Path
	if route == nil {
		o.problem("%s: no operation of VTEX's definitions has this method and path", call)
		return o.next.RoundTrip(req)
	}
	// Error answers the definitions do not list (the 404s of Get order and of
	// the feed without configuration, documented in prose only) have no schema
	// to check; every documented status is checked against its schema.
	opts := &openapi3filter.Options{MultiError: true, AuthenticationFunc: headerAuth}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		o.problem("%s (%s) request %s: %v", call, route.Operation.OperationID, body, err)
	}
	reset()
	resp, err := o.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	reset()
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(rb)), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(req.Context(), rin); err != nil {
		o.problem("%s (%s) response %d %.300s: %v", call, route.Operation.OperationID, resp.StatusCode, rb, err)
	}
	o.mu.Lock()
	o.covered[fmt.Sprintf("%s %s %d", route.Method, route.Path, resp.StatusCode)] = true
	o.mu.Unlock()
	return resp, nil
}

func (o *oracle) check(t *testing.T, want []string) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, p := range o.problems {
		t.Error(p)
	}
	var got []string
	for k := range o.covered {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("operations exercised:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// contractClient is an adapter talking to a fresh vtexfake through the oracle.
func contractClient(t *testing.T) (*vtex.Client, *vtexfake.Server, *oracle) {
	t.Helper()
	fake := vtexfake.New()
	t.Cleanup(fake.Close)
	o := newOracle(t, fake.URL)
	c, err := vtex.New(vtex.Config{
		Account: "connectparts", AppKey: fake.AppKey, AppToken: fake.AppToken, Warehouse: warehouse,
		BaseURL: fake.URL, Timeout: 5 * time.Second, HTTPClient: &http.Client{Transport: o},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake, o
}

// TestContractEveryCall drives every method of the adapter that talks to
// VTEX, through each answer the adapter handles differently, and checks both
// sides of every exchange against the definitions. The list of operations
// exercised must be exactly the adapter's calls: a new call without a case
// here fails the test.
func TestContractEveryCall(t *testing.T) {
	ctx := context.Background()
	c, fake, o := contractClient(t)

	// Feed: missing configuration (404) → configure → read; then commit.
	fake.RemoveFeedConfig()
	b, err := c.Changes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ack(ctx, b.Changes); err != nil {
		t.Fatal(err)
	}
	// Orders: the complete example and the trimmed one; an unknown order.
	for _, id := range []string{vtexfake.OrderFull, vtexfake.OrderFeed} {
		if _, err := c.GetOrder(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetOrder(ctx, "0000000000000-01"); platform.KindOf(err) != platform.ErrNotFound {
		t.Fatalf("unknown order: %v", err)
	}
	// Start handling: accepted (204) and refused for an order past it (409).
	if err := c.StartHandling(ctx, vtexfake.OrderFeed); err != nil {
		t.Fatal(err)
	}
	if err := c.StartHandling(ctx, vtexfake.OrderFull); err != nil {
		t.Fatal(err)
	}
	// Invoice, with the lines taken from the order, then the tracking.
	issued := time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC)
	inv := platform.Invoice{Number: "1234", Series: "1", Key: strings.Repeat("3", 44), IssuedAt: issued,
		ValueCents: 9900, XML: []byte("<nfeProc/>")}
	if err := c.SendInvoice(ctx, vtexfake.OrderFeed, inv); err != nil {
		t.Fatal(err)
	}
	if err := c.SendTracking(ctx, vtexfake.OrderFeed, platform.Tracking{InvoiceNumber: "1234",
		Carrier: "Correios", Code: "BR123", URL: "https://rastreamento.correios.com.br/BR123",
		DispatchedAt: issued.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// A tracking without a dispatch time still sends the required dispatchedDate.
	if err := c.SendTracking(ctx, vtexfake.OrderFeed, platform.Tracking{InvoiceNumber: "1234",
		Carrier: "Correios", Code: "BR124"}); err != nil {
		t.Fatal(err)
	}
	// Stock: catalog lookup of our sku, then the quantity.
	if err := c.SetStock(ctx, "BIGBML", 7); err != nil {
		t.Fatal(err)
	}
	// Cancel.
	if err := c.Cancel(ctx, vtexfake.OrderFull, "Sem estoque no fornecedor"); err != nil {
		t.Fatal(err)
	}
	// Backfill on connect: List orders by status and creation date.
	paid, _ := fake.AddOrder("payment-approved", []vtexfake.Item{{RefID: "BIGBML", Quantity: 1, Price: 990}})
	ids, err := c.BackfillOrders(ctx, time.Now().Add(-7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids, paid) {
		t.Fatalf("backfill ids %v lack %s", ids, paid)
	}
	// The orders hook, pinged by VTEX before it accepts the configuration.
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer portal.Close()
	if err := c.RegisterHook(ctx, portal.URL+"/hooks/vtex/1", map[string]string{platform.HookSecretHeader: "s3cr3t"}); err != nil {
		t.Fatal(err)
	}
	o.check(t, []string{
		"GET /api/orders/feed 404",
		"GET /api/orders/feed 200",
		"POST /api/orders/feed/config 200",
		"POST /api/orders/feed 200",
		"GET /api/oms/pvt/orders/{orderId} 200",
		"GET /api/oms/pvt/orders/{orderId} 404",
		"POST /api/oms/pvt/orders/{orderId}/start-handling 204",
		"POST /api/oms/pvt/orders/{orderId}/start-handling 409",
		"POST /api/oms/pvt/orders/{orderId}/invoice 200",
		"PATCH /api/oms/pvt/orders/{orderId}/invoice/{invoiceNumber} 200",
		"GET /api/catalog_system/pvt/sku/stockkeepingunitidbyrefid/{refId} 200",
		"PATCH /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}/quantity 204",
		"POST /api/oms/pvt/orders/{orderId}/cancel 200",
		"POST /api/orders/hook/config 200",
		"GET /api/oms/pvt/orders 200",
	})
}
