package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// SettingPersonalDataDays is the days after a PO is closed (shipped,
// delivered or cancelled) during which its supplier still sees the
// customer's personal data; model.DefaultPersonalDataDays when unset.
const SettingPersonalDataDays = "personal_data_days"

// PersonalDataDays returns the setting SettingPersonalDataDays, or its default.
func (s *Store) PersonalDataDays(ctx context.Context) (int, error) {
	v, err := s.GetSetting(ctx, SettingPersonalDataDays)
	if err != nil {
		return 0, err
	}
	if n, ok := ParsePersonalDataDays(v); ok {
		return n, nil
	}
	return model.DefaultPersonalDataDays, nil
}

// ParsePersonalDataDays reads the setting as typed: a whole number of days
// from 0 to model.MaxPersonalDataDays.
func ParsePersonalDataDays(v string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > model.MaxPersonalDataDays {
		return 0, false
	}
	return n, true
}

// CreatePersonalDataViews records sights of personal data (a read is not a
// change: no audit entry, no transaction of the caller needed).
func (s *Store) CreatePersonalDataViews(ctx context.Context, views []model.PersonalDataView) error {
	if len(views) == 0 {
		return nil
	}
	now := s.now()
	for i := range views {
		if views[i].At.IsZero() {
			views[i].At = now
		}
	}
	return translate(s.conn(ctx).CreateInBatches(views, 500).Error, "Registro de acesso a dados pessoais")
}

// PersonalDataViewFilter narrows the log of sights of personal data.
type PersonalDataViewFilter struct {
	SupplierID *int64
	UserID     *int64
	PONumber   string
	Channel    string
	From, To   *time.Time // To excluded
	Sort       Sort       // the list's chosen order; default newest first
}

// ListPersonalDataViews returns a page of the log, newest first, and the total.
func (s *Store) ListPersonalDataViews(ctx context.Context, f PersonalDataViewFilter, p Page) ([]model.PersonalDataView, int64, error) {
	p = p.Normalize()
	q := s.filterPersonalDataViews(ctx, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Registro de acesso a dados pessoais")
	}
	var out []model.PersonalDataView
	err := q.Order(f.Sort.orderBy("at DESC, id DESC")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Registro de acesso a dados pessoais")
}

// PersonalDataViewers lists the supplier users that appear in the log (the
// page's user filter), by e-mail.
func (s *Store) PersonalDataViewers(ctx context.Context) ([]model.User, error) {
	var out []model.User
	err := s.conn(ctx).Where("id IN (SELECT DISTINCT user_id FROM personal_data_views)").Order("email").Find(&out).Error
	return out, translate(err, "Usuários")
}

func (s *Store) filterPersonalDataViews(ctx context.Context, f PersonalDataViewFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.PersonalDataView{})
	if f.SupplierID != nil {
		q = q.Where("supplier_id = ?", *f.SupplierID)
	}
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.PONumber != "" {
		q = q.Where("po_number = ?", f.PONumber)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.From != nil {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("at < ?", f.To.UTC())
	}
	return q
}
