package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// allowCustomerFile checks, before a file that holds the PO's customer data
// as issued (billing NF-e XML, shipping label) is sent, that the user may
// still see it (privacy.AllowFile); the PO was found for the viewer already.
func (s *Server) allowCustomerFile(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.Role != model.RoleSupplier {
		return nil
	}
	po, err := s.purchasing.Find(c.UserContext(), poViewer(u), copyString(c.Params("number")))
	if err != nil {
		return err
	}
	return s.privacy.AllowFile(c.UserContext(), u, c.Path(), po)
}

// handlePersonalDataViews is GET /admin/personal-data-views: who among the
// suppliers' users saw which PO's customer data, when and where, filtered by
// supplier, user, PO, channel and period, newest first.
func (s *Server) handlePersonalDataViews(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q := func(k string) string { return copyString(strings.TrimSpace(c.Query(k))) }
	p := views.PersonalDataViewsProps{SupplierID: q("supplier"), UserID: q("user"), PONumber: q("po"), Channel: q("channel"),
		From: q("from"), To: q("to")}
	f := store.PersonalDataViewFilter{PONumber: p.PONumber, Sort: sortFromQuery(c, personalDataViewSortColumns)}
	if id, err := strconv.ParseInt(p.SupplierID, 10, 64); err == nil {
		f.SupplierID = &id
	}
	if id, err := strconv.ParseInt(p.UserID, 10, 64); err == nil {
		f.UserID = &id
	}
	for _, ch := range model.ViewChannels {
		if ch == p.Channel {
			f.Channel = ch
		}
	}
	var periodErr string
	f.From, f.To, periodErr = dayPeriod(p.From, p.To)
	var err error
	if p.Suppliers, err = s.store.AllSuppliers(ctx); err != nil {
		return err
	}
	if p.Users, err = s.store.PersonalDataViewers(ctx); err != nil {
		return err
	}
	if p.Days, err = s.store.PersonalDataDays(ctx); err != nil {
		return err
	}
	if periodErr != "" {
		p.Error = periodErr
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.PersonalDataViewsPage(p))
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportPersonalDataViews(c, fm, f, p.Suppliers)
	}
	page := pageFromQuery(c)
	rows, total, err := s.store.ListPersonalDataViews(ctx, f, page)
	if err != nil {
		return err
	}
	p.Rows, p.Pager = rows, pager(c, page, total)
	return s.render(c, views.PersonalDataViewsPage(p))
}
