// Package purchasing turns sales orders into purchase orders (pedidos de
// compra) for the dropship suppliers and runs the supplier's side of them:
// acknowledge, declare no stock, upload the sale invoice (NF-e) that is
// matched against the PO.
//
// A PO is created in the transaction that brings its sales order to payment
// approved (or that first sees it in a later status), one per supplier of the
// order's dropship items, priced by each item's price table in force at that
// instant. Creation is idempotent: the database holds at most one PO per
// sales order and supplier, whichever instance or retry gets there first.
package purchasing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// Pricer gives a product's supplier price in force at an instant
// (pricetable.Service.PriceAt): ENOTFOUND when there is none.
type Pricer interface {
	PriceAt(ctx context.Context, productID int64, t time.Time) (cents, tableID int64, err error)
}

// SettingFiscalNote is the settings key of the fiscal note text every PO
// carries; DefaultFiscalNote is used while it is unset. "{pedido}" is
// replaced by the PO number.
const (
	SettingFiscalNote = "po_fiscal_note"
	DefaultFiscalNote = "Venda à ordem: mercadoria a ser entregue diretamente ao cliente por conta e ordem de ConnectParts. " +
		"Informar o pedido de compra {pedido} em xPed."
)

// staff are the roles told about the purchasing exception queues.
var staff = []model.Role{model.RolePurchasing, model.RoleAdmin}

// Service runs purchase orders.
type Service struct {
	store       *store.Store
	prices      Pricer
	companyCNPJ string // PORTAL_COMPANY_CNPJ; when empty, the settings page's value
	orders      SalesOrders
	docs        *docstore.Store // where shipment labels are kept
}

// Options are the service's dependencies, all given at construction.
type Options struct {
	Store  *store.Store
	Prices Pricer
	// CompanyCNPJ is the configured CNPJ of ConnectParts (it wins over the
	// setting when not empty).
	CompanyCNPJ string
	// SalesOrders are the sales-order steps (syncengine.SalesOrders); nil:
	// booking, billing, dispatch, shipment and cancelling a PO without stock
	// are refused.
	SalesOrders SalesOrders
	// Documents keeps the shipment labels (internal/docstore, shared by every
	// instance); nil: shipments are refused.
	Documents *docstore.Store
}

// New builds the service.
func New(o Options) *Service {
	return &Service{store: o.Store, prices: o.Prices, companyCNPJ: o.CompanyCNPJ, orders: o.SalesOrders, docs: o.Documents}
}

// CreateForOrder creates the missing POs of a sales order: one per supplier
// of its dropship items. It joins the caller's transaction. Items are priced
// by the table in force now; an item without a price leaves its PO in
// no_price, the purchasing exception queue, instead of pricing it at zero.
// It returns the POs created by this call (none when they all existed).
func (s *Service) CreateForOrder(ctx context.Context, salesOrderID int64) ([]model.PurchaseOrder, error) {
	var created []model.PurchaseOrder
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, salesOrderID)
		if err != nil {
			return err
		}
		existing, err := s.store.ListPurchaseOrdersOfSalesOrder(ctx, so.ID)
		if err != nil {
			return err
		}
		have := map[int64]bool{}
		for _, po := range existing {
			have[po.SupplierID] = true
		}
		ids := make([]int64, 0, len(so.Items))
		for _, it := range so.Items {
			ids = append(ids, it.ProductID)
		}
		products, err := s.store.ProductsByID(ctx, ids)
		if err != nil {
			return err
		}
		var suppliers []*model.Supplier
		bySupplier := map[int64][]model.PurchaseOrderItem{}
		for _, it := range so.Items {
			p, ok := products[it.ProductID]
			if !ok {
				return apperr.Errorf(apperr.ENOTFOUND, "Produto não encontrado(a).")
			}
			if !p.Dropship || p.SupplierID == nil || have[*p.SupplierID] {
				continue
			}
			if p.Supplier == nil {
				return apperr.Errorf(apperr.ENOTFOUND, "Fornecedor não encontrado(a).")
			}
			sid := *p.SupplierID
			if _, ok := bySupplier[sid]; !ok {
				suppliers = append(suppliers, p.Supplier)
			}
			bySupplier[sid] = append(bySupplier[sid], model.PurchaseOrderItem{
				ProductID: p.ID, SKU: p.SKU, SupplierCode: p.SupplierCode, EAN: p.EAN, NCM: p.NCM, Name: p.Name, Quantity: it.Quantity,
			})
		}
		if len(suppliers) == 0 {
			return nil
		}
		note, err := s.FiscalNote(ctx)
		if err != nil {
			return err
		}
		now := s.store.Now()
		for _, sup := range suppliers {
			po := newPO(so, sup, now)
			var unpriced []string
			for _, it := range bySupplier[sup.ID] {
				cents, table, err := s.prices.PriceAt(ctx, it.ProductID, now)
				switch {
				case apperr.Is(err, apperr.ENOTFOUND):
					unpriced = append(unpriced, it.SupplierCode)
				case err != nil:
					return err
				default:
					total := cents * it.Quantity
					it.UnitPriceCents, it.TotalCents, it.PriceTableID = &cents, &total, &table
					po.TotalCents += total
				}
				po.Items = append(po.Items, it)
			}
			order := so.Number
			if order == "" { // a platform order without a number of its own (a Mercado Livre order outside a pack)
				order = so.ExternalID
			}
			msg := fmt.Sprintf("Pedido de compra criado para o pedido de venda %s: %s, total %s, preços das tabelas em vigor em %s.",
				order, format.Plural(len(po.Items), "item", "itens"), format.Money(po.TotalCents), format.DateTime(now))
			if len(unpriced) > 0 {
				po.Status = model.PONoPrice
				msg = fmt.Sprintf("Pedido de compra criado para o pedido de venda %s sem preço em vigor para %s: aguardando compras.",
					order, strings.Join(unpriced, ", "))
			}
			po.FiscalNote = note // the number is known only after the insert; see below
			ok, err := s.store.CreatePurchaseOrder(ctx, po, msg)
			if err != nil {
				return err
			}
			if !ok {
				continue // another instance or retry created it first
			}
			if strings.Contains(note, "{pedido}") {
				po.FiscalNote = strings.ReplaceAll(note, "{pedido}", po.Number)
				if err := s.store.SetPurchaseOrderFiscalNote(ctx, po.ID, po.FiscalNote); err != nil {
					return err
				}
			}
			if err := s.notifyCreated(ctx, po, unpriced); err != nil {
				return err
			}
			created = append(created, *po)
		}
		return nil
	})
	return created, err
}

func newPO(so *model.SalesOrder, sup *model.Supplier, now time.Time) *model.PurchaseOrder {
	hours := dispatchHours(sup.DispatchHours)
	return &model.PurchaseOrder{
		SalesOrderID: so.ID, SupplierID: sup.ID, Status: model.POAwaitingSupplier, OrderNumber: so.Number,

		CustomerName: so.CustomerName, CustomerTradeName: so.CustomerTradeName, CustomerType: so.CustomerType,
		CustomerDocument: so.CustomerDocument, CustomerStateRegistration: so.CustomerStateRegistration,
		CustomerICMSContributor: so.CustomerICMSContributor, CustomerSuframa: so.CustomerSuframa,
		CustomerEmail: so.CustomerEmail, CustomerPhones: so.CustomerPhones,

		DeliveryRecipient: so.DeliveryRecipient, DeliveryStreet: so.DeliveryStreet, DeliveryNumber: so.DeliveryNumber,
		DeliveryComplement: so.DeliveryComplement, DeliveryReference: so.DeliveryReference, DeliveryDistrict: so.DeliveryDistrict,
		DeliveryCEP: so.DeliveryCEP, DeliveryCity: so.DeliveryCity, DeliveryState: so.DeliveryState,
		DeliveryCountry: so.DeliveryCountry, DeliveryIBGECode: so.DeliveryIBGECode,

		ShippingMethod: so.ShippingMethod, CarrierName: so.ChannelCarrier,
		PricedAt: now, DispatchHours: hours, DueAt: now.Add(dispatchWindow(hours)),
	}
}

// FiscalNote is the fiscal note text new POs carry (the setting, or the default).
func (s *Service) FiscalNote(ctx context.Context) (string, error) {
	v, err := s.store.GetSetting(ctx, SettingFiscalNote)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(v) == "" {
		return DefaultFiscalNote, nil
	}
	return v, nil
}

func (s *Service) notifyCreated(ctx context.Context, po *model.PurchaseOrder, unpriced []string) error {
	link := "/purchase-orders/" + po.Number
	if po.Status == model.PONoPrice {
		return s.store.Notify(ctx, model.Audience{Roles: staff}, "purchase_order.no_price",
			fmt.Sprintf("O pedido de compra %s não tem preço em vigor para %s.", po.Number, strings.Join(unpriced, ", ")), link)
	}
	return s.publish(ctx, model.EventPOCreated, po,
		fmt.Sprintf("Novo pedido de compra %s: %s, despachar até %s.", po.Number, format.Money(po.TotalCents), format.DateTime(po.DueAt)))
}

// Find returns a PO as the viewer may see it: supplierID nil is staff (any
// PO); a supplier sees only its own, another's is ENOTFOUND (404).
func (s *Service) Find(ctx context.Context, supplierID *int64, number string) (*model.PurchaseOrder, error) {
	po, err := s.store.FindPurchaseOrderByNumber(ctx, strings.ToUpper(strings.TrimSpace(number)))
	if err != nil {
		return nil, err
	}
	if supplierID != nil && po.SupplierID != *supplierID {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Pedido de compra não encontrado.")
	}
	return po, nil
}

// Acknowledge is the supplier accepting the PO (awaiting_supplier →
// acknowledged); any other status is ECONFLICT.
func (s *Service) Acknowledge(ctx context.Context, supplierID int64, number string) (*model.PurchaseOrder, error) {
	po, err := s.Find(ctx, &supplierID, number)
	if err != nil {
		return nil, err
	}
	ch, err := po.Decide(model.POActAcknowledge, s.store.Now())
	if err != nil {
		return nil, err
	}
	if err := s.store.ApplyPOChange(ctx, po, ch, "Pedido aceito pelo fornecedor.", nil); err != nil {
		return nil, err
	}
	return po, nil
}

// Backorder is the supplier declaring it has no stock now, with the date the
// products will be available and why; the PO lands in the staff queue.
func (s *Service) Backorder(ctx context.Context, supplierID int64, number, availableOn, reason string) (*model.PurchaseOrder, error) {
	po, err := s.Find(ctx, &supplierID, number)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	var d []apperr.Detail
	day, derr := time.ParseInLocation("2006-01-02", strings.TrimSpace(availableOn), format.Location)
	switch {
	case strings.TrimSpace(availableOn) == "":
		d = append(d, apperr.Detail{Field: "available_on", Message: "Informe a data em que o produto estará disponível."})
	case derr != nil:
		d = append(d, apperr.Detail{Field: "available_on", Message: "Data inválida: use AAAA-MM-DD."})
	case day.Before(format.Day(s.store.Now())):
		d = append(d, apperr.Detail{Field: "available_on", Message: "A data de disponibilidade não pode estar no passado."})
	}
	if reason == "" {
		d = append(d, apperr.Detail{Field: "reason", Message: "Informe o motivo."})
	} else if len([]rune(reason)) > 500 {
		d = append(d, apperr.Detail{Field: "reason", Message: "O motivo tem mais de 500 caracteres."})
	}
	if len(d) > 0 {
		return nil, apperr.Invalid("Corrija os campos destacados.", d...)
	}
	date := day.Format("2006-01-02")
	ch, err := po.Decide(model.POActBackorder, s.store.Now())
	if err != nil {
		return nil, err
	}
	ch = ch.With("backorder_available_on", date).With("backorder_reason", reason)
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		err := s.store.ApplyPOChange(ctx, po, ch, fmt.Sprintf("Fornecedor sem estoque: disponível em %s. Motivo: %s", format.Date(day), reason),
			map[string]string{"available_on": date, "reason": reason})
		if err != nil {
			return err
		}
		return s.store.Notify(ctx, model.Audience{Roles: staff}, "purchase_order.backordered",
			fmt.Sprintf("%s sem estoque para o pedido de compra %s: disponível em %s.", po.Supplier.DisplayName(), po.Number, format.Date(day)),
			"/purchase-orders/"+po.Number)
	})
	if err != nil {
		return nil, err
	}
	po.BackorderAvailableOn, po.BackorderReason = date, reason
	return po, nil
}

// Overdue reports whether the PO passed its dispatch deadline without
// being shipped (or cancelled). Once billed, the deadline is the ship clock
// (billed_at + the supplier's dispatch hours).
func Overdue(po *model.PurchaseOrder, now time.Time) bool {
	switch po.Status {
	case model.POShipped, model.PODelivered, model.POCancelled:
		return false
	}
	if d := po.ShipDeadline(); d != nil {
		return now.After(*d)
	}
	return now.After(po.DueAt)
}
