package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleBlockedList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := currentUser(c)
	p := views.BlockedProps{
		PlatformID: copyString(c.Query("platform")), ShowResolved: c.Query("resolved") == "1",
		CanManage: u.Can(model.PermManagePlatforms), CanProducts: u.Can(model.PermManageProducts),
	}
	var err error
	if p.Platforms, err = s.store.ListPlatforms(ctx); err != nil {
		return err
	}
	if p.CanManage {
		if p.Carriers, err = s.store.ListCarriers(ctx); err != nil {
			return err
		}
	}
	f := blockedListFilter(c, &p)
	if fm, ok := exportFormat(c); ok {
		return s.exportBlocked(c, fm, f)
	}
	page := pageFromQuery(c)
	rows, total, err := s.store.ListBlockedQueue(ctx, f, page)
	if err != nil {
		return err
	}
	p.Pager = pager(c, page, total)
	p.CanImport = p.CanManage || p.CanProducts
	pid := queryID(p.PlatformID)
	if p.CarrierCauses, err = s.blockedCauses(c.UserContext(), store.BlockedCauseFilter{PlatformID: pid, Reason: model.BlockUnmappedCarrier}); err != nil {
		return err
	}
	if p.SKUCauses, err = s.blockedCauses(c.UserContext(), store.BlockedCauseFilter{PlatformID: pid, Reason: model.BlockUnknownSKU}); err != nil {
		return err
	}
	if p.Rows, err = s.blockedRows(c, rows); err != nil {
		return err
	}
	return s.render(c, views.BlockedPage(p))
}

// handleBlockedMapCarrier maps a blocked order's shipping method to the
// carrier chosen (or typed in) next to it; the next run imports the order.
func (s *Server) handleBlockedMapCarrier(c *fiber.Ctx) error {
	ctx := c.UserContext()
	back := "/orders/blocked"
	if ref := c.Get(fiber.HeaderReferer); strings.Contains(ref, "/orders/blocked?") {
		back = "/orders/blocked?" + copyString(ref[strings.Index(ref, "?")+1:])
	}
	if b, ok := inboxBack(c); ok {
		back = b
	}
	p, err := s.formPlatform(c)
	if err != nil {
		return err
	}
	method := copyString(strings.TrimSpace(c.FormValue("method")))
	carrier := copyString(strings.TrimSpace(c.FormValue("new_carrier")))
	if carrier == "" {
		if cid := queryID(c.FormValue("carrier_id")); cid != nil {
			cr, err := s.store.FindCarrier(ctx, *cid)
			if err != nil {
				return err
			}
			carrier = cr.Name
		}
	}
	if carrier == "" {
		return redirectWith(c, back, "error", "Escolha uma transportadora ou digite o nome de uma nova para vincular a forma de envio "+method+".")
	}
	causes, err := s.store.ListBlockedCauses(ctx, store.BlockedCauseFilter{PlatformID: &p.ID, Reason: model.BlockUnmappedCarrier})
	if err != nil {
		return err
	}
	var orders int64
	for _, bc := range causes {
		if bc.Method == method {
			orders += bc.Orders
		}
	}
	if _, err := s.syncEngine.MapCarrier(ctx, p.Name, method, carrier); err != nil {
		if !isUserError(err) {
			return err
		}
		return redirectWith(c, back, "error", apperr.Message(err))
	}
	return redirectWith(c, back, "success", "Transportadora vinculada; "+unblockedWords(orders)+
		" Forma de envio "+method+" de "+p.Name+" → "+carrier+".")
}

// blockedRows are the queue's rows for the page, each open one marked fixed
// when its cause is gone (model.BlockedOrder.Fixed): it waits only for the
// next run.
func (s *Server) blockedRows(c *fiber.Ctx, rows []store.BlockedRow) ([]views.BlockedRow, error) {
	blocked := make([]model.BlockedOrder, len(rows))
	for i, r := range rows {
		blocked[i] = r.BlockedOrder
	}
	fixes, err := s.syncEngine.BlockFixes(c.UserContext(), blocked)
	if err != nil {
		return nil, err
	}
	out := make([]views.BlockedRow, len(rows))
	for i, r := range rows {
		out[i] = views.BlockedRow{BlockedOrder: r.BlockedOrder, PlatformName: r.PlatformName, PlatformKind: r.PlatformKind,
			Fixed: blocked[i].Fixed(fixes)}
	}
	return out, nil
}

// unblockedWords says what a fix frees: "os 7 pedidos bloqueados por ela são
// importados na próxima sincronização (ou já, com Importar agora)."
func unblockedWords(n int64) string {
	switch n {
	case 0:
		return "nenhum pedido estava bloqueado por ela."
	case 1:
		return "o pedido bloqueado por ela é importado na próxima sincronização (ou já, com Importar agora)."
	}
	return "os " + itoa(n) + " pedidos bloqueados por ela são importados na próxima sincronização (ou já, com Importar agora)."
}

// formPlatform is the platform a form names in platform_id (404 when none).
func (s *Server) formPlatform(c *fiber.Ctx) (*model.Platform, error) {
	id := queryID(c.FormValue("platform_id"))
	if id == nil {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Plataforma não encontrada.")
	}
	return s.store.FindPlatform(c.UserContext(), *id)
}
