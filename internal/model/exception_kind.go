package model

// ExceptionKind is one section of staff's exceptions inbox (/exceptions):
// something that stopped on its way and waits for a person to fix it.
type ExceptionKind string

// Exception kinds, in the order the inbox shows them.
const (
	ExcBlockedCarrier   ExceptionKind = "blocked_carrier"   // orders not imported: shipping method without carrier
	ExcBlockedSKU       ExceptionKind = "blocked_sku"       // orders not imported: SKU not in the catalog
	ExcNoPrice          ExceptionKind = "no_price"          // POs without a price in force
	ExcInvoiceDivergent ExceptionKind = "invoice_divergent" // the supplier's NF-e diverged from the PO
	ExcBackordered      ExceptionKind = "backordered"       // POs without stock awaiting a decision
	ExcLate             ExceptionKind = "late"              // billed POs past their ship-by deadline
	ExcFailedPush       ExceptionKind = "failed_push"       // stock or status the platform did not take
	ExcCancelledAfter   ExceptionKind = "cancelled_after"   // sales order cancelled after the despacho
)

// ExceptionKinds lists every kind in the inbox's order.
var ExceptionKinds = []ExceptionKind{ExcBlockedCarrier, ExcBlockedSKU, ExcNoPrice, ExcInvoiceDivergent,
	ExcBackordered, ExcLate, ExcFailedPush, ExcCancelledAfter}

// exceptionPerms is who may act on each kind: the permission of the action
// that fixes it. A role sees in the inbox only the kinds it may fix.
var exceptionPerms = map[ExceptionKind]Permission{
	ExcBlockedCarrier:   PermManagePlatforms,      // map the method to a carrier
	ExcBlockedSKU:       PermManageProducts,       // create the product
	ExcNoPrice:          PermManagePurchaseOrders, // reprice
	ExcInvoiceDivergent: PermFiscalPurchaseOrders, // fiscal follows the divergence up
	ExcBackordered:      PermManagePurchaseOrders, // continue or cancel
	ExcLate:             PermDispatchOrders,       // despachar, follow the supplier up
	ExcFailedPush:       PermManagePlatforms,      // try again
	ExcCancelledAfter:   PermManagePurchaseOrders, // resolve with a note
}

// Permission is what acting on the kind takes.
func (k ExceptionKind) Permission() Permission { return exceptionPerms[k] }

// Valid reports whether k is a known kind.
func (k ExceptionKind) Valid() bool { _, ok := exceptionPerms[k]; return ok }

// Label is the kind's name in the inbox.
func (k ExceptionKind) Label() string {
	switch k {
	case ExcBlockedCarrier:
		return "Forma de envio sem transportadora"
	case ExcBlockedSKU:
		return "SKU desconhecido"
	case ExcNoPrice:
		return "Pedidos de compra sem preço"
	case ExcInvoiceDivergent:
		return "NF-e com divergência"
	case ExcBackordered:
		return "Sem estoque, aguardando decisão"
	case ExcLate:
		return "Envios atrasados"
	case ExcFailedPush:
		return "Envios à plataforma com falha"
	case ExcCancelledAfter:
		return "Cancelados após o despacho"
	}
	return string(k)
}

// ExceptionKinds are the inbox sections u may act on, in order; none for a
// supplier or a read-only role.
func (u *User) ExceptionKinds() []ExceptionKind {
	var out []ExceptionKind
	if u == nil || u.Role == RoleSupplier {
		return nil
	}
	for _, k := range ExceptionKinds {
		if u.Can(k.Permission()) {
			out = append(out, k)
		}
	}
	return out
}

// CanFix reports whether u may act on exceptions of kind k.
func (u *User) CanFix(k ExceptionKind) bool {
	return u != nil && u.Role != RoleSupplier && k.Valid() && u.Can(k.Permission())
}
