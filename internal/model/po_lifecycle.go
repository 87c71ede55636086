package model

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
)

// The purchase order's lifecycle, in one table: every change of a PO's
// status (and of the flags that act like one: despachado, the cancelled-after-
// despacho exception) is a POAction decided here by PurchaseOrder.Decide.
// Services build the change and the store persists it (Store.ApplyPOChange):
// the store writes the guard of the transition into the UPDATE itself, so two
// concurrent actions are safe, but it never decides which transitions exist.

// POAction is something that happens to a purchase order.
type POAction string

// PO actions, in the order of the flow.
const (
	POActAcknowledge         POAction = "acknowledge"           // the supplier accepts the PO
	POActBackorder           POAction = "backorder"             // the supplier has no stock (prazo)
	POActAcceptInvoice       POAction = "accept_invoice"        // the supplier's NF-e matched the PO
	POActDivergentInvoice    POAction = "divergent_invoice"     // the supplier's NF-e diverged
	POActBook                POAction = "book"                  // fiscal books the supplier's NF-e (entrada)
	POActBill                POAction = "bill"                  // fiscal's billing NF-e accepted (faturar)
	POActDispatch            POAction = "dispatch"              // logistics marks it despachado
	POActShip                POAction = "ship"                  // the supplier sends label and tracking
	POActDeliver             POAction = "deliver"               // the platform reports the delivery
	POActCancel              POAction = "cancel"                // the sales order is cancelled: open POs go with it
	POActCancelBackordered   POAction = "cancel_backordered"    // purchasing cancels a PO without stock
	POActReprice             POAction = "reprice"               // purchasing prices a PO without price
	POActResume              POAction = "resume"                // purchasing continues a PO without stock
	POActFlagCancelException POAction = "flag_cancel_exception" // the sales order was cancelled after the despacho
	POActResolveException    POAction = "resolve_exception"     // staff close that exception with a note
)

// POActions lists every action, in flow order.
var POActions = []POAction{POActAcknowledge, POActBackorder, POActAcceptInvoice, POActDivergentInvoice, POActBook, POActBill,
	POActDispatch, POActShip, POActDeliver, POActCancel, POActCancelBackordered, POActReprice, POActResume,
	POActFlagCancelException, POActResolveException}

// POActor is who may take an action: the PO's own supplier, ConnectParts
// staff holding a permission, or the portal itself (the platform sync engine,
// the auto-dispatch setting).
type POActor struct {
	Supplier   bool       // the PO's supplier (with PermAnswerPurchaseOrders)
	Permission Permission // staff holding it
	System     string     // the portal itself, and why (Portuguese-free note for readers)
}

// POClock is what an action does to the PO's deadlines.
type POClock string

// PO clocks.
const (
	POClockNone POClock = ""
	// POClockDueSuspend suspends the supplier's dispatch deadline: the PO
	// waits on purchasing (POStatus.Exception) until reprice or resume.
	POClockDueSuspend POClock = "due_at suspended"
	// POClockDueRestart restarts the supplier's dispatch deadline (due_at).
	POClockDueRestart POClock = "due_at restarts"
	// POClockShipStart starts the ship-by clock: billed_at + dispatch hours (ShipDeadline).
	POClockShipStart POClock = "ship-by starts"
	// POClockShipStop stops the ship-by clock (shipped_at set).
	POClockShipStop POClock = "ship-by stops"
	// POClockStopAll stops every clock: nothing is due any more.
	POClockStopAll POClock = "every clock stops"
)

// POTransition is one row of the lifecycle.
type POTransition struct {
	Action POAction
	From   []POStatus // statuses the action may be taken in
	To     POStatus   // the status reached; empty keeps the status
	// Guards beyond the status, also written into the UPDATE by the store.
	NotDispatched    bool // dispatched_at IS NULL
	NotFlagged       bool // cancel_exception_at IS NULL
	ExceptionPending bool // cancel_exception_at IS NOT NULL AND exception_resolved_at IS NULL
	By               []POActor
	Event            string  // the history event (and audit action purchase_order.<Event>)
	Stamp            string  // the column set to the instant of the change
	Clock            POClock // the deadline it starts or stops
	// The conflict message: "Não é possível <Doing>: … (<Allowed>)."
	Doing, Allowed string
}

var (
	bySupplier   = []POActor{{Supplier: true}}
	byFiscal     = []POActor{{Permission: PermFiscalPurchaseOrders}}
	byPurchasing = []POActor{{Permission: PermManagePurchaseOrders}}
	supplierOpen = []POStatus{POAwaitingSupplier, POAcknowledged, POInvoiceDivergent}
)

// POLifecycle is the purchase order's state machine.
var POLifecycle = map[POAction]POTransition{
	POActAcknowledge: {Action: POActAcknowledge, From: []POStatus{POAwaitingSupplier}, To: POAcknowledged,
		By: bySupplier, Event: POEventAcknowledged, Stamp: "acknowledged_at",
		Doing: "aceitar o pedido", Allowed: "só um pedido aguardando o fornecedor"},
	POActBackorder: {Action: POActBackorder, From: []POStatus{POAwaitingSupplier, POAcknowledged}, To: POBackordered,
		By: bySupplier, Event: POEventBackordered, Stamp: "backordered_at", Clock: POClockDueSuspend,
		Doing: "informar falta de estoque", Allowed: "só um pedido aguardando o fornecedor ou aceito"},
	POActAcceptInvoice: {Action: POActAcceptInvoice, From: supplierOpen, To: POSupplierInvoiced,
		By: bySupplier, Event: POEventInvoice, Stamp: "invoiced_at",
		Doing: "enviar a NF-e de venda", Allowed: "só um pedido aguardando o fornecedor, aceito ou com NF-e divergente"},
	POActDivergentInvoice: {Action: POActDivergentInvoice, From: supplierOpen, To: POInvoiceDivergent,
		By: bySupplier, Event: POEventDivergent,
		Doing: "enviar a NF-e de venda", Allowed: "só um pedido aguardando o fornecedor, aceito ou com NF-e divergente"},
	POActBook: {Action: POActBook, From: []POStatus{POSupplierInvoiced}, To: POInvoiceBooked,
		By: byFiscal, Event: POEventBooked, Stamp: "booked_at",
		Doing: "dar entrada na NF-e do fornecedor", Allowed: "só um pedido com a NF-e do fornecedor recebida e conferida"},
	POActBill: {Action: POActBill, From: []POStatus{POInvoiceBooked}, To: POBilled,
		By: byFiscal, Event: POEventBilled, Stamp: "billed_at", Clock: POClockShipStart,
		Doing: "faturar", Allowed: "só um pedido com a NF-e do fornecedor escriturada pode ser faturado"},
	// The supplier may ship before logistics gets to it: a shipped PO is still despachado-able.
	POActDispatch: {Action: POActDispatch, From: []POStatus{POBilled, POShipped}, NotDispatched: true,
		By: []POActor{{Permission: PermDispatchOrders}, {System: "auto-dispatch setting, at billing"}}, Event: POEventDispatched, Stamp: "dispatched_at",
		Doing: "marcar como despachado", Allowed: "só um pedido faturado e ainda não despachado"},
	POActShip: {Action: POActShip, From: []POStatus{POBilled}, To: POShipped,
		By: bySupplier, Event: POEventShipped, Stamp: "shipped_at", Clock: POClockShipStop,
		Doing: "enviar a etiqueta e o rastreio", Allowed: "só um pedido faturado pela ConnectParts e ainda não enviado"},
	POActDeliver: {Action: POActDeliver, From: []POStatus{POShipped}, To: PODelivered,
		By: []POActor{{System: "platform sync: the sales order delivered"}}, Event: POEventDelivered, Stamp: "delivered_at",
		Doing: "marcar como entregue", Allowed: "só um pedido enviado"},
	POActCancel: {Action: POActCancel, From: []POStatus{POAwaitingSupplier, POAcknowledged, POBackordered, PONoPrice, POInvoiceDivergent,
		POSupplierInvoiced, POInvoiceBooked, POBilled}, To: POCancelled, NotDispatched: true,
		By:    []POActor{{System: "platform sync: the sales order cancelled"}, {Permission: PermManagePurchaseOrders}},
		Event: POEventCancelled, Stamp: "cancelled_at", Clock: POClockStopAll,
		Doing: "cancelar", Allowed: "só um pedido em aberto e ainda não despachado"},
	POActCancelBackordered: {Action: POActCancelBackordered, From: []POStatus{POBackordered}, To: POCancelled,
		By: byPurchasing, Event: POEventCancelled, Stamp: "cancelled_at", Clock: POClockStopAll,
		Doing: "cancelar o pedido", Allowed: "só um pedido sem estoque aguarda essa decisão"},
	POActReprice: {Action: POActReprice, From: []POStatus{PONoPrice}, To: POAwaitingSupplier,
		By: byPurchasing, Event: POEventRepriced, Stamp: "priced_at", Clock: POClockDueRestart,
		Doing: "reprecificar", Allowed: "só um pedido sem preço aguarda compras"},
	POActResume: {Action: POActResume, From: []POStatus{POBackordered}, To: POAcknowledged,
		By: byPurchasing, Event: POEventResumed, Clock: POClockDueRestart,
		Doing: "continuar o pedido", Allowed: "só um pedido sem estoque aguarda essa decisão"},
	// Every status but cancelled: the sales order was cancelled after this PO
	// left the cancellable set (despachado, shipped, delivered); the status stays.
	POActFlagCancelException: {Action: POActFlagCancelException, From: []POStatus{POAwaitingSupplier, POAcknowledged, POBackordered,
		PONoPrice, POInvoiceDivergent, POSupplierInvoiced, POInvoiceBooked, POBilled, POShipped, PODelivered}, NotFlagged: true,
		By: []POActor{{System: "platform sync: the sales order cancelled after the despacho"}}, Event: POEventCancelException, Stamp: "cancel_exception_at",
		Doing: "registrar o cancelamento após o despacho", Allowed: "uma vez por pedido não cancelado"},
	POActResolveException: {Action: POActResolveException, From: POStatuses, ExceptionPending: true,
		By: byPurchasing, Event: POEventExceptionResolved, Stamp: "exception_resolved_at",
		Doing: "resolver", Allowed: "só um pedido com cancelamento após o despacho pendente"},
}

// POChange is a decided transition of one PO: what the store writes (the
// status, the stamp at At, Set's columns) under the transition's guard.
type POChange struct {
	POTransition
	At  time.Time
	Set map[string]any // further columns of this change (reason, due_at …)
}

// Columns are the columns the change writes besides status and updated_at.
func (c POChange) Columns() map[string]any {
	cols := map[string]any{}
	if c.Stamp != "" {
		cols[c.Stamp] = c.At
	}
	for k, v := range c.Set {
		cols[k] = v
	}
	return cols
}

// With adds a column to the change.
func (c POChange) With(col string, v any) POChange {
	set := make(map[string]any, len(c.Set)+1)
	for k, v := range c.Set {
		set[k] = v
	}
	set[col] = v
	c.Set = set
	return c
}

// Allows reports whether the PO, as it is, may take the transition.
func (t POTransition) Allows(po *PurchaseOrder) bool {
	in := false
	for _, s := range t.From {
		in = in || s == po.Status
	}
	switch {
	case !in:
		return false
	case t.NotDispatched && po.DispatchedAt != nil:
		return false
	case t.NotFlagged && po.CancelExceptionAt != nil:
		return false
	case t.ExceptionPending && !po.CancelExceptionPending():
		return false
	}
	return true
}

// Conflict is the ECONFLICT error of the action refused for the PO.
func (t POTransition) Conflict(po *PurchaseOrder) error {
	if t.ExceptionPending {
		return apperr.Errorf(apperr.ECONFLICT, "Não é possível %s: o pedido de compra %s não tem cancelamento após o despacho pendente.", t.Doing, po.Number)
	}
	return apperr.Errorf(apperr.ECONFLICT, "Não é possível %s: o pedido de compra %s está com status %s (%s).",
		t.Doing, po.Number, strings.ToLower(po.Status.Label()), t.Allowed)
}

// Can reports whether the PO may take the action now.
func (po *PurchaseOrder) Can(a POAction) bool {
	t, ok := POLifecycle[a]
	return ok && t.Allows(po)
}

// Decide is the one place a PO's change is decided: the action's transition
// at now when the PO may take it, ECONFLICT (409) otherwise.
func (po *PurchaseOrder) Decide(a POAction, now time.Time) (POChange, error) {
	t, ok := POLifecycle[a]
	if !ok {
		return POChange{}, apperr.Errorf(apperr.EINTERNAL, "ação de pedido de compra desconhecida: %s", a)
	}
	if !t.Allows(po) {
		return POChange{}, t.Conflict(po)
	}
	return POChange{POTransition: t, At: now}, nil
}

// Apply records a persisted change on the PO in memory: its status and stamp.
func (c POChange) Apply(po *PurchaseOrder) {
	if c.To != "" {
		po.Status = c.To
	}
	at := c.At
	switch c.Stamp {
	case "acknowledged_at":
		po.AcknowledgedAt = &at
	case "backordered_at":
		po.BackorderedAt = &at
	case "invoiced_at":
		po.InvoicedAt = &at
	case "booked_at":
		po.BookedAt = &at
	case "billed_at":
		po.BilledAt = &at
	case "dispatched_at":
		po.DispatchedAt = &at
	case "shipped_at":
		po.ShippedAt = &at
	case "delivered_at":
		po.DeliveredAt = &at
	case "cancelled_at":
		po.CancelledAt = &at
	case "priced_at":
		po.PricedAt = at
	case "cancel_exception_at":
		po.CancelExceptionAt = &at
	case "exception_resolved_at":
		po.ExceptionResolvedAt = &at
	case "":
	default:
		panic(fmt.Sprintf("model: PO stamp %q has no field", c.Stamp))
	}
}

// Exception reports whether the status waits on ConnectParts staff rather
// than on the supplier (the purchasing queues): the statuses purchasing's
// actions start from.
func (s POStatus) Exception() bool {
	po := PurchaseOrder{Status: s}
	return po.Can(POActReprice) || po.Can(POActResume)
}

// Cancellable reports whether a PO in this status may still be cancelled
// with its sales order: anything open before the despacho. A billed PO is
// cancellable only while not despachado (see PurchaseOrder.Cancellable).
func (s POStatus) Cancellable() bool {
	po := PurchaseOrder{Status: s}
	return po.Can(POActCancel)
}

// AcceptsInvoice reports whether the supplier may upload its sale invoice:
// after acknowledging (or before, the upload implies it), and again after a
// divergent upload.
func (s POStatus) AcceptsInvoice() bool {
	po := PurchaseOrder{Status: s}
	return po.Can(POActAcceptInvoice)
}

// Cancellable reports whether the PO may be cancelled with its sales
// order: open and not despachado yet. Otherwise a cancellation of the sales
// order is an exception for staff (returns, refunds).
func (po *PurchaseOrder) Cancellable() bool { return po.Can(POActCancel) }

// POExceptionStatuses are the statuses of Exception, for queries.
func POExceptionStatuses() []POStatus {
	var out []POStatus
	for _, s := range POStatuses {
		if s.Exception() {
			out = append(out, s)
		}
	}
	return out
}
