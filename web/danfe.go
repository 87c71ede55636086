package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/barcode"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/views"
)

// handleBillingDANFE is GET /purchase-orders/{number}/billing-invoice: the
// billing NF-e printed DANFE-style for staff and the PO's supplier (another
// supplier's PO, or one not billed, is 404).
func (s *Server) handleBillingDANFE(c *fiber.Ctx) error {
	pr, err := s.purchasing.BillingPrintable(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")))
	if err != nil {
		return err
	}
	// The billing invoice's recipient is the PO's customer.
	if err := s.privacy.ProtectDocument(c.UserContext(), currentUser(c), model.ViewChannelDANFE, c.Path(), pr.PO, pr.Document); err != nil {
		return err
	}
	if pr.PO.PersonalDataMasked {
		return s.renderDANFE(c, pr, "") // the XML holds the data unmasked
	}
	return s.renderDANFE(c, pr, "/purchase-orders/"+pr.PO.Number+"/billing-invoice.xml")
}

// handleSupplierInvoiceDANFE is GET /purchase-orders/{number}/invoices/{key}:
// one of the supplier's NF-e of the PO printed DANFE-style.
func (s *Server) handleSupplierInvoiceDANFE(c *fiber.Ctx) error {
	pr, err := s.purchasing.SupplierInvoicePrintable(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")), copyString(c.Params("key")))
	if err != nil {
		return err
	}
	return s.renderDANFE(c, pr, "/purchase-orders/"+pr.PO.Number+"/invoices/"+pr.Document.Key+".xml")
}

// handleSupplierInvoiceXML is GET /purchase-orders/:number/invoices/:key.xml
// (and the API's /purchase-orders/{number}/invoices/{key}): the supplier's
// NF-e XML exactly as it was uploaded, for fiscal's own records.
func (s *Server) handleSupplierInvoiceXML(c *fiber.Ctx) error {
	_, inv, err := s.purchasing.SupplierInvoice(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")),
		strings.TrimSuffix(copyString(c.Params("key")), ".xml"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="NFe`+inv.AccessKey+`.xml"`)
	return c.SendString(inv.XML)
}

func (s *Server) renderDANFE(c *fiber.Ctx, pr *purchasing.Printable, xmlURL string) error {
	p := views.DanfeProps{PONumber: pr.PO.Number, Kind: pr.Kind, Doc: pr.Document, XMLURL: xmlURL}
	if bc, err := barcode.Encode(pr.Document.Key); err == nil {
		p.Barcode = bc // a key that cannot be drawn is still printed in full
	}
	return s.render(c, views.DanfePage(p))
}
