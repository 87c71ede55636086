package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// hookBodyLimit bounds a platform notification's body: VTEX's and Mercado
// Livre's are a few hundred bytes.
const hookBodyLimit = 16 << 10

// hookBody returns a copy of the request body (Fiber reuses its buffers and
// the body outlives nothing here, but the service keeps no reference either
// way), or ETOOLARGE.
func hookBody(c *fiber.Ctx) ([]byte, error) {
	b := c.Body()
	if len(b) > hookBodyLimit {
		return nil, apperr.Errorf(apperr.ETOOLARGE, "Notificação grande demais.")
	}
	return append([]byte(nil), b...), nil
}

// hookAnswer answers a platform's notification: 200 {"ok":true}, or the
// error's status with a short JSON body (no page: platforms read no HTML).
func hookAnswer(c *fiber.Ctx, err error) error {
	if err == nil {
		return c.JSON(fiber.Map{"ok": true})
	}
	code := apperr.Code(err)
	if code == "" {
		code = apperr.EINTERNAL
	}
	return c.Status(statusFor(code)).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": apperr.Message(err)}})
}
