package purchasing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/shipping"
)

// ShipmentInput is what the supplier sends when it ships a PO.
type ShipmentInput struct {
	Carrier      string
	TrackingCode string
	Label        []byte
	InvoiceXML   []byte // optional shipment NF-e (NF de remessa)
}

// Ship is the supplier's shipment of a billed PO: the label (PDF, ZPL or a
// ZIP of labels, detected by content), the carrier's tracking code (S10
// check digit for Correios) and optionally its shipment NF-e, which must be
// authorised, issued by the PO's supplier to the customer with CFOP
// 5.923/6.923 on every item. A PO not billed (or shipped already) is
// ECONFLICT; any problem with what was sent is EINVALID listing every one,
// with nothing stored. Accepted: the label is kept under the data directory
// with its sha256, the PO moves to shipped (history, audit) and the sales
// order gets a timeline event and the tracking push queued.
func (s *Service) Ship(ctx context.Context, supplierID int64, number string, in ShipmentInput) (*model.PurchaseOrder, *model.POShipment, error) {
	po, err := s.Find(ctx, &supplierID, number)
	if err != nil {
		return nil, nil, err
	}
	if !po.Can(model.POActShip) {
		return nil, nil, model.POLifecycle[model.POActShip].Conflict(po)
	}
	if s.orders == nil || s.docs == nil {
		return nil, nil, apperr.Errorf(apperr.ECONFLICT, "O envio não está disponível nesta instalação.")
	}
	if platformLabel, err := s.UsesPlatformLabel(ctx, po); err != nil {
		return nil, nil, err
	} else if platformLabel {
		return nil, nil, apperr.Errorf(apperr.ECONFLICT, "O pedido %s é enviado pelo Mercado Envios: imprima a etiqueta do Mercado Livre "+
			"disponível no pedido e poste ou entregue o pacote; o rastreio é do Mercado Livre e o pedido fica enviado quando ele informar a postagem ou coleta.", po.Number)
	}
	carrier := shipping.NormalizeCarrier(in.Carrier)
	code := shipping.NormalizeTracking(in.TrackingCode)
	var d []apperr.Detail
	kind, err := shipping.DetectLabel(in.Label)
	switch {
	case errors.Is(err, shipping.ErrLabelEmpty):
		d = append(d, apperr.Detail{Field: "label", Message: "Escolha o arquivo da etiqueta (PDF, ZPL ou ZIP de etiquetas)."})
	case err != nil:
		d = append(d, apperr.Detail{Field: "label", Message: "Etiqueta: " + err.Error() + "."})
	}
	switch {
	case code == "":
		d = append(d, apperr.Detail{Field: "tracking_code", Message: "Informe o código de rastreio."})
	case carrier == "":
		d = append(d, apperr.Detail{Field: "carrier", Message: fmt.Sprintf("Transportadora %q desconhecida: use correios ou outras.", strings.TrimSpace(in.Carrier))})
	default:
		if err := shipping.ValidTracking(carrier, code); err != nil {
			d = append(d, apperr.Detail{Field: "tracking_code", Message: "Código de rastreio inválido: " + err.Error() + "."})
		}
	}
	var doc *nfe.Document
	if len(in.InvoiceXML) > 0 {
		doc, err = s.shipmentInvoice(ctx, po, in.InvoiceXML)
		switch {
		case apperr.Is(err, apperr.EINVALID):
			if ds := apperr.Details(err); len(ds) > 0 {
				d = append(d, ds...)
			} else {
				d = append(d, apperr.Detail{Field: "shipment_invoice", Message: apperr.Message(err)})
			}
		case err != nil:
			return nil, nil, err
		}
	}
	if len(d) > 0 {
		return nil, nil, apperr.Invalid(fmt.Sprintf("O envio do pedido %s não foi aceito: %d problema(s).", po.Number, len(d)), d...)
	}

	sum := sha256.Sum256(in.Label)
	hexSum := hex.EncodeToString(sum[:])
	sh := &model.POShipment{
		Carrier: carrier, TrackingCode: code, TrackingURL: shipping.TrackingURL(carrier, code),
		LabelKind: kind, LabelSHA256: hexSum, LabelSize: int64(len(in.Label)),
	}
	msg := fmt.Sprintf("Enviado pelo fornecedor: %s, rastreio %s.", shipping.CarrierLabel(carrier), code)
	if doc != nil {
		key, n, xml := doc.Key, doc.Number, string(in.InvoiceXML)
		sh.InvoiceKey, sh.InvoiceNumber, sh.InvoiceXML = &key, &n, &xml
		msg += fmt.Sprintf(" NF-e de remessa nº %d (chave %s).", n, key)
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		ch, err := po.Decide(model.POActShip, s.store.Now())
		if err != nil {
			return err
		}
		// In the database the label is written in this transaction: the
		// shipment and its label are recorded together or not at all.
		ref, err := s.docs.Put(ctx, bytes.NewReader(in.Label))
		if err != nil {
			return err
		}
		sh.LabelPath = ref.Key
		if err := s.store.CreatePOShipment(ctx, po, ch, sh, msg); err != nil {
			return err
		}
		return s.orders.MarkShipped(ctx, po.SalesOrderID, sh.ID, fmt.Sprintf("pedido de compra %s enviado pelo fornecedor (%s, rastreio %s).",
			po.Number, shipping.CarrierLabel(carrier), code))
	})
	if err != nil {
		// In object storage the label was written under a name of its own:
		// a failed transaction leaves no row pointing at it.
		if sh.LabelPath != "" {
			_ = s.docs.Delete(context.WithoutCancel(ctx), sh.LabelPath)
		}
		return nil, nil, err
	}
	return po, sh, nil
}

// shipmentInvoice checks the supplier's shipment NF-e against the PO:
// authorised, issued by the PO's supplier, to the customer, CFOP 5.923/6.923
// on every item. EINVALID lists every problem.
func (s *Service) shipmentInvoice(ctx context.Context, po *model.PurchaseOrder, xml []byte) (*nfe.Document, error) {
	doc, _, err := s.authorizedNFe(ctx, xml)
	if err != nil {
		if apperr.Is(err, apperr.EINVALID) {
			return nil, apperr.Invalid(apperr.Message(err), apperr.Detail{Field: "shipment_invoice", Message: "NF-e de remessa: " + apperr.Message(err)})
		}
		return nil, err
	}
	var d []apperr.Detail
	supplier := ""
	if po.Supplier != nil {
		supplier = po.Supplier.CNPJ
	}
	if supplier == "" || doc.Issuer.CNPJ != supplier {
		d = append(d, apperr.Detail{Field: "shipment_invoice.issuer", Message: fmt.Sprintf("NF-e de remessa: o emitente (%s) não é o fornecedor do pedido (%s).",
			docLabel(doc.Issuer), cnpj.Format(supplier))})
	}
	if !isCustomer(po, doc.Recipient) {
		d = append(d, apperr.Detail{Field: "shipment_invoice.recipient", Message: fmt.Sprintf("NF-e de remessa: o destinatário (%s) não é o cliente do pedido (%s).",
			docLabel(doc.Recipient), po.CustomerDocument)})
	}
	for _, it := range doc.Items {
		if !nfe.IsShipmentOnOrder(it.CFOP) {
			d = append(d, apperr.Detail{Field: "shipment_invoice.cfop", Message: fmt.Sprintf("NF-e de remessa, item %d (%s): o CFOP %s não é de remessa por conta e ordem (use 5.923/6.923).",
				it.N, it.Code, nfe.FormatCFOP(it.CFOP))})
		}
	}
	if len(d) > 0 {
		return nil, apperr.Invalid("A NF-e de remessa não confere com o pedido.", d...)
	}
	return doc, nil
}

// Label is the PO's shipment label as the viewer may see it (supplierID nil
// is staff; another supplier's PO is ENOTFOUND): the shipment and the file's
// absolute path.
func (s *Service) Label(ctx context.Context, supplierID *int64, number string) (*model.POShipment, io.ReadCloser, error) {
	sh, err := s.Shipment(ctx, supplierID, number)
	if err != nil {
		return nil, nil, err
	}
	if s.docs == nil {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "A etiqueta não foi encontrada no armazenamento.")
	}
	f, _, err := s.docs.Open(ctx, sh.LabelPath)
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "A etiqueta do pedido %s não foi encontrada no armazenamento.", number)
	}
	if err != nil {
		return nil, nil, err
	}
	return sh, f, nil
}

// Shipment returns a PO's shipment as the viewer may see it; ENOTFOUND
// before the supplier shipped.
func (s *Service) Shipment(ctx context.Context, supplierID *int64, number string) (*model.POShipment, error) {
	po, err := s.Find(ctx, supplierID, number)
	if err != nil {
		return nil, err
	}
	sh, err := s.store.FindPOShipment(ctx, po.ID)
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "O pedido de compra %s ainda não foi enviado.", po.Number)
	}
	return sh, err
}

// LatePurchaseOrders lists billed POs past their ship-by deadline without a
// shipment, for logistics.
func (s *Service) LatePurchaseOrders(ctx context.Context) ([]model.PurchaseOrder, error) {
	return s.store.ListLatePurchaseOrders(ctx, s.store.Now())
}

// SetDocuments replaces the document store given at construction; tests use
// it to put a failing disk under a running portal.
func (s *Service) SetDocuments(d *docstore.Store) { s.docs = d }
