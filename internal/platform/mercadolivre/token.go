package mercadolivre

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// Token is the OAuth state of a connected account.
type Token struct {
	AccessToken  string
	RefreshToken string
	// ExpiresAt is when AccessToken expires (zero: unknown, used until refused).
	ExpiresAt time.Time
}

// TokenStore persists the tokens of one account. Mercado Livre refresh tokens
// are single-use: each refresh returns a new one and invalidates the old, so
// Save must store the new token durably (and atomically: access and refresh
// token together) before the adapter uses it. The engine implements it on the
// platform's encrypted settings; MemoryTokenStore is for tests and demos.
type TokenStore interface {
	Load(ctx context.Context) (Token, error)
	Save(ctx context.Context, t Token) error
}

// RefreshLocker is implemented by a TokenStore that several processes share
// (the portal's database: `portal serve` and `portal sync` run side by side).
// LockRefresh runs fn holding a lock every process takes before refreshing
// the same account; Load and Save called with fn's ctx run inside it. The
// adapter reloads the token under the lock and refreshes only when the
// stored one is still not usable, so one refresh serves every process and
// no process spends a refresh token another already spent. Without it the
// adapter's own mutex serialises refreshes inside one process only.
type RefreshLocker interface {
	LockRefresh(ctx context.Context, fn func(ctx context.Context) error) error
}

// MemoryTokenStore keeps the token in memory.
type MemoryTokenStore struct {
	mu  sync.Mutex
	tok Token
}

// NewMemoryTokenStore starts a store holding t.
func NewMemoryTokenStore(t Token) *MemoryTokenStore { return &MemoryTokenStore{tok: t} }

// Load implements TokenStore.
func (s *MemoryTokenStore) Load(context.Context) (Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, nil
}

// Save implements TokenStore.
func (s *MemoryTokenStore) Save(_ context.Context, t Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok = t
	return nil
}

const reconnect = "Reconecte a conta do Mercado Livre nas configurações da plataforma (nova autorização)."

// accessToken returns an access token to use. rejected is the token the API
// just refused with 401 ("" when there is none): then the adapter reloads the
// store (another worker may have refreshed already) and refreshes unless the
// store holds a different token.
//
// The whole function runs under c.tokMu: refresh tokens are single-use, so two
// concurrent refreshes would make one of them fail with invalid_grant.
func (c *Client) accessToken(ctx context.Context, rejected string) (string, error) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.pending != nil {
		// A refresh succeeded but its token could not be saved: save it
		// before anything else, or the account is lost at the next restart.
		if err := c.cfg.Tokens.Save(ctx, *c.pending); err != nil {
			return "", c.saveFailed(err)
		}
		c.tok, c.pending, c.loaded = *c.pending, nil, true
	}
	if !c.loaded || rejected != "" {
		t, err := c.cfg.Tokens.Load(ctx)
		if err != nil {
			return "", platform.NewError(platform.ErrTemporary, model.PlatformMercadoLivre, "load_token",
				"Não foi possível ler o token salvo do Mercado Livre; a operação será tentada de novo.", err)
		}
		c.tok, c.loaded = t, true
	}
	if c.usable(c.tok, rejected) {
		return c.tok.AccessToken, nil
	}
	l, ok := c.cfg.Tokens.(RefreshLocker)
	if !ok {
		return c.refresh(ctx)
	}
	var access string
	err := l.LockRefresh(ctx, func(ctx context.Context) error {
		// Another process may have refreshed while this one waited for
		// the lock: its token is in the store, and its refresh token is
		// the only one that still works.
		t, err := c.cfg.Tokens.Load(ctx)
		if err != nil {
			return platform.NewError(platform.ErrTemporary, model.PlatformMercadoLivre, "load_token",
				"Não foi possível ler o token salvo do Mercado Livre; a operação será tentada de novo.", err)
		}
		c.tok = t
		if c.usable(t, rejected) {
			access = t.AccessToken
			return nil
		}
		access, err = c.refresh(ctx)
		return err
	})
	if err != nil {
		return "", err
	}
	return access, nil
}

// usable reports whether t's access token may be used: present, not the one
// just refused, and not about to expire.
func (c *Client) usable(t Token, rejected string) bool {
	now := c.cfg.Clock.Now()
	return t.AccessToken != "" && t.AccessToken != rejected &&
		(t.ExpiresAt.IsZero() || now.Add(c.cfg.TokenMargin).Before(t.ExpiresAt))
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
}

// refresh exchanges the refresh token (POST /oauth/token, form encoded) and
// saves the new pair before returning the new access token. Caller holds tokMu.
func (c *Client) refresh(ctx context.Context) (string, error) {
	const op = "refresh_token"
	if c.tok.RefreshToken == "" {
		return "", platform.NewError(platform.ErrAuth, model.PlatformMercadoLivre, op,
			"Não há refresh token do Mercado Livre salvo. "+reconnect, nil)
	}
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
		"refresh_token": {c.tok.RefreshToken},
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Accept", "application/json")
	resp, err := c.call.Do(ctx, platform.Request{
		Op: op, Method: http.MethodPost, URL: c.cfg.BaseURL + "/oauth/token", Header: h, Body: []byte(form.Encode()),
	})
	if err != nil {
		return "", err
	}
	if resp.Status == http.StatusBadRequest || resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		var tr tokenResponse
		_ = c.call.Decode(op, resp, &tr)
		msg := "O Mercado Livre recusou as credenciais do aplicativo (client_id/client_secret). Verifique a configuração da plataforma."
		switch tr.Error {
		case "invalid_grant":
			msg = "A autorização do Mercado Livre expirou ou foi revogada (o refresh token não vale mais). " + reconnect
		case "invalid_scope", "unauthorized_application":
			msg = "O aplicativo não tem mais permissão na conta do Mercado Livre. " + reconnect
		}
		e := platform.NewError(platform.ErrAuth, model.PlatformMercadoLivre, op, msg,
			fmt.Errorf("oauth error %q", tr.Error))
		e.HTTPStatus = resp.Status
		return "", e
	}
	if err := c.call.Check(op, resp); err != nil {
		return "", err
	}
	var tr tokenResponse
	if err := c.call.Decode(op, resp, &tr); err != nil {
		return "", err
	}
	if tr.AccessToken == "" || (tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer")) {
		return "", c.call.Invalid(op, resp, "token de acesso ausente")
	}
	next := Token{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken}
	if next.RefreshToken == "" {
		next.RefreshToken = c.tok.RefreshToken
	}
	if tr.ExpiresIn > 0 {
		next.ExpiresAt = c.cfg.Clock.Now().Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	// The old refresh token is dead from now on: persist the new pair before
	// the access token is used by anyone.
	if err := c.cfg.Tokens.Save(ctx, next); err != nil {
		c.pending = &next
		return "", c.saveFailed(err)
	}
	c.tok = next
	return next.AccessToken, nil
}

func (c *Client) saveFailed(err error) error {
	return platform.NewError(platform.ErrTemporary, model.PlatformMercadoLivre, "save_token",
		"O Mercado Livre renovou o acesso, mas o novo token não pôde ser salvo; ele será salvo na próxima tentativa.", err)
}
