package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Query      string // actor, action or entity id
	Entity     string
	Action     string
	Actor      string // the user's e-mail (or "sistema"), exact
	From, To   *time.Time
	UserID     *int64
	SupplierID *int64
	Sort       Sort // the list's chosen order; default newest first
}

// ListAudit returns a page of audit entries, newest first, and the total.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter, p Page) ([]model.AuditEntry, int64, error) {
	// the log only grows (every change writes to it): count and page within
	// ListCountCap, like the other lists over big tables
	p = capPage(p)
	order := f.Sort.orderBy("at DESC, id DESC")
	total, err := countCapped(s.conn(ctx), s.filterAudit(ctx, f), order)
	if err != nil {
		return nil, 0, translate(err, "Auditoria")
	}
	var out []model.AuditEntry
	err = s.filterAudit(ctx, f).Order(order).Limit(p.Size).Offset(p.offset()).Find(&out).Error
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
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.From != nil {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("at < ?", f.To.UTC())
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

// AuditNames returns the display names of the records audit entries point at,
// keyed "entity:id": users by e-mail, suppliers, platforms and products by
// name (product: SKU). ids holds the entity ids per entity.
func (s *Store) AuditNames(ctx context.Context, ids map[string][]string) (map[string]string, error) {
	out := map[string]string{}
	load := func(entity, table, col string) error {
		var nums []int64
		for _, id := range ids[entity] {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				nums = append(nums, n)
			}
		}
		if len(nums) == 0 {
			return nil
		}
		var rows []struct {
			ID   int64
			Name string
		}
		if err := s.conn(ctx).Table(table).Select("id, "+col+" AS name").Where("id IN ?", nums).Scan(&rows).Error; err != nil {
			return translate(err, "Auditoria")
		}
		for _, r := range rows {
			out[entity+":"+strconv.FormatInt(r.ID, 10)] = r.Name
		}
		return nil
	}
	for _, t := range [][3]string{{"user", "users", "email"}, {"supplier", "suppliers", "COALESCE(NULLIF(trade_name, ''), legal_name)"},
		{"platform", "platforms", "name"}, {"product", "products", "sku"}} {
		if err := load(t[0], t[1], t[2]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
