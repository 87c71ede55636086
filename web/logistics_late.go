package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/views"
)

// handleLatePurchaseOrders is the logistics list of billed POs past their
// ship-by deadline without a shipment.
func (s *Server) handleLatePurchaseOrders(c *fiber.Ctx) error {
	rows, err := s.purchasing.LatePurchaseOrders(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, views.LatePurchaseOrdersPage(views.LatePurchaseOrdersProps{Rows: rows, Now: s.store.Now()}))
}
