package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
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
		hp := views.SupplierHomeProps{Supplier: *sup, Users: users}
		now := s.store.Now()
		if hp.InForce, err = s.store.FindPriceTableInForce(ctx, sup.ID, now); err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
			return err
		}
		if hp.Scheduled, err = s.store.ScheduledPriceTables(ctx, sup.ID, now); err != nil {
			return err
		}
		if hp.Products, err = s.store.CountProducts(ctx, &sup.ID); err != nil {
			return err
		}
		if hp.ShortProducts, err = s.store.CountShortProducts(ctx, &sup.ID); err != nil {
			return err
		}
		if hp.Work, err = s.poWorkload(c, &sup.ID); err != nil {
			return err
		}
		if hp.Clocks, err = s.supplierClocks(c, sup.ID, hp.Work.Counts, now); err != nil {
			return err
		}
		return s.render(c, views.SupplierHome(hp))
	}
	p := views.StaffHomeProps{ShowAudit: u.Can(model.PermViewAudit)}
	var err error
	if len(u.ExceptionKinds()) > 0 {
		n, err := s.exceptionTotal(c)
		if err != nil {
			return err
		}
		p.Exceptions = &n
	}
	if u.Can(model.PermViewPurchaseOrders) {
		if p.Work, err = s.poWorkload(c, nil); err != nil {
			return err
		}
	}
	if p.Suppliers, err = s.store.CountSuppliers(ctx); err != nil {
		return err
	}
	if p.Products, err = s.store.CountProducts(ctx, nil); err != nil {
		return err
	}
	if _, p.ScheduledTables, err = s.store.ListPriceTables(ctx, store.PriceTableFilter{Status: model.PriceTableStatusScheduled}, store.Page{Size: 1}, s.store.Now()); err != nil {
		return err
	}
	if p.ShortProducts, err = s.store.CountShortProducts(ctx, nil); err != nil {
		return err
	}
	if p.ShowAudit {
		if p.Users, err = s.store.CountUsers(ctx); err != nil {
			return err
		}
		recent, _, err := s.store.ListAudit(ctx, store.AuditFilter{}, store.Page{Size: 10})
		if err != nil {
			return err
		}
		if p.Recent, err = s.auditRows(ctx, recent); err != nil {
			return err
		}
	}
	return s.render(c, views.StaffHome(p))
}

// poWorkload counts the purchase orders waiting on someone: per status, not
// yet despachado, and past their deadline (one supplier's, or all).
func (s *Server) poWorkload(c *fiber.Ctx, supplierID *int64) (*views.POWorkload, error) {
	ctx := c.UserContext()
	w := &views.POWorkload{}
	var err error
	if w.Counts, err = s.store.CountOpenPurchaseOrdersByStatus(ctx, supplierID); err != nil {
		return nil, err
	}
	if w.AwaitingDispatch, err = s.store.CountPurchaseOrders(ctx, store.PurchaseOrderFilter{SupplierID: supplierID, AwaitingDispatch: true}); err != nil {
		return nil, err
	}
	if supplierID == nil {
		if w.CancelExceptions, err = s.store.CountPurchaseOrders(ctx, store.PurchaseOrderFilter{CancelException: true}); err != nil {
			return nil, err
		}
	}
	if w.Late, err = s.store.CountLatePurchaseOrders(ctx, supplierID, s.store.Now()); err != nil {
		return nil, err
	}
	return w, nil
}
