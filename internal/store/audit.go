package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Query      string // actor, action or entity id
	Entity     string
	UserID     *int64
	SupplierID *int64
	Sort       Sort // the list's chosen order; default newest first
}

// ListAudit returns a page of audit entries, newest first, and the total.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter, p Page) ([]model.AuditEntry, int64, error) {
	p = p.Normalize()
	q := s.filterAudit(ctx, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Auditoria")
	}
	var out []model.AuditEntry
	err := q.Order(f.Sort.orderBy("at DESC, id DESC")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Auditoria")
}

func (s *Store) filterAudit(ctx context.Context, f AuditFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.AuditEntry{})
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`LOWER(actor) LIKE ? ESCAPE '\' OR LOWER(action) LIKE ? ESCAPE '\' OR LOWER(entity_id) LIKE ? ESCAPE '\'`, pat, pat, pat)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.SupplierID != nil {
		q = q.Where("supplier_id = ?", *f.SupplierID)
	}
	return q
}

func actorUserID(ctx context.Context) *int64 { return model.ActorFrom(ctx).UserID }
