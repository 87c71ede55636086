package purchasing

import (
	"context"
	"fmt"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/platform"
)

// SalesOrders is what the fiscal and logistics steps ask of the sales
// orders (syncengine.SalesOrders): the billing moves the order to invoiced
// (consuming its reservation once and queueing the invoice push), the
// despachado mark to dispatched; purchasing cancelling a PO without stock
// queues the sales order's cancellation for the platform. All join the
// caller's transaction.
type SalesOrders interface {
	ConsumeForPurchaseOrder(ctx context.Context, orderID int64, productIDs []int64, ref, message string) error
	MarkInvoiced(ctx context.Context, orderID, invoiceID int64, message string) error
	MarkDispatched(ctx context.Context, orderID int64, message string) error
	MarkShipped(ctx context.Context, orderID, shipmentID int64, message string) error
	QueueCancel(ctx context.Context, orderID int64, reason string) error
}

// SettingAutoDispatch is the settings key of "despachar automaticamente ao
// faturar": "true" marks the sales order dispatched as soon as the PO is
// billed. Default off.
const SettingAutoDispatch = "po_auto_dispatch"

// BookSupplierInvoice is fiscal staff booking (dando entrada) the supplier's
// accepted sale invoice: supplier_invoiced → invoice_booked, with a history
// event and the audit. Any other status is ECONFLICT.
//
// Stock: the booking is the PO's stock movement (source invoice entry, the
// NF-e key as reference). The goods never enter ConnectParts' warehouse (CD):
// they go from the supplier to the customer, so the supplier's units that
// the sales order reserved leave the supplier's stock location now, once;
// invoicing the order later consumes only lines not booked this way.
func (s *Service) BookSupplierInvoice(ctx context.Context, number string) (*model.PurchaseOrder, error) {
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, err
	}
	ch, err := po.Decide(model.POActBook, s.store.Now())
	if err != nil {
		return nil, err
	}
	if s.orders == nil {
		return nil, apperr.Errorf(apperr.ECONFLICT, "A entrada de notas não está disponível nesta instalação.")
	}
	inv, err := s.acceptedInvoice(ctx, po)
	if err != nil {
		return nil, err
	}
	products := make([]int64, 0, len(po.Items))
	for _, it := range po.Items {
		products = append(products, it.ProductID)
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.ApplyPOChange(ctx, po, ch,
			fmt.Sprintf("Entrada da NF-e nº %d do fornecedor registrada pelo fiscal; estoque do fornecedor baixado.", inv.Number), nil); err != nil {
			return err
		}
		return s.orders.ConsumeForPurchaseOrder(ctx, po.SalesOrderID, products, "nfe:"+inv.AccessKey,
			fmt.Sprintf("entrada da NF-e nº %d do fornecedor (pedido de compra %s)", inv.Number, po.Number))
	})
	if err != nil {
		return nil, err
	}
	return po, nil
}

// acceptedInvoice is the supplier invoice the PO was accepted with.
func (s *Service) acceptedInvoice(ctx context.Context, po *model.PurchaseOrder) (*model.SupplierInvoice, error) {
	list, err := s.store.ListSupplierInvoices(ctx, po.ID)
	if err != nil {
		return nil, err
	}
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Status == model.InvoiceAccepted {
			return &list[i], nil
		}
	}
	return nil, apperr.Errorf(apperr.ECONFLICT, "O pedido de compra %s não tem NF-e do fornecedor conferida.", po.Number)
}

// BillingResult is an accepted billing invoice.
type BillingResult struct {
	PO       *model.PurchaseOrder
	Invoice  *model.BillingInvoice
	Document *nfe.Document
}

// UploadBillingInvoice takes ConnectParts' billing NF-e to the customer for
// a booked PO. The file must be an authorised NF-e 4.00 and:
//   - the issuer is ConnectParts (PORTAL_COMPANY_CNPJ, else the setting);
//   - the recipient is the sales order's customer (CPF or CNPJ, digits);
//   - every item carries the billing CFOP 5.120/6.120;
//   - the items are the PO's: cProd is our SKU (ConnectParts sells its own
//     catalogue to the customer; the supplier code is the supplier's
//     business), each PO line exactly once with exactly its quantity, no
//     foreign item;
//   - the totals are consistent (nfe.Check: vProd = Σ items, vNF by the
//     formula) and vNF is positive — the customer price is not the PO's, so
//     it is not compared with the PO total;
//   - the key was never used by another billing invoice.
//
// Any problem is EINVALID listing every one, with nothing changed. Accepted:
// the XML is kept, the PO is billed, the sales order invoiced (reservation
// consumed once, invoice push queued), the supplier notified in-app and,
// with the auto-dispatch setting on, the order dispatched.
func (s *Service) UploadBillingInvoice(ctx context.Context, number string, xml []byte) (*BillingResult, error) {
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, err
	}
	if !po.Can(model.POActBill) {
		return nil, model.POLifecycle[model.POActBill].Conflict(po)
	}
	if s.orders == nil {
		return nil, apperr.Errorf(apperr.ECONFLICT, "O faturamento não está disponível nesta instalação.")
	}
	doc, company, err := s.authorizedNFe(ctx, xml)
	if err != nil {
		return nil, err
	}
	d := billingChecks(po, doc, company)
	used, err := s.store.BillingInvoiceKeyUsed(ctx, doc.Key)
	if err != nil {
		return nil, err
	}
	if used {
		d = append(d, apperr.Detail{Field: "access_key", Message: fmt.Sprintf("A NF-e de chave %s já foi usada em outro faturamento.", doc.Key)})
	}
	if len(d) > 0 {
		return nil, apperr.Invalid(fmt.Sprintf("A NF-e de faturamento não confere com o pedido %s: %d problema(s).", po.Number, len(d)), d...)
	}
	auto, err := s.store.GetSetting(ctx, SettingAutoDispatch)
	if err != nil {
		return nil, err
	}
	inv := &model.BillingInvoice{
		POID: po.ID, AccessKey: doc.Key, Number: doc.Number, Series: doc.Series, IssuedAt: doc.IssuedAt.UTC(),
		RecipientDocument: doc.Recipient.Document(), TotalCents: doc.Totals.InvoiceCents, XML: string(xml),
	}
	msg := fmt.Sprintf("Faturado: NF-e nº %d série %d da ConnectParts ao cliente (chave %s, total %s).", doc.Number, doc.Series, doc.Key, format.Money(doc.Totals.InvoiceCents))
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateBillingInvoice(ctx, inv); err != nil {
			if apperr.Is(err, apperr.ECONFLICT) {
				return apperr.Invalid(apperr.Message(err), apperr.Detail{Field: "access_key", Message: apperr.Message(err)})
			}
			return err
		}
		// billed_at is the invoice's upload instant: the ship-by clock starts.
		ch, err := po.Decide(model.POActBill, inv.UploadedAt)
		if err != nil {
			return err
		}
		if err := s.store.ApplyPOChange(ctx, po, ch, msg, map[string]any{"access_key": inv.AccessKey, "total_cents": inv.TotalCents}); err != nil {
			return err
		}
		if err := s.orders.MarkInvoiced(ctx, po.SalesOrderID, inv.ID, fmt.Sprintf("NF-e de faturamento nº %d do pedido de compra %s.", doc.Number, po.Number)); err != nil {
			return err
		}
		deadline := po.ShipDeadline()
		if err := s.publish(ctx, model.EventPOBilled, po,
			fmt.Sprintf("Pedido de compra %s faturado pela ConnectParts: baixe a NF-e de faturamento e envie até %s.", po.Number, format.DateTime(*deadline))); err != nil {
			return err
		}
		if strings.TrimSpace(auto) == "true" {
			return s.dispatch(ctx, po, "despachado automaticamente ao faturar")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &BillingResult{PO: po, Invoice: inv, Document: doc}, nil
}

func billingChecks(po *model.PurchaseOrder, doc *nfe.Document, company string) []apperr.Detail {
	var d []apperr.Detail
	if doc.Issuer.CNPJ != company {
		d = append(d, apperr.Detail{Field: "issuer", Message: fmt.Sprintf("O emitente da NF-e (%s) não é a ConnectParts (%s).",
			docLabel(doc.Issuer), cnpj.Format(company))})
	}
	if !isCustomer(po, doc.Recipient) {
		d = append(d, apperr.Detail{Field: "recipient", Message: fmt.Sprintf("O destinatário da NF-e (%s) não é o cliente do pedido (%s).",
			docLabel(doc.Recipient), po.CustomerDocument)})
	}
	matched := make([]bool, len(po.Items))
	for _, it := range doc.Items {
		if !nfe.IsBilling(it.CFOP) {
			d = append(d, apperr.Detail{Field: "cfop", Message: fmt.Sprintf("Item %d (%s): o CFOP %s não é de faturamento da venda à ordem (use 5.120/6.120).",
				it.N, it.Code, nfe.FormatCFOP(it.CFOP))})
		}
		line := -1
		for i, pi := range po.Items {
			if !matched[i] && strings.EqualFold(strings.TrimSpace(it.Code), pi.SKU) {
				line = i
				break
			}
		}
		if line < 0 {
			d = append(d, apperr.Detail{Field: "item", Message: fmt.Sprintf("Item %d (%s — %s) não faz parte do pedido %s (cProd deve ser o SKU da ConnectParts).",
				it.N, it.Code, it.Description, po.Number)})
			continue
		}
		matched[line] = true
		pi := po.Items[line]
		if q, ok := it.Quantity.Int64(); !ok || q != pi.Quantity {
			d = append(d, apperr.Detail{Field: "quantity", Line: pi.Line, Message: fmt.Sprintf("Item %d (%s): quantidade %s na NF-e, %d no pedido.",
				it.N, it.Code, it.Quantity.String(), pi.Quantity)})
		}
	}
	for i, pi := range po.Items {
		if !matched[i] {
			d = append(d, apperr.Detail{Field: "item", Line: pi.Line, Message: fmt.Sprintf("Linha %d do pedido (%s — %s, %d un.) não está na NF-e.",
				pi.Line, pi.SKU, pi.Name, pi.Quantity)})
		}
	}
	if doc.Totals.InvoiceCents <= 0 {
		d = append(d, apperr.Detail{Field: "total", Message: "O valor total da NF-e (vNF) deve ser positivo."})
	}
	return d
}

// isCustomer reports whether an NF-e party is the PO's customer: the same
// CPF or CNPJ, punctuation aside.
func isCustomer(po *model.PurchaseOrder, p nfe.Party) bool {
	got := platform.NormalizeDocument(p.Document())
	return got != "" && got == platform.NormalizeDocument(po.CustomerDocument)
}

// BillingInvoice returns a PO's billing invoice as the viewer may see it
// (supplierID nil is staff; another supplier's PO is ENOTFOUND).
func (s *Service) BillingInvoice(ctx context.Context, supplierID *int64, number string) (*model.BillingInvoice, error) {
	_, inv, err := s.billingInvoice(ctx, supplierID, number)
	return inv, err
}

// billingInvoice is BillingInvoice with its PO.
func (s *Service) billingInvoice(ctx context.Context, supplierID *int64, number string) (*model.PurchaseOrder, *model.BillingInvoice, error) {
	po, err := s.Find(ctx, supplierID, number)
	if err != nil {
		return nil, nil, err
	}
	inv, err := s.store.FindBillingInvoice(ctx, po.ID)
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "O pedido de compra %s ainda não foi faturado.", po.Number)
	}
	return po, inv, err
}

// Dispatch is logistics marking billed POs despachado, many at once: each
// PO's sales order moves to dispatched. All or nothing; a PO not billed or
// dispatched already is ECONFLICT.
func (s *Service) Dispatch(ctx context.Context, numbers []string) ([]*model.PurchaseOrder, error) {
	if len(numbers) == 0 {
		return nil, apperr.Invalid("Selecione ao menos um pedido de compra.")
	}
	var out []*model.PurchaseOrder
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		for _, n := range numbers {
			po, err := s.Find(ctx, nil, n)
			if err != nil {
				return err
			}
			if err := s.dispatch(ctx, po, "marcado como despachado pela logística"); err != nil {
				return err
			}
			out = append(out, po)
		}
		return nil
	})
	return out, err
}

func (s *Service) dispatch(ctx context.Context, po *model.PurchaseOrder, how string) error {
	ch, err := po.Decide(model.POActDispatch, s.store.Now())
	if err != nil {
		return err
	}
	if s.orders == nil {
		return apperr.Errorf(apperr.ECONFLICT, "O despacho não está disponível nesta instalação.")
	}
	if err := s.store.ApplyPOChange(ctx, po, ch, "Pedido de venda "+how+".", nil); err != nil {
		return err
	}
	if err := s.orders.MarkDispatched(ctx, po.SalesOrderID, fmt.Sprintf("pedido de compra %s %s.", po.Number, how)); err != nil {
		return err
	}
	return s.store.Notify(ctx, model.Audience{SupplierID: &po.SupplierID}, "purchase_order.dispatched",
		fmt.Sprintf("Pedido de compra %s despachado pela ConnectParts: envie até %s.", po.Number, format.DateTime(*po.ShipDeadline())), "/purchase-orders/"+po.Number)
}
