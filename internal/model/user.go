// Package model holds the portal's domain types and the rules that belong to
// them (roles and what each may do). It imports no infrastructure.
package model

import "time"

// Role is what a user is allowed to do.
type Role string

const (
	RoleAdmin      Role = "admin"
	RolePurchasing Role = "purchasing"
	RoleFiscal     Role = "fiscal"
	RoleLogistics  Role = "logistics"
	RoleViewer     Role = "viewer"
	RoleSupplier   Role = "supplier"
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RolePurchasing, RoleFiscal, RoleLogistics, RoleViewer, RoleSupplier}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Label is the role's Portuguese name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administrador"
	case RolePurchasing:
		return "Compras"
	case RoleFiscal:
		return "Fiscal"
	case RoleLogistics:
		return "Logística"
	case RoleViewer:
		return "Consulta"
	case RoleSupplier:
		return "Fornecedor"
	}
	return string(r)
}

// User is a person (or a supplier's system) that logs in.
type User struct {
	ID                 int64
	Email              string
	Name               string
	Role               Role
	SupplierID         *int64
	PasswordHash       string
	Active             bool
	MustChangePassword bool
	LastLoginAt        *time.Time
	PasswordChangedAt  time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time

	Supplier *Supplier `gorm:"foreignKey:SupplierID"`
}

// IsStaff reports whether the user is ConnectParts staff (not a supplier).
func (u *User) IsStaff() bool { return u != nil && u.Role != RoleSupplier }

// Session is a logged-in browser. ID is the SHA-256 of the token in the cookie.
type Session struct {
	ID         string `gorm:"primaryKey"`
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// APIToken authenticates a user's system on /api/v1. Only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Label      string
	TokenHash  string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}
