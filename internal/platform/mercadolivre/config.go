// Package mercadolivre is the platform adapter for a Mercado Livre (MLB)
// seller account, written from the official developer documentation
// (developers.mercadolivre.com.br / developers.mercadolibre.com: OAuth,
// gestiona-ventas, envios, faturamento, variaciones, stock-distribuido,
// importar-nota-fiscal, estados-de-ordenes-me1).
//
// What it calls (base https://api.mercadolibre.com):
//
//	POST /oauth/token grant_type=refresh_token                  access token (refresh tokens are single-use)
//	GET  /orders/search?seller=…&order.date_last_updated.from=…&order.date_last_updated.to=…&sort=date_asc&offset=…&limit=50
//	GET  /orders/{id}                                           GetOrder
//	GET  /shipments/{id}  (x-format-new: true)                  address, logistic.type, tracking
//	GET  /orders/billing-info/MLB/{billing_info_id}             buyer's fiscal data (new flow)
//	GET  /orders/{id}/billing_info (x-version: 2)               the same, for orders without billing_info.id
//	GET  /users/{seller}/items/search?seller_sku=…              our sku → listings
//	GET  /items/{id}?include_attributes=all                     variations and their SELLER_SKU
//	PUT  /items/{id} {"available_quantity": n} | {"variations": […]}   SetStock
//	POST /shipments/{id}/invoice_data/?siteId=MLB (raw XML)     SendInvoice
//	POST /shipments/{id}/seller_notifications                   SendTracking (ME1 only)
package mercadolivre

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// Defaults.
const (
	DefaultBaseURL          = "https://api.mercadolibre.com"
	DefaultSiteID           = "MLB"
	DefaultOverlap          = 5 * time.Minute
	DefaultLag              = 30 * time.Second
	DefaultInitialLookback  = 72 * time.Hour
	DefaultPageSize         = 50
	DefaultMaxWindowResults = 5000
	DefaultTokenMargin      = 5 * time.Minute
	// MLBServiceID is the ME1 service id for Brazil (estados-de-ordenes-me1).
	MLBServiceID = 11
)

// Config configures a Mercado Livre adapter.
type Config struct {
	ClientID     string // the application's APP_ID
	ClientSecret string
	SellerID     string // the seller's user id
	// StoreID is the seller_warehouse store that holds ConnectParts' stock
	// for sellers with multi-origin stock (setting store_id); "" when the
	// user products have a single seller warehouse.
	StoreID string
	SiteID  string // default MLB
	// BaseURL overrides https://api.mercadolibre.com (test doubles).
	BaseURL string
	// Tokens persists the OAuth tokens. Required.
	Tokens TokenStore

	HTTPClient    *http.Client
	Timeout       time.Duration // per request attempt; default 30 s
	MaxRetries    int           // 429/423 retries per request; default 3
	MaxRetryAfter time.Duration // default 1 min
	LockBackoff   time.Duration // default 500 ms

	// Order search window: [cursor − Overlap, now − Lag]; the first window
	// starts InitialLookback ago. Windows with more than MaxWindowResults
	// orders are halved until they fit.
	Overlap          time.Duration
	Lag              time.Duration
	InitialLookback  time.Duration
	PageSize         int
	MaxWindowResults int
	// TokenMargin: the access token is refreshed this long before it expires.
	TokenMargin time.Duration

	Clock platform.Clock
}

// ParseSettings builds a Config from `portal platform add --setting` values
// (client_id, client_secret, refresh_token, seller_id; import_from is checked
// and left to the engine) and returns the initial Token (refresh token only)
// the engine must put in its TokenStore before the first call. Every problem
// is listed.
func ParseSettings(baseURL string, settings map[string]string) (Config, Token, error) {
	cfg := Config{
		ClientID:     strings.TrimSpace(settings["client_id"]),
		ClientSecret: strings.TrimSpace(settings["client_secret"]),
		SellerID:     strings.TrimSpace(settings["seller_id"]),
		StoreID:      strings.TrimSpace(settings["store_id"]),
		BaseURL:      strings.TrimSpace(baseURL),
	}
	tok := Token{RefreshToken: strings.TrimSpace(settings["refresh_token"])}
	var d []apperr.Detail
	if cfg.ClientID == "" {
		d = append(d, apperr.Detail{Field: "client_id", Message: "Informe o client_id (APP ID) do aplicativo do Mercado Livre."})
	}
	if cfg.ClientSecret == "" {
		d = append(d, apperr.Detail{Field: "client_secret", Message: "Informe o client_secret do aplicativo do Mercado Livre."})
	}
	if tok.RefreshToken == "" {
		d = append(d, apperr.Detail{Field: "refresh_token", Message: "Informe o refresh token obtido na autorização da conta."})
	}
	if cfg.SellerID == "" || platform.DigitsOnly(cfg.SellerID) != cfg.SellerID {
		d = append(d, apperr.Detail{Field: "seller_id", Message: "Informe o id numérico do vendedor (seller_id)."})
	}
	if _, err := model.ParseImportFrom(settings["import_from"]); err != nil {
		d = append(d, apperr.Details(err)...)
	}
	d = append(d, platform.UnknownSettings(settings, "o Mercado Livre", "client_id", "client_secret", "refresh_token", "seller_id", "store_id")...)
	if len(d) > 0 {
		return Config{}, Token{}, apperr.Invalid("Configuração do Mercado Livre inválida.", d...)
	}
	return cfg, tok, nil
}

func (cfg *Config) setDefaults() error {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid base URL %q", cfg.BaseURL)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.SiteID == "" {
		cfg.SiteID = DefaultSiteID
	}
	if cfg.Overlap <= 0 {
		cfg.Overlap = DefaultOverlap
	}
	if cfg.Lag < 0 {
		cfg.Lag = 0
	} else if cfg.Lag == 0 {
		cfg.Lag = DefaultLag
	}
	if cfg.InitialLookback <= 0 {
		cfg.InitialLookback = DefaultInitialLookback
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 50 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.MaxWindowResults <= 0 {
		cfg.MaxWindowResults = DefaultMaxWindowResults
	}
	if cfg.TokenMargin <= 0 {
		cfg.TokenMargin = DefaultTokenMargin
	}
	if cfg.Clock == nil {
		cfg.Clock = platform.SystemClock
	}
	return nil
}
