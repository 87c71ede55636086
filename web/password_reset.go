package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/views"
)

// "Esqueci minha senha": GET/POST /password/forgot, then the e-mailed
// single-use link GET/POST /password/reset/:token. Both answer the same
// whether the e-mail exists or not.

func (s *Server) handlePasswordForgotShow(c *fiber.Ctx) error {
	return s.render(c, views.ForgotPasswordPage(views.ForgotPasswordProps{}))
}

func (s *Server) handlePasswordForgotSubmit(c *fiber.Ctx) error {
	email := copyString(strings.TrimSpace(c.FormValue("email")))
	if email == "" || len(email) > 254 || !strings.Contains(email, "@") {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.ForgotPasswordPage(views.ForgotPasswordProps{Email: email, Error: "Informe um e-mail válido."}))
	}
	err := s.auth.RequestPasswordReset(c.UserContext(), email, s.clientIP(c), func(token string) string {
		return s.store.AbsoluteURL("/password/reset/" + token)
	})
	if apperr.Code(err) == apperr.ELOCKED {
		c.Status(fiber.StatusTooManyRequests)
		return s.render(c, views.ForgotPasswordPage(views.ForgotPasswordProps{Email: email, Error: apperr.Message(err)}))
	}
	if err != nil {
		return err
	}
	return s.render(c, views.ForgotPasswordPage(views.ForgotPasswordProps{Email: email, Sent: true}))
}

func (s *Server) handlePasswordResetShow(c *fiber.Ctx) error {
	token := copyString(c.Params("token"))
	if err := s.auth.CheckResetLink(c.UserContext(), token); err != nil {
		if apperr.Code(err) != apperr.EINVALID {
			return err
		}
		c.Status(fiber.StatusGone)
		return s.render(c, views.ResetPasswordPage(views.ResetPasswordProps{Invalid: apperr.Message(err)}))
	}
	return s.render(c, views.ResetPasswordPage(views.ResetPasswordProps{Token: token}))
}

func (s *Server) handlePasswordResetSubmit(c *fiber.Ctx) error {
	token := copyString(c.Params("token"))
	err := s.auth.CompletePasswordReset(c.UserContext(), token, c.FormValue("password"), c.FormValue("confirm"))
	if err != nil {
		if apperr.Code(err) != apperr.EINVALID {
			return err
		}
		msg, fe := fieldErrors(err)
		if len(fe) == 0 { // the link itself no longer works
			c.Status(fiber.StatusGone)
			return s.render(c, views.ResetPasswordPage(views.ResetPasswordProps{Invalid: msg}))
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.ResetPasswordPage(views.ResetPasswordProps{Token: token, Error: msg, Errors: fe}))
	}
	session(c).renew()
	return redirectWith(c, "/login", "success", "Senha redefinida. Entre com a nova senha.")
}
