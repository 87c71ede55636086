package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleHome(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	if u.Role == model.RoleSupplier {
		sup, err := s.store.FindSupplier(ctx, *u.SupplierID)
		if err != nil {
			return err
		}
		users, _, err := s.store.ListUsers(ctx, store.UserFilter{SupplierID: u.SupplierID}, store.Page{Size: 100})
		if err != nil {
			return err
		}
		return s.render(c, views.SupplierHome(views.SupplierHomeProps{Supplier: *sup, Users: users}))
	}
	p := views.StaffHomeProps{ShowAudit: u.Can(model.PermViewAudit)}
	var err error
	if p.Suppliers, err = s.store.CountSuppliers(ctx); err != nil {
		return err
	}
	if p.ShowAudit {
		if p.Users, err = s.store.CountUsers(ctx); err != nil {
			return err
		}
		if p.Recent, _, err = s.store.ListAudit(ctx, store.AuditFilter{}, store.Page{Size: 10}); err != nil {
			return err
		}
	}
	return s.render(c, views.StaffHome(p))
}
