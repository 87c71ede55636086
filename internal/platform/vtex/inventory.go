package vtex

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SetStock writes the available quantity of one of our SKUs to the configured
// warehouse: PATCH /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}/quantity
// with {"quantity": n, "unlimitedQuantity": false}. The Logistics API also has
// PUT …/warehouses/{warehouseId} with the same body, but that call requires
// leadTime and documents that a body without it "sets the SKU lead time to 0",
// which would wipe the lead time staff configured at VTEX; the PATCH is the
// endpoint the reference points to "if [you wish to configure] the quantity
// only". dateUtcOnBalanceSystem is left out (VTEX then uses the request time).
// The quantity is absolute — the portal's stock wins over edits made at VTEX —
// and negative values are sent as 0.
//
// The path wants the VTEX SKU id, not our sku. Our sku is the VTEX refId
// (CONTRACT.md), so the adapter asks the Catalog API (GET
// /api/catalog_system/pvt/sku/stockkeepingunitidbyrefid/{refId}) once per sku
// and caches the answer for the life of the adapter; PrimeSKU lets the engine
// seed the cache from what it stored. Order items are not used for the mapping:
// in marketplace orders the item id may belong to another seller's catalog.
//
// 423 Locked ("only the first request was accepted … wait a few seconds",
// documented on the PUT for concurrent writes to the same SKU and warehouse)
// is retried with exponential backoff before becoming ErrTemporary.
func (c *Client) SetStock(ctx context.Context, sku string, available int64) error {
	const op = "set_stock"
	skuID, err := c.skuID(ctx, sku)
	if err != nil {
		return err
	}
	body := map[string]any{
		"quantity":          max(available, 0),
		"unlimitedQuantity": false,
	}
	path := "/api/logistics/pvt/inventory/skus/" + url.PathEscape(skuID) +
		"/warehouses/" + url.PathEscape(c.cfg.Warehouse) + "/quantity"
	resp, err := c.request(ctx, op, http.MethodPatch, path, body, true)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return c.call.NotFound(op, fmt.Sprintf(
			"O SKU %s ou o estoque %s não existe na VTEX.", sku, c.cfg.Warehouse), resp)
	}
	return c.call.Check(op, resp)
}

// PrimeSKU records that our sku is the VTEX SKU skuID, sparing a Catalog lookup.
func (c *Client) PrimeSKU(sku, skuID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skuIDs[sku] = skuID
}

func (c *Client) skuID(ctx context.Context, sku string) (string, error) {
	const op = "find_sku"
	c.mu.Lock()
	id, ok := c.skuIDs[sku]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	if strings.TrimSpace(sku) == "" {
		return "", c.call.Rejected(op, "SKU vazio.")
	}
	resp, err := c.request(ctx, op, http.MethodGet,
		"/api/catalog_system/pvt/sku/stockkeepingunitidbyrefid/"+url.PathEscape(sku), nil, false)
	if err != nil {
		return "", err
	}
	notFound := func() error {
		return c.call.NotFound(op, fmt.Sprintf(
			"O SKU %s não está cadastrado na VTEX (nenhum SKU com esse código de referência).", sku), resp)
	}
	if resp.Status == http.StatusNotFound {
		return "", notFound()
	}
	if err := c.call.Check(op, resp); err != nil {
		return "", err
	}
	// The documented answer is a JSON string ("1"); accept a bare number too.
	var v any
	if err := c.call.Decode(op, resp, &v); err != nil {
		return "", err
	}
	switch t := v.(type) {
	case string:
		id = strings.TrimSpace(t)
	case float64:
		id = strings.TrimSpace(string(resp.Body))
	case nil:
	default:
		return "", c.call.Invalid(op, resp, "id de SKU em formato inesperado")
	}
	if id == "" || id == "0" {
		return "", notFound()
	}
	c.PrimeSKU(sku, id)
	return id, nil
}
