package mercadolivre

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// Client is the Mercado Livre adapter. It implements platform.Adapter.
type Client struct {
	cfg  Config
	call platform.Caller

	tokMu   sync.Mutex
	tok     Token
	loaded  bool
	pending *Token // refreshed but not yet saved

	skuMu      sync.Mutex
	listingIDs map[string][]string // our sku → ids of the listings carrying it
	multiKnown bool                // multi is known (GET /users/{seller})
	multi      bool                // the seller has multi-origin stock
}

var _ platform.Adapter = (*Client)(nil)

// New builds the adapter. It does not contact Mercado Livre.
func New(cfg Config) (*Client, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, apperr.Wrap(err, apperr.EINVALID, "URL base do Mercado Livre inválida.")
	}
	if cfg.Tokens == nil {
		return nil, apperr.Errorf(apperr.EINVALID, "O adaptador do Mercado Livre precisa de um armazenamento de tokens.")
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.SellerID == "" {
		return nil, apperr.Errorf(apperr.EINVALID, "Informe client_id, client_secret e seller_id do Mercado Livre.")
	}
	return &Client{
		cfg: cfg,
		call: platform.Caller{
			Platform:      model.PlatformMercadoLivre,
			Client:        cfg.HTTPClient,
			Timeout:       cfg.Timeout,
			MaxRetries:    cfg.MaxRetries,
			MaxRetryAfter: cfg.MaxRetryAfter,
			LockBackoff:   cfg.LockBackoff,
			Clock:         cfg.Clock,
		}.WithDefaults(),
		listingIDs: map[string][]string{},
	}, nil
}

// Kind implements platform.Adapter.
func (c *Client) Kind() string { return model.PlatformMercadoLivre }

// apiRequest is one authenticated call.
type apiRequest struct {
	op          string
	method      string
	path        string // with query
	header      http.Header
	body        []byte
	json        any // marshalled into body when not nil
	retryLocked bool
}

// api sends r with a Bearer token. A 401 means the access token expired or was
// revoked before its time: the adapter refreshes once and repeats the request;
// a second 401 is ErrAuth.
func (c *Client) api(ctx context.Context, r apiRequest) (*platform.Response, error) {
	h := http.Header{}
	for k, v := range r.header {
		h[k] = v
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	body := r.body
	if r.json != nil {
		b, err := json.Marshal(r.json)
		if err != nil {
			return nil, err
		}
		body = b
		h.Set("Content-Type", "application/json")
	}
	rejected := ""
	for attempt := 0; ; attempt++ {
		tok, err := c.accessToken(ctx, rejected)
		if err != nil {
			return nil, err
		}
		h.Set("Authorization", "Bearer "+tok)
		resp, err := c.call.Do(ctx, platform.Request{
			Op: r.op, Method: r.method, URL: c.cfg.BaseURL + r.path, Header: h, Body: body, RetryLocked: r.retryLocked,
		})
		if err != nil {
			return nil, err
		}
		if resp.Status != http.StatusUnauthorized {
			return resp, nil
		}
		if attempt > 0 {
			e := platform.NewError(platform.ErrAuth, model.PlatformMercadoLivre, r.op,
				"O Mercado Livre recusou o token de acesso mesmo após renová-lo. "+reconnect, nil)
			e.HTTPStatus = resp.Status
			return nil, e
		}
		rejected = tok
	}
}
