package views

import (
	"fmt"
	"time"

	"github.com/a-h/templ"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/shipping"
)

// POStatusCount is one status tab of the purchase order inbox.
type POStatusCount struct {
	Status model.POStatus
	Count  int64
}

// PurchaseOrderListProps is the purchase order inbox: a supplier's own POs,
// or every supplier's for staff, with the exception queues highlighted.
type PurchaseOrderListProps struct {
	Rows       []model.PurchaseOrder
	Counts     []POStatusCount
	Total      int64
	Status     string
	Query      string
	SupplierID string
	Suppliers  []model.Supplier // staff filter; empty for suppliers
	IsSupplier bool
	Pager      Pagination
	Now        time.Time
	CanFiscal  bool // fiscal staff: "Dar entrada" on the supplier_invoiced queue
	Period     POPeriodProps
	// Cap: the closed statuses and the total are counted up to Cap+1 (a
	// count above Cap reads "mais de Cap").
	Cap int64
}

// countText is a tab's count, "mais de 1.000" above the cap.
func (p PurchaseOrderListProps) countText(n int64) string {
	if p.Cap > 0 && n > p.Cap {
		return "mais de " + fmtInt(p.Cap)
	}
	return fmtInt(n)
}

// bookColumn is whether the inbox shows the "Dar entrada" column: fiscal
// staff on the supplier_invoiced queue.
func (p PurchaseOrderListProps) bookColumn() bool {
	return p.CanFiscal && p.Status == string(model.POSupplierInvoiced)
}

// columns is the number of columns of the inbox table.
func (p PurchaseOrderListProps) columns() int {
	n := 7
	if !p.IsSupplier {
		n++
	}
	if p.bookColumn() {
		n++
	}
	return n
}

// InvoiceView is an uploaded supplier invoice with its match.
type InvoiceView struct {
	Invoice model.SupplierInvoice
	Checks  []model.InvoiceCheck
}

// InvoiceUploadResult is the outcome of the upload just made on the page.
type InvoiceUploadResult struct {
	Accepted bool
	Message  string
	Checks   []model.InvoiceCheck // divergences of a kept invoice
	Problems []apperr.Detail      // why the file was refused
}

// PurchaseOrderProps is one purchase order.
type PurchaseOrderProps struct {
	PO         model.PurchaseOrder
	Events     []model.PurchaseOrderEvent
	Invoices   []InvoiceView
	CanAnswer  bool // the PO's supplier
	IsSupplier bool
	Now        time.Time
	Upload     *InvoiceUploadResult
	Errors     FieldErrors
	Error      string
	// Backorder form values, kept on errors.
	AvailableOn, Reason string
	CanFiscal           bool                  // fiscal staff: book, upload the billing invoice
	CanDispatch         bool                  // logistics: mark despachado
	CanManage           bool                  // purchasing: the exception queue's actions
	Billing             *model.BillingInvoice // ConnectParts' billing invoice, once billed
	Shipment            *model.POShipment     // the supplier's shipment, once shipped
	// PlatformShipping: the sales platform runs the logistics (Mercado
	// Envios): the supplier prints PlatformLabels and sends no label.
	PlatformShipping bool
	PlatformLabels   []model.POPlatformLabel
	// Shipment form values, kept on errors.
	Carrier, TrackingCode string
}

// LatePurchaseOrdersProps is the logistics list of billed POs past their
// ship-by deadline without a shipment.
type LatePurchaseOrdersProps struct {
	Rows       []model.PurchaseOrder
	Now        time.Time
	SupplierID string // filter: one supplier
	Query      string // filter: words of the PO, sales order or customer
	Suppliers  []model.Supplier
	Pager      Pagination // the URLs of the sort headers and exports (one page)
}

// poDue is the deadline the PO pages count down: the supplier's dispatch
// term from creation, and once billed the ship clock (billed_at + the
// supplier's dispatch hours).
func poDue(po model.PurchaseOrder) time.Time {
	if d := po.ShipDeadline(); d != nil {
		return *d
	}
	return po.DueAt
}

// DispatchQueueProps is the logistics queue: billed POs not yet despachado.
type DispatchQueueProps struct {
	Rows  []model.PurchaseOrder
	Pager Pagination
	Now   time.Time
}

func poMoney(c *int64) string {
	if c == nil {
		return "sem preço"
	}
	return format.Money(*c)
}

// supplierOfPO is the PO's supplier as the lists show it; "" when not loaded.
func supplierOfPO(po model.PurchaseOrder) string {
	if po.Supplier == nil {
		return ""
	}
	return po.Supplier.DisplayName()
}

// poRunning reports whether the dispatch deadline still matters.
func poRunning(s model.POStatus) bool {
	switch s {
	case model.POShipped, model.PODelivered, model.POCancelled:
		return false
	}
	return true
}

// countdown shows the time left to a deadline, "faltam 5 h", or past it,
// "atrasado 2 h"; under an hour in minutes.
func countdown(due, now time.Time) string {
	d := due.Sub(now)
	late := d < 0
	if late {
		d = -d
	}
	var amount string
	switch {
	case d < time.Hour:
		amount = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		amount = fmt.Sprintf("%d h", int(d.Hours()))
	default:
		amount = fmt.Sprintf("%d dias", int(d.Hours())/24)
	}
	if late {
		return "atrasado " + amount
	}
	return "faltam " + amount
}

func poStatusClass(s model.POStatus) string {
	switch {
	case s.Exception() || s == model.POInvoiceDivergent:
		return "badge badge-warn"
	case s == model.POCancelled:
		return "badge badge-off"
	}
	return "badge"
}

func checkLine(n int) string {
	if n == 0 {
		return "—"
	}
	return itoaInt(n)
}

func poTab(current bool) templ.Attributes {
	if current {
		return templ.Attributes{"aria-current": "true"}
	}
	return templ.Attributes{}
}

func shipmentCarrier(c string) string { return shipping.CarrierLabel(c) }

// offers reports whether the page offers the action: the PO's lifecycle
// allows it now and the viewer is among who may take it (the supplier's
// answers, fiscal, logistics, purchasing; model.POLifecycle).
func (p PurchaseOrderProps) offers(a model.POAction) bool {
	if !p.PO.Can(a) {
		return false
	}
	for _, by := range model.POLifecycle[a].By {
		switch {
		case by.Supplier && p.CanAnswer,
			by.Permission == model.PermFiscalPurchaseOrders && p.CanFiscal,
			by.Permission == model.PermDispatchOrders && p.CanDispatch,
			by.Permission == model.PermManagePurchaseOrders && p.CanManage:
			return true
		}
	}
	return false
}
