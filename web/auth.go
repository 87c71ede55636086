package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

const localUser = "user"

func currentUser(c *fiber.Ctx) *model.User {
	u, _ := c.Locals(localUser).(*model.User)
	return u
}

// loadUser resolves the session cookie into the logged-in user, if any.
func (s *Server) loadUser(c *fiber.Ctx) error {
	ws := session(c)
	token := ws.get(keyToken)
	if token == "" {
		return c.Next()
	}
	u, _, err := s.auth.Authenticate(c.UserContext(), token)
	if err != nil {
		if !apperr.Is(err, apperr.EUNAUTHORIZED) {
			return err
		}
		ws.set(keyToken, "")
		ws.flash("info", apperr.Message(err))
		return c.Next()
	}
	c.Locals(localUser, u)
	c.SetUserContext(model.WithActor(c.UserContext(), model.UserActor(u, s.clientIP(c))))
	return c.Next()
}

// requireLogin sends visitors to the login page, remembering where they were going.
func (s *Server) requireLogin(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil {
		if c.Method() != fiber.MethodGet {
			if len(session(c).s.Flashes()) == 0 && session(c).get(keyToken) == "" {
				flash(c, "info", "Entre para continuar.")
			}
			return c.Redirect("/login", fiber.StatusSeeOther)
		}
		next := c.OriginalURL()
		if next == "/" {
			return c.Redirect("/login")
		}
		return c.Redirect("/login?next=" + url.QueryEscape(next))
	}
	if u.MustChangePassword && c.Path() != "/account/password" {
		if c.Method() == fiber.MethodGet {
			return c.Redirect("/account/password")
		}
		return apperr.Errorf(apperr.EFORBIDDEN, "Defina uma nova senha antes de continuar.")
	}
	return c.Next()
}

// require is the single gate for role checks on pages: 403 without the permission.
func (s *Server) require(p model.Permission) fiber.Handler { return s.requireAny(p) }

// apiAuth authenticates /api/v1 requests with a bearer token.
func (s *Server) apiAuth(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="api"`)
		return apperr.Errorf(apperr.EUNAUTHORIZED, "Envie o cabeçalho Authorization: Bearer <token>.")
	}
	u, err := s.auth.AuthenticateToken(c.UserContext(), strings.TrimSpace(h[len(prefix):]))
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="api", error="invalid_token"`)
		return err
	}
	c.Locals(localUser, u)
	c.SetUserContext(model.WithActor(c.UserContext(), model.UserActor(u, s.clientIP(c))))
	return c.Next()
}

// requireAny passes users holding at least one of the permissions.
func (s *Server) requireAny(perms ...model.Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		for _, p := range perms {
			if u.Can(p) {
				return c.Next()
			}
		}
		return apperr.Errorf(apperr.EFORBIDDEN, "Você não tem permissão para acessar esta página.")
	}
}
