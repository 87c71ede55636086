package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/model"
)

// handlePurchaseOrderShipment is the supplier's shipment form on the PO
// page: 303 back to the page, with the confirmation or with every problem.
func (s *Server) handlePurchaseOrderShipment(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	// A file refused while reading the form (too large, unreadable) is shown
	// on the PO page like a refusal of its content, not as an error page.
	in, err := shipmentInput(c)
	if err == nil {
		var po *model.PurchaseOrder
		var sh *model.POShipment
		po, sh, err = s.purchasing.Ship(c.UserContext(), sid, copyString(c.Params("number")), in)
		if err == nil {
			return redirectWith(c, "/purchase-orders/"+po.Number, "success", "Envio registrado: rastreio "+sh.TrackingCode+". A ConnectParts e o canal de venda foram avisados.")
		}
	}
	up, ok := uploadRefusal(err)
	if !ok {
		return err
	}
	return s.redirectPOReport(c, poUploadReport{Upload: up, Carrier: in.Carrier, TrackingCode: in.TrackingCode})
}
