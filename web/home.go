package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/errgroup"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleHome(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	now := s.store.Now()
	// the home's figures are independent reads, made side by side
	g, gctx := errgroup.WithContext(ctx)
	if u.Role == model.RoleSupplier {
		supID := *u.SupplierID
		hp := views.SupplierHomeProps{}
		g.Go(func() error {
			sup, err := s.store.FindSupplier(gctx, supID)
			if err == nil {
				hp.Supplier = *sup
			}
			return err
		})
		g.Go(func() (err error) {
			hp.Users, _, err = s.store.ListUsers(gctx, store.UserFilter{SupplierID: &supID}, store.Page{Size: 100})
			return
		})
		g.Go(func() (err error) {
			if hp.InForce, err = s.store.FindPriceTableInForce(gctx, supID, now); apperr.Is(err, apperr.ENOTFOUND) {
				err = nil
			}
			return
		})
		g.Go(func() (err error) { hp.Scheduled, err = s.store.ScheduledPriceTables(gctx, supID, now); return })
		g.Go(func() (err error) { hp.Products, err = s.store.CountProducts(gctx, &supID); return })
		g.Go(func() (err error) { hp.ShortProducts, err = s.store.CountShortProducts(gctx, &supID); return })
		g.Go(func() (err error) { hp.Work, err = s.poWorkload(gctx, &supID, now); return })
		if err := g.Wait(); err != nil {
			return err
		}
		var err error
		if hp.Clocks, err = s.supplierClocks(c, supID, hp.Work.Counts, now); err != nil {
			return err
		}
		return s.render(c, views.SupplierHome(hp))
	}
	p := views.StaffHomeProps{ShowAudit: u.Can(model.PermViewAudit)}
	// the inbox card sums what the PO workload counts already
	g.Go(func() (err error) {
		if u.Can(model.PermViewPurchaseOrders) {
			if p.Work, err = s.poWorkload(gctx, nil, now); err != nil {
				return err
			}
		}
		if len(u.ExceptionKinds()) > 0 {
			n, err := s.exceptionTotal(gctx, u, p.Work)
			p.Exceptions = &n
			return err
		}
		return nil
	})
	g.Go(func() (err error) { p.Suppliers, err = s.store.CountSuppliers(gctx); return })
	g.Go(func() (err error) { p.Products, err = s.store.CountProducts(gctx, nil); return })
	g.Go(func() (err error) {
		_, p.ScheduledTables, err = s.store.ListPriceTables(gctx, store.PriceTableFilter{Status: model.PriceTableStatusScheduled}, store.Page{Size: 1}, now)
		return
	})
	g.Go(func() (err error) { p.ShortProducts, err = s.store.CountShortProducts(gctx, nil); return })
	if p.ShowAudit {
		g.Go(func() (err error) { p.Users, err = s.store.CountUsers(gctx); return })
		g.Go(func() error {
			recent, _, err := s.store.ListAudit(gctx, store.AuditFilter{}, store.Page{Size: 10})
			if err != nil {
				return err
			}
			p.Recent, err = s.auditRows(gctx, recent)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return s.render(c, views.StaffHome(p))
}

// poWorkload counts the purchase orders waiting on someone: per status, not
// yet despachado, and past their deadline (one supplier's, or all).
func (s *Server) poWorkload(ctx context.Context, supplierID *int64, now time.Time) (*views.POWorkload, error) {
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
	if w.Late, err = s.store.CountLatePurchaseOrders(ctx, supplierID, now); err != nil {
		return nil, err
	}
	return w, nil
}
