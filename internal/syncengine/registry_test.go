package syncengine_test

import (
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/syncengine"
)

// A base URL the adapter cannot use is refused on the base_url field, for
// every kind that takes one.
func TestValidateSettingsBaseURL(t *testing.T) {
	for kind, settings := range map[string]map[string]string{
		model.PlatformVTEX: {"account": "loja", "app_key": "k", "app_token": "t", "warehouse": "1"},
		model.PlatformMercadoLivre: {"client_id": "1", "client_secret": "s", "refresh_token": "TG-1",
			"seller_id": "239432672"},
	} {
		if err := syncengine.ValidateSettings(kind, "", settings); err != nil {
			t.Errorf("%s without base URL: %v", kind, err)
		}
		err := syncengine.ValidateSettings(kind, "ftp://example.com", settings)
		d := apperr.Details(err)
		if !apperr.Is(err, apperr.EINVALID) || len(d) != 1 || d[0].Field != "base_url" || d[0].Message == "" {
			t.Errorf("%s with an ftp base URL: %v %v", kind, err, d)
		}
	}
}
