package melifake

// Packs (carts) as the official page "Gestión de packs"
// (developers.mercadolibre.com.ve/es_ar/gestion-packs, captured 2026-06-06
// in the ralvarezdev/mercadolibre-go-sdk docs that SOURCES.md names) shows
// them: GET /packs/{pack_id} answers
//
//	{"shipment": {"id": N}, "orders": [{"id": N}, …], "id": N, "status": "released",
//	 "status_detail": null, "buyer": {"id": N}, "date_created": "2024-08-15T17:38:30.000-0400",
//	 "last_updated": "…"}
//
// (ids as JSON numbers, dates with a "-0400" offset, as in the page's
// example) and 404 {"message": "Order do not exists", "error": "not_found"}
// for an unknown pack (the page's table; the body's other keys follow the
// fake's other 404s). Orders of a pack carry its id in pack_id
// (meli-order.json, meli-order-shipments.json).
//
// The page is silent on whether every order of a pack shows the pack's
// shipment in shipping.id; the fake shows it in every order (a pack "has one
// shipment": the issue and meli-invoice-and-labels.json). It is also silent
// on the 403 bodies and on how a pack's status moves; the fake serves
// "released" until SetPackStatus.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// EndpointPack is GET /packs/{id}, for Fail and Count.
const EndpointPack = "pack"

// PackExample is the pack of meli-order.json (its pack_id), holding that
// order alone in this fake.
const PackExample = "2000003508553677"

type pack struct {
	id       string
	shipment string
	orders   []string
	status   string
	created  time.Time
	updated  time.Time
}

// addPack registers a pack. Caller holds mu (or is New).
func (s *Server) addPack(p *pack) {
	if s.packs == nil {
		s.packs = map[string]*pack{}
	}
	s.packs[p.id] = p
}

// MakePack puts existing orders (AddOrders) into one new pack and returns
// its id and its shipment: the first order's shipment becomes the pack's,
// every order then shows the pack's id in pack_id and its shipment in
// shipping.id, and the other orders' own shipments no longer exist.
func (s *Server) MakePack(orderIDs ...string) (packID, shipmentID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(orderIDs) == 0 {
		panic("melifake: a pack needs orders")
	}
	s.seq++
	packID = strconv.Itoa(2000009000000000 + s.seq)
	first, ok := s.orders[orderIDs[0]]
	if !ok {
		panic("melifake: no order " + orderIDs[0])
	}
	shipmentID = first.shipment
	p := &pack{id: packID, shipment: shipmentID, status: "released", created: first.created, updated: first.updated}
	for _, id := range orderIDs {
		o, ok := s.orders[id]
		if !ok {
			panic("melifake: no order " + id)
		}
		if o.shipment != shipmentID {
			delete(s.genShipments, o.shipment)
			delete(s.shipments, o.shipment)
		}
		o.shipment = shipmentID
		if o.set == nil {
			o.set = map[string]any{}
		}
		o.set["pack_id"] = json.Number(packID)
		o.set["shipping"] = map[string]any{"id": json.Number(shipmentID)}
		if o.updated.After(p.updated) {
			p.updated = o.updated
		}
		p.orders = append(p.orders, id)
	}
	s.addPack(p)
	return packID, shipmentID
}

// SetPackStatus sets a pack's status (released, error, pending_cancel,
// cancelled: the page's list).
func (s *Server) SetPackStatus(packID, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.packs[packID]
	if !ok {
		panic("melifake: no pack " + packID)
	}
	p.status = status
}

func (s *Server) getPack(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.packs[r.PathValue("id")]
	var body []byte
	if ok {
		orders := make([]map[string]any, 0, len(p.orders))
		for _, id := range p.orders {
			orders = append(orders, map[string]any{"id": json.Number(id)})
		}
		var buyer struct {
			Buyer struct {
				ID json.Number `json:"id"`
			} `json:"buyer"`
		}
		if o, ok := s.orders[p.orders[0]]; ok {
			_ = json.Unmarshal(o.render(), &buyer)
		}
		body, _ = json.Marshal(map[string]any{
			"shipment":      map[string]any{"id": json.Number(p.shipment)},
			"orders":        orders,
			"id":            json.Number(p.id),
			"status":        p.status,
			"status_detail": nil,
			"buyer":         map[string]any{"id": buyer.Buyer.ID},
			"date_created":  p.created.Format(packTime),
			"last_updated":  p.updated.Format(packTime),
		})
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"Order do not exists","error":"not_found","status":404,"cause":[]}`)
		return
	}
	writeJSON(w, http.StatusOK, string(body))
}

// packTime is the page's date format ("2024-08-15T17:38:30.000-0400").
const packTime = "2006-01-02T15:04:05.000-0700"
