package mercadolivre

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// StartHandling does nothing: Mercado Livre has no step in which the seller
// declares that preparation started (the shipment moves by itself to
// ready_to_ship once the NF-e is imported and the label released).
func (c *Client) StartHandling(context.Context, string) error { return nil }

// Cancel is not possible: Mercado Livre gives sellers no API to cancel a sale;
// it is done on Mercado Livre's site (or by the buyer). ErrUnsupported tells
// the engine to ask a person.
func (c *Client) Cancel(_ context.Context, externalID, _ string) error {
	return platform.NewError(platform.ErrUnsupported, model.PlatformMercadoLivre, "cancel", fmt.Sprintf(
		"O Mercado Livre não permite cancelar vendas pela API; cancele a venda %s no painel do Mercado Livre.", externalID), nil)
}

// SendInvoice imports the authorised NF-e into the order's shipment: POST
// /shipments/{id}/invoice_data/?siteId=MLB with the raw XML
// (Content-Type: application/xml), which releases the label of drop-off and
// cross-docking shipments (invoiceDataTypes). Flex and the other shipments
// get it in the pack's fiscal_documents (sendFiscalDocument); Full is
// refused (Mercado Livre invoices Full itself). A 400 with error_code duplicated_fiscal_key means
// the NF-e was already imported: success. The success body is not documented
// and is not read.
func (c *Client) SendInvoice(ctx context.Context, externalID string, inv platform.Invoice) error {
	const op = "send_invoice"
	if len(bytes.TrimSpace(inv.XML)) == 0 {
		return c.call.Rejected(op, "O Mercado Livre exige o XML autorizado da NF-e para importar a nota.")
	}
	o, _, err := c.fetchOrder(ctx, externalID)
	if err != nil {
		return err
	}
	if o.Shipping.ID == "" {
		return c.call.Rejected(op, fmt.Sprintf(
			"A venda %s não tem envio no Mercado Livre; não há onde importar a nota.", externalID))
	}
	sh, err := c.fetchShipment(ctx, string(o.Shipping.ID))
	if err != nil {
		return err
	}
	switch {
	case sh.Logistic.Type == LogisticFulfillment:
		// Full: Mercado Livre issues the NF-e itself (upload-invoices note).
		return c.call.Rejected(op, fmt.Sprintf("A venda %s é Full: o Mercado Livre emite a nota fiscal.", externalID))
	case !invoiceDataTypes[sh.Logistic.Type]:
		// Flex (self_service), and shipments invoice_data does not take:
		// the NF-e goes to the pack's fiscal documents. (For ME1/custom
		// the pages say nothing; the pack is the documented place.)
		return c.sendFiscalDocument(ctx, o, inv)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/xml")
	resp, err := c.api(ctx, apiRequest{
		op: op, method: http.MethodPost, header: h, body: inv.XML,
		path: "/shipments/" + url.PathEscape(string(o.Shipping.ID)) + "/invoice_data/?siteId=" + url.QueryEscape(c.cfg.SiteID),
	})
	if err != nil {
		return err
	}
	if resp.Status == http.StatusBadRequest && bytes.Contains(resp.Body, []byte("duplicated_fiscal_key")) {
		return nil
	}
	if resp.Status == http.StatusNotFound {
		return c.call.NotFound(op, fmt.Sprintf("Envio %s da venda %s não encontrado no Mercado Livre.", o.Shipping.ID, externalID), resp)
	}
	return c.call.Check(op, resp)
}

// SendTracking informs the carrier and tracking code of ME1 shipments (the
// seller's own logistics) through POST /shipments/{id}/seller_notifications,
// body as in the estados-de-ordenes-me1 example (status "shipped", service_id
// 11 for MLB). For Mercado Envios 2 shipments (drop-off, cross-docking,
// fulfillment, Flex…) tracking is owned by Mercado Envios: nothing to send,
// success.
func (c *Client) SendTracking(ctx context.Context, externalID string, t platform.Tracking) error {
	const op = "send_tracking"
	o, _, err := c.fetchOrder(ctx, externalID)
	if err != nil {
		return err
	}
	if o.Shipping.ID == "" {
		return nil
	}
	sh, err := c.fetchShipment(ctx, string(o.Shipping.ID))
	if err != nil {
		return err
	}
	if sh.Logistic.Mode != "me1" {
		return nil
	}
	if strings.TrimSpace(t.Code) == "" {
		return c.call.Rejected(op, "Informe o código de rastreio.")
	}
	when := t.DispatchedAt
	if when.IsZero() {
		when = c.cfg.Clock.Now()
	}
	body := map[string]any{
		"payload": map[string]any{
			"service_id": MLBServiceID,
			"comment":    t.Carrier,
			"date":       when.Format("2006-01-02T15:04:05.000Z07:00"),
		},
		"tracking_number": t.Code,
		"tracking_url":    t.URL,
		"status":          "shipped",
		"substatus":       "null", // verbatim from the documented example
	}
	resp, err := c.api(ctx, apiRequest{
		op: op, method: http.MethodPost, json: body,
		path: "/shipments/" + url.PathEscape(string(o.Shipping.ID)) + "/seller_notifications",
	})
	if err != nil {
		return err
	}
	return c.call.Check(op, resp)
}

type mlAttr struct {
	ID        string   `json:"id"`
	ValueName idString `json:"value_name"`
}

type mlItem struct {
	ID                string   `json:"id"`
	UserProductID     string   `json:"user_product_id"`
	SellerCustomField string   `json:"seller_custom_field"`
	Attributes        []mlAttr `json:"attributes"`
	Variations        []struct {
		ID                idString `json:"id"`
		SellerCustomField string   `json:"seller_custom_field"`
		Attributes        []mlAttr `json:"attributes"`
	} `json:"variations"`
}

func sellerSKU(attrs []mlAttr, customField string) []string {
	var out []string
	for _, a := range attrs {
		if a.ID == "SELLER_SKU" && a.ValueName != "" {
			out = append(out, strings.TrimSpace(string(a.ValueName)))
		}
	}
	if cf := strings.TrimSpace(customField); cf != "" {
		out = append(out, cf)
	}
	return out
}

// SetStock sets available_quantity on every listing of the seller carrying our
// sku. The sku ↔ listing mapping comes from Mercado Livre itself: GET
// /users/{seller}/items/search?seller_sku={sku} (the SELLER_SKU attribute,
// which is also what orders show as item.seller_sku), falling back to
// ?sku={sku} (seller_custom_field); the listing ids are cached for the life of
// the adapter. Each listing is read (include_attributes=all) to see its
// variations:
//   - without variations: PUT /items/{id} {"available_quantity": n};
//   - with variations: the variations whose SELLER_SKU (or
//     seller_custom_field) is our sku get the quantity, in one PUT /items/{id}
//     {"variations": [...]} that lists every other variation by id only — the
//     variations guide always sends them all, so none is dropped.
//
// The quantity is absolute and clamped at 0. 423 Locked is retried like VTEX's.
// Items sharing a user_product_id are synchronised by Mercado Livre itself.
func (c *Client) SetStock(ctx context.Context, sku string, available int64) error {
	const op = "set_stock"
	qty := max(available, 0)
	ids, err := c.listings(ctx, sku)
	if err != nil {
		return err
	}
	multi, err := c.multiOrigin(ctx)
	if err != nil {
		return err
	}
	if multi {
		ups, err := c.userProductIDs(ctx, ids)
		if err != nil {
			return err
		}
		for _, up := range ups {
			if err := c.setUserProductStock(ctx, up, qty); err != nil {
				return err
			}
		}
		return nil
	}
	for _, id := range ids {
		item, err := c.fetchItem(ctx, id)
		if err != nil {
			if platform.KindOf(err) == platform.ErrNotFound {
				c.forget(sku)
			}
			return err
		}
		var body any
		if len(item.Variations) == 0 {
			body = map[string]int64{"available_quantity": qty}
		} else {
			vars := make([]map[string]any, 0, len(item.Variations))
			matched := 0
			for _, v := range item.Variations {
				m := map[string]any{"id": json64(v.ID)}
				if slices.Contains(sellerSKU(v.Attributes, v.SellerCustomField), sku) {
					m["available_quantity"] = qty
					matched++
				}
				vars = append(vars, m)
			}
			if matched == 0 && len(item.Variations) == 1 && slices.Contains(sellerSKU(item.Attributes, item.SellerCustomField), sku) {
				vars[0]["available_quantity"] = qty
				matched = 1
			}
			if matched == 0 {
				return c.call.Rejected(op, fmt.Sprintf(
					"O anúncio %s tem variações e nenhuma delas tem o SKU %s; cadastre o SKU na variação.", id, sku))
			}
			body = map[string]any{"variations": vars}
		}
		resp, err := c.api(ctx, apiRequest{
			op: op, method: http.MethodPut, path: "/items/" + url.PathEscape(id), json: body, retryLocked: true,
		})
		if err != nil {
			return err
		}
		if resp.Status == http.StatusNotFound {
			c.forget(sku)
			return c.call.NotFound(op, fmt.Sprintf("Anúncio %s não encontrado no Mercado Livre.", id), resp)
		}
		if err := c.call.Check(op, resp); err != nil {
			return err
		}
	}
	return nil
}

// json64 keeps numeric variation ids numbers in the request body.
func json64(id idString) any {
	if n, err := strconv.ParseInt(string(id), 10, 64); err == nil && strconv.FormatInt(n, 10) == string(id) {
		return n
	}
	return string(id)
}

func (c *Client) forget(sku string) {
	c.skuMu.Lock()
	defer c.skuMu.Unlock()
	delete(c.listingIDs, sku)
}

func (c *Client) listings(ctx context.Context, sku string) ([]string, error) {
	const op = "find_sku"
	c.skuMu.Lock()
	ids, ok := c.listingIDs[sku]
	c.skuMu.Unlock()
	if ok {
		return ids, nil
	}
	if strings.TrimSpace(sku) == "" {
		return nil, c.call.Rejected(op, "SKU vazio.")
	}
	for _, param := range []string{"seller_sku", "sku"} {
		resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet,
			path: "/users/" + url.PathEscape(c.cfg.SellerID) + "/items/search?" + url.Values{param: {sku}}.Encode()})
		if err != nil {
			return nil, err
		}
		if err := c.call.Check(op, resp); err != nil {
			return nil, err
		}
		var res struct {
			Results []string `json:"results"`
		}
		if err := c.call.Decode(op, resp, &res); err != nil {
			return nil, err
		}
		if ids = res.Results; len(ids) > 0 {
			break
		}
	}
	if len(ids) == 0 {
		return nil, c.call.NotFound(op, fmt.Sprintf("Nenhum anúncio do Mercado Livre tem o SKU %s.", sku), nil)
	}
	c.skuMu.Lock()
	c.listingIDs[sku] = ids
	c.skuMu.Unlock()
	return ids, nil
}

func (c *Client) fetchItem(ctx context.Context, id string) (*mlItem, error) {
	const op = "get_item"
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet,
		path: "/items/" + url.PathEscape(id) + "?include_attributes=all"})
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, c.call.NotFound(op, fmt.Sprintf("Anúncio %s não encontrado no Mercado Livre.", id), resp)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	var it mlItem
	if err := c.call.Decode(op, resp, &it); err != nil {
		return nil, err
	}
	return &it, nil
}
