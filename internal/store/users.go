package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// UserFilter narrows the user list.
type UserFilter struct {
	Query      string
	Role       model.Role
	SupplierID *int64
	Active     *bool
	Sort       Sort // the list's chosen order; default by name
}

// FindUser returns a user with its supplier.
func (s *Store) FindUser(ctx context.Context, id int64) (*model.User, error) {
	var u model.User
	if err := s.conn(ctx).Preload("Supplier").First(&u, id).Error; err != nil {
		return nil, translate(err, "Usuário")
	}
	return &u, nil
}

// FindUserByEmail returns the user with that e-mail (case-insensitive).
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*model.User, error) {
	var u model.User
	if err := s.conn(ctx).Preload("Supplier").Where("email = ?", NormalizeEmail(email)).First(&u).Error; err != nil {
		return nil, translate(err, "Usuário")
	}
	return &u, nil
}

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// ListUsers returns a page of users and the total.
func (s *Store) ListUsers(ctx context.Context, f UserFilter, p Page) ([]model.User, int64, error) {
	p = p.Normalize()
	q := s.filterUsers(ctx, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Usuário")
	}
	var out []model.User
	err := q.Preload("Supplier").Order(f.Sort.orderBy("LOWER(name), id")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Usuário")
}

// EachUser streams the users of the filter in the list's order.
func (s *Store) EachUser(ctx context.Context, f UserFilter, fn func(*model.User) error) error {
	return eachRow(s.filterUsers(ctx, f).Order(f.Sort.orderBy("LOWER(name), id")), "Usuário", fn)
}

// filterUsers is the query of the user list's filter (a small table: the
// staff and the suppliers' people).
func (s *Store) filterUsers(ctx context.Context, f UserFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.User{})
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`LOWER(email) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\'`, pat, pat)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.SupplierID != nil {
		q = q.Where("supplier_id = ?", *f.SupplierID)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	return q
}

// CreateUser inserts a user; the password hash must already be set.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	u.Email = NormalizeEmail(u.Email)
	if u.PasswordChangedAt.IsZero() {
		u.PasswordChangedAt = s.now()
	}
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Omit("Supplier").Create(u).Error; err != nil {
			err = translate(err, "Usuário")
			if apperr.Is(err, apperr.ECONFLICT) {
				return apperr.Errorf(apperr.ECONFLICT, "Já existe um usuário com o e-mail %s.", u.Email)
			}
			return err
		}
		return s.audit(ctx, "user.create", "user", u.ID, u.SupplierID,
			map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "supplier_id": u.SupplierID})
	})
}

// UpdateUser saves name, role, supplier and active flag. Disabling a user ends its sessions.
func (s *Store) UpdateUser(ctx context.Context, u *model.User) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		before, err := s.FindUser(ctx, u.ID)
		if err != nil {
			return err
		}
		if before.Role == model.RoleAdmin && before.Active && (u.Role != model.RoleAdmin || !u.Active) {
			if err := s.ensureAnotherAdmin(ctx, u.ID); err != nil {
				return err
			}
		}
		res := s.conn(ctx).Model(&model.User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"name": u.Name, "role": u.Role, "supplier_id": u.SupplierID, "active": u.Active, "updated_at": s.now(),
		})
		if res.Error != nil {
			return translate(res.Error, "Usuário")
		}
		if !u.Active || before.Role != u.Role || !sameID(before.SupplierID, u.SupplierID) {
			if err := s.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
		}
		return s.audit(ctx, "user.update", "user", u.ID, u.SupplierID, map[string]any{
			"before": map[string]any{"name": before.Name, "role": before.Role, "supplier_id": before.SupplierID, "active": before.Active},
			"after":  map[string]any{"name": u.Name, "role": u.Role, "supplier_id": u.SupplierID, "active": u.Active},
		})
	})
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (s *Store) ensureAnotherAdmin(ctx context.Context, exceptID int64) error {
	var n int64
	if err := s.conn(ctx).Model(&model.User{}).Where("role = ? AND active = ? AND id <> ?", model.RoleAdmin, true, exceptID).Count(&n).Error; err != nil {
		return translate(err, "Usuário")
	}
	if n == 0 {
		return apperr.Errorf(apperr.ECONFLICT, "Este é o último administrador ativo; crie outro antes de desativá-lo ou mudar seu perfil.")
	}
	return nil
}

// SetPassword stores a new password hash, ends the user's other sessions and
// records whether the user must choose a new password at next login.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool, keepSession string, action string) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&model.User{}).Where("id = ?", userID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": mustChange, "password_changed_at": s.now(), "updated_at": s.now(),
		})
		if res.Error != nil {
			return translate(res.Error, "Usuário")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "Usuário não encontrado.")
		}
		if err := s.DeleteUserSessions(ctx, userID, keepSession); err != nil {
			return err
		}
		return s.audit(ctx, action, "user", userID, nil, nil)
	})
}

// RecordLogin stores the time of a successful login.
func (s *Store) RecordLogin(ctx context.Context, userID int64) error {
	now := s.now()
	return translate(s.conn(ctx).Model(&model.User{}).Where("id = ?", userID).Update("last_login_at", now).Error, "Usuário")
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.User{}).Count(&n).Error
	return n, translate(err, "Usuário")
}

// CountSuppliers returns how many suppliers exist.
func (s *Store) CountSuppliers(ctx context.Context) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Supplier{}).Count(&n).Error
	return n, translate(err, "Fornecedor")
}
