package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// EachPersonalDataView streams the LGPD access log of the filter in the
// list's order.
func (s *Store) EachPersonalDataView(ctx context.Context, f PersonalDataViewFilter, fn func(*model.PersonalDataView) error) error {
	return eachRow(s.filterPersonalDataViews(ctx, f).Order(f.Sort.orderBy("at DESC, id DESC")), "Registro de acesso a dados pessoais", fn)
}

// PlatformFilter selects platforms for the platform list and its export.
type PlatformFilter struct {
	Kind    string // one kind; "" every kind
	Enabled *bool
	Query   string // part of the name
	Sort    Sort   // default by name
}

func (s *Store) filterPlatforms(ctx context.Context, f PlatformFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.Platform{})
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Enabled != nil {
		q = q.Where("enabled = ?", *f.Enabled)
	}
	if f.Query != "" {
		q = q.Where(`LOWER(name) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	return q
}

// SearchPlatforms returns the platforms of the filter in its order (a
// handful: no pages).
func (s *Store) SearchPlatforms(ctx context.Context, f PlatformFilter) ([]model.Platform, error) {
	var out []model.Platform
	err := s.filterPlatforms(ctx, f).Order(f.Sort.orderBy("name")).Find(&out).Error
	return out, translate(err, "Plataforma")
}
