package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Setting is one editable configuration value.
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
	UpdatedBy *int64
}

// Setting keys.
const (
	SettingCompanyCNPJ = "company_cnpj"
	SettingCompanyName = "company_name"
	// SettingPriceAlertPercent is the price change (in %, e.g. "10" or "7,5")
	// above which the price-table preview highlights a change; default 10.
	SettingPriceAlertPercent = "price_alert_percent"
)

// GetSetting returns a setting's value, or "" when unset.
func (s *Store) GetSetting(ctx context.Context, key string) (string, error) {
	var st Setting
	res := s.conn(ctx).Where("key = ?", key).Limit(1).Find(&st)
	return st.Value, translate(res.Error, "Configuração")
}

// SetSetting stores a setting and audits the change.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		before, err := s.GetSetting(ctx, key)
		if err != nil {
			return err
		}
		st := Setting{Key: key, Value: value, UpdatedAt: s.now(), UpdatedBy: actorUserID(ctx)}
		if err := s.conn(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "key"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at", "updated_by"}),
		}).Create(&st).Error; err != nil {
			return translate(err, "Configuração")
		}
		return s.audit(ctx, "setting.update", "setting", key, nil, map[string]string{"before": before, "after": value})
	})
}
