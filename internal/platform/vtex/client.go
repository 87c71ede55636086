package vtex

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// Client is the VTEX adapter. It implements platform.Adapter.
type Client struct {
	cfg      Config
	base     string
	call     platform.Caller
	getOrder *platform.Limiter

	mu     sync.Mutex
	skuIDs map[string]string // our sku (VTEX refId) → VTEX SKU id
}

var _ platform.Adapter = (*Client)(nil)

// New builds the adapter. It does not contact VTEX.
func New(cfg Config) (*Client, error) {
	base, err := cfg.baseURL()
	if err != nil {
		return nil, apperr.Wrap(err, apperr.EINVALID, "Informe a conta VTEX ou uma URL base válida.")
	}
	if cfg.AppKey == "" || cfg.AppToken == "" {
		return nil, apperr.Errorf(apperr.EINVALID, "Informe a app key e o app token da VTEX.")
	}
	if cfg.MaxLot <= 0 || cfg.MaxLot > MaxLot {
		cfg.MaxLot = MaxLot
	}
	if cfg.MaxLots <= 0 {
		cfg.MaxLots = DefaultMaxLots
	}
	if cfg.GetOrderPerMinute == 0 {
		cfg.GetOrderPerMinute = DefaultGetOrderPerMinute
	}
	if cfg.GetOrderBurst <= 0 {
		cfg.GetOrderBurst = DefaultGetOrderBurst
	}
	if cfg.Clock == nil {
		cfg.Clock = platform.SystemClock
	}
	c := &Client{
		cfg:  cfg,
		base: base,
		call: platform.Caller{
			Platform:      model.PlatformVTEX,
			Client:        cfg.HTTPClient,
			Timeout:       cfg.Timeout,
			MaxRetries:    cfg.MaxRetries,
			MaxRetryAfter: cfg.MaxRetryAfter,
			LockBackoff:   cfg.LockBackoff,
			Clock:         cfg.Clock,
		}.WithDefaults(),
		skuIDs: map[string]string{},
	}
	if cfg.GetOrderPerMinute > 0 {
		c.getOrder = platform.NewLimiter(cfg.GetOrderPerMinute, cfg.GetOrderBurst, cfg.Clock)
	}
	return c, nil
}

// Kind implements platform.Adapter.
func (c *Client) Kind() string { return model.PlatformVTEX }

// request sends one authenticated request. body is marshalled to JSON unless nil.
func (c *Client) request(ctx context.Context, op, method, path string, body any, retryLocked bool) (*platform.Response, error) {
	h := http.Header{}
	h.Set("X-VTEX-API-AppKey", c.cfg.AppKey)
	h.Set("X-VTEX-API-AppToken", c.cfg.AppToken)
	// The reference lists Accept and Content-Type as required on every call, GETs included.
	h.Set("Accept", "application/json")
	h.Set("Content-Type", "application/json")
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	return c.call.Do(ctx, platform.Request{
		Op: op, Method: method, URL: c.base + path, Header: h, Body: b, RetryLocked: retryLocked,
	})
}

// orderPath is /api/oms/pvt/orders/{orderId} plus suffix, the id escaped.
func orderPath(orderID, suffix string) string {
	return "/api/oms/pvt/orders/" + url.PathEscape(orderID) + suffix
}
