package vtex

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// StartHandling moves a ready-for-handling order to handling. VTEX answers 204;
// it answers 409 ("Order status should be ready-for-handling to perform this
// action") when the order is elsewhere in the flow. A 409 for an order already
// in handling or beyond is a success; for an order not yet ready (or
// cancelled) it is ErrRejected — the adapter reads the order to tell which.
func (c *Client) StartHandling(ctx context.Context, externalID string) error {
	const op = "start_handling"
	resp, err := c.request(ctx, op, http.MethodPost, orderPath(externalID, "/start-handling"), nil, false)
	if err != nil {
		return err
	}
	switch resp.Status {
	case http.StatusNotFound:
		return c.call.NotFound(op, fmt.Sprintf("Pedido %s não encontrado na VTEX.", externalID), resp)
	case http.StatusConflict:
		o, err := c.fetchOrder(ctx, externalID)
		if err != nil {
			return err
		}
		switch st, _, _ := MapStatus(o.Status); st {
		case model.SOHandling, model.SOInvoiced, model.SODispatched, model.SODelivered:
			return nil
		}
		return c.call.Rejected(op, fmt.Sprintf(
			"A VTEX não permite iniciar o manuseio do pedido %s no status %q; o pedido precisa estar pronto para manuseio.",
			externalID, o.Status))
	}
	return c.call.Check(op, resp)
}

type invoiceItem struct {
	ID          string `json:"id"`
	Price       int64  `json:"price"`
	Description string `json:"description,omitempty"`
	Quantity    int64  `json:"quantity"`
}

// SendInvoice notifies VTEX of the billing invoice (POST …/invoice, type
// "Output"). The body follows the InvoiceNotification schema: invoiceValue is a
// string of cents, items carry the VTEX SKU id and the unit price in cents,
// embeddedInvoice holds the XML text, and trackingNumber/trackingUrl stay empty
// (tracking goes through SendTracking). Items without a platform id are matched
// to the order's lines by refId = sku; no items means the whole order. VTEX
// accepts the same invoice number again (it issues a new receipt), so a retry
// is harmless.
func (c *Client) SendInvoice(ctx context.Context, externalID string, inv platform.Invoice) error {
	const op = "send_invoice"
	if strings.TrimSpace(inv.Number) == "" {
		return c.call.Rejected(op, "Informe o número da nota fiscal.")
	}
	if inv.ValueCents <= 0 {
		return c.call.Rejected(op, "O valor da nota fiscal deve ser maior que zero.")
	}
	items, err := c.invoiceItems(ctx, externalID, inv.Items)
	if err != nil {
		return err
	}
	issued := inv.IssuedAt
	if issued.IsZero() {
		issued = c.cfg.Clock.Now()
	}
	body := map[string]any{
		"type":            "Output",
		"issuanceDate":    issued.Format(time.RFC3339),
		"invoiceNumber":   inv.Number,
		"invoiceValue":    strconv.FormatInt(inv.ValueCents, 10),
		"invoiceKey":      inv.Key,
		"invoiceUrl":      inv.URL,
		"embeddedInvoice": string(inv.XML),
		"courier":         "",
		"trackingNumber":  "",
		"trackingUrl":     "",
		"items":           items,
	}
	resp, err := c.request(ctx, op, http.MethodPost, orderPath(externalID, "/invoice"), body, false)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return c.call.NotFound(op, fmt.Sprintf("Pedido %s não encontrado na VTEX.", externalID), resp)
	}
	return c.call.Check(op, resp)
}

func (c *Client) invoiceItems(ctx context.Context, orderID string, in []platform.InvoiceItem) ([]invoiceItem, error) {
	need := len(in) == 0
	for _, it := range in {
		if it.PlatformItemID == "" {
			need = true
		}
	}
	var order *vtexOrder
	if need {
		var err error
		if order, err = c.fetchOrder(ctx, orderID); err != nil {
			return nil, err
		}
	}
	if len(in) == 0 {
		o := toOrder(order)
		out := make([]invoiceItem, 0, len(o.Items))
		for _, it := range o.Items {
			out = append(out, invoiceItem{ID: it.PlatformItemID, Price: it.UnitCents, Description: it.Name, Quantity: it.Quantity})
		}
		return out, nil
	}
	out := make([]invoiceItem, 0, len(in))
	for _, it := range in {
		id := it.PlatformItemID
		if id == "" {
			for _, oi := range order.Items {
				if oi.RefID == it.SKU {
					id = oi.ID
					break
				}
			}
		}
		if id == "" {
			return nil, c.call.Rejected("send_invoice", fmt.Sprintf(
				"O item %s da nota não faz parte do pedido %s na VTEX.", it.SKU, orderID))
		}
		out = append(out, invoiceItem{ID: id, Price: it.UnitCents, Description: it.Description, Quantity: it.Quantity})
	}
	return out, nil
}

// SendTracking adds the tracking to the invoice already sent (PATCH
// …/invoice/{invoiceNumber}, body trackingNumber, trackingUrl, courier and
// dispatchedDate, all four required by the definition).
func (c *Client) SendTracking(ctx context.Context, externalID string, t platform.Tracking) error {
	const op = "send_tracking"
	if strings.TrimSpace(t.InvoiceNumber) == "" {
		return c.call.Rejected(op, "Informe o número da nota fiscal a que o rastreio pertence.")
	}
	if strings.TrimSpace(t.Code) == "" {
		return c.call.Rejected(op, "Informe o código de rastreio.")
	}
	// The Orders API requires all four fields (dispatchedDate may be null,
	// but must be there); without a dispatch time the send time stands in.
	dispatched := t.DispatchedAt
	if dispatched.IsZero() {
		dispatched = c.cfg.Clock.Now()
	}
	body := map[string]any{
		"trackingNumber": t.Code,
		"trackingUrl":    t.URL,
		"courier":        t.Carrier,
		"dispatchedDate": dispatched.Format(time.RFC3339),
	}
	resp, err := c.request(ctx, op, http.MethodPatch,
		orderPath(externalID, "/invoice/"+url.PathEscape(t.InvoiceNumber)), body, false)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return c.call.NotFound(op, fmt.Sprintf(
			"Nota %s do pedido %s não encontrada na VTEX; envie a nota antes do rastreio.", t.InvoiceNumber, externalID), resp)
	}
	return c.call.Check(op, resp)
}

// Cancel cancels the order (POST …/cancel {"reason"}). VTEX refuses invoiced
// and partially invoiced orders; that refusal comes back as ErrRejected.
func (c *Client) Cancel(ctx context.Context, externalID, reason string) error {
	const op = "cancel"
	resp, err := c.request(ctx, op, http.MethodPost, orderPath(externalID, "/cancel"),
		map[string]string{"reason": reason}, false)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return c.call.NotFound(op, fmt.Sprintf("Pedido %s não encontrado na VTEX.", externalID), resp)
	}
	return c.call.Check(op, resp)
}
