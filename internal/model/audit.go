package model

import (
	"context"
	"time"
)

// AuditEntry records who changed what, when and from where.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     *int64
	Actor      string
	IP         string
	Action     string
	Entity     string
	EntityID   string
	SupplierID *int64
	Details    string
}

// TableName keeps GORM on the migration's table name.
func (AuditEntry) TableName() string { return "audit_log" }

// Actor is who performs a change: a user (with the IP of the request) or the system.
type Actor struct {
	UserID     *int64
	SupplierID *int64
	Label      string // e-mail of the user, or "sistema"/"cli"
	IP         string
}

type actorKey struct{}

// WithActor returns a context carrying the actor of the changes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Label: "sistema"}
}

// UserActor builds the actor for a logged-in user.
func UserActor(u *User, ip string) Actor {
	id := u.ID
	return Actor{UserID: &id, SupplierID: u.SupplierID, Label: u.Email, IP: ip}
}
