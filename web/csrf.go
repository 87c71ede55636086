package web

import (
	"crypto/subtle"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// csrf rejects state-changing browser requests whose token does not match the
// session's (synchronizer token), and cross-origin ones outright.
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != c.Hostname() {
			return apperr.Errorf(apperr.EFORBIDDEN, "Requisição de outra origem recusada.")
		}
	}
	want := session(c).get(keyCSRF)
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return &apperr.Error{Code: apperr.EFORBIDDEN, Message: "O formulário expirou ou não foi enviado por esta página (token de segurança inválido). Recarregue a página e tente novamente."}
	}
	return c.Next()
}
