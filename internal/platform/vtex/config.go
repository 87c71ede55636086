// Package vtex is the platform adapter for a VTEX store, written from the
// official API reference (vtex/openapi-schemas: "VTEX - Orders API",
// "VTEX - Logistics API", "VTEX - Catalog API") and the Orders feed v3 guide.
//
// What it calls:
//
//	GET  /api/orders/feed?maxlot=10                 Changes (feed v3)
//	POST /api/orders/feed {"handles": [...]}        Ack (commit)
//	POST /api/orders/feed/config                    only when GET feed answers 404 (no feed configured)
//	GET  /api/oms/pvt/orders/{orderId}              GetOrder (token bucket, 6,000/min by default)
//	POST /api/oms/pvt/orders/{orderId}/start-handling
//	POST /api/oms/pvt/orders/{orderId}/invoice      SendInvoice (Output invoice, embeddedInvoice = XML)
//	PATCH /api/oms/pvt/orders/{orderId}/invoice/{invoiceNumber}  SendTracking
//	POST /api/oms/pvt/orders/{orderId}/cancel       Cancel
//	GET  /api/catalog_system/pvt/sku/stockkeepingunitidbyrefid/{refId}  our sku → VTEX SKU id
//	PATCH /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}/quantity  SetStock
//
// Every request carries X-VTEX-API-AppKey and X-VTEX-API-AppToken.
package vtex

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
	// DefaultGetOrderPerMinute is the documented throttling of Get order:
	// "Each VTEX account can make up to 6000 requests per minute."
	DefaultGetOrderPerMinute = 6000
	DefaultGetOrderBurst     = 100
	// MaxLot is the largest maxlot the feed accepts ("Maximum accepted value is 10").
	MaxLot          = 10
	DefaultMaxLots  = 10
	commitChunkSize = 100
)

// FeedStatuses are the workflow statuses the adapter subscribes to when it has
// to create the feed configuration itself (the feed answered 404). Every
// status that moves the portal's sales-order status is included.
var FeedStatuses = []string{
	"payment-pending", "approve-payment", "payment-approved", "window-to-cancel",
	"ready-for-handling", "start-handling", "handling", "invoice", "invoiced",
	"request-cancel", "cancellation-requested", "cancel", "canceled", "replaced",
}

// Config configures a VTEX adapter.
type Config struct {
	Account   string // account name (the {account} of {account}.vtexcommercestable.com.br)
	AppKey    string
	AppToken  string
	Warehouse string // warehouse id that SetStock writes to
	// BaseURL overrides https://{account}.vtexcommercestable.com.br (test doubles).
	BaseURL string

	HTTPClient    *http.Client
	Timeout       time.Duration // per request attempt; default 30 s
	MaxRetries    int           // 429/423 retries per request; default 3
	MaxRetryAfter time.Duration // longest Retry-After slept through; default 1 min
	LockBackoff   time.Duration // first wait after 423 Locked; default 500 ms

	GetOrderPerMinute int // token bucket for GetOrder; default 6,000; <0 disables
	GetOrderBurst     int // default 100

	MaxLot  int // events per feed read, 1..10; default 10
	MaxLots int // feed reads per Changes call; default 10

	Clock platform.Clock
}

// ParseSettings builds a Config from `portal platform add --setting` values
// (account, app_key, app_token, warehouse; import_from is accepted and left to
// the engine). Every problem is listed.
func ParseSettings(baseURL string, settings map[string]string) (Config, error) {
	cfg := Config{
		Account:   strings.TrimSpace(settings["account"]),
		AppKey:    strings.TrimSpace(settings["app_key"]),
		AppToken:  strings.TrimSpace(settings["app_token"]),
		Warehouse: strings.TrimSpace(settings["warehouse"]),
		BaseURL:   strings.TrimSpace(baseURL),
	}
	var d []apperr.Detail
	if cfg.Account == "" && cfg.BaseURL == "" {
		d = append(d, apperr.Detail{Field: "account", Message: "Informe a conta VTEX (account)."})
	}
	if cfg.AppKey == "" {
		d = append(d, apperr.Detail{Field: "app_key", Message: "Informe a app key da VTEX."})
	}
	if cfg.AppToken == "" {
		d = append(d, apperr.Detail{Field: "app_token", Message: "Informe o app token da VTEX."})
	}
	if cfg.Warehouse == "" {
		d = append(d, apperr.Detail{Field: "warehouse", Message: "Informe o estoque (warehouse) da VTEX que recebe as quantidades."})
	}
	if _, err := model.ParseImportFrom(settings["import_from"]); err != nil {
		d = append(d, apperr.Details(err)...)
	}
	d = append(d, platform.UnknownSettings(settings, "a VTEX", "account", "app_key", "app_token", "warehouse")...)
	if len(d) > 0 {
		return Config{}, apperr.Invalid("Configuração da VTEX inválida.", d...)
	}
	return cfg, nil
}

func (cfg Config) baseURL() (string, error) {
	if cfg.BaseURL == "" {
		if cfg.Account == "" {
			return "", fmt.Errorf("account or base URL required")
		}
		return "https://" + url.PathEscape(cfg.Account) + ".vtexcommercestable.com.br", nil
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("invalid base URL %q", cfg.BaseURL)
	}
	return strings.TrimRight(cfg.BaseURL, "/"), nil
}
