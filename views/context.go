// Package views renders the portal's pages with templ. Every page takes a
// typed props struct; the request context carries only the current user,
// the CSRF token and the flash messages (see Ctx).
package views

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "success", "error" or "info"
	Message string
}

// Ctx is what every page may read from the request context.
type Ctx struct {
	User    *model.User
	CSRF    string
	Flashes []Flash
	Path    string
	Unread  int64 // unread notifications of User (the bell in the top bar)
}

type ctxKey struct{}

// WithCtx stores c in ctx for the layout and components.
func WithCtx(ctx context.Context, c Ctx) context.Context { return context.WithValue(ctx, ctxKey{}, c) }

// From returns the page context.
func From(ctx context.Context) Ctx {
	c, _ := ctx.Value(ctxKey{}).(Ctx)
	return c
}

func currentUser(ctx context.Context) *model.User { return From(ctx).User }
func csrfToken(ctx context.Context) string        { return From(ctx).CSRF }
