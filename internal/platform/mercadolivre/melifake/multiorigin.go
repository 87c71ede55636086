package melifake

// Users and multi-origin stock, as meli-stock-update.json (stock-distribuido,
// stock-multi-origen) shows them: GET /users/{id} carries the seller's tags
// (warehouse_management for multi-origin sellers); GET
// /user-products/{id}/stock answers the locations with the version in the
// x-version header; PUT /user-products/{id}/stock/type/seller_warehouse
// needs that x-version (400 without it, 409 when stale) and answers the
// locations. The user profile's other fields are not modelled.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// Endpoint names of this file.
const (
	EndpointUser           = "user"
	EndpointUserProduct    = "user-product-stock"
	EndpointUserProductPut = "user-product-stock-put"
)

// UserProduct is the user product of the example listing MLB1054990648
// (the id is the stock-multi-origen example's).
const UserProduct = "MLBU206642488"

type upLocation struct {
	Type          string `json:"type"`
	StoreID       string `json:"store_id,omitempty"`
	NetworkNodeID string `json:"network_node_id,omitempty"`
	Quantity      int64  `json:"quantity"`
}

type upStock struct {
	version   int64
	locations []upLocation
}

type multiState struct {
	mu       sync.Mutex
	on       bool
	stock    map[string]*upStock
	writes   []StockWrite
	conflict int // next PUTs answered 409 as if another write came first
}

// SetWarehouseManagement gives the seller multi-origin stock (tag
// warehouse_management) with the listed seller_warehouse stores on the
// example user product, each with quantity 0.
func (s *Server) SetWarehouseManagement(stores ...string) {
	m := &s.multiOrigin
	m.mu.Lock()
	defer m.mu.Unlock()
	m.on = true
	st := &upStock{version: 1}
	for i, id := range stores {
		st.locations = append(st.locations, upLocation{Type: "seller_warehouse", StoreID: id, NetworkNodeID: "MLBP" + strconv.Itoa(100+i)})
	}
	m.stock = map[string]*upStock{UserProduct: st}
}

// ConflictNextStockWrites makes the next n user-product stock writes stale
// (409), as if another system wrote in between (the version moves on).
func (s *Server) ConflictNextStockWrites(n int) {
	s.multiOrigin.mu.Lock()
	defer s.multiOrigin.mu.Unlock()
	s.multiOrigin.conflict = n
}

// UserProductStock returns the quantity of a store of the example user
// product, and the stock writes received (ItemID the user product,
// VariationID the store).
func (s *Server) UserProductStock(store string) (int64, []StockWrite) {
	m := &s.multiOrigin
	m.mu.Lock()
	defer m.mu.Unlock()
	var q int64
	if st := m.stock[UserProduct]; st != nil {
		for _, l := range st.locations {
			if l.StoreID == store {
				q = l.Quantity
			}
		}
	}
	return q, append([]StockWrite(nil), m.writes...)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != SellerID {
		writeJSON(w, http.StatusNotFound, `{"message":"user not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	s.multiOrigin.mu.Lock()
	tags := []string{"normal", "eshop", "mshops"}
	if s.multiOrigin.on {
		tags = append(tags, "warehouse_management")
	}
	s.multiOrigin.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"id": json.Number(SellerID), "nickname": "VENDASDKMB", "site_id": "MLB", "tags": tags})
	writeJSON(w, http.StatusOK, string(b))
}

func (s *Server) getUserProductStock(w http.ResponseWriter, r *http.Request) {
	m := &s.multiOrigin
	m.mu.Lock()
	st, ok := m.stock[r.PathValue("id")]
	var b []byte
	var v int64
	if ok {
		v = st.version
		b, _ = json.Marshal(map[string]any{"locations": st.locations, "user_id": json.Number(SellerID), "id": r.PathValue("id")})
	}
	m.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"user product not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	w.Header().Set("x-version", strconv.FormatInt(v, 10))
	writeJSON(w, http.StatusOK, string(b))
}

func (s *Server) putUserProductStock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Locations []upLocation `json:"locations"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.Locations) == 0 {
		writeJSON(w, http.StatusBadRequest, `{"message":"locations required","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	hv := r.Header.Get("x-version")
	if hv == "" {
		writeJSON(w, http.StatusBadRequest, `{"message":"x-version header required","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	m := &s.multiOrigin
	m.mu.Lock()
	defer m.mu.Unlock()
	id := r.PathValue("id")
	st, ok := m.stock[id]
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"message":"user product not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	if m.conflict > 0 {
		m.conflict--
		st.version++
	}
	if v, err := strconv.ParseInt(hv, 10, 64); err != nil || v != st.version {
		writeJSON(w, http.StatusConflict, `{"message":"version conflict","error":"conflict","status":409,"cause":[]}`)
		return
	}
	for _, bl := range body.Locations {
		found := false
		for i := range st.locations {
			if st.locations[i].StoreID == bl.StoreID {
				found = true
				if bl.Quantity < 0 {
					writeJSON(w, http.StatusBadRequest, `{"message":"quantity must be >= 0","error":"bad_request","status":400,"cause":[]}`)
					return
				}
			}
		}
		if !found {
			writeJSON(w, http.StatusBadRequest, `{"message":"unknown store_id","error":"bad_request","status":400,"cause":[]}`)
			return
		}
	}
	for _, bl := range body.Locations {
		for i := range st.locations {
			if st.locations[i].StoreID == bl.StoreID && st.locations[i].Quantity != bl.Quantity {
				st.locations[i].Quantity = bl.Quantity
				m.writes = append(m.writes, StockWrite{ItemID: id, VariationID: bl.StoreID, Quantity: bl.Quantity})
			}
		}
	}
	st.version++
	b, _ := json.Marshal(map[string]any{"user_id": json.Number(SellerID), "id": id, "locations": st.locations})
	writeJSON(w, http.StatusOK, string(b))
}
