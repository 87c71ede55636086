package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/views"
)

// The browser session lives in one cookie, signed and encrypted by
// gorilla/sessions' codecs. It carries the session token (whose hash is the
// server-side session row), the CSRF token and flash messages. Fiber is not
// net/http, so the cookie is read and written here with the store's codecs.
const sessionCookie = "cp_session"

const (
	keyToken = "tok"
	keyCSRF  = "csrf"
)

// sessionManager reads and writes the cookie with the store's codecs and
// options (max age, Secure).
type sessionManager struct {
	store *sessions.CookieStore
}

func newSessionManager(keys secret.Keys, cfg config.Config) *sessionManager {
	st := sessions.NewCookieStore(keys.SessionHash, keys.SessionBlock)
	maxAge := int(cfg.SessionAbsolute / time.Second)
	if maxAge == 0 {
		maxAge = 12 * 3600
	}
	st.MaxAge(maxAge)
	st.Options.HttpOnly = true
	st.Options.Secure = cfg.SecureCookie
	st.Options.SameSite = http.SameSiteLaxMode
	st.Options.Path = "/"
	return &sessionManager{store: st}
}

// webSession wraps the gorilla session and remembers whether it must be re-sent.
type webSession struct {
	s     *sessions.Session
	dirty bool
}

func (ws *webSession) get(key string) string {
	v, _ := ws.s.Values[key].(string)
	return v
}

func (ws *webSession) set(key, value string) {
	if value == "" {
		delete(ws.s.Values, key)
	} else {
		ws.s.Values[key] = value
	}
	ws.dirty = true
}

// Flashes live in the session cookie, which a browser keeps under 4 KB: a
// kind holds at most maxFlashes messages of at most maxFlashLen bytes, a
// repeated message is kept once, and a new one pushes out the oldest.
const (
	maxFlashes  = 3
	maxFlashLen = 300
)

func (ws *webSession) flash(kind, msg string) {
	if len(msg) > maxFlashLen {
		cut := maxFlashLen
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	key := "flash_" + kind
	old, _ := ws.s.Values[key].([]any)
	kept := make([]any, 0, maxFlashes)
	for _, f := range old {
		if f != msg {
			kept = append(kept, f)
		}
	}
	kept = append(kept, msg)
	if len(kept) > maxFlashes {
		kept = kept[len(kept)-maxFlashes:]
	}
	ws.s.Values[key] = kept
	ws.dirty = true
}

func (ws *webSession) takeFlashes() []views.Flash {
	var out []views.Flash
	for _, kind := range []string{"success", "error", "info"} {
		for _, f := range ws.s.Flashes("flash_" + kind) {
			if msg, ok := f.(string); ok {
				out = append(out, views.Flash{Kind: kind, Message: msg})
			}
			ws.dirty = true
		}
	}
	return out
}

// renew starts a fresh session (new CSRF token, no old values): used at login and logout.
func (ws *webSession) renew() {
	for k := range ws.s.Values {
		if key, ok := k.(string); !ok || !strings.HasPrefix(key, "flash_") { // keep pending flashes
			delete(ws.s.Values, k)
		}
	}
	ws.s.Values[keyCSRF] = randomHex(32)
	ws.dirty = true
}

func (m *sessionManager) load(c *fiber.Ctx) *webSession {
	s := sessions.NewSession(m.store, sessionCookie)
	opts := *m.store.Options
	s.Options = &opts
	s.IsNew = true
	if raw := c.Cookies(sessionCookie); raw != "" {
		if err := securecookie.DecodeMulti(sessionCookie, raw, &s.Values, m.store.Codecs...); err == nil {
			s.IsNew = false
		} else {
			s.Values = map[any]any{}
		}
	}
	ws := &webSession{s: s}
	if ws.get(keyCSRF) == "" {
		ws.set(keyCSRF, randomHex(32))
	}
	return ws
}

func (m *sessionManager) save(c *fiber.Ctx, ws *webSession) error {
	if !ws.dirty {
		return nil
	}
	encoded, err := securecookie.EncodeMulti(sessionCookie, ws.s.Values, m.store.Codecs...)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: encoded, Path: "/", MaxAge: m.store.Options.MaxAge,
		HTTPOnly: true, Secure: m.store.Options.Secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

const localSession = "session"

// loadSession decodes the session cookie before the handlers and re-sends it after.
func (s *Server) loadSession(c *fiber.Ctx) error {
	ws := s.sessions.load(c)
	c.Locals(localSession, ws)
	err := c.Next()
	if serr := s.sessions.save(c, ws); serr != nil && err == nil {
		err = serr
	}
	return err
}

func session(c *fiber.Ctx) *webSession {
	ws, _ := c.Locals(localSession).(*webSession)
	if ws == nil { // outside the browser group (e.g. a 404 on an API path)
		ws = &webSession{s: sessions.NewSession(nil, sessionCookie)}
	}
	return ws
}

func flash(c *fiber.Ctx, kind, msg string) { session(c).flash(kind, msg) }
