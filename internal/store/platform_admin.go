package store

import (
	"context"
	"strings"

	"github.com/connectparts/portal/internal/model"
)

// UpdatePlatform saves what the platform page edits: base URL, sealed
// settings, enabled, import interval, import_from and po_at. changedSettings names
// the settings replaced (their values never reach the audit log).
func (s *Store) UpdatePlatform(ctx context.Context, p *model.Platform, changedSettings []string) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		before, err := s.FindPlatform(ctx, p.ID)
		if err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		res := s.conn(ctx).Model(&model.Platform{}).Where("id = ?", p.ID).Updates(map[string]any{
			"base_url": p.BaseURL, "settings_sealed": p.SettingsSealed, "enabled": p.Enabled,
			"import_interval_seconds": p.ImportIntervalSeconds, "import_from": p.ImportFrom, "po_at": p.POAt, "updated_at": p.UpdatedAt,
		})
		if res.Error != nil {
			return translate(res.Error, "Plataforma")
		}
		return s.audit(ctx, "platform.update", "platform", p.ID, nil, map[string]any{
			"before": map[string]any{"base_url": before.BaseURL, "enabled": before.Enabled,
				"import_interval_seconds": before.ImportIntervalSeconds, "import_from": before.ImportFrom, "po_at": before.POAt},
			"after": map[string]any{"base_url": p.BaseURL, "enabled": p.Enabled,
				"import_interval_seconds": p.ImportIntervalSeconds, "import_from": p.ImportFrom, "po_at": p.POAt},
			"settings_replaced": changedSettings,
		})
	})
}

// DeleteCarrierMapping removes the mapping of a platform's shipping method.
// Audited. Orders already imported keep their carrier.
func (s *Store) DeleteCarrierMapping(ctx context.Context, platformID int64, method string) error {
	method = strings.TrimSpace(method)
	return s.Tx(ctx, func(ctx context.Context) error {
		m, err := s.FindCarrierMapping(ctx, platformID, method)
		if err != nil {
			return err
		}
		if err := s.conn(ctx).Where("platform_id = ? AND method = ?", platformID, method).Delete(&model.CarrierMapping{}).Error; err != nil {
			return translate(err, "Vínculo de transportadora")
		}
		carrier := ""
		if m.Carrier != nil {
			carrier = m.Carrier.Name
		}
		return s.audit(ctx, "carrier.unmap", "platform", platformID, nil, map[string]any{"method": method, "carrier": carrier})
	})
}
