package web

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

type apiBillingInvoice struct {
	AccessKey         string    `json:"access_key"`
	Number            int       `json:"number"`
	Series            int       `json:"series"`
	IssuedAt          time.Time `json:"issued_at"`
	RecipientDocument string    `json:"recipient_document"`
	TotalCents        int64     `json:"total_cents"`
	UploadedAt        time.Time `json:"uploaded_at"`
}

func toAPIBillingInvoice(inv *model.BillingInvoice) apiBillingInvoice {
	return apiBillingInvoice{AccessKey: inv.AccessKey, Number: inv.Number, Series: inv.Series, IssuedAt: inv.IssuedAt.UTC(),
		RecipientDocument: inv.RecipientDocument, TotalCents: inv.TotalCents, UploadedAt: inv.UploadedAt.UTC()}
}

// handleAPIPurchaseOrderBook is POST /api/v1/purchase-orders/{number}/book-supplier-invoice.
func (s *Server) handleAPIPurchaseOrderBook(c *fiber.Ctx) error {
	po, err := s.purchasing.BookSupplierInvoice(c.UserContext(), copyString(c.Params("number")))
	return s.apiPO(c, po, err)
}

// handleAPIPurchaseOrderBilling is POST /api/v1/purchase-orders/{number}/billing-invoice,
// the body ConnectParts' NF-e XML: 201, or 422 with every problem.
func (s *Server) handleAPIPurchaseOrderBilling(c *fiber.Ctx) error {
	body := xmlUploadBody(c)
	res, err := s.purchasing.UploadBillingInvoice(c.UserContext(), copyString(c.Params("number")), body)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"invoice": toAPIBillingInvoice(res.Invoice), "purchase_order": toAPIPurchaseOrder(res.PO, s.store.Now()),
	})
}

// handleAPIPurchaseOrderBillingXML is GET /api/v1/purchase-orders/{number}/billing-invoice
// (also the page's download link): the XML as uploaded; another
// supplier's PO, or one not billed, is 404.
func (s *Server) handleAPIPurchaseOrderBillingXML(c *fiber.Ctx) error {
	inv, err := s.purchasing.BillingInvoice(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")))
	if err != nil {
		return err
	}
	if err := s.allowCustomerFile(c); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="NFe`+inv.AccessKey+`.xml"`)
	return c.SendString(inv.XML)
}

// handleAPIPurchaseOrderDispatch is POST /api/v1/purchase-orders/dispatch,
// {"numbers": [...]}: all or nothing.
func (s *Server) handleAPIPurchaseOrderDispatch(c *fiber.Ctx) error {
	var in struct {
		Numbers []string `json:"numbers"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return apperr.Errorf(apperr.EMALFORMED, "Envie JSON: {\"numbers\": [\"PC-000123\"]}.")
	}
	pos, err := s.purchasing.Dispatch(c.UserContext(), in.Numbers)
	if err != nil {
		return err
	}
	now := s.store.Now()
	out := make([]apiPurchaseOrder, 0, len(pos))
	for _, po := range pos {
		out = append(out, toAPIPurchaseOrder(po, now))
	}
	return c.JSON(fiber.Map{"items": out})
}
