package model

import "time"

// Notification is an in-app message to one user (the bell in the top bar).
// Kind is a stable dotted name ("price_table.submitted"; the Event kind, which
// also names its e-mail and webhook delivery); Message is the Portuguese text
// and Link a page of the portal.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string
	Message   string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Audience selects the recipients of a notification: every active user of a
// supplier, every active staff user holding one of the roles, and/or named
// users. The union is notified, each user once.
type Audience struct {
	SupplierID *int64
	Roles      []Role
	UserIDs    []int64
}

// Event is something people — and suppliers' own systems — are told about:
// the in-app notification of every user of Audience, and, depending on Kind,
// an e-mail to them and a webhook delivery to the supplier's registered
// endpoint (SupplierID). Data is the event's JSON payload for webhooks (for
// a PO: its number, status, order number, total and deadlines).
type Event struct {
	Kind       string // stable dotted name: "purchase_order.created"
	Audience   Audience
	Message    string // Portuguese, one sentence or two
	Link       string // a page of the portal, relative ("/purchase-orders/PC-000001")
	SupplierID *int64 // whose webhook receives the event; nil: none
	Data       map[string]any
}

// Event kinds sent beyond the in-app bell (e-mail and supplier webhooks).
const (
	EventPOCreated      = "purchase_order.created"
	EventPOBilled       = "purchase_order.billed" // the billing invoice is available
	EventPOCancelled    = "purchase_order.cancelled"
	EventPODeadlineNear = "purchase_order.deadline_near"
)
