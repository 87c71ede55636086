package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// platformNames returns every platform and their names by id (lists show the name).
func (s *Server) platformNames(c *fiber.Ctx) ([]model.Platform, map[int64]string, error) {
	list, err := s.store.ListPlatforms(c.UserContext())
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(list))
	for _, p := range list {
		names[p.ID] = p.Name
	}
	return list, names, nil
}

func validStatus(v string) bool {
	for _, st := range model.SOStatuses {
		if string(st) == v {
			return true
		}
	}
	return false
}

func (s *Server) handleOrderList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := views.OrdersProps{
		Status: copyString(c.Query("status")), PlatformID: copyString(c.Query("platform")),
		From: copyString(strings.TrimSpace(c.Query("from"))), To: copyString(strings.TrimSpace(c.Query("to"))),
		Query: copyString(strings.TrimSpace(c.Query("q"))),
	}
	f := store.OrderSearch{PlatformID: queryID(p.PlatformID), Query: p.Query}
	if validStatus(p.Status) {
		f.Status = model.SOStatus(p.Status)
	} else {
		p.Status = ""
	}
	if p.From != "" {
		if t, err := format.ParseDate(p.From); err == nil {
			f.PlacedFrom = &t
		} else {
			p.Error = "Data inicial inválida: use o seletor de data."
		}
	}
	if p.To != "" {
		if t, err := format.ParseDate(p.To); err == nil {
			end := t.AddDate(0, 0, 1) // the whole last day, in São Paulo
			f.PlacedTo = &end
		} else {
			p.Error = "Data final inválida: use o seletor de data."
		}
	}
	var err error
	if p.Platforms, p.PlatformNames, err = s.platformNames(c); err != nil {
		return err
	}
	f.Sort = sortFromQuery(c, orderSortColumns)
	if fm, ok := exportFormat(c); ok {
		return s.exportSalesOrders(c, fm, f, p.PlatformNames)
	}
	page := pageFromQuery(c)
	items, total, err := s.store.SearchSalesOrders(ctx, f, page)
	if err != nil {
		return err
	}
	if p.OpenBlocked, err = s.store.CountOpenBlocked(ctx); err != nil {
		return err
	}
	p.Items, p.Pager = items, pager(c, page, total)
	return s.render(c, views.OrdersPage(p))
}

func (s *Server) handleOrderShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.store.FindSalesOrderDetail(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.render(c, views.OrderPage(views.OrderProps{D: *d}))
}
