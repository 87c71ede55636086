package model

import "time"

// Notification is an in-app message to one user (the bell in the top bar).
// Kind is a stable dotted name ("price_table.submitted") for later channels
// such as e-mail; Message is the Portuguese text and Link a page of the portal.
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
