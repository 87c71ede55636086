package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// handlePlatformHookRegister registers (again) the platform's orders hook
// with a new secret (POST /platforms/:id/hook).
func (s *Server) handlePlatformHookRegister(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	if _, err := s.syncEngine.RegisterHook(c.UserContext(), p.ID, s.cfg.BaseURL); err != nil {
		if !isUserError(err) && apperr.Code(err) == apperr.EINTERNAL {
			return err
		}
		return redirectWith(c, "/platforms/"+itoa(p.ID), "error", apperr.Message(err))
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), "success", "Notificações de pedidos registradas na VTEX.")
}

// handlePlatformBackfill imports the orders paid or ready of the last days
// that the portal lacks (POST /platforms/:id/backfill).
func (s *Server) handlePlatformBackfill(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	days, err := strconv.Atoi(strings.TrimSpace(c.FormValue("backfill_days")))
	if err != nil {
		days = 0 // refused below with the field's message
	}
	rep, err := s.syncEngine.Backfill(c.UserContext(), p.ID, days)
	if err != nil {
		if !isUserError(err) && apperr.Code(err) == apperr.EINTERNAL {
			return err
		}
		return redirectWith(c, "/platforms/"+itoa(p.ID), "error", apperr.Message(err))
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), "success",
		"Pedidos pagos dos últimos "+strconv.Itoa(days)+" dias: "+strconv.Itoa(rep.Listed)+" na plataforma, "+
			strconv.Itoa(rep.Imported)+" importados, "+strconv.Itoa(rep.Blocked)+" bloqueados, "+
			strconv.Itoa(rep.Skipped)+" já no portal.")
}

// hookURL is where the platform's notifications arrive, as registered, or
// where they would.
func (s *Server) hookURL(registered string, path string) string {
	if registered != "" {
		return registered
	}
	return strings.TrimRight(s.cfg.PublicURL(), "/") + path
}
