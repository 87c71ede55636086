package web

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/purchasing"
)

// apiPOCancelExc is a PO whose sales order was cancelled after the despacho.
type apiPOCancelExc struct {
	At         time.Time  `json:"at"`
	Reason     string     `json:"reason"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Resolution string     `json:"resolution"`
}

// handleAPIPurchaseOrderReprice is POST /api/v1/purchase-orders/{number}/reprice,
// optionally with {"manual_prices": [{"line", "unit_price_cents", "justification"}]}
// for lines without a price in force.
func (s *Server) handleAPIPurchaseOrderReprice(c *fiber.Ctx) error {
	var in struct {
		Manual []struct {
			Line          int    `json:"line"`
			UnitCents     int64  `json:"unit_price_cents"`
			Justification string `json:"justification"`
		} `json:"manual_prices"`
	}
	if body := c.Body(); len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return apperr.Errorf(apperr.EMALFORMED, "Envie JSON: {\"manual_prices\": [{\"line\": 1, \"unit_price_cents\": 1250, \"justification\": \"…\"}]} ou nenhum corpo.")
		}
	}
	var manual []purchasing.ManualPrice
	for _, m := range in.Manual {
		manual = append(manual, purchasing.ManualPrice{Line: m.Line, UnitCents: m.UnitCents, Justification: m.Justification})
	}
	po, err := s.purchasing.Reprice(c.UserContext(), copyString(c.Params("number")), manual...)
	return s.apiPO(c, po, err)
}

// handleAPIPurchaseOrderContinue is POST /api/v1/purchase-orders/{number}/continue.
func (s *Server) handleAPIPurchaseOrderContinue(c *fiber.Ctx) error {
	po, err := s.purchasing.ResumeBackorder(c.UserContext(), copyString(c.Params("number")))
	return s.apiPO(c, po, err)
}

// handleAPIPurchaseOrderCancel is POST /api/v1/purchase-orders/{number}/cancel with {"reason"}.
func (s *Server) handleAPIPurchaseOrderCancel(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return apperr.Errorf(apperr.EMALFORMED, "Envie JSON: {\"reason\": \"…\"}.")
	}
	po, err := s.purchasing.CancelBackordered(c.UserContext(), copyString(c.Params("number")), in.Reason)
	return s.apiPO(c, po, err)
}

// handleAPIPurchaseOrderResolve is POST /api/v1/purchase-orders/{number}/resolve-exception with {"note"}.
func (s *Server) handleAPIPurchaseOrderResolve(c *fiber.Ctx) error {
	var in struct {
		Note string `json:"note"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return apperr.Errorf(apperr.EMALFORMED, "Envie JSON: {\"note\": \"…\"}.")
	}
	po, err := s.purchasing.ResolveCancelException(c.UserContext(), copyString(c.Params("number")), in.Note)
	return s.apiPO(c, po, err)
}
