package model

import "time"

// StockSource is where a stock movement comes from (the seven sources of the
// Eccosys model, DOMAIN.md).
type StockSource string

const (
	SourceInvoiceEntry  StockSource = "invoice_entry"  // nota: an incoming invoice booked
	SourceOrder         StockSource = "order"          // a sales order reserves, releases or consumes
	SourcePurchaseOrder StockSource = "purchase_order" // a purchase order
	SourcePicking       StockSource = "picking"        // bipagem: picking adjustment
	SourceSpreadsheet   StockSource = "spreadsheet"    // planilha: a supplier's stock feed or an import
	SourceManual        StockSource = "manual"         // lançamento: manual entry by staff
	SourceInventory     StockSource = "inventory"      // inventário: a count sets the quantity
)

// StockSources lists every source in display order.
var StockSources = []StockSource{SourceInvoiceEntry, SourceOrder, SourcePurchaseOrder, SourcePicking, SourceSpreadsheet, SourceManual, SourceInventory}

// Label is the source's Portuguese name.
func (s StockSource) Label() string {
	switch s {
	case SourceInvoiceEntry:
		return "Entrada de nota"
	case SourceOrder:
		return "Pedido de venda"
	case SourcePurchaseOrder:
		return "Pedido de compra"
	case SourcePicking:
		return "Bipagem"
	case SourceSpreadsheet:
		return "Planilha"
	case SourceManual:
		return "Lançamento manual"
	case SourceInventory:
		return "Inventário"
	}
	return string(s)
}

// StockLocation is a place stock lives: ConnectParts' CD, or a supplier's own
// warehouse for dropship products.
type StockLocation struct {
	ID         int64
	Code       string
	Name       string
	SupplierID *int64
	CreatedAt  time.Time
}

// CDLocationCode is the code of ConnectParts' own distribution centre.
const CDLocationCode = "CD"

// StockBalance is the stock of one product at one location.
type StockBalance struct {
	ProductID  int64 `gorm:"primaryKey"`
	LocationID int64 `gorm:"primaryKey"`
	Physical   int64
	Reserved   int64
	UpdatedAt  time.Time
}

// Available is physical minus reserved; it may be negative (oversold), and is
// clamped at zero only when pushed to platforms.
func (b StockBalance) Available() int64 { return b.Physical - b.Reserved }

// StockMovement is one line of the stock ledger.
type StockMovement struct {
	ID            int64
	ProductID     int64
	LocationID    int64
	Source        StockSource
	PhysicalDelta int64
	ReservedDelta int64
	PhysicalAfter int64
	ReservedAfter int64
	Reference     string
	Note          string
	UserID        *int64
	Actor         string
	CreatedAt     time.Time
}
