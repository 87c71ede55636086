package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// EachPersonalDataView streams the LGPD access log of the filter in the
// list's order.
func (s *Store) EachPersonalDataView(ctx context.Context, f PersonalDataViewFilter, fn func(*model.PersonalDataView) error) error {
	return eachRow(s.filterPersonalDataViews(ctx, f).Order(f.Sort.orderBy("at DESC, id DESC")), "Registro de acesso a dados pessoais", fn)
}
