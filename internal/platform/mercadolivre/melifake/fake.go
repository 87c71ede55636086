// Package melifake is an in-process Mercado Livre test double (httptest) for
// the adapter's contract tests and later benchmarks. It serves the official
// example payloads in testdata/ (see testdata/SOURCES.md), runs the OAuth
// refresh-token rotation (single-use refresh tokens), keeps the state the
// adapter changes (stock, imported NF-e, seller notifications), counts
// requests per endpoint and injects faults per endpoint.
package melifake

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connectparts/portal/internal/platform/platformtest"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Fixture returns one of the embedded payloads ("meli-order.json").
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// Endpoint names, for Fail and Count.
const (
	EndpointToken               = "token"
	EndpointOrdersSearch        = "orders-search"
	EndpointOrder               = "order"
	EndpointShipment            = "shipment"
	EndpointBillingInfo         = "billing-info"
	EndpointItemsSearch         = "items-search"
	EndpointItem                = "item"
	EndpointItemUpdate          = "item-update"
	EndpointInvoiceData         = "invoice-data"
	EndpointSellerNotifications = "seller-notifications"
)

// Account of the fake.
const (
	ClientID       = "FAKE-APP-ID"
	ClientSecret   = "FAKE-SECRET"
	SellerID       = "239432672" // the seller of the search example
	InitialRefresh = "TG-FAKE-INITIAL"
)

// Ids of the orders served from the examples.
const (
	OrderPack   = "2000003508897196" // meli-order.json, shipment 41297142475 (drop_off, invoice_pending), PF buyer
	OrderSearch = "2032217210"       // meli-orders-search.json, shipment 27968238880 (xd_drop_off, buffered), PJ buyer
)

// StockWrite is one stock change received.
type StockWrite struct {
	ItemID      string
	VariationID string // "" for a listing without variations
	Quantity    int64
}

type variation struct {
	ID  int64
	SKU string
	Qty int64
}

type item struct {
	ID          string
	SKU         string // item-level SELLER_SKU
	CustomField string
	UserProduct string
	Qty         int64
	Variations  []*variation
}

type order struct {
	tmpl      []byte
	id        string
	shipment  string
	billing   string // billing file name
	created   time.Time
	updated   time.Time
	generated bool
	// set replaces top-level keys of the served order (SetOrder).
	set map[string]any
}

// Server is the fake. Create it with New.
type Server struct {
	URL string

	srv *httptest.Server
	// Faults gives the server Fail, ClearFaults, Count and Counts; endpoint
	// names are the Endpoint* constants.
	platformtest.Faults

	mu           sync.Mutex
	refresh      string // the only refresh token that works
	access       string // the only access token that works
	issued       int
	tokenUse     map[string]int // access token → API requests made with it
	orders       map[string]*order
	orderIDs     []string
	shipments    map[string][]byte
	billingByID  map[string]string // billing_info.id → file
	items        map[string]*item
	stockLog     []StockWrite
	invoices     map[string][][]byte // shipment → XML bodies accepted
	fiscalKeys   map[string]bool
	notification map[string][]json.RawMessage
	genTmpl      []byte
	genShipment  []byte
	genShipments map[string]bool // shipment ids of generated orders
	seq          int
	shipSet      map[string]*shipState
	buyerDocs    map[string]string // billing_info.id → CPF served
	multiOrigin  multiState
	fiscalDocs   map[string][][]byte
	packs        map[string]*pack
}

// New starts a fake with the example orders and catalogue. No access token is
// valid yet; InitialRefresh is the valid refresh token.
func New() *Server {
	s := &Server{
		refresh:      InitialRefresh,
		tokenUse:     map[string]int{},
		orders:       map[string]*order{},
		shipments:    map[string][]byte{},
		billingByID:  map[string]string{},
		items:        map[string]*item{},
		invoices:     map[string][][]byte{},
		fiscalKeys:   map[string]bool{},
		notification: map[string][]json.RawMessage{},
		genShipments: map[string]bool{},
	}
	s.addOrder(OrderPack, Fixture("meli-order.json"), "41297142475", "billing-info-mlb-pf.json")
	var search struct {
		Results []json.RawMessage `json:"results"`
	}
	must(json.Unmarshal(Fixture("meli-orders-search.json"), &search))
	s.addOrder(OrderSearch, search.Results[0], "27968238880", "billing-info-mlb-pj.json")
	pk := s.orders[OrderPack]
	s.addPack(&pack{id: PackExample, shipment: "41297142475", orders: []string{OrderPack}, status: "released",
		created: pk.created, updated: pk.updated})
	s.shipments["41297142475"] = Fixture("shipment-41297142475.json")
	s.shipments["27968238880"] = Fixture("meli-shipment-buffered.json")
	s.shipments["40173236996"] = Fixture("meli-shipment-buffered.json")

	s.items["MLB2608564035"] = &item{ID: "MLB2608564035", Qty: 9, Variations: []*variation{
		{ID: 174390848694, SKU: "CAMISETA-BASICA-M-PRETO", Qty: 4},
		{ID: 174390848695, SKU: "CAMISETA-BASICA-G-PRETO", Qty: 5},
	}}
	s.items["MLB1054990648"] = &item{ID: "MLB1054990648", SKU: "KIT-ADESIVO-3M-75", Qty: 12, UserProduct: UserProduct}

	// Generated orders: meli-order.json with placeholders, shipment like 41297142475.
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(Fixture("meli-order.json")))
	dec.UseNumber()
	must(dec.Decode(&m))
	m["id"] = "__FAKE_ID__"
	m["pack_id"] = nil
	m["shipping"] = map[string]any{"id": "__FAKE_SHIPMENT__"}
	m["date_last_updated"] = "__FAKE_UPDATED__"
	buyer := m["buyer"].(map[string]any)
	buyer["billing_info"] = map[string]any{"id": "__FAKE_BILLING__"}
	b, err := json.Marshal(m)
	must(err)
	s.genTmpl = b
	s.genShipment = Fixture("shipment-41297142475.json")

	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", s.wrap(EndpointToken, false, s.token))
	mux.HandleFunc("GET /orders/search", s.wrap(EndpointOrdersSearch, true, s.searchOrders))
	mux.HandleFunc("GET /orders/{id}", s.wrap(EndpointOrder, true, s.getOrder))
	mux.HandleFunc("GET /orders/{id}/billing_info", s.wrap(EndpointBillingInfo, true, s.legacyBilling))
	mux.HandleFunc("GET /orders/billing-info/{site}/{id}", s.wrap(EndpointBillingInfo, true, s.billing))
	mux.HandleFunc("GET /shipments/{id}", s.wrap(EndpointShipment, true, s.getShipment))
	mux.HandleFunc("GET /users/{id}/items/search", s.wrap(EndpointItemsSearch, true, s.searchItems))
	mux.HandleFunc("GET /items/{id}", s.wrap(EndpointItem, true, s.getItem))
	mux.HandleFunc("PUT /items/{id}", s.wrap(EndpointItemUpdate, true, s.putItem))
	mux.HandleFunc("POST /shipments/{id}/invoice_data/", s.wrap(EndpointInvoiceData, true, s.invoiceData))
	mux.HandleFunc("POST /shipments/{id}/seller_notifications", s.wrap(EndpointSellerNotifications, true, s.sellerNotification))
	mux.HandleFunc("GET /users/{id}", s.wrap(EndpointUser, true, s.getUser))
	mux.HandleFunc("GET /user-products/{id}/stock", s.wrap(EndpointUserProduct, true, s.getUserProductStock))
	mux.HandleFunc("PUT /user-products/{id}/stock/type/seller_warehouse", s.wrap(EndpointUserProductPut, true, s.putUserProductStock))
	mux.HandleFunc("GET /shipment_labels", s.wrap(EndpointLabels, true, s.shipmentLabels))
	mux.HandleFunc("GET /packs/{id}", s.wrap(EndpointPack, true, s.getPack))
	mux.HandleFunc("POST /packs/{id}/fiscal_documents", s.wrap(EndpointFiscalDocuments, true, s.fiscalDocuments))
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

func (s *Server) addOrder(id string, raw []byte, shipment, billing string) {
	var v struct {
		DateCreated     string `json:"date_created"`
		LastUpdated     string `json:"last_updated"`
		DateLastUpdated string `json:"date_last_updated"`
	}
	must(json.Unmarshal(raw, &v))
	upd := v.DateLastUpdated
	if upd == "" {
		upd = v.LastUpdated
	}
	s.orders[id] = &order{tmpl: raw, id: id, shipment: shipment, billing: billing,
		created: mustTime(v.DateCreated), updated: mustTime(upd)}
	s.orderIDs = append(s.orderIDs, id)
}

// AddOrders adds n generated orders (meli-order.json with new ids, each with
// its own shipment like 41297142475 and a billing_info.id served by the new
// billing endpoint), created and last updated at updatedFrom, updatedFrom +
// step, …, and returns their ids.
func (s *Server) AddOrders(n int, updatedFrom time.Time, step time.Duration) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		s.seq++
		id := strconv.Itoa(3000000000000000 + s.seq)
		ship := strconv.Itoa(50000000000 + s.seq)
		bill := "FAKE-BILLING-" + id
		upd := updatedFrom.Add(time.Duration(i) * step).UTC()
		s.orders[id] = &order{tmpl: s.genTmpl, id: id, shipment: ship, billing: "billing-info-mlb-pf.json",
			created: upd, updated: upd, generated: true}
		s.orderIDs = append(s.orderIDs, id)
		s.genShipments[ship] = true
		s.billingByID[bill] = "billing-info-mlb-pf.json"
		ids = append(ids, id)
	}
	return ids
}

func (o *order) render() []byte {
	b := o.tmpl
	if o.generated {
		b = bytes.Replace(b, []byte(`"__FAKE_ID__"`), []byte(o.id), 1)
		b = bytes.Replace(b, []byte(`"__FAKE_SHIPMENT__"`), []byte(o.shipment), 1)
		b = bytes.Replace(b, []byte(`"__FAKE_BILLING__"`), jsonString("FAKE-BILLING-"+o.id), 1)
		b = bytes.Replace(b, []byte(`"__FAKE_UPDATED__"`), jsonString(o.updated.Format("2006-01-02T15:04:05.000Z07:00")), 1)
	}
	if len(o.set) == 0 {
		return b
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	must(dec.Decode(&m))
	for k, v := range o.set {
		m[k] = v
	}
	out, err := json.Marshal(m)
	must(err)
	return out
}

// SetOrder replaces top-level keys of an order as served (status,
// pack_id, …) and marks it updated at `at`.
func (s *Server) SetOrder(id string, at time.Time, keys map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		panic("melifake: no order " + id)
	}
	if o.set == nil {
		o.set = map[string]any{}
	}
	for k, v := range keys {
		o.set[k] = v
	}
	o.updated = at.UTC()
}

// status is the order's status as served.
func (o *order) status() string {
	var v struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(o.render(), &v)
	return v.Status
}

// ExpireAccessToken makes the current access token invalid, as if it expired
// before the adapter expected.
func (s *Server) ExpireAccessToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = ""
}

// RevokeRefreshToken makes the current refresh token invalid (the user
// revoked the app, or the token was used elsewhere).
func (s *Server) RevokeRefreshToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = "TG-REVOKED"
}

// RefreshToken returns the refresh token that currently works.
func (s *Server) RefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}

// AccessToken returns the access token that currently works ("" if none).
func (s *Server) AccessToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access
}

// TokenUses returns how many API requests were made with an access token.
func (s *Server) TokenUses(access string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenUse[access]
}

// StockWrites returns every stock change received, in order.
func (s *Server) StockWrites() []StockWrite {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]StockWrite(nil), s.stockLog...)
}

// Invoices returns the NF-e XML bodies accepted for a shipment.
func (s *Server) Invoices(shipment string) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.invoices[shipment]...)
}

// SellerNotifications returns the seller_notifications bodies received for a shipment.
func (s *Server) SellerNotifications(shipment string) []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.notification[shipment]...)
}

// SetShipment replaces the payload served for a shipment id.
func (s *Server) SetShipment(id string, payload []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shipments[id] = payload
}

func (s *Server) wrap(endpoint string, auth bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Enter(endpoint, w, r) {
			return
		}
		if auth {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			s.mu.Lock()
			ok := s.access != "" && tok == s.access
			s.tokenUse[tok]++
			s.mu.Unlock()
			if !ok {
				writeJSON(w, http.StatusUnauthorized, `{"message":"invalid access token","error":"unauthorized","status":401,"cause":[]}`)
				return
			}
		}
		h(w, r)
	}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		writeJSON(w, http.StatusBadRequest, `{"error":"invalid_request","status":400}`)
		return
	}
	if r.PostForm.Get("grant_type") != "refresh_token" {
		writeJSON(w, http.StatusBadRequest, `{"error":"unsupported_grant_type","status":400}`)
		return
	}
	if r.PostForm.Get("client_id") != ClientID || r.PostForm.Get("client_secret") != ClientSecret {
		writeJSON(w, http.StatusBadRequest, `{"error":"invalid_client","status":400}`)
		return
	}
	var doc map[string]json.RawMessage
	must(json.Unmarshal(Fixture("meli-oauth-token.json"), &doc))
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PostForm.Get("refresh_token") != s.refresh {
		writeJSON(w, http.StatusBadRequest, string(doc["error_400_invalid_grant"]))
		return
	}
	s.issued++
	s.access = fmt.Sprintf("APP_USR-FAKE-%d", s.issued)
	s.refresh = fmt.Sprintf("TG-FAKE-%d", s.issued)
	var resp map[string]any
	dec := json.NewDecoder(bytes.NewReader(doc["response_200"]))
	dec.UseNumber()
	must(dec.Decode(&resp))
	resp["access_token"], resp["refresh_token"] = s.access, s.refresh
	b, _ := json.Marshal(resp)
	writeJSON(w, http.StatusOK, string(b))
}

func (s *Server) searchOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("seller") != SellerID {
		writeJSON(w, http.StatusForbidden, `{"message":"caller.id does not match seller","error":"forbidden","status":403,"cause":[]}`)
		return
	}
	// gestiona-ventas documents the date filters on date_last_updated and
	// date_created (…from / …to) and order.status.
	from, errF := parseBound(q.Get("order.date_last_updated.from"))
	to, errT := parseBound(q.Get("order.date_last_updated.to"))
	cFrom, errCF := parseBound(q.Get("order.date_created.from"))
	cTo, errCT := parseBound(q.Get("order.date_created.to"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if errF != nil || errT != nil || errCF != nil || errCT != nil || err != nil || limit < 1 || limit > 51 || q.Get("sort") != "date_asc" {
		writeJSON(w, http.StatusBadRequest, `{"message":"invalid search parameters","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	status := q.Get("order.status")
	s.mu.Lock()
	var match []*order
	for _, id := range s.orderIDs {
		o := s.orders[id]
		if (from.IsZero() || !o.updated.Before(from)) && (to.IsZero() || !o.updated.After(to)) &&
			(cFrom.IsZero() || !o.created.Before(cFrom)) && (cTo.IsZero() || !o.created.After(cTo)) &&
			(status == "" || o.status() == status) {
			match = append(match, o)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].created.Before(match[j].created) })
	total := len(match)
	if offset > total {
		offset = total
	}
	end := min(offset+limit, total)
	results := make([]json.RawMessage, 0, end-offset)
	for _, o := range match[offset:end] {
		results = append(results, o.render())
	}
	s.mu.Unlock()
	body, _ := json.Marshal(map[string]any{
		"query":           nil,
		"results":         results,
		"sort":            map[string]string{"id": "date_asc", "name": "Date ascending"},
		"available_sorts": []map[string]string{{"id": "date_desc", "name": "Date descending"}},
		"filters":         []any{},
		"paging":          map[string]int{"total": total, "offset": offset, "limit": limit},
		"display":         "complete",
	})
	writeJSON(w, http.StatusOK, string(body))
}

func parseBound(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse("2006-01-02T15:04:05.000-07:00", s)
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o, ok := s.orders[r.PathValue("id")]
	var b []byte
	if ok {
		b = o.render()
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"Order not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	writeJSON(w, http.StatusOK, string(b))
}

func (s *Server) legacyBilling(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-version") != "2" {
		writeJSON(w, http.StatusBadRequest, `{"message":"x-version 2 required by this fake","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	s.mu.Lock()
	o, ok := s.orders[r.PathValue("id")]
	s.mu.Unlock()
	if !ok || o.billing == "" {
		writeJSON(w, http.StatusNotFound, `{"message":"billing info not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	writeJSON(w, http.StatusOK, string(Fixture(o.billing)))
}

func (s *Server) billing(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	file, ok := s.billingByID[r.PathValue("id")]
	doc := s.buyerDocs[r.PathValue("id")]
	s.mu.Unlock()
	if !ok || r.PathValue("site") != "MLB" {
		writeJSON(w, http.StatusNotFound, `{"message":"billing info not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	b := Fixture(file)
	if doc != "" {
		// The example's CPF (32659430) is not a valid one; tests that
		// issue an NF-e to the buyer give a valid document.
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		must(dec.Decode(&m))
		m["buyer"].(map[string]any)["billing_info"].(map[string]any)["identification"].(map[string]any)["number"] = doc
		b, _ = json.Marshal(m)
	}
	writeJSON(w, http.StatusOK, string(b))
}

// SetBuyerDocument replaces the CPF served in the billing info of a
// generated order (AddOrders).
func (s *Server) SetBuyerDocument(orderID, cpf string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buyerDocs == nil {
		s.buyerDocs = map[string]string{}
	}
	s.buyerDocs["FAKE-BILLING-"+orderID] = cpf
}

func (s *Server) getShipment(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-format-new") != "true" {
		writeJSON(w, http.StatusBadRequest, `{"message":"this fake serves only the x-format-new shipment","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	b, ok := s.shipmentJSON(id)
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"failed to retrieve data","error":"not_found","status":404,"cause":[]}`)
		return
	}
	writeJSON(w, http.StatusOK, string(b))
}

func (s *Server) searchItems(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != SellerID {
		writeJSON(w, http.StatusForbidden, `{"message":"forbidden","error":"forbidden","status":403,"cause":[]}`)
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	var ids []string
	for _, it := range s.items {
		switch {
		case q.Has("seller_sku"):
			match := it.SKU == q.Get("seller_sku")
			for _, v := range it.Variations {
				match = match || v.SKU == q.Get("seller_sku")
			}
			if match {
				ids = append(ids, it.ID)
			}
		case q.Has("sku"):
			if it.CustomField != "" && it.CustomField == q.Get("sku") {
				ids = append(ids, it.ID)
			}
		}
	}
	s.mu.Unlock()
	sort.Strings(ids)
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(map[string]any{
		"seller_id": SellerID, "results": ids,
		"paging": map[string]int{"limit": 50, "offset": 0, "total": len(ids)},
	})
	writeJSON(w, http.StatusOK, string(b))
}

func attrs(sku string) []map[string]any {
	if sku == "" {
		return []map[string]any{}
	}
	return []map[string]any{{"id": "SELLER_SKU", "name": "SKU", "value_id": nil, "value_name": sku}}
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	it, ok := s.items[r.PathValue("id")]
	var b []byte
	if ok {
		b = s.itemJSON(it)
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"Item not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	writeJSON(w, http.StatusOK, string(b))
}

// itemJSON renders an item like GET /items/{id}?include_attributes=all. Caller holds mu.
func (s *Server) itemJSON(it *item) []byte {
	vars := make([]map[string]any, 0, len(it.Variations))
	for _, v := range it.Variations {
		vars = append(vars, map[string]any{
			"id": v.ID, "available_quantity": v.Qty, "seller_custom_field": nil, "attributes": attrs(v.SKU),
		})
	}
	var cf any
	if it.CustomField != "" {
		cf = it.CustomField
	}
	b, _ := json.Marshal(map[string]any{
		"id": it.ID, "site_id": "MLB", "seller_id": json.Number(SellerID), "available_quantity": it.Qty,
		"seller_custom_field": cf, "attributes": attrs(it.SKU), "variations": vars, "status": "active",
		"user_product_id": nullable(it.UserProduct),
	})
	return b
}

func (s *Server) putItem(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AvailableQuantity *int64 `json:"available_quantity"`
		Variations        []struct {
			ID                int64  `json:"id"`
			AvailableQuantity *int64 `json:"available_quantity"`
		} `json:"variations"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"message":"body is not JSON","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	bad := func(msg string) {
		b, _ := json.Marshal(map[string]any{"message": msg, "error": "validation_error", "status": 400, "cause": []any{}})
		writeJSON(w, http.StatusBadRequest, string(b))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[r.PathValue("id")]
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"Item not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	switch {
	case body.AvailableQuantity != nil && len(it.Variations) == 0:
		if *body.AvailableQuantity < 0 {
			bad("available_quantity must be >= 0")
			return
		}
		it.Qty = *body.AvailableQuantity
		s.stockLog = append(s.stockLog, StockWrite{ItemID: it.ID, Quantity: it.Qty})
	case body.Variations != nil && len(it.Variations) > 0:
		if len(body.Variations) != len(it.Variations) {
			bad("every variation must be sent, or the missing ones are deleted")
			return
		}
		byID := map[int64]*variation{}
		for _, v := range it.Variations {
			byID[v.ID] = v
		}
		for _, bv := range body.Variations {
			v, ok := byID[bv.ID]
			if !ok {
				bad("unknown variation " + strconv.FormatInt(bv.ID, 10))
				return
			}
			if bv.AvailableQuantity != nil {
				if *bv.AvailableQuantity < 0 {
					bad("available_quantity must be >= 0")
					return
				}
				v.Qty = *bv.AvailableQuantity
				s.stockLog = append(s.stockLog, StockWrite{ItemID: it.ID, VariationID: strconv.FormatInt(v.ID, 10), Quantity: v.Qty})
			}
		}
	default:
		bad("body does not match the item (variations)")
		return
	}
	writeJSON(w, http.StatusOK, string(s.itemJSON(it)))
}

var keyRE = regexp.MustCompile(`(?:Id="NFe|<chNFe>)([0-9A-Z]{44})`)

func (s *Server) invoiceData(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("siteId") != "MLB" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") {
		writeJSON(w, http.StatusBadRequest, `{"message":"siteId=MLB and Content-Type application/xml required","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	b, _ := io.ReadAll(r.Body)
	m := keyRE.FindSubmatch(b)
	if m == nil {
		writeJSON(w, http.StatusBadRequest, `{"message":"invalid fiscal document","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	key := string(m[1])
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.shipments[id]; !ok && !s.genShipments[id] {
		writeJSON(w, http.StatusNotFound, `{"message":"shipment not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	if v, _ := s.view(id); v.Logistic.Type != "" && !invoiceDataTypes[v.Logistic.Type] {
		// importar-nota-fiscal lists the logistic types it takes; the
		// answer to another is not documented.
		writeJSON(w, http.StatusBadRequest, `{"message":"logistic type does not take invoice_data","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	if s.fiscalKeys[key] {
		writeJSON(w, http.StatusBadRequest, `{"error_code":"duplicated_fiscal_key","status":400}`)
		return
	}
	s.fiscalKeys[key] = true
	s.releaseLabel(id)
	s.invoices[id] = append(s.invoices[id], b)
	writeJSON(w, http.StatusCreated, fmt.Sprintf(`{"id":"FAKE-INVOICE-%d","fiscal_key":%q}`, len(s.fiscalKeys), key))
}

func (s *Server) sellerNotification(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if !json.Valid(b) {
		writeJSON(w, http.StatusBadRequest, `{"message":"invalid body","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	s.mu.Lock()
	s.notification[r.PathValue("id")] = append(s.notification[r.PathValue("id")], b)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, `{}`)
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

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	must(err)
	return t.UTC()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
