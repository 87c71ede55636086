package purchasing

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/shipping"
)

// POEventPlatformLabel is the PO history entry of a platform label received.
const POEventPlatformLabel = "platform_label"

// PlatformCarrier is the carrier recorded on the shipment of a PO whose
// sales platform runs the logistics (Mercado Envios 2).
const PlatformCarrier = "Mercado Envios"

// UsesPlatformLabel reports whether the PO's sales order ships with the
// platform's label and tracking (model.LogisticsPlatformLabel): the
// supplier prints the platform's label and sends no label or tracking.
func (s *Service) UsesPlatformLabel(ctx context.Context, po *model.PurchaseOrder) (bool, error) {
	so, err := s.store.FindSalesOrder(ctx, po.SalesOrderID)
	if err != nil {
		return false, err
	}
	return so.Logistics == model.LogisticsPlatformLabel, nil
}

// AttachPlatformLabel keeps the label the sales platform issued for the PO's
// shipment (Mercado Livre /shipment_labels, fetched by the sync engine once
// the billing NF-e was accepted), PDF and ZPL, in the document store like the
// suppliers' labels, and notes it in the PO's history, in one transaction.
func (s *Service) AttachPlatformLabel(ctx context.Context, poID int64, shipmentID, tracking string, pdf, zpl []byte) error {
	if s.docs == nil {
		return apperr.Errorf(apperr.ECONFLICT, "O armazenamento de etiquetas não está configurado nesta instalação.")
	}
	po, err := s.store.FindPurchaseOrderByID(ctx, poID)
	if err != nil {
		return err
	}
	type labelFile struct {
		format, kind string
		data         []byte
	}
	var files []labelFile
	for _, f := range []labelFile{{format: model.LabelFormatPDF, data: pdf}, {format: model.LabelFormatZPL, data: zpl}} {
		if len(f.data) == 0 {
			continue
		}
		kind, err := shipping.DetectLabel(f.data)
		if err != nil {
			return apperr.Wrap(err, apperr.EINVALID, "A etiqueta da plataforma não é um PDF, ZPL ou ZIP de etiquetas: "+err.Error())
		}
		f.kind = kind
		files = append(files, f)
	}
	if len(files) == 0 {
		return apperr.Errorf(apperr.EINVALID, "A plataforma não entregou a etiqueta.")
	}
	return s.store.Tx(ctx, func(ctx context.Context) error {
		for _, f := range files {
			ref, err := s.docs.Put(ctx, bytes.NewReader(f.data))
			if err != nil {
				return err
			}
			row := model.POPlatformLabel{POID: po.ID, Format: f.format, ShipmentID: shipmentID, Kind: f.kind,
				Path: ref.Key, SHA256: ref.SHA256, Size: ref.Size}
			if err := s.store.SavePOPlatformLabel(ctx, &row); err != nil {
				return err
			}
		}
		msg := fmt.Sprintf("Etiqueta do Mercado Envios disponível para impressão (envio %s", shipmentID)
		if tracking != "" {
			msg += ", rastreio " + tracking
		}
		return s.store.AddPurchaseOrderEvent(ctx, po.ID, POEventPlatformLabel, msg+").")
	})
}

// PlatformLabels returns the platform labels of a PO as the viewer may see
// them (supplierID nil is staff); none when the platform issued none yet.
func (s *Service) PlatformLabels(ctx context.Context, supplierID *int64, number string) ([]model.POPlatformLabel, error) {
	po, err := s.Find(ctx, supplierID, number)
	if err != nil {
		return nil, err
	}
	return s.store.ListPOPlatformLabels(ctx, po.ID)
}

// PlatformLabel is one platform label of a PO as the viewer may see it, and
// its file opened from the document store (the caller closes it);
// ENOTFOUND when there is none in that format.
func (s *Service) PlatformLabel(ctx context.Context, supplierID *int64, number, format string) (*model.POPlatformLabel, io.ReadCloser, error) {
	po, err := s.Find(ctx, supplierID, number)
	if err != nil {
		return nil, nil, err
	}
	l, err := s.store.FindPOPlatformLabel(ctx, po.ID, format)
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "O pedido de compra %s ainda não tem etiqueta da plataforma.", po.Number)
	}
	if err != nil {
		return nil, nil, err
	}
	if s.docs == nil {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "A etiqueta não foi encontrada no armazenamento.")
	}
	f, _, err := s.docs.Open(ctx, l.Path)
	if err != nil {
		return nil, nil, err
	}
	return l, f, nil
}

// ShipByPlatform is the sales platform reporting the package of a sales
// order picked up or dropped off (Mercado Envios 2): every billed PO of the
// order holding the platform's PDF label becomes shipped, with the
// platform's carrier and tracking and that label. POs already shipped or not
// billed are left alone. Returns the POs it shipped. Joins the caller's
// transaction.
func (s *Service) ShipByPlatform(ctx context.Context, salesOrderID int64, tracking string) ([]model.PurchaseOrder, error) {
	pos, err := s.store.ListPurchaseOrdersOfSalesOrder(ctx, salesOrderID)
	if err != nil {
		return nil, err
	}
	var shipped []model.PurchaseOrder
	for i := range pos {
		po := &pos[i]
		if po.Status != model.POBilled {
			continue
		}
		l, err := s.store.FindPOPlatformLabel(ctx, po.ID, model.LabelFormatPDF)
		if apperr.Is(err, apperr.ENOTFOUND) {
			continue
		}
		if err != nil {
			return nil, err
		}
		code := tracking
		if code == "" {
			code = l.ShipmentID
		}
		sh := &model.POShipment{Carrier: PlatformCarrier, TrackingCode: code, LabelKind: l.Kind, LabelPath: l.Path,
			LabelSHA256: l.SHA256, LabelSize: l.Size}
		msg := fmt.Sprintf("Enviado: o Mercado Envios informou a coleta ou postagem do pacote (rastreio %s).", code)
		ch, err := po.Decide(model.POActShip, s.store.Now())
		if err != nil {
			return nil, err
		}
		if err := s.store.CreatePOShipment(ctx, po, ch, sh, msg); err != nil {
			return nil, err
		}
		shipped = append(shipped, *po)
	}
	return shipped, nil
}
