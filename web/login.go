package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleLoginShow(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/")
	}
	return s.render(c, views.LoginPage(views.LoginProps{Next: safeNext(c.Query("next"))}))
}

func (s *Server) handleLoginSubmit(c *fiber.Ctx) error {
	email := copyString(strings.TrimSpace(c.FormValue("email")))
	next := safeNext(c.FormValue("next"))
	u, token, err := s.auth.Login(c.UserContext(), email, c.FormValue("password"), s.clientIP(c), copyString(c.Get(fiber.HeaderUserAgent)))
	if err != nil {
		switch apperr.Code(err) {
		case apperr.EUNAUTHORIZED, apperr.EFORBIDDEN, apperr.ELOCKED, apperr.EINVALID:
			c.Status(statusFor(apperr.Code(err)))
			return s.render(c, views.LoginPage(views.LoginProps{Email: email, Next: next, Error: apperr.Message(err)}))
		}
		return err
	}
	ws := session(c)
	ws.renew() // a new session (and CSRF token) at every login
	ws.set(keyToken, token)
	if u.MustChangePassword {
		return redirectWith(c, "/account/password", "info", "Bem-vindo(a)! Defina uma nova senha para continuar.")
	}
	if next == "" {
		next = "/"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) handleLogout(c *fiber.Ctx) error {
	ws := session(c)
	if err := s.auth.Logout(c.UserContext(), ws.get(keyToken)); err != nil {
		return err
	}
	ws.renew()
	return redirectWith(c, "/login", "success", "Você saiu do portal.")
}

// safeNext keeps post-login redirects inside the portal.
func safeNext(next string) string {
	next = copyString(next)
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.Contains(next, "\n") {
		return ""
	}
	return next
}
