package purchasing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/store"
)

// InvoiceResult is an uploaded supplier invoice and its match against the PO.
type InvoiceResult struct {
	PO       *model.PurchaseOrder
	Invoice  *model.SupplierInvoice
	Document *nfe.Document
	Checks   []model.InvoiceCheck // empty when accepted
}

// Accepted reports whether the invoice matched the PO.
func (r *InvoiceResult) Accepted() bool { return len(r.Checks) == 0 }

// Err is the divergence as an application error (422), every check a detail;
// nil when accepted.
func (r *InvoiceResult) Err() error {
	if r.Accepted() {
		return nil
	}
	d := make([]apperr.Detail, len(r.Checks))
	for i, c := range r.Checks {
		d[i] = apperr.Detail{Field: c.Field, Line: c.Line, Message: c.Message}
	}
	return apperr.Invalid(fmt.Sprintf("NF-e com divergência em relação ao pedido %s: %d problema(s). A nota foi registrada no histórico; envie a NF-e correta.",
		r.PO.Number, len(r.Checks)), d...)
}

// CompanyCNPJ is ConnectParts' CNPJ: the configuration's, or else the settings page's.
func (s *Service) CompanyCNPJ(ctx context.Context) (string, error) {
	if s.companyCNPJ != "" {
		return cnpj.Normalize(s.companyCNPJ), nil
	}
	v, err := s.store.GetSetting(ctx, store.SettingCompanyCNPJ)
	return cnpj.Normalize(v), err
}

// UploadInvoice takes the supplier's sale NF-e for a PO. A file that is not
// an authorised NF-e 4.00, a key used before, an invoice of another issuer or
// for another PO, or a PO in a status that takes no invoice are refused with
// nothing changed (EINVALID with every problem, ECONFLICT for the status).
// Otherwise the invoice is kept and matched against the PO: recipient
// ConnectParts, CFOP of a sale to ConnectParts, every PO item with the same
// quantity and its unit price within R$ 0,01, no foreign items. A match moves
// the PO to supplier_invoiced, a divergence to invoice_divergent (another
// upload may follow); the result lists the divergences line by line.
func (s *Service) UploadInvoice(ctx context.Context, supplierID int64, number string, xml []byte) (*InvoiceResult, error) {
	po, err := s.Find(ctx, &supplierID, number)
	if err != nil {
		return nil, err
	}
	if !po.Can(model.POActAcceptInvoice) {
		return nil, model.POLifecycle[model.POActAcceptInvoice].Conflict(po)
	}
	doc, company, err := s.authorizedNFe(ctx, xml)
	if err != nil {
		return nil, err
	}
	var refused []apperr.Detail
	used, err := s.store.SupplierInvoiceKeyUsed(ctx, doc.Key)
	if err != nil {
		return nil, err
	}
	if used {
		refused = append(refused, apperr.Detail{Field: "access_key", Message: fmt.Sprintf("A NF-e de chave %s já foi enviada antes.", doc.Key)})
	}
	if doc.Issuer.CNPJ != po.Supplier.CNPJ {
		refused = append(refused, apperr.Detail{Field: "issuer", Message: fmt.Sprintf("O emitente da NF-e (%s) não é o fornecedor do pedido (%s).",
			cnpj.Format(doc.Issuer.Document()), cnpj.Format(po.Supplier.CNPJ))})
	}
	if refs := doc.OrderRefs(); len(refs) > 0 && !containsFold(refs, po.Number) {
		refused = append(refused, apperr.Detail{Field: "xPed", Message: fmt.Sprintf("A NF-e é do pedido %s, não do pedido %s.", strings.Join(refs, ", "), po.Number)})
	}
	if len(refused) > 0 {
		return nil, apperr.Invalid("A NF-e não pode ser aceita para o pedido "+po.Number+".", refused...)
	}

	checks := match(po, doc, company)
	report, err := json.Marshal(checks)
	if err != nil {
		return nil, err
	}
	inv := &model.SupplierInvoice{
		POID: po.ID, AccessKey: doc.Key, Number: doc.Number, Series: doc.Series, IssuedAt: doc.IssuedAt.UTC(),
		IssuerCNPJ: doc.Issuer.CNPJ, TotalCents: doc.Totals.InvoiceCents, XML: string(xml), Status: model.InvoiceAccepted, Report: string(report),
	}
	action := model.POActAcceptInvoice
	msg := fmt.Sprintf("NF-e nº %d série %d recebida e conferida com o pedido (chave %s, total %s).", doc.Number, doc.Series, doc.Key, format.Money(doc.Totals.InvoiceCents))
	if len(checks) > 0 {
		inv.Status, action = model.InvoiceDivergent, model.POActDivergentInvoice
		msg = fmt.Sprintf("NF-e nº %d série %d com %d divergência(s) em relação ao pedido (chave %s).", doc.Number, doc.Series, len(checks), doc.Key)
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateSupplierInvoice(ctx, inv); err != nil {
			if apperr.Is(err, apperr.ECONFLICT) { // the same key, uploaded at the same instant
				return apperr.Invalid(apperr.Message(err), apperr.Detail{Field: "access_key", Message: apperr.Message(err)})
			}
			return err
		}
		// invoiced_at is the upload's instant.
		ch, err := po.Decide(action, inv.UploadedAt)
		if err != nil {
			return err
		}
		if err := s.store.ApplyPOChange(ctx, po, ch, msg, map[string]any{"access_key": inv.AccessKey, "status": inv.Status, "checks": len(checks)}); err != nil {
			return err
		}
		if len(checks) > 0 {
			return s.store.Notify(ctx, model.Audience{Roles: staff}, "purchase_order.invoice_divergent",
				fmt.Sprintf("NF-e do pedido de compra %s com divergência.", po.Number), "/purchase-orders/"+po.Number)
		}
		// The fiscal queue: the accepted invoice waits for its entrada.
		return s.store.Notify(ctx, model.Audience{Roles: []model.Role{model.RoleFiscal}}, "purchase_order.supplier_invoiced",
			fmt.Sprintf("NF-e do fornecedor do pedido de compra %s conferida: dar entrada.", po.Number), "/purchase-orders/"+po.Number)
	})
	if err != nil {
		return nil, err
	}
	return &InvoiceResult{PO: po, Invoice: inv, Document: doc, Checks: checks}, nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

// saleCFOPs are the CFOPs a supplier's invoice to ConnectParts may carry:
// the sale on order of the dropship flow (5/6.119, 5/6.118) and the
// ordinary resale (5/6.102). Sales with ICMS-ST (5.403, 5.405…) are not part
// of the dropship agreement and go to purchasing as a divergence.
var saleCFOPs = map[string]bool{"5119": true, "6119": true, "5118": true, "6118": true, "5102": true, "6102": true}

// SaleCFOP reports whether a CFOP fits a supplier's sale invoice to ConnectParts.
func SaleCFOP(code string) bool { return saleCFOPs[nfe.NormalizeCFOP(code)] }

// match lists every divergence between the invoice and the PO.
func match(po *model.PurchaseOrder, doc *nfe.Document, company string) []model.InvoiceCheck {
	checks := []model.InvoiceCheck{}
	if doc.Recipient.CNPJ != company {
		checks = append(checks, model.InvoiceCheck{Code: "recipient", Field: "recipient",
			Message: fmt.Sprintf("O destinatário da NF-e (%s) não é a ConnectParts (%s).", docLabel(doc.Recipient), cnpj.Format(company))})
	}
	matched := make([]bool, len(po.Items))
	for _, it := range doc.Items {
		if !SaleCFOP(it.CFOP) {
			checks = append(checks, model.InvoiceCheck{Item: it.N, Code: "cfop", Field: "cfop",
				Message: fmt.Sprintf("Item %d (%s): o CFOP %s não é de venda para a ConnectParts (use 5.119/6.119, 5.118/6.118, 5.102/6.102…).", it.N, it.Code, nfe.FormatCFOP(it.CFOP))})
		}
		line := -1
		if ref := doc.ItemOrderRef(it); ref == "" || strings.EqualFold(strings.TrimSpace(ref), po.Number) {
			for i, pi := range po.Items {
				if !matched[i] && strings.EqualFold(strings.TrimSpace(it.Code), pi.SupplierCode) {
					line = i
					break
				}
			}
		}
		if line < 0 {
			checks = append(checks, model.InvoiceCheck{Item: it.N, Code: "foreign_item", Field: "item",
				Message: fmt.Sprintf("Item %d (%s — %s) não faz parte do pedido %s.", it.N, it.Code, it.Description, po.Number)})
			continue
		}
		matched[line] = true
		pi := po.Items[line]
		if q, ok := it.Quantity.Int64(); !ok || q != pi.Quantity {
			checks = append(checks, model.InvoiceCheck{Line: pi.Line, Item: it.N, Code: "quantity", Field: "quantity",
				Message: fmt.Sprintf("Item %d (%s): quantidade %s na NF-e, %d no pedido.", it.N, it.Code, it.Quantity.String(), pi.Quantity)})
		}
		if pi.UnitPriceCents != nil && !nfe.WithinCent(it.UnitPrice, centsDecimal(*pi.UnitPriceCents)) {
			checks = append(checks, model.InvoiceCheck{Line: pi.Line, Item: it.N, Code: "unit_price", Field: "unit_price",
				Message: fmt.Sprintf("Item %d (%s): preço unitário %s na NF-e, %s no pedido (tolerância de R$ 0,01).", it.N, it.Code,
					decimalMoney(it.UnitPrice), format.Money(*pi.UnitPriceCents))})
		}
	}
	for i, pi := range po.Items {
		if !matched[i] {
			checks = append(checks, model.InvoiceCheck{Line: pi.Line, Code: "missing_item", Field: "item",
				Message: fmt.Sprintf("Linha %d do pedido (%s — %s, %d un.) não está na NF-e.", pi.Line, pi.SupplierCode, pi.Name, pi.Quantity)})
		}
	}
	return checks
}

func docLabel(p nfe.Party) string {
	if p.CNPJ != "" {
		return cnpj.Format(p.CNPJ)
	}
	if p.Document() == "" {
		return "não informado"
	}
	return p.Document()
}

func centsDecimal(c int64) nfe.Decimal {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return nfe.MustDecimal(fmt.Sprintf("%s%d.%02d", sign, c/100, c%100))
}

// decimalMoney shows an NF-e amount as written, in Brazilian notation.
func decimalMoney(d nfe.Decimal) string { return "R$ " + d.Brazilian(2) }

// authorizedNFe checks that xml is an authorised NF-e 4.00 and returns it with
// ConnectParts' CNPJ, which every invoice of the flow is matched against.
func (s *Service) authorizedNFe(ctx context.Context, xml []byte) (*nfe.Document, string, error) {
	doc, problems := nfe.Check(bytes.NewReader(xml), nfe.Options{RequireProtocol: true})
	if len(problems) == 0 && !doc.Authorized() {
		problems = append(problems, nfe.Problem{Code: nfe.CodeNotAuthorized, Message: "a NF-e não tem protocolo de autorização da SEFAZ"})
	}
	if err := nfe.Err(problems); err != nil {
		return nil, "", err
	}
	company, err := s.CompanyCNPJ(ctx)
	if err != nil {
		return nil, "", err
	}
	if company == "" {
		return nil, "", apperr.Errorf(apperr.ECONFLICT, "O CNPJ da ConnectParts não está configurado (PORTAL_COMPANY_CNPJ ou Configurações); avise a equipe da ConnectParts.")
	}
	return doc, company, nil
}
