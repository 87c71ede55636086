package mercadolivre

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Multi-origin stock (stock-multi-origen / estoque-multi-origem): a seller
// whose user carries the tag warehouse_management keeps stock per store
// (seller_warehouse locations) on the listing's user product, not in
// available_quantity. The stock is read — GET /user-products/{id}/stock,
// whose x-version header is the version — and written with that version —
// PUT /user-products/{id}/stock/type/seller_warehouse, header x-version,
// body {"locations": [{store_id, network_node_id, quantity}]}: 400 without
// the header, 409 when another write came first (then read again and
// retry).

const multiOriginTag = "warehouse_management"

// maxStockConflicts bounds the read-again loop on 409.
const maxStockConflicts = 3

// multiOrigin reports whether the seller has multi-origin stock
// (GET /users/{seller}, tags), asked once per adapter.
func (c *Client) multiOrigin(ctx context.Context) (bool, error) {
	const op = "get_user"
	c.skuMu.Lock()
	known, v := c.multiKnown, c.multi
	c.skuMu.Unlock()
	if known {
		return v, nil
	}
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: "/users/" + url.PathEscape(c.cfg.SellerID)})
	if err != nil {
		return false, err
	}
	if err := c.call.Check(op, resp); err != nil {
		return false, err
	}
	var u struct {
		Tags []string `json:"tags"`
	}
	if err := c.call.Decode(op, resp, &u); err != nil {
		return false, err
	}
	v = slices.Contains(u.Tags, multiOriginTag)
	c.skuMu.Lock()
	c.multiKnown, c.multi = true, v
	c.skuMu.Unlock()
	return v, nil
}

type upLocation struct {
	Type          string `json:"type,omitempty"`
	StoreID       string `json:"store_id,omitempty"`
	NetworkNodeID string `json:"network_node_id,omitempty"`
	Quantity      int64  `json:"quantity"`
}

// setUserProductStock puts qty on the seller warehouse of the user product
// (the store of the store_id setting, or the only seller_warehouse
// location), keeping the other stores' quantities as read.
func (c *Client) setUserProductStock(ctx context.Context, upID string, qty int64) error {
	const op = "set_stock"
	for attempt := 0; ; attempt++ {
		resp, err := c.api(ctx, apiRequest{op: "get_stock", method: http.MethodGet,
			path: "/user-products/" + url.PathEscape(upID) + "/stock"})
		if err != nil {
			return err
		}
		if resp.Status == http.StatusNotFound {
			return c.call.NotFound(op, fmt.Sprintf("Produto %s não encontrado no Mercado Livre.", upID), resp)
		}
		if err := c.call.Check("get_stock", resp); err != nil {
			return err
		}
		var st struct {
			Locations []upLocation `json:"locations"`
		}
		if err := c.call.Decode("get_stock", resp, &st); err != nil {
			return err
		}
		version := resp.Header.Get("x-version")
		if version == "" {
			return c.call.Invalid("get_stock", resp, "estoque sem cabeçalho x-version")
		}
		var locs []upLocation
		mine := -1
		for _, l := range st.Locations {
			if l.Type != "seller_warehouse" {
				continue
			}
			if c.cfg.StoreID == "" || l.StoreID == c.cfg.StoreID {
				if mine >= 0 && c.cfg.StoreID == "" {
					return c.call.Rejected(op, fmt.Sprintf(
						"O produto %s tem estoque em vários depósitos no Mercado Livre; informe o store_id do depósito da ConnectParts na configuração da plataforma.", upID))
				}
				mine = len(locs)
			}
			locs = append(locs, upLocation{StoreID: l.StoreID, NetworkNodeID: l.NetworkNodeID, Quantity: l.Quantity})
		}
		if mine < 0 {
			return c.call.Rejected(op, fmt.Sprintf("O produto %s não tem o depósito %q no Mercado Livre.", upID, c.cfg.StoreID))
		}
		locs[mine].Quantity = qty
		h := http.Header{}
		h.Set("x-version", version)
		resp, err = c.api(ctx, apiRequest{op: op, method: http.MethodPut, header: h, json: map[string]any{"locations": locs},
			path: "/user-products/" + url.PathEscape(upID) + "/stock/type/seller_warehouse"})
		if err != nil {
			return err
		}
		if resp.Status == http.StatusConflict && attempt < maxStockConflicts {
			continue // another write came first: read the new version
		}
		return c.call.Check(op, resp)
	}
}

// userProductIDs are the distinct user products of the listings.
func (c *Client) userProductIDs(ctx context.Context, listingIDs []string) ([]string, error) {
	var out []string
	for _, id := range listingIDs {
		it, err := c.fetchItem(ctx, id)
		if err != nil {
			return nil, err
		}
		up := strings.TrimSpace(it.UserProductID)
		if up == "" {
			return nil, c.call.Rejected("set_stock", fmt.Sprintf("O anúncio %s não tem user_product_id: o estoque multi-origem não se aplica.", id))
		}
		if !slices.Contains(out, up) {
			out = append(out, up)
		}
	}
	return out, nil
}
