package syncengine

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Import interval bounds accepted from the platform page.
const (
	MinImportInterval = time.Minute
	MaxImportInterval = 24 * time.Hour
)

// CheckImportInterval validates the robot's period.
func CheckImportInterval(d time.Duration) error {
	if d < MinImportInterval || d > MaxImportInterval {
		return apperr.Invalid("Intervalo de importação inválido.", apperr.Detail{
			Field: "interval", Message: "Informe um intervalo entre 1 e 1440 minutos.",
		})
	}
	return nil
}

// PlatformChange is what the platform page edits. Settings holds only the
// settings typed in: a missing or blank value keeps the stored one, so that
// secrets never have to travel back to the browser.
type PlatformChange struct {
	BaseURL        string
	Enabled        bool
	ImportInterval time.Duration
	ImportFrom     string
	POAt           string // "" is the default, ready_for_handling
	Settings       map[string]string
}

// UpdatePlatform applies a change to a platform: the merged settings are
// validated as the adapter reads them and sealed again, like AddPlatform.
// Audited (the names of the replaced settings, never their values). The
// adapter is rebuilt on next use (the registry keys it by updated_at).
func (s *Service) UpdatePlatform(ctx context.Context, id int64, ch PlatformChange) (*model.Platform, error) {
	p, err := s.store.FindPlatform(ctx, id)
	if err != nil {
		return nil, err
	}
	current, err := s.registry.Settings(p)
	if err != nil {
		return nil, err
	}
	merged := maps.Clone(current)
	var replaced []string
	for k, v := range ch.Settings {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" || v == "" || k == "import_from" || k == "po_at" {
			continue
		}
		if merged[k] != v {
			replaced = append(replaced, k)
		}
		merged[k] = v
	}
	sort.Strings(replaced)
	baseURL := strings.TrimSpace(ch.BaseURL)
	var d []apperr.Detail
	withFrom := maps.Clone(merged)
	withFrom["import_from"] = strings.TrimSpace(ch.ImportFrom)
	withFrom["po_at"] = strings.TrimSpace(ch.POAt)
	if err := ValidateSettings(p.Kind, baseURL, withFrom); err != nil {
		if !apperr.Is(err, apperr.EINVALID) {
			return nil, err
		}
		d = append(d, apperr.Details(err)...)
	}
	if err := CheckImportInterval(ch.ImportInterval); err != nil {
		d = append(d, apperr.Details(err)...)
	}
	if len(d) > 0 {
		return nil, apperr.Invalid("Não foi possível salvar a plataforma.", d...)
	}
	from, err := model.ParseImportFrom(ch.ImportFrom)
	if err != nil {
		return nil, err
	}
	poAt, err := model.ParsePOAt(ch.POAt)
	if err != nil {
		return nil, err
	}
	sealed := p.SettingsSealed
	if len(replaced) > 0 {
		if sealed, err = sealSettings(s.box, merged); err != nil {
			return nil, err
		}
	}
	p.BaseURL, p.SettingsSealed, p.Enabled = baseURL, sealed, ch.Enabled
	p.ImportIntervalSeconds, p.ImportFrom, p.POAt = int(ch.ImportInterval.Seconds()), from, poAt
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdatePlatform(ctx, p, replaced); err != nil {
			return err
		}
		if p.Kind == model.PlatformMercadoLivre && slices.Contains(replaced, "refresh_token") {
			// A new authorisation: the rotated tokens of the old one are
			// void. Cleared in the same transaction, so that an adapter
			// built for the new settings never loads the old tokens.
			return s.store.SavePlatformToken(ctx, p.ID, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UnmapCarrier removes a platform's shipping-method mapping: new orders with
// that method wait in the blocked queue again.
func (s *Service) UnmapCarrier(ctx context.Context, platformID int64, method string) error {
	return s.store.DeleteCarrierMapping(ctx, platformID, method)
}
