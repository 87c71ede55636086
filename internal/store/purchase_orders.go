package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// CreatePurchaseOrder inserts a PO with its items unless the sales order
// already has one for that supplier: the UNIQUE (sales_order_id, supplier_id)
// and ON CONFLICT DO NOTHING make a second call — a retry, another instance —
// a no-op (created false). The number is PC- and the id, six digits at least.
func (s *Store) CreatePurchaseOrder(ctx context.Context, po *model.PurchaseOrder, message string) (bool, error) {
	var created bool
	err := s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		po.CreatedAt, po.UpdatedAt = now, now
		// A placeholder unique by construction until the id is known.
		po.Number = fmt.Sprintf("PC-pending-%d-%d", po.SalesOrderID, po.SupplierID)
		items := po.Items
		po.Items, po.Supplier = nil, nil
		res := s.conn(ctx).Omit(clause.Associations).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "sales_order_id"}, {Name: "supplier_id"}},
			DoNothing: true,
		}).Create(po)
		po.Items = items
		if res.Error != nil {
			return translate(res.Error, "Pedido de compra")
		}
		if res.RowsAffected == 0 {
			return nil
		}
		created = true
		po.Number = fmt.Sprintf("PC-%06d", po.ID)
		if err := s.conn(ctx).Model(&model.PurchaseOrder{}).Where("id = ?", po.ID).Update("number", po.Number).Error; err != nil {
			return translate(err, "Pedido de compra")
		}
		for i := range po.Items {
			po.Items[i].POID = po.ID
			po.Items[i].Line = i + 1
		}
		if len(po.Items) > 0 {
			if err := s.conn(ctx).Create(&po.Items).Error; err != nil {
				return translate(err, "Item do pedido de compra")
			}
		}
		if err := s.AddPurchaseOrderEvent(ctx, po.ID, model.POEventCreated, message); err != nil {
			return err
		}
		return s.audit(ctx, "purchase_order.create", "purchase_order", po.Number, &po.SupplierID,
			map[string]any{"sales_order_id": po.SalesOrderID, "status": po.Status, "total_cents": po.TotalCents})
	})
	return created, err
}

func preloadPO(db *gorm.DB) *gorm.DB {
	return db.Preload("Supplier").Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("line") })
}

// FindPurchaseOrderByNumber returns a PO with its supplier and items.
func (s *Store) FindPurchaseOrderByNumber(ctx context.Context, number string) (*model.PurchaseOrder, error) {
	var po model.PurchaseOrder
	if err := preloadPO(s.conn(ctx)).Where("number = ?", number).First(&po).Error; err != nil {
		return nil, translate(err, "Pedido de compra")
	}
	return &po, nil
}

// ListPurchaseOrdersOfSalesOrder returns the POs of a sales order.
func (s *Store) ListPurchaseOrdersOfSalesOrder(ctx context.Context, salesOrderID int64) ([]model.PurchaseOrder, error) {
	var out []model.PurchaseOrder
	err := preloadPO(s.conn(ctx)).Where("sales_order_id = ?", salesOrderID).Order("id").Find(&out).Error
	return out, translate(err, "Pedido de compra")
}

// ApplyPOChange persists a change decided by the PO's lifecycle
// (model.PurchaseOrder.Decide): the status and columns of the change, a
// history event and the audit (purchase_order.<event>), in one transaction.
// The transition's guard is repeated in the UPDATE itself, so two concurrent
// actions are safe: a PO that left the transition's statuses meanwhile is
// ECONFLICT and nothing changes. The store does not decide which changes
// exist; it writes what it is given.
func (s *Store) ApplyPOChange(ctx context.Context, po *model.PurchaseOrder, ch model.POChange, message string, details any) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		cols := ch.Columns()
		cols["updated_at"] = s.now()
		if ch.To != "" {
			cols["status"] = ch.To
		}
		q := s.conn(ctx).Model(&model.PurchaseOrder{}).Where("id = ? AND status IN ?", po.ID, ch.From)
		if ch.NotDispatched {
			q = q.Where("dispatched_at IS NULL")
		}
		if ch.NotFlagged {
			q = q.Where("cancel_exception_at IS NULL")
		}
		if ch.ExceptionPending {
			q = q.Where("cancel_exception_at IS NOT NULL AND exception_resolved_at IS NULL")
		}
		res := q.Updates(cols)
		if res.Error != nil {
			return translate(res.Error, "Pedido de compra")
		}
		if res.RowsAffected == 0 {
			return ch.Conflict(po)
		}
		if err := s.AddPurchaseOrderEvent(ctx, po.ID, ch.Event, message); err != nil {
			return err
		}
		ch.Apply(po)
		return s.audit(ctx, "purchase_order."+ch.Event, "purchase_order", po.Number, &po.SupplierID, details)
	})
}

// AddPurchaseOrderEvent appends to a PO's history, with the actor of ctx.
func (s *Store) AddPurchaseOrderEvent(ctx context.Context, poID int64, kind, message string) error {
	e := model.PurchaseOrderEvent{POID: poID, At: s.now(), Kind: kind, Message: message, Actor: model.ActorFrom(ctx).Label}
	return translate(s.conn(ctx).Create(&e).Error, "Evento do pedido de compra")
}

// ListPurchaseOrderEvents returns a PO's history, oldest first.
func (s *Store) ListPurchaseOrderEvents(ctx context.Context, poID int64) ([]model.PurchaseOrderEvent, error) {
	var out []model.PurchaseOrderEvent
	err := s.conn(ctx).Where("po_id = ?", poID).Order("id").Find(&out).Error
	return out, translate(err, "Evento do pedido de compra")
}

// PurchaseOrderFilter narrows the PO list.
type PurchaseOrderFilter struct {
	SupplierID *int64
	Status     model.POStatus
	Exceptions bool   // no_price and backordered only
	Query      string // part of the PO number or of the sales order number
	BeforeID   int64  // API cursor: ids below this one
	// AwaitingDispatch: billed POs logistics has not marked despachado yet.
	AwaitingDispatch bool
	// CancelException: POs whose sales order was cancelled after the
	// despacho, not resolved yet.
	CancelException bool
	// Period narrows to a date range of one of the PO's stamps, and Lead and
	// Shipped to the rows behind a dashboard bar (po_period_filter.go).
	Period  POPeriod
	Lead    *POLead
	Shipped POShipped
	// Sort is the list's chosen order (pages only); default newest first.
	Sort Sort
	// walkSort: the page is read walking the sort column's index (see
	// walkSortOnSQLite), the supplier and status tested on each row.
	walkSort bool
}

func (s *Store) filterPurchaseOrders(ctx context.Context, f PurchaseOrderFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.PurchaseOrder{})
	if f.SupplierID != nil {
		q = q.Where(noIndex(f.walkSort, "supplier_id")+" = ?", *f.SupplierID)
	}
	if f.Status != "" {
		q = q.Where(noIndex(f.walkSort, "status")+" = ?", f.Status)
	}
	if f.Exceptions {
		q = q.Where("status IN ?", model.POExceptionStatuses())
	}
	if v := strings.TrimSpace(f.Query); v != "" {
		q = s.poSearch(q, v)
	}
	if f.AwaitingDispatch {
		// What logistics may still despachar (model.POActDispatch), written
		// literally as in the partial index's predicate (migration 00019) so
		// that both planners can prove it and read only that slice.
		q = q.Where(awaitingDispatchSQL)
	}
	if f.CancelException {
		q = q.Where("cancel_exception_at IS NOT NULL AND exception_resolved_at IS NULL")
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if cond, args, ok := f.Sort.keyset("id"); ok {
		q = q.Where(cond, args...)
	}
	return s.filterPOPeriod(q, f)
}

// ListPurchaseOrders returns a page of POs, newest first (by the period's
// stamp when a period is chosen), and their number up to ListCountCap+1
// (more: "mais de 1.000").
func (s *Store) ListPurchaseOrders(ctx context.Context, f PurchaseOrderFilter, p Page) ([]model.PurchaseOrder, int64, error) {
	if f.BeforeID > 0 {
		p = p.Normalize()
	} else {
		p = capPage(p)
	}
	order := f.listOrder()
	total, err := countCapped(s.conn(ctx), s.filterPurchaseOrders(ctx, f), order)
	if err != nil {
		return nil, 0, translate(err, "Pedido de compra")
	}
	f.walkSort = s.walkSortOnSQLite(f.Sort, total, f.SupplierID != nil || f.Status != "")
	out, err := s.purchaseOrdersPage(ctx, f, p)
	return out, total, err
}

// PurchaseOrdersPage is ListPurchaseOrders without the count, for a page
// whose caller counted already (the exceptions inbox).
func (s *Store) PurchaseOrdersPage(ctx context.Context, f PurchaseOrderFilter, p Page) ([]model.PurchaseOrder, error) {
	if f.BeforeID > 0 {
		p = p.Normalize()
	} else {
		p = capPage(p)
	}
	return s.purchaseOrdersPage(ctx, f, p)
}

func (s *Store) purchaseOrdersPage(ctx context.Context, f PurchaseOrderFilter, p Page) ([]model.PurchaseOrder, error) {
	var out []model.PurchaseOrder
	err := preloadPO(s.filterPurchaseOrders(ctx, f)).Order(f.Sort.orderBy(f.listOrder())).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, translate(err, "Pedido de compra")
}

// CountPurchaseOrdersByStatus counts POs per status (of one supplier, when given).
func (s *Store) CountPurchaseOrdersByStatus(ctx context.Context, supplierID *int64) (map[model.POStatus]int64, error) {
	var rows []struct {
		Status model.POStatus
		N      int64
	}
	err := s.filterPurchaseOrders(ctx, PurchaseOrderFilter{SupplierID: supplierID}).
		Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	out := map[model.POStatus]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, translate(err, "Pedido de compra")
}

// SupplierInvoiceKeyUsed reports whether an access key was uploaded before,
// against any PO.
func (s *Store) SupplierInvoiceKeyUsed(ctx context.Context, key string) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&model.SupplierInvoice{}).Where("access_key = ?", key).Count(&n).Error
	return n > 0, translate(err, "NF-e do fornecedor")
}

// CreateSupplierInvoice stores an uploaded invoice; a key used before is ECONFLICT.
func (s *Store) CreateSupplierInvoice(ctx context.Context, inv *model.SupplierInvoice) error {
	inv.UploadedAt = s.now()
	inv.UploadedBy = actorUserID(ctx)
	if err := s.conn(ctx).Create(inv).Error; err != nil {
		err = translate(err, "NF-e do fornecedor")
		if apperr.Is(err, apperr.ECONFLICT) {
			return apperr.Wrap(err, apperr.ECONFLICT, "A chave de acesso "+inv.AccessKey+" já foi enviada antes.")
		}
		return err
	}
	return nil
}

// ListSupplierInvoices returns the invoices uploaded against a PO, newest first.
func (s *Store) ListSupplierInvoices(ctx context.Context, poID int64) ([]model.SupplierInvoice, error) {
	var out []model.SupplierInvoice
	err := s.conn(ctx).Where("po_id = ?", poID).Order("id DESC").Find(&out).Error
	return out, translate(err, "NF-e do fornecedor")
}

// SetPurchaseOrderFiscalNote sets the fiscal note text of a new PO.
func (s *Store) SetPurchaseOrderFiscalNote(ctx context.Context, id int64, note string) error {
	err := s.conn(ctx).Model(&model.PurchaseOrder{}).Where("id = ?", id).Update("fiscal_note", note).Error
	return translate(err, "Pedido de compra")
}

// BillingInvoiceKeyUsed reports whether an access key was used before by a
// billing invoice, of any PO.
func (s *Store) BillingInvoiceKeyUsed(ctx context.Context, key string) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&model.BillingInvoice{}).Where("access_key = ?", key).Count(&n).Error
	return n > 0, translate(err, "NF-e de faturamento")
}

// CreateBillingInvoice stores an accepted billing invoice; a key used before
// (or a second invoice for the PO) is ECONFLICT.
func (s *Store) CreateBillingInvoice(ctx context.Context, inv *model.BillingInvoice) error {
	inv.UploadedAt = s.now()
	inv.UploadedBy = actorUserID(ctx)
	if err := s.conn(ctx).Create(inv).Error; err != nil {
		err = translate(err, "NF-e de faturamento")
		if apperr.Is(err, apperr.ECONFLICT) {
			return apperr.Wrap(err, apperr.ECONFLICT, "A chave de acesso "+inv.AccessKey+" já foi usada ou o pedido já foi faturado.")
		}
		return err
	}
	return nil
}

// FindBillingInvoice returns a PO's billing invoice (ENOTFOUND when none).
func (s *Store) FindBillingInvoice(ctx context.Context, poID int64) (*model.BillingInvoice, error) {
	var inv model.BillingInvoice
	if err := s.conn(ctx).Where("po_id = ?", poID).First(&inv).Error; err != nil {
		return nil, translate(err, "NF-e de faturamento")
	}
	return &inv, nil
}

// FindBillingInvoiceOfSalesOrder returns a billing invoice of one of a sales
// order's POs, for the invoice push to the platform: the one of id when id
// is not 0, else the first.
func (s *Store) FindBillingInvoiceOfSalesOrder(ctx context.Context, salesOrderID, id int64) (*model.BillingInvoice, error) {
	var inv model.BillingInvoice
	q := s.conn(ctx).Where("po_id IN (?)", s.conn(ctx).Model(&model.PurchaseOrder{}).Select("id").Where("sales_order_id = ?", salesOrderID))
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	err := q.Order("id").First(&inv).Error
	if err != nil {
		return nil, translate(err, "NF-e de faturamento")
	}
	return &inv, nil
}

// CreatePOShipment records a PO's shipment and persists its ship change
// (model.POActShip, decided by the caller: shipped_at is the change's
// instant) in one transaction. A shipment of a PO shipped already is
// ECONFLICT; a shipment invoice key used before too.
func (s *Store) CreatePOShipment(ctx context.Context, po *model.PurchaseOrder, ch model.POChange, sh *model.POShipment, message string) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		sh.POID = po.ID
		sh.ShippedAt = ch.At
		sh.ShippedBy = actorUserID(ctx)
		if err := s.conn(ctx).Create(sh).Error; err != nil {
			err = translate(err, "Envio do pedido de compra")
			if apperr.Is(err, apperr.ECONFLICT) {
				return apperr.Wrap(err, apperr.ECONFLICT, "O pedido de compra "+po.Number+" já foi enviado, ou a NF-e de remessa já foi usada.")
			}
			return err
		}
		details := map[string]any{"carrier": sh.Carrier, "tracking_code": sh.TrackingCode, "label_sha256": sh.LabelSHA256}
		if sh.InvoiceKey != nil {
			details["invoice_key"] = *sh.InvoiceKey
		}
		return s.ApplyPOChange(ctx, po, ch, message, details)
	})
}

// FindPOShipment returns a PO's shipment (ENOTFOUND when none).
func (s *Store) FindPOShipment(ctx context.Context, poID int64) (*model.POShipment, error) {
	var sh model.POShipment
	if err := s.conn(ctx).Where("po_id = ?", poID).First(&sh).Error; err != nil {
		return nil, translate(err, "Envio do pedido de compra")
	}
	return &sh, nil
}

// FindPOShipmentOfSalesOrder returns a shipment of one of a sales order's
// POs, for the tracking push to the platform: the one of id when id is not
// 0, else the latest.
func (s *Store) FindPOShipmentOfSalesOrder(ctx context.Context, salesOrderID, id int64) (*model.POShipment, error) {
	var sh model.POShipment
	q := s.conn(ctx).Where("po_id IN (?)", s.conn(ctx).Model(&model.PurchaseOrder{}).Select("id").Where("sales_order_id = ?", salesOrderID))
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	err := q.Order("id DESC").First(&sh).Error
	if err != nil {
		return nil, translate(err, "Envio do pedido de compra")
	}
	return &sh, nil
}

// billedNotShipped narrows q to billed POs without a shipment yet (the ones
// a ship-by deadline applies to), of one supplier when supplierID is set.
func (s *Store) billedNotShipped(q *gorm.DB, supplierID *int64) *gorm.DB {
	q = q.Where("status = ? AND shipped_at IS NULL AND billed_at IS NOT NULL", model.POBilled)
	if supplierID != nil {
		q = q.Where("supplier_id = ?", *supplierID)
	}
	return q
}

// awaitingDispatchSQL selects the POs logistics may still despachar: the
// statuses of model.POLifecycle[model.POActDispatch].From, not yet
// dispatched (TestAwaitingDispatchFollowsTheLifecycle keeps the two equal).
const awaitingDispatchSQL = "status IN ('billed','shipped') AND dispatched_at IS NULL"
