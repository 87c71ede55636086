package purchasing

import (
	"context"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
)

// Printable is an invoice of a PO read back from its stored XML for the
// DANFE-style page.
type Printable struct {
	PO       *model.PurchaseOrder
	Kind     string // "billing" (ConnectParts' to the customer) or "supplier" (the supplier's to ConnectParts)
	Document *nfe.Document
}

// BillingPrintable is the billing invoice of a PO as the viewer may see it
// (supplierID nil is staff; another supplier's PO, or one not billed, is
// ENOTFOUND), parsed from the XML kept at upload.
func (s *Service) BillingPrintable(ctx context.Context, supplierID *int64, number string) (*Printable, error) {
	po, inv, err := s.billingInvoice(ctx, supplierID, number)
	if err != nil {
		return nil, err
	}
	doc, err := parseStored(inv.XML)
	if err != nil {
		return nil, err
	}
	return &Printable{PO: po, Kind: "billing", Document: doc}, nil
}

// SupplierInvoicePrintable is one of the supplier's invoices of a PO, by its
// access key, as the viewer may see it.
func (s *Service) SupplierInvoicePrintable(ctx context.Context, supplierID *int64, number, key string) (*Printable, error) {
	po, inv, err := s.SupplierInvoice(ctx, supplierID, number, key)
	if err != nil {
		return nil, err
	}
	doc, err := parseStored(inv.XML)
	if err != nil {
		return nil, err
	}
	return &Printable{PO: po, Kind: "supplier", Document: doc}, nil
}

// SupplierInvoice is one NF-e the supplier sent for the PO, by its access
// key, as the viewer may see it (supplierID nil is staff; another
// supplier's PO is ENOTFOUND): its XML exactly as uploaded.
func (s *Service) SupplierInvoice(ctx context.Context, supplierID *int64, number, key string) (*model.PurchaseOrder, *model.SupplierInvoice, error) {
	po, err := s.Find(ctx, supplierID, number)
	if err != nil {
		return nil, nil, err
	}
	invs, err := s.store.ListSupplierInvoices(ctx, po.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range invs {
		if strings.EqualFold(invs[i].AccessKey, strings.TrimSpace(key)) {
			return po, &invs[i], nil
		}
	}
	return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "O pedido de compra %s não tem NF-e do fornecedor com essa chave.", po.Number)
}

// parseStored reads an XML accepted earlier; it passed every check then, so
// a document that cannot be read now is an internal error.
func parseStored(xml string) (*nfe.Document, error) {
	doc, problems := nfe.Parse([]byte(xml), nfe.Options{})
	if doc == nil {
		return nil, apperr.Wrap(nfe.Err(problems), apperr.EINTERNAL, "")
	}
	return doc, nil
}
