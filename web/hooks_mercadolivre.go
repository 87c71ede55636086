package web

import "github.com/gofiber/fiber/v2"

// handleHookMercadoLivre receives Mercado Livre's notifications (POST
// /hooks/mercadolivre/:platform, the callback URL of the application): no
// session, no CSRF; the body's application and seller must be the platform's.
// Mercado Livre expects an answer at once: the handler only schedules imports.
func (s *Server) handleHookMercadoLivre(c *fiber.Ctx) error {
	body, err := hookBody(c)
	if err != nil {
		return hookAnswer(c, err)
	}
	return hookAnswer(c, s.syncEngine.MercadoLivreNotified(c.UserContext(), c.Params("platform"), body))
}
