package model

// Permission is one thing a user may do. Every role check in the portal goes
// through Can, so the whole policy reads in this one file.
type Permission string

const (
	PermManageUsers       Permission = "users.manage"
	PermManageSuppliers   Permission = "suppliers.manage"
	PermViewSuppliers     Permission = "suppliers.view"
	PermViewAudit         Permission = "audit.view"
	PermManageSettings    Permission = "settings.manage"
	PermStaffArea         Permission = "staff.area"    // any ConnectParts page
	PermSupplierArea      Permission = "supplier.area" // the supplier's own pages
	PermUseAPI            Permission = "api.use"
	PermViewProducts      Permission = "products.view"       // the catalog, read-only
	PermManageProducts    Permission = "products.manage"     // edit and import the catalog
	PermViewPriceTables   Permission = "price_tables.view"   // staff: every table; suppliers: their own
	PermSubmitPriceTables Permission = "price_tables.submit" // suppliers: upload, submit, withdraw their tables
	PermReviewPriceTables Permission = "price_tables.review" // reject a scheduled table, grant an earlier date
	PermViewStock         Permission = "stock.view"          // stock by product and its ledger
	PermManageStock       Permission = "stock.manage"        // manual entries and inventory counts
	PermSubmitStockFeed   Permission = "stock.feed"          // suppliers: report their own stock
	PermViewOrders        Permission = "orders.view"         // staff: sales orders, blocked queue, sync log
	PermManagePlatforms   Permission = "platforms.manage"    // connect platforms, map carriers
	// Purchase orders: staff see every supplier's, suppliers their own.
	PermViewPurchaseOrders   Permission = "purchase_orders.view"
	PermAnswerPurchaseOrders Permission = "purchase_orders.answer"   // suppliers: acknowledge, backorder, upload the NF-e
	PermFiscalPurchaseOrders Permission = "purchase_orders.fiscal"   // fiscal: book the supplier invoice, upload the billing invoice
	PermDispatchOrders       Permission = "purchase_orders.dispatch" // logistics: mark billed orders despachado
	// PermManagePurchaseOrders: purchasing's exception queues — reprice a PO
	// without price, continue or cancel a PO without stock, resolve a PO
	// cancelled on the platform after the despacho.
	PermManagePurchaseOrders Permission = "purchase_orders.manage"
)

var grants = map[Role][]Permission{
	RoleAdmin:      {PermManageUsers, PermManageSuppliers, PermViewSuppliers, PermViewAudit, PermManageSettings, PermStaffArea, PermUseAPI, PermViewProducts, PermManageProducts, PermViewPriceTables, PermReviewPriceTables, PermViewStock, PermManageStock, PermViewOrders, PermManagePlatforms, PermViewPurchaseOrders, PermFiscalPurchaseOrders, PermDispatchOrders, PermManagePurchaseOrders},
	RolePurchasing: {PermManageSuppliers, PermViewSuppliers, PermStaffArea, PermUseAPI, PermViewProducts, PermManageProducts, PermViewPriceTables, PermReviewPriceTables, PermViewStock, PermManageStock, PermViewOrders, PermViewPurchaseOrders, PermManagePurchaseOrders},
	RoleFiscal:     {PermViewSuppliers, PermStaffArea, PermUseAPI, PermViewProducts, PermViewPriceTables, PermViewStock, PermViewOrders, PermViewPurchaseOrders, PermFiscalPurchaseOrders},
	RoleLogistics:  {PermViewSuppliers, PermStaffArea, PermUseAPI, PermViewProducts, PermViewPriceTables, PermViewStock, PermManageStock, PermViewOrders, PermViewPurchaseOrders, PermDispatchOrders},
	RoleViewer:     {PermViewSuppliers, PermStaffArea, PermViewProducts, PermViewPriceTables, PermViewStock, PermViewOrders, PermViewPurchaseOrders},
	RoleSupplier:   {PermSupplierArea, PermUseAPI, PermViewPriceTables, PermSubmitPriceTables, PermSubmitStockFeed, PermViewPurchaseOrders, PermAnswerPurchaseOrders},
}

// Can reports whether u holds permission p. Inactive or nil users hold none.
func (u *User) Can(p Permission) bool {
	if u == nil || !u.Active {
		return false
	}
	for _, g := range grants[u.Role] {
		if g == p {
			return true
		}
	}
	return false
}
