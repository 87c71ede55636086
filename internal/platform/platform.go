// Package platform holds the neutral types that the sync engine uses to talk to
// sales platforms (canais de venda): the Adapter interface, the Order the
// adapters translate platform payloads into, the error kinds the engine records
// and retries, and the small HTTP, clock and rate-limiting helpers the adapters
// share. The adapters themselves live in sub-packages named after what they
// adapt: vtex, mercadolivre and sandbox.
//
// The package imports nothing of the infrastructure (no database, no job queue,
// no web framework): state that must survive a restart — the Mercado Livre
// tokens, the order-search cursor — is handed to the engine (Batch.Cursor) or
// kept behind an interface the engine implements (mercadolivre.TokenStore).
//
// What each adapter does per method:
//
//	method         vtex                                  mercadolivre                              sandbox
//	Changes        feed v3 read (≤10 lots of 10)         orders/search by date_last_updated window  unacked events
//	Ack            commit every handle                   no-op (the cursor acknowledges)            drop events
//	GetOrder       OMS get order (token bucket)          order + shipment + billing info            copy
//	StartHandling  start-handling (409 when past = ok)   no-op (no such step)                       ready → handling
//	SendInvoice    invoice notification (XML embedded)   invoice_data raw XML (duplicate = ok)      record
//	SendTracking   PATCH invoice with tracking           seller_notifications for ME1; ME2 no-op    record
//	SetStock       PATCH inventory quantity (423 retry)  PUT /items available_quantity (by SKU)     record
//	Cancel         OMS cancel                            ErrUnsupported (no seller API)             cancel
//
// Optional interfaces an adapter may implement: LabelIssuer (the platform
// prints the shipment label: Mercado Envios 2 /shipment_labels) and
// ShipmentWatcher (shipments move without the order: Mercado Livre), both
// implemented by mercadolivre. Mercado Livre's SendInvoice uses
// invoice_data for drop-off/cross-docking and the pack's fiscal_documents
// for Flex, and refuses Full; its SetStock writes the user-products stock
// (x-version) for multi-origin sellers.
//
// Status mapping tables: vtex.MapStatus and mercadolivre.MapStatus.
package platform

import (
	"context"
	"time"
)

// Adapter is what the sync engine needs from one connected sales platform.
//
// Every method is safe for concurrent use. Every error returned is either a
// context error (the caller's ctx was cancelled) or carries an ErrorKind (see
// errors.go) the engine can record and use to decide whether to retry.
type Adapter interface {
	// Kind is one of model.PlatformVTEX, model.PlatformMercadoLivre, model.PlatformSandbox.
	Kind() string

	// Changes returns the orders that changed since cursor. Each Change
	// carries the tokens the engine must hand back to Ack once it has
	// processed (or deliberately ignored) the order.
	//
	// cursor is the Batch.Cursor of the previous successful call, stored by
	// the engine ("" the first time). VTEX ignores it (the feed queue lives
	// at VTEX and is consumed by Ack) and always returns ""; Mercado Livre
	// uses it as the lower bound of its date_last_updated search window and
	// returns the window's upper bound. The engine stores the new cursor only
	// after Ack succeeded.
	//
	// Events repeat (the VTEX feed re-delivers uncommitted events, the
	// Mercado Livre windows overlap on purpose): changes are de-duplicated by
	// order within a batch, and the engine must be idempotent across batches.
	Changes(ctx context.Context, cursor string) (Batch, error)

	// Ack confirms changes returned by Changes. For VTEX it commits every
	// feed handle read — including those of orders the engine ignored, or
	// the feed would hand them out again forever. For Mercado Livre it does
	// nothing (the cursor is the acknowledgement).
	Ack(ctx context.Context, changes []Change) error

	// GetOrder fetches one order and translates it into the neutral Order.
	// A missing order is an ErrNotFound error, never (nil, nil).
	GetOrder(ctx context.Context, externalID string) (*Order, error)

	// StartHandling tells the platform that ConnectParts started preparing
	// the order (VTEX "ready-for-handling" → "handling"). Calling it on an
	// order already in handling is a success. Platforms without such a step
	// (Mercado Livre) treat it as a no-op.
	StartHandling(ctx context.Context, externalID string) error

	// SendInvoice sends ConnectParts' billing invoice (NF de faturamento) to
	// the platform. Sending the same invoice twice is a success.
	SendInvoice(ctx context.Context, externalID string, inv Invoice) error

	// SendTracking sends the carrier and tracking code of an invoiced order.
	SendTracking(ctx context.Context, externalID string, t Tracking) error

	// SetStock sets the available quantity of one of our SKUs on the
	// platform. The portal's stock is the source of truth: the value is
	// always absolute (never a delta) and negative values are sent as 0.
	SetStock(ctx context.Context, sku string, available int64) error

	// Cancel cancels the order on the platform, with a reason shown to the
	// platform's operators. Platforms that do not allow sellers to cancel
	// through their API return an ErrUnsupported error.
	Cancel(ctx context.Context, externalID, reason string) error
}

// Batch is one answer of Adapter.Changes.
type Batch struct {
	Changes []Change
	// Cursor is what the engine passes to the next Changes call once the
	// batch has been processed and acknowledged ("" for VTEX).
	Cursor string
	// More says that the platform has further changes waiting beyond this
	// batch (VTEX: the last feed read came back full), so the engine should
	// import again at once instead of waiting for the next interval.
	More bool
}

// Change says that an order changed on the platform. It is a hint: the engine
// fetches the order with GetOrder before acting on it, because the status in an
// event may already be stale.
type Change struct {
	ExternalID string
	// ChannelStatus is the platform's status as the event reported it
	// (the newest one when several events for the order were merged).
	ChannelStatus string
	// ChangedAt is when the platform says the change happened (zero if unknown).
	ChangedAt time.Time
	// AckTokens are what Ack needs to confirm this change: every VTEX feed
	// handle read for this order in the batch. Empty for Mercado Livre.
	AckTokens []string
}
