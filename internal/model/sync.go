package model

import "time"

// Sync run kinds of the engine's pushes (the import is SyncKindImport). For
// these runs Updated counts what was sent, Skipped what needed nothing and
// Blocked what the platform refused.
const (
	SyncKindStockPush  = "stock_push"
	SyncKindStatusPush = "status_push"
)

// StockPushState is what one platform last received of one product's
// available stock, and whether it must be told again (stock_push_state).
type StockPushState struct {
	PlatformID      int64
	ProductID       int64
	Dirty           bool
	Version         int64
	PushedAvailable *int64
	PushedAt        *time.Time
	Attempts        int
	LastErrorKind   string
	LastError       string // Portuguese
	LastErrorAt     *time.Time
	UpdatedAt       time.Time
}

// TableName keeps GORM off the plural of "state".
func (StockPushState) TableName() string { return "stock_push_state" }

// StatusAction is a status change the portal sends to a platform.
type StatusAction string

// Status actions. Invoice and tracking come with the purchase-order feature.
const (
	ActionStartHandling StatusAction = "start_handling"
	ActionCancel        StatusAction = "cancel"
	ActionInvoice       StatusAction = "invoice"
	ActionTracking      StatusAction = "tracking"
)

// Label is the action in Portuguese.
func (a StatusAction) Label() string {
	switch a {
	case ActionStartHandling:
		return "Iniciar manuseio"
	case ActionCancel:
		return "Cancelar"
	case ActionInvoice:
		return "Enviar nota fiscal"
	case ActionTracking:
		return "Enviar rastreio"
	}
	return string(a)
}

// Status push states.
const (
	PushPending = "pending"
	PushDone    = "done"
	PushFailed  = "failed"
)

// StatusPush is one status action waiting for (or sent to) a platform.
type StatusPush struct {
	ID         int64
	OrderID    int64
	PlatformID int64
	Action     StatusAction
	// RefID names what an invoice or tracking push sends: the billing
	// invoice, or the PO shipment (a sales order with items of several
	// suppliers has one of each per PO); 0 for start_handling and cancel.
	RefID         int64
	Status        string // PushPending, PushDone, PushFailed
	Reason        string // cancellation reason shown to the platform's operators
	Attempts      int
	LastErrorKind string
	LastError     string // Portuguese
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DoneAt        *time.Time
	// SentAt: when the action was last handed to the platform. Still pending
	// with SentAt set, it may have taken effect (the answer was lost, the
	// process died): the next attempt checks the order on the platform first.
	SentAt *time.Time

	ExternalID string `gorm:"->;-:migration"` // the order's id on the platform (read only)
}
