package model

// Permission is one thing a user may do. Every role check in the portal goes
// through Can, so the whole policy reads in this one file.
type Permission string

const (
	PermManageUsers     Permission = "users.manage"
	PermManageSuppliers Permission = "suppliers.manage"
	PermViewSuppliers   Permission = "suppliers.view"
	PermViewAudit       Permission = "audit.view"
	PermManageSettings  Permission = "settings.manage"
	PermStaffArea       Permission = "staff.area"    // any ConnectParts page
	PermSupplierArea    Permission = "supplier.area" // the supplier's own pages
	PermUseAPI          Permission = "api.use"
)

var grants = map[Role][]Permission{
	RoleAdmin:      {PermManageUsers, PermManageSuppliers, PermViewSuppliers, PermViewAudit, PermManageSettings, PermStaffArea, PermUseAPI},
	RolePurchasing: {PermManageSuppliers, PermViewSuppliers, PermStaffArea, PermUseAPI},
	RoleFiscal:     {PermViewSuppliers, PermStaffArea, PermUseAPI},
	RoleLogistics:  {PermViewSuppliers, PermStaffArea, PermUseAPI},
	RoleViewer:     {PermViewSuppliers, PermStaffArea},
	RoleSupplier:   {PermSupplierArea, PermUseAPI},
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
