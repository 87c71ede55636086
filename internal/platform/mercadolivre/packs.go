package mercadolivre

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/connectparts/portal/internal/platform"
)

// Packs (carts). The official page "Gestión de packs"
// (developers.mercadolibre.com.ve/es_ar/gestion-packs, captured 2026-06-06
// in the ralvarezdev/mercadolibre-go-sdk docs named by SOURCES.md) documents
// GET /packs/{pack_id}:
//
//	{"shipment": {"id": …}, "orders": [{"id": …}, …], "id": …,
//	 "status": "released" | "error" | "pending_cancel" | "cancelled",
//	 "status_detail": null, "buyer": {"id": …}, "date_created", "last_updated"}
//
// and that a pack "puede tener una o varias órdenes del mismo o de distintos
// vendedores", of which the caller sees only its own sellers' orders; 404
// when the pack does not exist. A pack has one shipment and takes one NF-e
// (meli-invoice-and-labels.json: invoice_data on the shipment,
// fiscal_documents on the pack id), so the portal imports a pack as ONE
// sales order: its items are every order's items, its external id is the
// pack's lowest order id (the "lead" order, stable whichever of the orders a
// change or a notification names), its number the pack id. One sales order
// means one PO per supplier, one billing NF-e and one label, and the pack's
// orders move together.
//
// Where the pages are silent, and what this code chooses:
//   - whether every order of a pack carries the pack's shipment in
//     shipping.id: the pack's shipment.id wins;
//   - the status of a pack whose orders disagree (one cancelled, one paid):
//     a pack "cancelled" (or pending_cancel) cancels every order; otherwise
//     the orders not cancelled decide, the least advanced first (a payment
//     still pending keeps the pack awaiting payment); only when every order
//     is cancelled is the pack cancelled. Items of an order cancelled alone
//     stay on the sales order and its PO (the import does not remove lines;
//     not handled yet).
//   - money: the orders' total_amount, shipping_cost (documented as null
//     inside a pack) and coupon amounts are added up.
type mlPack struct {
	ID       idString `json:"id"`
	Status   string   `json:"status"`
	Shipment struct {
		ID idString `json:"id"`
	} `json:"shipment"`
	Orders []struct {
		ID idString `json:"id"`
	} `json:"orders"`
}

// fetchPack reads GET /packs/{id}; 404 is ErrNotFound.
func (c *Client) fetchPack(ctx context.Context, id string) (*mlPack, error) {
	const op = "get_pack"
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: "/packs/" + url.PathEscape(id)})
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, c.call.NotFound(op, fmt.Sprintf("Pacote %s não encontrado no Mercado Livre.", id), resp)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	var p mlPack
	if err := c.call.Decode(op, resp, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// withPack returns the order as the portal imports it: the order itself
// when it is in no pack (or the pack cannot be found: 404), else the pack's
// orders merged into one (mergePack).
func (c *Client) withPack(ctx context.Context, o *mlOrder) (*mlOrder, error) {
	if o.PackID == "" {
		return o, nil
	}
	pk, err := c.fetchPack(ctx, string(o.PackID))
	if platform.KindOf(err) == platform.ErrNotFound {
		return o, nil
	}
	if err != nil {
		return nil, err
	}
	ids := []string{string(o.ID)}
	for _, po := range pk.Orders {
		if id := string(po.ID); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, compareIDs)
	orders := make([]*mlOrder, 0, len(ids))
	for _, id := range ids {
		if id == string(o.ID) {
			orders = append(orders, o)
			continue
		}
		other, _, err := c.fetchOrder(ctx, id)
		if platform.KindOf(err) == platform.ErrNotFound {
			continue // an order of the pack we may not read: another seller's
		}
		if err != nil {
			return nil, err
		}
		orders = append(orders, other)
	}
	return mergePack(pk, orders)
}

// compareIDs orders numeric ids by value (shorter is smaller), others by text.
func compareIDs(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
}

// packStatusRank orders Mercado Livre order statuses from the least to the
// most advanced, for mergePack; cancelled ones are handled apart.
var packStatusRank = map[string]int{
	"confirmed": 0, "payment_required": 1, "payment_in_process": 2, "partially_paid": 3,
	"paid": 4, "partially_refunded": 5,
}

func cancelledStatus(s string) bool {
	return s == "cancelled" || s == "invalid" || s == "pending_cancel"
}

// mergePack makes one order of the pack's orders (sorted by id, the first
// is the lead): the lead's id, buyer and dates, every order's items and
// payments, amounts added up, the pack's shipment, and the pack's status as
// described on mlPack.
func mergePack(pk *mlPack, orders []*mlOrder) (*mlOrder, error) {
	if len(orders) == 0 {
		return nil, fmt.Errorf("pacote %s sem vendas legíveis", pk.ID)
	}
	lead := *orders[0]
	m := &lead
	m.OrderItems = nil
	m.Payments = nil
	if pk.Shipment.ID != "" {
		m.Shipping.ID = pk.Shipment.ID
	}
	var total, shipping, coupon int64
	status := ""
	allCancelled, hasShipping := true, false
	for _, o := range orders {
		hasShipping = hasShipping || o.ShippingCost != ""
		m.OrderItems = append(m.OrderItems, o.OrderItems...)
		m.Payments = append(m.Payments, o.Payments...)
		for _, f := range []struct {
			name string
			n    json.Number
			sum  *int64
		}{{"total_amount", o.TotalAmount, &total}, {"shipping_cost", o.ShippingCost, &shipping}, {"coupon.amount", o.Coupon.Amount, &coupon}} {
			v, err := cents(f.name, f.n)
			if err != nil {
				return nil, err
			}
			*f.sum += v
		}
		if o.updatedAt().After(m.updatedAt()) {
			m.LastUpdated, m.DateLastUpdated = o.LastUpdated, o.DateLastUpdated
		}
		if cancelledStatus(o.Status) {
			continue
		}
		allCancelled = false
		r, known := packStatusRank[o.Status]
		if !known {
			status = o.Status // unknown wins: the engine keeps what it has
			continue
		}
		if cur, ok := packStatusRank[status]; status == "" || (ok && r < cur) {
			status = o.Status
		}
	}
	switch {
	case pk.Status == "cancelled" || pk.Status == "pending_cancel":
		status = "cancelled"
	case allCancelled:
		status = orders[0].Status
	}
	m.Status = status
	m.TotalAmount = centsNumber(total)
	m.Coupon.Amount = centsNumber(coupon)
	m.ShippingCost = ""
	if hasShipping {
		m.ShippingCost = centsNumber(shipping)
	}
	return m, nil
}

// centsNumber writes centavos back as the decimal text Mercado Livre sends.
func centsNumber(c int64) json.Number {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return json.Number(fmt.Sprintf("%s%d.%02d", sign, c/100, c%100))
}
