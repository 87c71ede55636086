package mercadolivre

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// Mercado Envios logistic types (shipment logistic.type, mode me2), from the
// envios and mercadoenvios-modo-2 pages.
const (
	LogisticDropOff      = "drop_off"      // the seller drops the package at an agency
	LogisticXDDropOff    = "xd_drop_off"   // drop-off at a Mercado Livre place
	LogisticCrossDocking = "cross_docking" // Mercado Livre collects at the seller
	LogisticXDSameDay    = "xd_same_day"
	LogisticSelfService  = "self_service" // Flex: the seller delivers with ML's label
	LogisticFulfillment  = "fulfillment"  // Full: ML ships from its own warehouse
)

// invoiceDataTypes are the logistic types whose label Mercado Livre releases
// once the NF-e is imported into the shipment (POST …/invoice_data;
// importar-nota-fiscal: "drop_off | xd_drop_off | xd_same_day |
// cross_docking", shipment ready_to_ship/invoice_pending).
var invoiceDataTypes = map[string]bool{
	LogisticDropOff: true, LogisticXDDropOff: true, LogisticCrossDocking: true, LogisticXDSameDay: true,
}

// labelTypes are the logistic types /shipment_labels prints
// (mercadoenvios-modo-2: drop_off, xd_drop_off, cross_docking, self_service;
// xd_same_day follows the invoice_data list, the label page is silent on it).
var labelTypes = map[string]bool{
	LogisticDropOff: true, LogisticXDDropOff: true, LogisticCrossDocking: true, LogisticXDSameDay: true,
	LogisticSelfService: true,
}

// logistics classifies a shipment: Full is the platform's warehouse; every
// other Mercado Envios 2 type with a printable label is the platform's label
// (Mercado Livre owns label and tracking); ME1, custom and not_specified are
// the seller's own shipping. An ME2 type the pages do not list is left to the
// seller (a person sees it on the order).
func logistics(mode, typ string) model.Logistics {
	if mode != "me2" {
		return model.LogisticsSeller
	}
	switch {
	case typ == LogisticFulfillment:
		return model.LogisticsPlatformFulfils
	case labelTypes[typ]:
		return model.LogisticsPlatformLabel
	}
	return model.LogisticsSeller
}

// sendFiscalDocument attaches the NF-e XML to the pack (the order when it is
// in no pack): POST /packs/{pack_id|order_id}/fiscal_documents, multipart
// field fiscal_document (upload-invoices). This is how Flex (self_service)
// and other shipments that do not take invoice_data deliver the NF-e to the
// buyer; it does not move the shipment. A pack has one shipment and one
// NF-e: every order of the pack posts to the same pack id.
func (c *Client) sendFiscalDocument(ctx context.Context, o *mlOrder, inv platform.Invoice) error {
	const op = "send_fiscal_document"
	pack := string(o.PackID)
	if pack == "" {
		pack = string(o.ID)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	name := "nfe.xml"
	if inv.Key != "" {
		name = inv.Key + "-nfe.xml"
	}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="fiscal_document"; filename=%q`, name))
	h.Set("Content-Type", "application/xml")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := part.Write(inv.XML); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	hdr := http.Header{}
	hdr.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodPost, header: hdr, body: body.Bytes(),
		path: "/packs/" + url.PathEscape(pack) + "/fiscal_documents"})
	if err != nil {
		return err
	}
	// The page does not document a duplicate answer (unlike invoice_data's
	// duplicated_fiscal_key): a repeat is sent and whatever 4xx comes back
	// is a refusal a person reads.
	if resp.Status == http.StatusNotFound {
		return c.call.NotFound(op, fmt.Sprintf("Pacote %s não encontrado no Mercado Livre.", pack), resp)
	}
	return c.call.Check(op, resp)
}

// ShipmentLabel implements platform.LabelIssuer: the label of the order's
// Mercado Envios 2 shipment, as PDF (GET /shipment_labels?shipment_ids=…&
// response_type=pdf) and ZPL (response_type=zpl2, a ZIP holding the ZPL
// text). Mercado Livre releases it when the shipment is ready_to_ship past
// invoice_pending (after the NF-e) — a buffered shipment waits for
// lead_time.buffering.date; until then the error is ErrTemporary and the
// engine asks again later. Downloading marks the shipment printed at
// Mercado Livre.
func (c *Client) ShipmentLabel(ctx context.Context, externalID string) (*platform.ShipmentLabel, error) {
	const op = "get_label"
	o, _, err := c.fetchOrder(ctx, externalID)
	if err != nil {
		return nil, err
	}
	if o.Shipping.ID == "" {
		return nil, c.call.Rejected(op, fmt.Sprintf("A venda %s não tem envio no Mercado Livre.", externalID))
	}
	id := string(o.Shipping.ID)
	sh, err := c.fetchShipment(ctx, id)
	if err != nil {
		return nil, err
	}
	if sh.Logistic.Mode != "me2" || !labelTypes[sh.Logistic.Type] {
		return nil, c.call.Rejected(op, fmt.Sprintf(
			"O envio %s (%s %s) não usa etiqueta do Mercado Envios.", id, sh.Logistic.Mode, sh.Logistic.Type))
	}
	if sh.Status != "ready_to_ship" || sh.Substatus == "invoice_pending" || sh.Substatus == "buffered" {
		return nil, platform.NewError(platform.ErrTemporary, model.PlatformMercadoLivre, op, fmt.Sprintf(
			"A etiqueta do envio %s ainda não foi liberada pelo Mercado Livre (%s); nova tentativa em breve.",
			id, strings.Trim(sh.Status+":"+sh.Substatus, ":")), nil)
	}
	pdf, err := c.label(ctx, id, "pdf")
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, c.call.Invalid(op, nil, "a etiqueta em PDF não é um PDF")
	}
	zpl, err := c.label(ctx, id, "zpl2")
	if err != nil {
		return nil, err
	}
	if err := checkZPLZip(zpl); err != nil {
		return nil, c.call.Invalid(op, nil, "a etiqueta ZPL: "+err.Error())
	}
	return &platform.ShipmentLabel{ShipmentID: id, TrackingNumber: sh.TrackingNumber, PDF: pdf, ZPL: zpl}, nil
}

// label downloads one format. Errors come back as JSON with
// failed_shipments[].message (mercadoenvios-modo-2), read as a refusal for
// now (ErrTemporary: the label may be released later).
func (c *Client) label(ctx context.Context, shipmentID, format string) ([]byte, error) {
	const op = "get_label"
	h := http.Header{}
	h.Set("Accept", "*/*")
	q := url.Values{"shipment_ids": {shipmentID}, "response_type": {format}}
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, header: h, path: "/shipment_labels?" + q.Encode()})
	if err != nil {
		return nil, err
	}
	if resp.Status >= 400 && resp.Status < 500 {
		var e struct {
			FailedShipments []struct {
				Message string `json:"message"`
			} `json:"failed_shipments"`
			Message string `json:"message"`
		}
		_ = c.call.Decode(op, resp, &e)
		msg := e.Message
		if len(e.FailedShipments) > 0 {
			msg = e.FailedShipments[0].Message
		}
		return nil, platform.NewError(platform.ErrTemporary, model.PlatformMercadoLivre, op, fmt.Sprintf(
			"O Mercado Livre não entregou a etiqueta do envio %s: %s", shipmentID, strings.TrimSpace(msg)), nil)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// checkZPLZip checks that a zpl2 answer is a ZIP holding ZPL (^XA).
func checkZPLZip(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("não é um ZIP: %w", err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		head := make([]byte, 64)
		n, _ := rc.Read(head)
		rc.Close()
		if bytes.Contains(head[:n], []byte("^XA")) {
			return nil
		}
	}
	return fmt.Errorf("nenhum arquivo ZPL no ZIP")
}
