package syncengine

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/mercadolivre"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/store"
)

// Registry builds the adapter of a stored platform, opening its sealed
// settings. An adapter is built once per version of the platform (its
// updated_at) and reused: adapters hold rate limiters, caches and, for the
// sandbox, the platform's whole state.
type Registry struct {
	store *store.Store
	box   *secret.Box

	mu       sync.Mutex
	adapters map[int64]cachedAdapter
}

type cachedAdapter struct {
	version time.Time
	pinned  bool
	adapter platform.Adapter
}

// NewRegistry builds a registry; box opens the settings (app.Keys.Data).
func NewRegistry(st *store.Store, box *secret.Box) *Registry {
	return &Registry{store: st, box: box, adapters: map[int64]cachedAdapter{}}
}

// Use makes Adapter return a for the platform, whatever its settings say
// (tests, demos).
func (r *Registry) Use(platformID int64, a platform.Adapter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.adapters[platformID] = cachedAdapter{pinned: true, adapter: a}
}

// Adapter returns the adapter of p.
func (r *Registry) Adapter(ctx context.Context, p *model.Platform) (platform.Adapter, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.adapters[p.ID]; ok && (c.pinned || c.version.Equal(p.UpdatedAt)) {
		return c.adapter, nil
	}
	a, err := r.build(ctx, p)
	if err != nil {
		return nil, err
	}
	r.adapters[p.ID] = cachedAdapter{version: p.UpdatedAt, adapter: a}
	return a, nil
}

// Settings opens a platform's settings.
func (r *Registry) Settings(p *model.Platform) (map[string]string, error) {
	return openSettings(r.box, p.SettingsSealed)
}

func (r *Registry) build(ctx context.Context, p *model.Platform) (platform.Adapter, error) {
	settings, err := r.Settings(p)
	if err != nil {
		return nil, err
	}
	switch p.Kind {
	case model.PlatformVTEX:
		cfg, err := vtex.ParseSettings(p.BaseURL, settings)
		if err != nil {
			return nil, err
		}
		return vtex.New(cfg)
	case model.PlatformMercadoLivre:
		cfg, tok, err := mercadolivre.ParseSettings(p.BaseURL, settings)
		if err != nil {
			return nil, err
		}
		cfg.Tokens = &tokenStore{store: r.store, box: r.box, platformID: p.ID, initial: tok}
		return mercadolivre.New(cfg)
	case model.PlatformSandbox:
		prods, err := r.store.SellableProducts(ctx)
		if err != nil {
			return nil, err
		}
		list := make([]sandbox.Product, 0, len(prods))
		for _, pr := range prods {
			list = append(list, sandbox.Product{SKU: pr.SKU, Name: pr.Name})
		}
		cfg, err := sandbox.ParseSettings(settings, list)
		if err != nil {
			return nil, err
		}
		if settings["start"] != "" { // a sandbox given its start runs on the portal's clock
			cfg.Now = r.store.Now
		}
		return sandbox.New(cfg)
	}
	return nil, apperr.Errorf(apperr.EINVALID, "Tipo de plataforma desconhecido: %q.", p.Kind)
}

// ValidateSettings checks a platform's settings the way its adapter reads
// them, listing every problem. A base URL the adapter refuses is reported on
// the base_url field.
func ValidateSettings(kind, baseURL string, settings map[string]string) error {
	var err error
	switch kind {
	case model.PlatformVTEX:
		var cfg vtex.Config
		if cfg, err = vtex.ParseSettings(baseURL, settings); err == nil {
			_, err = vtex.New(cfg)
		}
	case model.PlatformMercadoLivre:
		var cfg mercadolivre.Config
		var tok mercadolivre.Token
		if cfg, tok, err = mercadolivre.ParseSettings(baseURL, settings); err == nil {
			cfg.Tokens = mercadolivre.NewMemoryTokenStore(tok)
			_, err = mercadolivre.New(cfg)
		}
	case model.PlatformSandbox:
		_, err = sandbox.ParseSettings(settings, nil)
	default:
		return apperr.Invalid("Tipo de plataforma desconhecido.", apperr.Detail{
			Field: "kind", Message: "Use vtex, mercadolivre ou sandbox.",
		})
	}
	// The settings parsers name their fields; New only refuses the base URL.
	if apperr.Is(err, apperr.EINVALID) && len(apperr.Details(err)) == 0 {
		msg := apperr.Message(err)
		err = apperr.Invalid(msg, apperr.Detail{Field: "base_url", Message: msg})
	}
	// po_at is the engine's, the same for every kind.
	if _, perr := model.ParsePOAt(settings["po_at"]); perr != nil {
		if err == nil {
			return apperr.Invalid("Configuração da plataforma inválida.", apperr.Details(perr)...)
		}
		if apperr.Is(err, apperr.EINVALID) {
			return apperr.Invalid(apperr.Message(err), append(apperr.Details(err), apperr.Details(perr)...)...)
		}
	}
	return err
}

func sealSettings(box *secret.Box, settings map[string]string) (string, error) {
	// Sorted keys keep the plaintext stable (json.Marshal sorts map keys).
	b, err := json.Marshal(settings)
	if err != nil {
		return "", err
	}
	return box.Seal(string(b))
}

func openSettings(box *secret.Box, sealed string) (map[string]string, error) {
	plain, err := box.Open(sealed)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.EINTERNAL, "Não foi possível abrir as credenciais da plataforma: "+err.Error())
	}
	out := map[string]string{}
	if err := json.Unmarshal([]byte(plain), &out); err != nil {
		return nil, apperr.Wrap(err, apperr.EINTERNAL, "Credenciais da plataforma ilegíveis.")
	}
	return out, nil
}

// tokenStore keeps the Mercado Livre OAuth state sealed in platforms.token_sealed;
// refreshes take the database's token lock (LockRefresh).
type tokenStore struct {
	store      *store.Store
	box        *secret.Box
	platformID int64
	initial    mercadolivre.Token
}

type tokenJSON struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	ExpiresAt    time.Time `json:"expires_at"`
}

func (t *tokenStore) Load(ctx context.Context) (mercadolivre.Token, error) {
	sealed, err := t.store.PlatformToken(ctx, t.platformID)
	if err != nil {
		return mercadolivre.Token{}, err
	}
	if strings.TrimSpace(sealed) == "" {
		return t.initial, nil
	}
	plain, err := t.box.Open(sealed)
	if err != nil {
		return mercadolivre.Token{}, err
	}
	var j tokenJSON
	if err := json.Unmarshal([]byte(plain), &j); err != nil {
		return mercadolivre.Token{}, err
	}
	return mercadolivre.Token{AccessToken: j.AccessToken, RefreshToken: j.RefreshToken, ExpiresAt: j.ExpiresAt}, nil
}

// LockRefresh implements mercadolivre.RefreshLocker with the database's
// token lock (store.WithPlatformTokenLock), shared by every process.
func (t *tokenStore) LockRefresh(ctx context.Context, fn func(ctx context.Context) error) error {
	return t.store.WithPlatformTokenLock(ctx, t.platformID, fn)
}

func (t *tokenStore) Save(ctx context.Context, tok mercadolivre.Token) error {
	b, err := json.Marshal(tokenJSON{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, ExpiresAt: tok.ExpiresAt})
	if err != nil {
		return err
	}
	sealed, err := t.box.Seal(string(b))
	if err != nil {
		return err
	}
	// The refresh token is single-use: it must be stored even if the run's
	// context is being cancelled.
	return t.store.SavePlatformToken(context.WithoutCancel(ctx), t.platformID, sealed)
}
