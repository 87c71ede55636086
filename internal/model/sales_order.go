package model

import (
	"time"
)

// SalesOrder is a customer's order imported from a sales platform (pedido de
// venda). Status is the portal's code; ChannelStatus the platform's own.
// Money is integer centavos.
type SalesOrder struct {
	ID              int64
	PlatformID      int64
	ExternalID      string
	Number          string
	Status          SOStatus
	ChannelStatus   string
	CancelRequested bool
	// Reserved: the order holds a reservation of its items' stock.
	Reserved bool
	// StockConsumed: invoicing turned the reservation into an exit.
	StockConsumed bool

	CustomerName              string
	CustomerTradeName         string
	CustomerType              PersonType
	CustomerDocument          string
	CustomerStateRegistration string
	CustomerICMSContributor   bool `gorm:"column:customer_icms_contributor"`
	CustomerSuframa           string
	CustomerEmail             string
	CustomerPhones            string // comma-separated

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
	// Logistics is who ships and with whose label (platform.Order.Logistics).
	Logistics      Logistics
	CarrierID      *int64
	ChannelCarrier string
	TrackingNumber string
	ShipmentID     string

	ItemsCents    int64
	ShippingCents int64
	DiscountCents int64
	TotalCents    int64

	PlacedAt         time.Time
	PaidAt           *time.Time
	ChannelUpdatedAt *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time

	Items []SalesOrderItem `gorm:"foreignKey:OrderID"`
}

// SalesOrderItem is one line of a sales order.
type SalesOrderItem struct {
	ID             int64
	OrderID        int64
	Line           int
	ProductID      int64
	LocationID     int64
	SKU            string `gorm:"column:sku"`
	PlatformItemID string
	Name           string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
	// Consumed: the line's units left the stock (its PO's supplier invoice
	// was booked, or the order was invoiced).
	Consumed bool
}

// Order event kinds (the timeline).
const (
	OrderEventImported        = "imported"
	OrderEventStatusChanged   = "status_changed"
	OrderEventStockReserved   = "stock_reserved"
	OrderEventStockReleased   = "stock_released"
	OrderEventStockConsumed   = "stock_consumed"
	OrderEventCancelRequested = "cancel_requested"
	OrderEventPurchaseOrder   = "purchase_order"
)

// SalesOrderEvent is one entry of an order's timeline.
type SalesOrderEvent struct {
	ID      int64
	OrderID int64
	At      time.Time
	Kind    string
	Message string // Portuguese
	Actor   string
}
