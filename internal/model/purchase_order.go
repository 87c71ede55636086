package model

import (
	"time"
)

// POStatus is a purchase order's status code (CONTRACT.md).
type POStatus string

const (
	POAwaitingSupplier POStatus = "awaiting_supplier"
	POAcknowledged     POStatus = "acknowledged"
	POBackordered      POStatus = "backordered"
	PONoPrice          POStatus = "no_price"
	POInvoiceDivergent POStatus = "invoice_divergent"
	POSupplierInvoiced POStatus = "supplier_invoiced"
	POInvoiceBooked    POStatus = "invoice_booked"
	POBilled           POStatus = "billed"
	POShipped          POStatus = "shipped"
	PODelivered        POStatus = "delivered"
	POCancelled        POStatus = "cancelled"
)

// POStatuses lists every status in the order of the flow.
var POStatuses = []POStatus{POAwaitingSupplier, POAcknowledged, POBackordered, PONoPrice, POInvoiceDivergent,
	POSupplierInvoiced, POInvoiceBooked, POBilled, POShipped, PODelivered, POCancelled}

// Valid reports whether s is a known status.
func (s POStatus) Valid() bool {
	for _, v := range POStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// Label is the status in Portuguese.
func (s POStatus) Label() string {
	switch s {
	case POAwaitingSupplier:
		return "Aguardando fornecedor"
	case POAcknowledged:
		return "Aceito pelo fornecedor"
	case POBackordered:
		return "Sem estoque"
	case PONoPrice:
		return "Sem preço (compras)"
	case POInvoiceDivergent:
		return "NF-e com divergência"
	case POSupplierInvoiced:
		return "NF-e do fornecedor recebida"
	case POInvoiceBooked:
		return "NF-e escriturada"
	case POBilled:
		return "Faturado"
	case POShipped:
		return "Enviado"
	case PODelivered:
		return "Entregue"
	case POCancelled:
		return "Cancelado"
	}
	return string(s)
}

// PurchaseOrder is a pedido de compra: what ConnectParts buys from one
// supplier for one sales order. The customer, delivery and fiscal fields are
// copied from the sales order at creation. Money is integer centavos.
type PurchaseOrder struct {
	ID           int64
	Number       string // "PC-000123"
	SalesOrderID int64
	SupplierID   int64
	Status       POStatus
	OrderNumber  string // the sales order's number on its platform

	CustomerName              string
	CustomerTradeName         string
	CustomerType              PersonType
	CustomerDocument          string
	CustomerStateRegistration string
	CustomerICMSContributor   bool `gorm:"column:customer_icms_contributor"`
	CustomerSuframa           string
	CustomerEmail             string
	CustomerPhones            string

	DeliveryRecipient  string
	DeliveryStreet     string
	DeliveryNumber     string
	DeliveryComplement string
	DeliveryReference  string
	DeliveryDistrict   string
	DeliveryCEP        string `gorm:"column:delivery_cep"`
	DeliveryCity       string
	DeliveryState      string
	DeliveryCountry    string
	DeliveryIBGECode   string `gorm:"column:delivery_ibge_code"`

	ShippingMethod string
	CarrierName    string
	FiscalNote     string

	TotalCents    int64
	PricedAt      time.Time
	DispatchHours int
	DueAt         time.Time

	AcknowledgedAt       *time.Time
	BackorderedAt        *time.Time
	BackorderAvailableOn string // YYYY-MM-DD
	BackorderReason      string
	InvoicedAt           *time.Time
	BookedAt             *time.Time // the supplier invoice booked (entrada)
	BilledAt             *time.Time // ConnectParts' billing invoice accepted
	DispatchedAt         *time.Time // logistics marked the sales order despachado
	ShippedAt            *time.Time // the supplier uploaded label and tracking
	DeliveredAt          *time.Time // the platform reported the sales order delivered

	// Cancellation: the PO was cancelled before it was despachado.
	CancelledAt  *time.Time
	CancelReason string
	// Cancelled on the platform after the despacho: the PO is not cancelled
	// but flagged for staff (CancelException) until resolved with a note.
	CancelExceptionAt     *time.Time
	CancelExceptionReason string
	ExceptionResolvedAt   *time.Time
	ExceptionResolvedBy   *int64
	ExceptionResolution   string

	CreatedAt time.Time
	UpdatedAt time.Time

	// PersonalDataMasked: the customer's personal data above were replaced
	// by their masked form for a supplier (MaskPersonalData); never stored.
	PersonalDataMasked bool `gorm:"-"`

	Supplier *Supplier           `gorm:"foreignKey:SupplierID"`
	Items    []PurchaseOrderItem `gorm:"foreignKey:POID"`
}

// CancelExceptionPending reports whether the sales order was cancelled after
// the PO was despachado and staff have not resolved it yet.
func (po *PurchaseOrder) CancelExceptionPending() bool {
	return po.CancelExceptionAt != nil && po.ExceptionResolvedAt == nil
}

// Priced reports whether every item has a price.
func (po *PurchaseOrder) Priced() bool {
	for _, it := range po.Items {
		if it.UnitPriceCents == nil {
			return false
		}
	}
	return true
}

// PurchaseOrderItem is one line of a PO. The price is frozen from the table
// in force at creation (PriceTableID); nil when there was none.
type PurchaseOrderItem struct {
	ID             int64
	POID           int64 `gorm:"column:po_id"`
	Line           int
	ProductID      int64
	SKU            string `gorm:"column:sku"`
	SupplierCode   string
	EAN            string `gorm:"column:ean"`
	NCM            string `gorm:"column:ncm"`
	Name           string
	Quantity       int64
	UnitPriceCents *int64
	TotalCents     *int64
	PriceTableID   *int64
}

// PO event kinds (the history).
const (
	POEventCreated      = "created"
	POEventAcknowledged = "acknowledged"
	POEventBackordered  = "backordered"
	POEventInvoice      = "invoice_accepted"
	POEventDivergent    = "invoice_divergent"
	POEventBooked       = "invoice_booked"
	POEventBilled       = "billed"
	POEventDispatched   = "dispatched"
	POEventShipped      = "shipped"
	POEventDelivered    = "delivered"
	POEventCancelled    = "cancelled"
	POEventRepriced     = "repriced"
	POEventResumed      = "backorder_resumed" // the customer agreed to wait
	// POEventCancelException: the sales order was cancelled after the despacho.
	POEventCancelException   = "cancel_exception"
	POEventExceptionResolved = "exception_resolved"
)

// ShipDeadline is when the supplier must have shipped a billed PO: billed_at
// plus the supplier's dispatch hours (24 h by default); nil before billing.
func (po *PurchaseOrder) ShipDeadline() *time.Time {
	if po.BilledAt == nil {
		return nil
	}
	h := po.DispatchHours
	if h <= 0 {
		h = DefaultDispatchHours
	}
	t := po.BilledAt.Add(time.Duration(h) * time.Hour)
	return &t
}

// Late reports whether a billed PO is past its ship-by deadline at now
// without a shipment.
func (po *PurchaseOrder) Late(now time.Time) bool {
	d := po.ShipDeadline()
	return po.Status == POBilled && po.ShippedAt == nil && d != nil && now.After(*d)
}

// POShipment is the supplier's shipment of a PO: the label file (kept under
// the data directory, LabelPath relative to it), the carrier's tracking code
// and, optionally, the supplier's shipment NF-e (NF de remessa).
type POShipment struct {
	ID            int64
	POID          int64 `gorm:"column:po_id"`
	Carrier       string
	TrackingCode  string
	TrackingURL   string `gorm:"column:tracking_url"`
	LabelKind     string
	LabelPath     string
	LabelSHA256   string `gorm:"column:label_sha256"`
	LabelSize     int64
	InvoiceKey    *string
	InvoiceNumber *int
	InvoiceXML    *string `gorm:"column:invoice_xml"`
	ShippedBy     *int64
	ShippedAt     time.Time
}

// TableName is po_shipments.
func (POShipment) TableName() string { return "po_shipments" }

// BillingInvoice is ConnectParts' billing NF-e (NF de faturamento) to the
// customer of a PO's sales order; only accepted invoices are stored.
type BillingInvoice struct {
	ID                int64
	POID              int64 `gorm:"column:po_id"`
	AccessKey         string
	Number            int
	Series            int
	IssuedAt          time.Time
	RecipientDocument string
	TotalCents        int64
	XML               string `gorm:"column:xml"`
	UploadedBy        *int64
	UploadedAt        time.Time
}

// PurchaseOrderEvent is one entry of a PO's history.
type PurchaseOrderEvent struct {
	ID      int64
	POID    int64 `gorm:"column:po_id"`
	At      time.Time
	Kind    string
	Message string // Portuguese
	Actor   string
}

// Supplier invoice statuses.
const (
	InvoiceAccepted  = "accepted"
	InvoiceDivergent = "divergent"
)

// SupplierInvoice is a supplier's sale NF-e uploaded against a PO.
type SupplierInvoice struct {
	ID         int64
	POID       int64 `gorm:"column:po_id"`
	AccessKey  string
	Number     int
	Series     int
	IssuedAt   time.Time
	IssuerCNPJ string `gorm:"column:issuer_cnpj"`
	TotalCents int64
	XML        string `gorm:"column:xml"`
	Status     string
	Report     string // JSON of []InvoiceCheck
	UploadedBy *int64
	UploadedAt time.Time
}

// InvoiceCheck is one line of an invoice's match against its PO: Line is
// the PO line (0 for the invoice as a whole), Item the NF-e det (0 when the
// PO line has no det).
type InvoiceCheck struct {
	Line    int    `json:"line"`
	Item    int    `json:"item"`
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}
