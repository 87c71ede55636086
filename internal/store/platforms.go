package store

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// CreatePlatform inserts a platform; a taken name is a conflict. The sealed
// settings never reach the audit log.
func (s *Store) CreatePlatform(ctx context.Context, p *model.Platform) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		p.CreatedAt, p.UpdatedAt = now, now
		if err := s.conn(ctx).Create(p).Error; err != nil {
			err = translate(err, "Plataforma")
			if apperr.Is(err, apperr.ECONFLICT) {
				return apperr.Errorf(apperr.ECONFLICT, "Já existe uma plataforma chamada %q.", p.Name)
			}
			return err
		}
		return s.audit(ctx, "platform.create", "platform", p.ID, nil, map[string]any{
			"kind": p.Kind, "name": p.Name, "base_url": p.BaseURL, "import_from": p.ImportFrom, "po_at": p.POAt,
			"import_interval_seconds": p.ImportIntervalSeconds,
		})
	})
}

// FindPlatform returns one platform.
func (s *Store) FindPlatform(ctx context.Context, id int64) (*model.Platform, error) {
	var p model.Platform
	if err := s.conn(ctx).First(&p, id).Error; err != nil {
		return nil, translate(err, "Plataforma")
	}
	return &p, nil
}

// FindPlatformByName returns the platform with that name (exact).
func (s *Store) FindPlatformByName(ctx context.Context, name string) (*model.Platform, error) {
	var p model.Platform
	if err := s.conn(ctx).Where("name = ?", strings.TrimSpace(name)).First(&p).Error; err != nil {
		return nil, translate(err, "Plataforma")
	}
	return &p, nil
}

// ListPlatforms returns every platform by name.
func (s *Store) ListPlatforms(ctx context.Context) ([]model.Platform, error) {
	var out []model.Platform
	err := s.conn(ctx).Order("name").Find(&out).Error
	return out, translate(err, "Plataforma")
}

// LockPlatform serialises the transactions that apply one platform's orders:
// on PostgreSQL it takes a transaction-scoped advisory lock (class
// applyLockClass, the platform id) until the transaction in ctx ends, so
// that two overlapping runs (the robot and `portal sync`, or the import jobs
// of notified orders) see each other's orders instead of both inserting one.
// SQLite transactions are serialised already. Outside a transaction it does
// nothing.
//
// An advisory lock, not the platform row's lock: a row lock (even FOR NO KEY
// UPDATE) made every UPDATE of the platform row wait for the order being
// applied: the notification callback's last_notification_at (each
// notification's job was enqueued only after the running import committed),
// the cursor, the settings page. The order import itself takes the finer
// LockPlatformOrder.
func (s *Store) LockPlatform(ctx context.Context, id int64) error {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); !inTx || s.dialect != database.Postgres {
		return nil
	}
	if err := s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?, ?)", applyLockClass, int32(id)).Error; err != nil {
		return translate(err, "Plataforma")
	}
	var got []int64
	if err := s.conn(ctx).Raw("SELECT id FROM platforms WHERE id = ?", id).Scan(&got).Error; err != nil {
		return translate(err, "Plataforma")
	}
	if len(got) == 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "Plataforma não encontrada.")
	}
	return nil
}

// applyLockClass is the first key of LockPlatform's advisory lock (see
// tokenLockClass for the token's).
const applyLockClass = 771011

// SavePlatformCursor stores the adapter cursor of the last acknowledged batch.
func (s *Store) SavePlatformCursor(ctx context.Context, id int64, cursor string) error {
	return s.setPlatformColumn(ctx, id, "cursor", cursor)
}

// SavePlatformToken stores the sealed OAuth state of a platform.
func (s *Store) SavePlatformToken(ctx context.Context, id int64, sealed string) error {
	return s.setPlatformColumn(ctx, id, "token_sealed", sealed)
}

// setPlatformColumn sets one column of a platform; a missing platform is ENOTFOUND.
func (s *Store) setPlatformColumn(ctx context.Context, id int64, column, value string) error {
	res := s.conn(ctx).Model(&model.Platform{}).Where("id = ?", id).Update(column, value)
	if res.Error != nil {
		return translate(res.Error, "Plataforma")
	}
	if res.RowsAffected == 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "Plataforma não encontrada.")
	}
	return nil
}

// PlatformToken returns the sealed OAuth state of a platform ("" when none).
func (s *Store) PlatformToken(ctx context.Context, id int64) (string, error) {
	var p model.Platform
	if err := s.conn(ctx).Select("id", "token_sealed").First(&p, id).Error; err != nil {
		return "", translate(err, "Plataforma")
	}
	return p.TokenSealed, nil
}

// EnsureCarrier returns the carrier with that name, creating it when missing;
// created says whether it was.
func (s *Store) EnsureCarrier(ctx context.Context, name string) (*model.Carrier, bool, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, false, apperr.Invalid("Informe a transportadora.", apperr.Detail{Field: "carrier", Message: "Informe o nome da transportadora."})
	}
	c := model.Carrier{Name: name, CreatedAt: s.now()}
	res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&c)
	if res.Error != nil {
		return nil, false, translate(res.Error, "Transportadora")
	}
	var out model.Carrier
	if err := s.conn(ctx).Where("name = ?", name).First(&out).Error; err != nil {
		return nil, false, translate(err, "Transportadora")
	}
	return &out, res.RowsAffected > 0, nil
}

// MapCarrier maps a platform's shipping method to a carrier (creating the
// carrier when new), replacing any previous mapping of the method. Audited.
func (s *Store) MapCarrier(ctx context.Context, platformID int64, method, carrierName string) (*model.CarrierMapping, error) {
	method = strings.TrimSpace(method)
	if method == "" {
		return nil, apperr.Invalid("Informe a forma de envio.", apperr.Detail{Field: "method", Message: "Informe a forma de envio da plataforma."})
	}
	var out *model.CarrierMapping
	err := s.Tx(ctx, func(ctx context.Context) error {
		if _, err := s.FindPlatform(ctx, platformID); err != nil {
			return err
		}
		c, created, err := s.EnsureCarrier(ctx, carrierName)
		if err != nil {
			return err
		}
		before, err := s.FindCarrierMapping(ctx, platformID, method)
		if err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
			return err
		}
		now := s.now()
		m := model.CarrierMapping{PlatformID: platformID, Method: method, CarrierID: c.ID, CreatedAt: now, UpdatedAt: now}
		if err := s.conn(ctx).Omit(clause.Associations).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "platform_id"}, {Name: "method"}},
			DoUpdates: clause.Assignments(map[string]any{"carrier_id": c.ID, "updated_at": now}),
		}).Create(&m).Error; err != nil {
			return translate(err, "Vínculo de transportadora")
		}
		details := map[string]any{"method": method, "carrier": c.Name, "carrier_created": created}
		if before != nil && before.Carrier != nil {
			details["previous_carrier"] = before.Carrier.Name
		}
		if err := s.audit(ctx, "carrier.map", "platform", platformID, nil, details); err != nil {
			return err
		}
		out, err = s.FindCarrierMapping(ctx, platformID, method)
		return err
	})
	return out, err
}

// FindCarrierMapping returns the mapping of a platform's shipping method, with its carrier.
func (s *Store) FindCarrierMapping(ctx context.Context, platformID int64, method string) (*model.CarrierMapping, error) {
	var m model.CarrierMapping
	if err := s.conn(ctx).Preload("Carrier").Where("platform_id = ? AND method = ?", platformID, method).First(&m).Error; err != nil {
		return nil, translate(err, "Vínculo de transportadora")
	}
	return &m, nil
}

// ListCarrierMappings returns a platform's mappings by method.
func (s *Store) ListCarrierMappings(ctx context.Context, platformID int64) ([]model.CarrierMapping, error) {
	var out []model.CarrierMapping
	err := s.conn(ctx).Preload("Carrier").Where("platform_id = ?", platformID).Order("method").Find(&out).Error
	return out, translate(err, "Vínculo de transportadora")
}

// CreateSyncRun records the start of a run.
func (s *Store) CreateSyncRun(ctx context.Context, r *model.SyncRun) error {
	if r.StartedAt.IsZero() {
		r.StartedAt = s.now()
	}
	r.Status = model.SyncRunning
	return translate(s.conn(ctx).Create(r).Error, "Execução de sincronização")
}

// FinishSyncRun records the outcome and counts of a run.
func (s *Store) FinishSyncRun(ctx context.Context, r *model.SyncRun) error {
	now := s.now()
	r.FinishedAt = &now
	err := s.conn(ctx).Model(&model.SyncRun{}).Where("id = ?", r.ID).Updates(map[string]any{
		"finished_at": now, "status": r.Status, "imported": r.Imported, "updated": r.Updated,
		"blocked": r.Blocked, "skipped": r.Skipped, "error_kind": r.ErrorKind, "error_message": r.ErrorMessage,
	}).Error
	return translate(err, "Execução de sincronização")
}

// FindSyncRun returns one run.
func (s *Store) FindSyncRun(ctx context.Context, id int64) (*model.SyncRun, error) {
	var r model.SyncRun
	if err := s.conn(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err, "Execução de sincronização")
	}
	return &r, nil
}

// ListSyncRuns returns a platform's latest runs, newest first.
func (s *Store) ListSyncRuns(ctx context.Context, platformID int64, limit int) ([]model.SyncRun, error) {
	if limit <= 0 || limit > 200 {
		limit = 25
	}
	var out []model.SyncRun
	err := s.conn(ctx).Where("platform_id = ?", platformID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err, "Execução de sincronização")
}
