package web

import (
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/shipping"
)

type apiPOShipment struct {
	Carrier       string    `json:"carrier"`
	TrackingCode  string    `json:"tracking_code"`
	TrackingURL   string    `json:"tracking_url"`
	LabelKind     string    `json:"label_kind"`
	LabelSHA256   string    `json:"label_sha256"`
	LabelSize     int64     `json:"label_size"`
	InvoiceKey    *string   `json:"shipment_invoice_key"`
	InvoiceNumber *int      `json:"shipment_invoice_number"`
	ShippedAt     time.Time `json:"shipped_at"`
}

func toAPIPOShipment(sh *model.POShipment) apiPOShipment {
	return apiPOShipment{Carrier: sh.Carrier, TrackingCode: sh.TrackingCode, TrackingURL: sh.TrackingURL, LabelKind: sh.LabelKind,
		LabelSHA256: sh.LabelSHA256, LabelSize: sh.LabelSize, InvoiceKey: sh.InvoiceKey, InvoiceNumber: sh.InvoiceNumber, ShippedAt: sh.ShippedAt.UTC()}
}

// shipmentInput reads the shipment form (API and page share the fields).
func shipmentInput(c *fiber.Ctx) (purchasing.ShipmentInput, error) {
	in := purchasing.ShipmentInput{Carrier: copyString(c.FormValue("carrier")), TrackingCode: copyString(c.FormValue("tracking_code"))}
	var err error
	if in.Label, err = readFormFile(c, "label", shipping.MaxLabelSize); err != nil {
		return in, err
	}
	if in.InvoiceXML, err = readFormFile(c, "shipment_invoice", nfe.DefaultMaxBytes); err != nil {
		return in, err
	}
	return in, nil
}

// handleAPIPurchaseOrderShipment is POST /api/v1/purchase-orders/{number}/shipment
// (supplier, multipart: label, tracking_code, carrier, optional
// shipment_invoice): 201, 409 before billing, 422 with every problem.
func (s *Server) handleAPIPurchaseOrderShipment(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	in, err := shipmentInput(c)
	if err != nil {
		return err
	}
	po, sh, err := s.purchasing.Ship(c.UserContext(), sid, copyString(c.Params("number")), in)
	if err != nil {
		return err
	}
	if err := s.privacy.Protect(c.UserContext(), currentUser(c), model.ViewChannelAPI, c.Path(), po); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"shipment": toAPIPOShipment(sh), "purchase_order": toAPIPurchaseOrder(po, s.store.Now()),
	})
}

// handleAPIPurchaseOrderShipmentShow is GET /api/v1/purchase-orders/{number}/shipment.
func (s *Server) handleAPIPurchaseOrderShipmentShow(c *fiber.Ctx) error {
	sh, err := s.purchasing.Shipment(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")))
	if err != nil {
		return err
	}
	return c.JSON(toAPIPOShipment(sh))
}

var labelTypes = map[string]string{
	shipping.KindPDF: "application/pdf",
	shipping.KindZPL: "text/plain; charset=utf-8",
	shipping.KindZIP: "application/zip",
}

// handleAPIPurchaseOrderLabel is GET /api/v1/purchase-orders/{number}/label
// (also the page's download link): staff and the PO's supplier; another
// supplier's PO, or one not shipped, is 404.
func (s *Server) handleAPIPurchaseOrderLabel(c *fiber.Ctx) error {
	number := copyString(c.Params("number"))
	sh, file, err := s.purchasing.Label(c.UserContext(), poViewer(currentUser(c)), number)
	if err != nil {
		return err
	}
	if err := s.allowCustomerFile(c); err != nil {
		file.Close()
		return err
	}
	data, err := io.ReadAll(file)
	file.Close()
	if err != nil {
		return apperr.Wrap(err, apperr.EINTERNAL, "A etiqueta não foi encontrada no armazenamento.")
	}
	c.Set(fiber.HeaderContentType, labelTypes[sh.LabelKind])
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="etiqueta-`+sanitizeFilename(number)+`.`+sh.LabelKind+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(data)
}

// handlePurchaseOrderPlatformLabel is GET
// /api/v1/purchase-orders/{number}/platform-label/{format} (pdf or zpl; also
// the page's download links): the label the sales platform issued (Mercado
// Envios), for staff and the PO's supplier; another supplier's PO, or none
// yet, is 404.
func (s *Server) handlePurchaseOrderPlatformLabel(c *fiber.Ctx) error {
	number := copyString(c.Params("number"))
	format := copyString(c.Params("format"))
	if format != model.LabelFormatPDF && format != model.LabelFormatZPL {
		return apperr.Errorf(apperr.ENOTFOUND, "Formato de etiqueta desconhecido: use pdf ou zpl.")
	}
	l, file, err := s.purchasing.PlatformLabel(c.UserContext(), poViewer(currentUser(c)), number, format)
	if err != nil {
		return err
	}
	defer file.Close()
	if err := s.allowCustomerFile(c); err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(file, 64<<20))
	if err != nil {
		return apperr.Wrap(err, apperr.EINTERNAL, "A etiqueta não foi encontrada no armazenamento.")
	}
	c.Set(fiber.HeaderContentType, labelTypes[l.Kind])
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="etiqueta-mercado-envios-`+sanitizeFilename(number)+`.`+l.Kind+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(data)
}

func sanitizeFilename(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}
