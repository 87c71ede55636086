package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// CreateUploadReport keeps the report of an upload for the GET after the
// redirect, and removes the reports past model.UploadReportTTL (so the table
// holds about one day of refusals). It writes no audit entry: a refused
// upload changed nothing.
func (s *Store) CreateUploadReport(ctx context.Context, r *model.UploadReport) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		r.CreatedAt = s.now()
		err := s.conn(ctx).Where("created_at < ?", r.CreatedAt.Add(-model.UploadReportTTL).UTC()).Delete(&model.UploadReport{}).Error
		if err != nil {
			return translate(err, "Relatório do envio")
		}
		return translate(s.conn(ctx).Create(r).Error, "Relatório do envio")
	})
}

// FindUploadReport returns the report id of kind written for userID and
// younger than model.UploadReportTTL; any other is ENOTFOUND (another user's
// report is not disclosed).
func (s *Store) FindUploadReport(ctx context.Context, userID int64, kind, id string) (*model.UploadReport, error) {
	var r model.UploadReport
	err := s.conn(ctx).Where("id = ? AND user_id = ? AND kind = ? AND created_at >= ?",
		id, userID, kind, s.now().Add(-model.UploadReportTTL).UTC()).Take(&r).Error
	if err != nil {
		return nil, translate(err, "Relatório do envio")
	}
	return &r, nil
}
