// Package vtexfake is an in-process VTEX test double (httptest) for the
// adapter's contract tests and, later, its benchmarks. It serves the official
// example payloads in testdata/ (see testdata/SOURCES.md), keeps the state the
// adapter changes (order statuses, feed queue, invoices, tracking,
// cancellations, inventory), counts requests per endpoint and injects faults
// (status codes with Retry-After, garbage bodies, slow answers) per endpoint.
package vtexfake

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/connectparts/portal/internal/platform/platformtest"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Fixture returns one of the embedded example payloads ("vtex-order.json").
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// Endpoint names, for Fail and Count.
const (
	EndpointFeed          = "feed"
	EndpointCommit        = "feed-commit"
	EndpointFeedConfig    = "feed-config"
	EndpointOrder         = "order"
	EndpointStartHandling = "start-handling"
	EndpointInvoice       = "invoice"
	EndpointTracking      = "tracking"
	EndpointCancel        = "cancel"
	EndpointSKUByRefID    = "sku-by-refid"
	EndpointInventory     = "inventory"
)

// Credentials the fake accepts by default.
const (
	AppKey   = "vtexappkey-connectparts-FAKE"
	AppToken = "FAKE-APP-TOKEN"
)

// Ids of the orders served from the examples.
const (
	OrderFull = "1172452900788-01" // vtex-order-full.json, status handling
	OrderFeed = "953712004126-01"  // the feed example's order, ready-for-handling
)

// Event is a feed v3 item.
type Event struct {
	EventID       string `json:"eventId"`
	Handle        string `json:"handle"`
	Domain        string `json:"domain"`
	State         string `json:"state"`
	LastState     string `json:"lastState"`
	OrderID       string `json:"orderId"`
	LastChange    string `json:"lastChange"`
	CurrentChange string `json:"currentChange"`
}

// Stock is one inventory write received.
type Stock struct {
	Method      string // PATCH (…/quantity) or PUT
	SKUID       string
	Warehouse   string
	Quantity    int64
	Unlimited   bool
	RawBodyJSON string
	// BalanceAt is dateUtcOnBalanceSystem, or the request's time when the
	// body has none.
	BalanceAt time.Time
}

type inflight struct {
	Event
	n  int
	at time.Time // when it was handed out
}

type order struct {
	tmpl   []byte // JSON with placeholders for generated values
	id     string
	seq    string
	status string
	// served: when GET order first answered the order in each status.
	served map[string]time.Time
	resv   []reservation // one per item line, see reservations.go
	// created is when the fake made the order (zero for the examples): List
	// orders filters on it.
	created time.Time
}

// newOrder makes an order from a template, its reservations placed in the
// state status implies.
func newOrder(tmpl []byte, id, seq, status string) *order {
	var m struct {
		Items []struct {
			ID       string      `json:"id"`
			Quantity json.Number `json:"quantity"`
		} `json:"items"`
	}
	must(json.Unmarshal(tmpl, &m))
	o := &order{tmpl: tmpl, id: id, seq: seq, status: status}
	st := reservationState(status)
	if st == "keep" {
		st = ReservationConfirmed
	}
	for _, it := range m.Items {
		q, _ := it.Quantity.Int64()
		o.resv = append(o.resv, reservation{skuID: it.ID, qty: q, state: st})
	}
	return o
}

const (
	phID     = `"__FAKE_ORDER_ID__"`
	phSeq    = `"__FAKE_SEQUENCE__"`
	phStatus = `"__FAKE_STATUS__"`
)

// Server is the fake. Its zero value is not usable; call New.
type Server struct {
	URL      string
	AppKey   string
	AppToken string

	srv *httptest.Server
	// Faults gives the server Fail, ClearFaults, Count and Counts; endpoint
	// names are the Endpoint* constants.
	platformtest.Faults

	mu         sync.Mutex
	orders     map[string]*order
	genTmpl    []byte
	queue      []Event
	inflight   map[string]inflight
	delivered  int // counts deliveries, to re-queue expired events in order
	committed  []string
	feedConfig json.RawMessage
	invoices   map[string][]json.RawMessage
	trackings  map[string][]json.RawMessage
	cancels    map[string][]string
	stock      map[string]Stock // skuId/warehouse → last write
	stockLog   []Stock
	skuByRef   map[string]string
	seq        int
	hook       *hook
	hookOff    bool
	hookWG     sync.WaitGroup
	hookStats  hookStats

	// tracked is the latest tracking PATCHed to each invoice, by order id
	// and invoice number (packages.go shows it in the order).
	tracked map[[2]string]json.RawMessage
}

// New starts a fake serving the example orders, with the feed holding the
// example event, an event for OrderFull and a repeat of the example event.
func New() *Server {
	s := &Server{
		AppKey:     AppKey,
		AppToken:   AppToken,
		orders:     map[string]*order{},
		inflight:   map[string]inflight{},
		invoices:   map[string][]json.RawMessage{},
		tracked:    map[[2]string]json.RawMessage{},
		trackings:  map[string][]json.RawMessage{},
		cancels:    map[string][]string{},
		stock:      map[string]Stock{},
		skuByRef:   map[string]string{"BIGBML": "18"},
		feedConfig: json.RawMessage(`{"filter":{"type":"FromWorkflow","status":["ready-for-handling","handling","canceled"]},"queue":{"visibilityTimeoutInSeconds":240,"MessageRetentionPeriodInSeconds":345600}}`),
	}
	s.orders[OrderFull] = newOrder(withPlaceholders(Fixture("vtex-order-full.json"), false), OrderFull, "502556", "handling")
	s.orders[OrderFeed] = newOrder(withPlaceholders(Fixture("vtex-order.json"), true), OrderFeed, "502556", "ready-for-handling")
	s.genTmpl = withPlaceholders(Fixture("vtex-order.json"), true)

	var feed map[string]json.RawMessage
	must(json.Unmarshal(Fixture("vtex-feed-v3.json"), &feed))
	var first []Event
	must(json.Unmarshal(feed["GET /api/orders/feed?maxlot=10 response 200"], &first))
	s.queue = append(s.queue, first...)
	s.queue = append(s.queue, Event{
		EventID: "FAKE-EVENT-1", Handle: "fake-handle-1", Domain: "Fulfillment",
		State: "handling", LastState: "start-handling", OrderID: OrderFull,
		LastChange: "2024-02-06T20:46:11.7010747Z", CurrentChange: "2024-02-06T20:46:11.7010747Z",
	})
	repeat := first[0]
	repeat.EventID, repeat.Handle = "FAKE-EVENT-2", "fake-handle-2"
	repeat.CurrentChange = "2019-08-12T20:54:24.0000000Z"
	s.queue = append(s.queue, repeat)
	s.seq = 2

	mux := http.NewServeMux()
	s.route(mux, "GET /api/orders/feed", EndpointFeed, s.getFeed)
	s.route(mux, "POST /api/orders/feed", EndpointCommit, s.commitFeed)
	s.route(mux, "POST /api/orders/feed/config", EndpointFeedConfig, s.postFeedConfig)
	s.route(mux, "POST /api/orders/hook/config", EndpointHookConfig, s.postHookConfig)
	s.route(mux, "GET /api/oms/pvt/orders", EndpointListOrders, s.listOrders)
	s.route(mux, "GET /api/oms/pvt/orders/{id}", EndpointOrder, s.getOrder)
	s.route(mux, "POST /api/oms/pvt/orders/{id}/start-handling", EndpointStartHandling, s.startHandling)
	s.route(mux, "POST /api/oms/pvt/orders/{id}/invoice", EndpointInvoice, s.postInvoice)
	s.route(mux, "PATCH /api/oms/pvt/orders/{id}/invoice/{number}", EndpointTracking, s.patchTracking)
	s.route(mux, "POST /api/oms/pvt/orders/{id}/cancel", EndpointCancel, s.cancel)
	s.route(mux, "GET /api/catalog_system/pvt/sku/stockkeepingunitidbyrefid/{refId}", EndpointSKUByRefID, s.skuByRefID)
	s.route(mux, "PUT /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}", EndpointInventory, s.putInventory)
	s.route(mux, "PATCH /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}/quantity", EndpointInventory, s.putInventory)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close stops the server, after the hook notifications in flight.
func (s *Server) Close() {
	s.hookWG.Wait()
	s.srv.Close()
}

func (s *Server) route(mux *http.ServeMux, pattern, endpoint string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if s.Enter(endpoint, w, r) {
			return
		}
		if r.Header.Get("X-VTEX-API-AppKey") != s.AppKey || r.Header.Get("X-VTEX-API-AppToken") != s.AppToken {
			writeJSON(w, http.StatusUnauthorized, `{"error":{"code":"1","message":"Unauthorized"}}`)
			return
		}
		h(w, r)
	})
}

// withPlaceholders turns an example order into a template: status (and, for
// generated orders, orderId and sequence) replaced by placeholders.
func withPlaceholders(example []byte, idToo bool) []byte {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(example))
	dec.UseNumber() // keep the example's numbers as written
	must(dec.Decode(&m))
	m["status"] = "__FAKE_STATUS__"
	if idToo {
		m["orderId"] = "__FAKE_ORDER_ID__"
		m["sequence"] = "__FAKE_SEQUENCE__"
	}
	b, err := json.Marshal(m)
	must(err)
	return b
}

func (o *order) render() []byte {
	b := bytes.Replace(o.tmpl, []byte(phStatus), jsonString(o.status), 1)
	b = bytes.Replace(b, []byte(phID), jsonString(o.id), 1)
	return bytes.Replace(b, []byte(phSeq), jsonString(o.seq), 1)
}

// AddOrders adds n generated orders in the given status, each with a feed
// event, and returns their ids. The orders are vtex-order.json with new ids.
func (s *Server) AddOrders(n int, status string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, n)
	now := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		// The event is dated one second per order generated so far.
		id, _ := s.addOrder(s.genTmpl, status, now.Add(time.Duration(s.seq+1)*time.Second))
		ids = append(ids, id)
	}
	return ids
}

// addOrder stores a generated order made from tmpl and queues its feed
// event, dated at. Caller holds mu.
func (s *Server) addOrder(tmpl []byte, status string, at time.Time) (id, sequence string) {
	s.seq++
	id = fmt.Sprintf("%013d-01", 9000000000000+s.seq)
	sequence = strconv.Itoa(600000 + s.seq)
	s.orders[id] = newOrder(tmpl, id, sequence, status)
	s.orders[id].created = at
	s.queue = append(s.queue, s.event(status, "", id, at))
	s.notifyHook(id, status, "", at)
	return id, sequence
}

// event is a feed event with the id and handle of the current seq. Caller
// holds mu.
func (s *Server) event(state, lastState, orderID string, at time.Time) Event {
	ts := at.Format(time.RFC3339Nano)
	return Event{
		EventID: fmt.Sprintf("FAKE-EVENT-%d", s.seq), Handle: fmt.Sprintf("fake-handle-%d", s.seq),
		Domain: "Fulfillment", State: state, LastState: lastState, OrderID: orderID, LastChange: ts, CurrentChange: ts,
	}
}

// Item is one line of an order made by AddOrder.
type Item struct {
	RefID    string // the seller's SKU (the portal's product SKU)
	Quantity int64
	Price    int64 // cents per unit
}

// AddOrder adds one generated order with these items (vtex-order.json with a
// new id, the items replaced, one logisticsInfo per item on the example's
// SLA) in the given status, with its feed event, and returns its orderId and
// sequence (the portal's order number).
func (s *Server) AddOrder(status string, items []Item) (id, sequence string) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(s.genTmpl))
	dec.UseNumber()
	must(dec.Decode(&m))
	exItem := m["items"].([]any)[0].(map[string]any)
	shipping := m["shippingData"].(map[string]any)
	exLogistics := shipping["logisticsInfo"].([]any)[0].(map[string]any)
	var lines, logistics []any
	var total int64
	s.mu.Lock()
	skuIDs := make([]string, len(items))
	for i, it := range items {
		// The line's id is the VTEX SKU id: the one SetSKU gave the refId,
		// or a made-up one.
		if skuIDs[i] = s.skuByRef[it.RefID]; skuIDs[i] == "" {
			skuIDs[i] = strconv.Itoa(1000 + i)
		}
	}
	s.mu.Unlock()
	for i, it := range items {
		line := map[string]any{}
		for k, v := range exItem {
			line[k] = v
		}
		lineTotal := it.Price * it.Quantity
		line["id"], line["refId"], line["sellerSku"] = skuIDs[i], it.RefID, skuIDs[i]
		line["uniqueId"] = fmt.Sprintf("FAKEITEM%04d", i)
		line["name"], line["quantity"] = "Produto "+it.RefID, it.Quantity
		line["price"], line["listPrice"], line["sellingPrice"] = it.Price, it.Price, it.Price
		line["priceDefinition"] = map[string]any{
			"sellingPrices":          []any{map[string]any{"value": it.Price, "quantity": it.Quantity}},
			"calculatedSellingPrice": it.Price, "total": lineTotal, "reason": nil,
		}
		lines = append(lines, line)
		li := map[string]any{}
		for k, v := range exLogistics {
			li[k] = v
		}
		li["itemIndex"] = i
		logistics = append(logistics, li)
		total += lineTotal
	}
	m["items"], shipping["logisticsInfo"] = lines, logistics
	delete(m, "marketplaceItems")
	m["totals"] = []any{map[string]any{"id": "Items", "name": "Total dos Itens", "value": total},
		map[string]any{"id": "Shipping", "name": "Total do Frete", "value": 0}}
	m["value"] = total
	tmpl, err := json.Marshal(m)
	must(err)

	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addOrder(tmpl, status, time.Now().UTC())
}

// ChangeStatus moves an order to status and queues its feed event, as VTEX
// does when the workflow advances (payment approved: "ready-for-handling").
func (s *Server) ChangeStatus(id, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return
	}
	last := o.status
	o.setStatus(status)
	s.seq++
	now := time.Now().UTC()
	s.queue = append(s.queue, s.event(status, last, id, now))
	s.notifyHook(id, status, last, now)
}

// FirstServed returns when GET order first answered the order in status:
// the instant the engine saw it there.
func (s *Server) FirstServed(id, status string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[id]; ok {
		t, seen := o.served[status]
		return t, seen
	}
	return time.Time{}, false
}

// Enqueue adds a feed event; an empty Handle gets a fresh one.
func (s *Server) Enqueue(ev Event) Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ev.Handle == "" {
		s.seq++
		ev.Handle = fmt.Sprintf("fake-handle-%d", s.seq)
		ev.EventID = fmt.Sprintf("FAKE-EVENT-%d", s.seq)
	}
	s.queue = append(s.queue, ev)
	return ev
}

// ExpireInflight makes every read but uncommitted event visible again, as the
// feed does after its visibility timeout: ahead of the queue, in the order
// they were first delivered.
func (s *Server) ExpireInflight() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireInflight(time.Time{})
}

// expireInflight re-queues, ahead of the queue, the events handed out before
// now minus the configured visibilityTimeoutInSeconds ("Period of time for
// which an item becomes invisible after it has been retrieved"); a zero now
// re-queues every event in flight. Caller holds mu.
func (s *Server) expireInflight(now time.Time) {
	var back []inflight
	if now.IsZero() {
		for _, ev := range s.inflight {
			back = append(back, ev)
		}
	} else {
		var cfg struct {
			Queue struct {
				Visibility int `json:"visibilityTimeoutInSeconds"`
			} `json:"queue"`
		}
		if json.Unmarshal(s.feedConfig, &cfg) != nil || cfg.Queue.Visibility <= 0 {
			return
		}
		limit := now.Add(-time.Duration(cfg.Queue.Visibility) * time.Second)
		for _, ev := range s.inflight {
			if ev.at.Before(limit) {
				back = append(back, ev)
			}
		}
	}
	if len(back) == 0 {
		return
	}
	sort.Slice(back, func(i, j int) bool { return back[i].n < back[j].n })
	queue := make([]Event, 0, len(back)+len(s.queue))
	for _, ev := range back {
		queue = append(queue, ev.Event)
	}
	s.queue = append(queue, s.queue...)
	for _, ev := range back {
		delete(s.inflight, ev.Handle)
	}
}

// Committed returns the handles committed so far, in order.
func (s *Server) Committed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.committed...)
}

// Pending returns how many events are queued or in flight.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue) + len(s.inflight)
}

// RemoveFeedConfig makes GET /api/orders/feed answer 404, as VTEX does for an
// app key without feed configuration.
func (s *Server) RemoveFeedConfig() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feedConfig = nil
}

// FeedConfig returns the last feed configuration posted (nil when none).
func (s *Server) FeedConfig() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feedConfig
}

// Status returns the current status of an order ("" when unknown).
func (s *Server) Status(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[id]; ok {
		return o.status
	}
	return ""
}

// SetStatus changes an order's status.
func (s *Server) SetStatus(id, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[id]; ok {
		o.setStatus(status)
	}
}

// Invoices returns the invoice notification bodies received for an order.
func (s *Server) Invoices(id string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.invoices[id]...)
}

// Trackings returns the tracking PATCH bodies received for an order.
func (s *Server) Trackings(id string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.trackings[id]...)
}

// Cancellations returns the reasons of the cancellations received for an order.
func (s *Server) Cancellations(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cancels[id]...)
}

// Stock returns the last inventory write for a VTEX SKU id and warehouse.
func (s *Server) Stock(skuID, warehouse string) (Stock, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stock[skuID+"/"+warehouse]
	return st, ok
}

// StockWrites returns every inventory write accepted, in order.
func (s *Server) StockWrites() []Stock {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Stock(nil), s.stockLog...)
}

// SetSKU makes the SKU lookup answer skuID for refID.
func (s *Server) SetSKU(refID, skuID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skuByRef[refID] = skuID
}

func (s *Server) getFeed(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("maxlot"))
	if err != nil || n < 1 || n > 10 {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"maxlot must be between 1 and 10"}}`)
		return
	}
	s.mu.Lock()
	if s.feedConfig == nil {
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, `{"error":{"message":"Feed configuration not found"}}`)
		return
	}
	s.expireInflight(time.Now())
	n = min(n, len(s.queue))
	lot := append([]Event(nil), s.queue[:n]...)
	s.queue = s.queue[n:]
	now := time.Now()
	for _, ev := range lot {
		s.delivered++
		s.inflight[ev.Handle] = inflight{Event: ev, n: s.delivered, at: now}
	}
	s.mu.Unlock()
	b, _ := json.Marshal(lot)
	writeJSON(w, http.StatusOK, string(b))
}

func (s *Server) commitFeed(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Handles []string `json:"handles"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Handles == nil {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"handles required"}}`)
		return
	}
	s.mu.Lock()
	for _, h := range body.Handles {
		if _, ok := s.inflight[h]; ok {
			delete(s.inflight, h)
		} else {
			for i := 0; i < len(s.queue); i++ {
				if s.queue[i].Handle == h {
					s.queue = append(s.queue[:i], s.queue[i+1:]...)
					i--
				}
			}
		}
		s.committed = append(s.committed, h)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (s *Server) postFeedConfig(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil || !json.Valid(b) {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"invalid body"}}`)
		return
	}
	s.mu.Lock()
	s.feedConfig = b
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (*order, bool) {
	o, ok := s.orders[r.PathValue("id")]
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"error":{"code":"OMS001","message":"Order Not Found"}}`)
	}
	return o, ok
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o, ok := s.lookup(w, r)
	var b []byte
	if ok {
		b = s.withPackages(o.id, o.render())
		if _, seen := o.served[o.status]; !seen {
			if o.served == nil {
				o.served = map[string]time.Time{}
			}
			o.served[o.status] = time.Now()
		}
	}
	s.mu.Unlock()
	if ok {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}
}

func (s *Server) startHandling(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if o.status != "ready-for-handling" {
		var f map[string]map[string]json.RawMessage
		must(json.Unmarshal(Fixture("vtex-tracking-and-handling.json"), &f))
		writeJSON(w, http.StatusConflict, string(f["POST /api/oms/pvt/orders/{orderId}/start-handling"]["409 example"]))
		return
	}
	o.setStatus("handling")
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) postInvoice(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var inv struct {
		Type          string `json:"type"`
		IssuanceDate  string `json:"issuanceDate"`
		InvoiceNumber string `json:"invoiceNumber"`
		InvoiceValue  string `json:"invoiceValue"`
		Items         []struct {
			ID       string `json:"id"`
			Price    int64  `json:"price"`
			Quantity int64  `json:"quantity"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &inv); err != nil || inv.Type == "" || inv.IssuanceDate == "" ||
		inv.InvoiceNumber == "" || inv.InvoiceValue == "" || len(inv.Items) == 0 {
		writeJSON(w, http.StatusBadRequest, `{"error":{"code":"1","message":"Invalid invoice notification"}}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	s.invoices[o.id] = append(s.invoices[o.id], b)
	if inv.Type == "Output" {
		o.setStatus("invoiced")
	}
	writeJSON(w, http.StatusOK, string(section("vtex-invoice-notification.json", "_response_200")))
}

func (s *Server) patchTracking(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if !json.Valid(b) {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"invalid body"}}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	found := false
	for _, raw := range s.invoices[o.id] {
		var inv struct {
			InvoiceNumber string `json:"invoiceNumber"`
		}
		_ = json.Unmarshal(raw, &inv)
		found = found || inv.InvoiceNumber == r.PathValue("number")
	}
	if !found {
		writeJSON(w, http.StatusNotFound, `{"error":{"message":"Invoice not found"}}`)
		return
	}
	s.trackings[o.id] = append(s.trackings[o.id], b)
	s.tracked[[2]string{o.id, r.PathValue("number")}] = b
	writeJSON(w, http.StatusOK, string(section("vtex-tracking-and-handling.json", "PATCH response 200")))
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	s.cancels[o.id] = append(s.cancels[o.id], body.Reason)
	o.setStatus("canceled")
	writeJSON(w, http.StatusOK, string(section("vtex-invoice-notification.json", "_response_200")))
}

func (s *Server) skuByRefID(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id, ok := s.skuByRef[r.PathValue("refId")]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"error":{"message":"SKU not found"}}`)
		return
	}
	writeJSON(w, http.StatusOK, string(jsonString(id)))
}

func (s *Server) putInventory(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body struct {
		Quantity          *int64  `json:"quantity"`
		UnlimitedQuantity *bool   `json:"unlimitedQuantity"`
		BalanceAt         *string `json:"dateUtcOnBalanceSystem"`
	}
	err := json.Unmarshal(b, &body)
	at, atOK := time.Time{}, false
	if err == nil {
		at, atOK = balanceTime(body.BalanceAt, time.Now())
	}
	if err != nil || body.Quantity == nil || body.UnlimitedQuantity == nil || *body.Quantity < 0 || !atOK {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"invalid inventory body"}}`)
		return
	}
	st := Stock{
		Method: r.Method,
		SKUID:  r.PathValue("skuId"), Warehouse: r.PathValue("warehouseId"),
		Quantity: *body.Quantity, Unlimited: *body.UnlimitedQuantity, RawBodyJSON: string(b), BalanceAt: at,
	}
	s.mu.Lock()
	s.stock[st.SKUID+"/"+st.Warehouse] = st
	s.stockLog = append(s.stockLog, st)
	s.zeroAcknowledged(st.SKUID, at)
	s.mu.Unlock()
	if r.Method == http.MethodPatch {
		w.WriteHeader(http.StatusNoContent) // "PATCH response": 204 No Content
		return
	}
	writeJSON(w, http.StatusOK, "true") // PUT: 200 with true
}

// Locked is the 423 answer of the inventory PUT, body from the Logistics API example.
func Locked(times int) platformtest.Fault {
	var m map[string]json.RawMessage
	must(json.Unmarshal(Fixture("vtex-inventory.json"), &m))
	var text string
	must(json.Unmarshal(m["PUT 423 example"], &text))
	return platformtest.Fault{Status: http.StatusLocked, Body: text, ContentType: "text/plain", Times: times}
}

func section(file, key string) json.RawMessage {
	var m map[string]json.RawMessage
	must(json.Unmarshal(Fixture(file), &m))
	return m[key]
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
