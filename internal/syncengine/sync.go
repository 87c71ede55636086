package syncengine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// Queue schedules the engine's background work inside the caller's store
// transaction, so a committed change always has its job and a rolled-back
// one never does. internal/jobs implements it on River; nil (tests, the CLI
// without workers) schedules nothing and the next cycle catches up.
type Queue interface {
	// StockChanged schedules a stock push for every enabled platform.
	StockChanged(ctx context.Context) error
	// StatusPushQueued schedules sending the order's pending status actions.
	StatusPushQueued(ctx context.Context, orderID int64) error
}

// stockPushBatch is how many dirty products one query reads.
const stockPushBatch = 500

// StockPushReport is the outcome of one stock push.
type StockPushReport struct {
	RunID     int64
	Pushed    int // SetStock calls the platform accepted
	Unchanged int // dirty products whose figure equals what the platform has
	Refused   int // products the platform refused for good (unknown SKU …)
	// More: the job's time ran out with products still to push; they stay
	// dirty for the job's next round.
	More  bool
	Error string
}

// Available is the figure pushed to a platform for one product:
//
//	pushed = max(0, Σ(physical − reserved) + confirmedAtVTEX)
//
// where the sum runs over every location, and confirmedAtVTEX (VTEX only) is
// the units of this platform's paid orders that VTEX still holds as confirmed
// reservations (store.ConfirmedAtVTEX). VTEX's storefront sells quantity −
// authorized − confirmed − acknowledged, and every quantity update zeroes the
// acknowledged reservations (orders in handling) while the others keep being
// subtracted (openapi/SOURCES.md, from VTEX's help center). So after a push:
//
//	storefront = pushed − authorized − confirmed
//	           = (physical − reserved) − authorized
//
// — the portal's available, less only the units VTEX holds for its own unpaid
// orders, which the portal does not reserve. Orders in handling are not added
// back: VTEX stops subtracting them at the update, and the portal still
// reserves them until they are invoiced.
//
// Worked example: physical 10; order A (handling, 3 units) and order B (ready
// for handling, 2 units) both reserved here → our available is 5. VTEX still
// subtracts B's confirmed 2, so we send 5 + 2 = 7 and VTEX sells 7 − 2 = 5.
// With physical 0 and only B: −2 + 2 = 0. Overbooked (physical 1, reserved 3,
// nothing at VTEX): clamped to 0, never a negative quantity.
//
// Known window: an order that VTEX moves to handling by itself (staff at
// VTEX's admin) still counts as confirmed here until the portal imports the
// change; a push in that window zeroes its acknowledged reservation and the
// storefront sells its units again until the import (seconds with the orders
// hook, one import interval without). The documents do not offer a way to
// read reservation states that would close it.
func Available(physical, reserved, confirmedAtVTEX int64) int64 {
	return max(0, physical-reserved+confirmedAtVTEX)
}

// PushStock sends the available stock of every product whose figure changed
// since the platform last received it. Many changes of a product between two
// pushes make one SetStock call (stock_changes holds one row per product).
// force re-sends every active product even when unchanged: the portal's stock
// wins over edits made on the platform. The run is recorded in sync_runs;
// refused products keep their error in stock_push_state.
//
// A platform failure that concerns the whole platform (down, rate limited,
// credentials refused) stops the push: what was sent stays sent, the rest
// stays dirty and the returned error makes the job retry later.
func (s *Service) PushStock(ctx context.Context, platformID int64, force bool) (StockPushReport, error) {
	p, err := s.store.FindPlatform(ctx, platformID)
	if err != nil {
		return StockPushReport{}, err
	}
	if _, err := s.store.DrainStockChanges(ctx); err != nil {
		return StockPushReport{}, err
	}
	if force {
		if err := s.store.MarkAllStockDirty(ctx, p.ID); err != nil {
			return StockPushReport{}, err
		}
	}
	run := &model.SyncRun{PlatformID: p.ID, Kind: model.SyncKindStockPush}
	if err := s.ownRun(ctx, &run.JobID, &run.JobAttempt); err != nil {
		return StockPushReport{}, err
	}
	if err := s.store.CreateSyncRun(ctx, run); err != nil {
		return StockPushReport{}, err
	}
	var rep StockPushReport
	runErr := s.pushStock(ctx, p, force, &rep)
	run.Updated, run.Skipped, run.Blocked = rep.Pushed, rep.Unchanged, rep.Refused
	run.Status = model.SyncOK
	if runErr != nil {
		run.Status = model.SyncFailed
		run.ErrorKind = string(platform.KindOf(runErr))
		run.ErrorMessage = pushFailureMessage(p, "o envio de estoque", runErr)
		rep.Error = run.ErrorMessage
	}
	if err := s.store.FinishSyncRun(context.WithoutCancel(ctx), run); err != nil {
		return rep, errors.Join(runErr, err)
	}
	rep.RunID = run.ID
	if runErr != nil {
		s.logger.Warn("stock push failed", "platform", p.Name, "pushed", rep.Pushed, "error", runErr)
		return rep, apperr.Wrap(runErr, apperrCode(runErr), run.ErrorMessage)
	}
	s.logger.Info("stock push", "platform", p.Name, "pushed", rep.Pushed, "unchanged", rep.Unchanged, "refused", rep.Refused)
	return rep, nil
}

func (s *Service) pushStock(ctx context.Context, p *model.Platform, force bool, rep *StockPushReport) error {
	ad, err := s.registry.Adapter(ctx, p)
	if err != nil {
		return err
	}
	var after int64
	for {
		rows, err := s.store.DirtyStock(ctx, p.ID, after, stockPushBatch)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ProductID
		}
		confirmed := map[int64]int64{}
		if p.Kind == model.PlatformVTEX {
			if confirmed, err = s.store.ConfirmedAtVTEX(ctx, p.ID, ids); err != nil {
				return err
			}
		}
		// A product the platform lists under other codes (SKU aliases) gets
		// its stock under each of them instead of its own SKU.
		aliases, err := s.store.PlatformSKUsOfProducts(ctx, p.ID, ids)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if outOfTime(ctx) {
				rep.More = true
				return nil
			}
			after = r.ProductID
			avail := Available(r.Physical, r.Reserved, confirmed[r.ProductID])
			if !force && r.PushedAvailable != nil && *r.PushedAvailable == avail {
				if err := s.store.StockPushed(ctx, p.ID, r.ProductID, r.Version, avail, false); err != nil {
					return err
				}
				rep.Unchanged++
				continue
			}
			skus := aliases[r.ProductID]
			if len(skus) == 0 {
				skus = []string{r.SKU}
			}
			var perr error
			sku := ""
			for _, sku = range skus {
				if perr = ad.SetStock(ctx, sku, avail); perr != nil {
					break
				}
			}
			if perr == nil {
				if err := s.store.StockPushed(ctx, p.ID, r.ProductID, r.Version, avail, true); err != nil {
					return err
				}
				rep.Pushed++
				continue
			}
			kind := platform.KindOf(perr)
			msg := pushFailureMessage(p, "o envio do estoque do SKU "+sku, perr)
			// Keep retrying what may succeed later; a refusal (unknown SKU at
			// the platform) waits for the product's next change.
			keep := kind == "" || kind.Retryable() || kind == platform.ErrAuth
			if err := s.store.StockPushFailed(context.WithoutCancel(ctx), p.ID, r.ProductID, r.Version, string(kind), msg, keep); err != nil {
				return errors.Join(perr, err)
			}
			if keep {
				return perr
			}
			rep.Refused++
		}
	}
}

// PushStatuses sends the pending status actions of a platform (orderID 0) or
// of one order (platformID 0): start handling, cancel — and, with the
// purchase-order feature, invoice and tracking. Each action is one case of
// sendAction. Sent actions are done; refused ones failed with the reason;
// the others stay pending and the returned error makes the job retry.
func (s *Service) PushStatuses(ctx context.Context, platformID, orderID int64) (sent int, err error) {
	pending, err := s.store.PendingStatusPushes(ctx, platformID, orderID)
	if err != nil {
		return 0, err
	}
	var firstErr error
	platforms := map[int64]*model.Platform{} // the pushes' platforms, read once each
	for _, sp := range pending {
		p, ok := platforms[sp.PlatformID]
		if !ok {
			if p, err = s.store.FindPlatform(ctx, sp.PlatformID); err != nil {
				return sent, err
			}
			platforms[sp.PlatformID] = p
		}
		ad, err := s.registry.Adapter(ctx, p)
		if err != nil {
			return sent, err
		}
		perr := s.sendOnce(ctx, ad, &sp)
		status, kind, msg := model.PushDone, "", ""
		if perr != nil {
			kind = string(platform.KindOf(perr))
			msg = pushFailureMessage(p, sp.Action.Label()+" do pedido "+sp.ExternalID, perr)
			status = model.PushPending
			if k := platform.KindOf(perr); k != "" && !k.Retryable() && k != platform.ErrAuth {
				status = model.PushFailed
			}
		}
		if err := s.store.FinishStatusPush(context.WithoutCancel(ctx), sp.ID, status, kind, msg); err != nil {
			return sent, errors.Join(perr, err)
		}
		switch {
		case perr == nil:
			sent++
			_ = s.store.AddSalesOrderEvent(ctx, sp.OrderID, model.OrderEventStatusChanged,
				fmt.Sprintf("%s: enviado para %s.", sp.Action.Label(), p.Label()))
			if err := s.afterStartHandling(ctx, p, &sp); err != nil {
				return sent, err
			}
		case status == model.PushPending && firstErr == nil:
			firstErr = apperr.Wrap(perr, apperrCode(perr), msg)
		}
	}
	return sent, firstErr
}

// sendAction performs one status action on the platform.
func (s *Service) sendAction(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	switch sp.Action {
	case model.ActionStartHandling:
		return ad.StartHandling(ctx, sp.ExternalID)
	case model.ActionCancel:
		reason := sp.Reason
		if reason == "" {
			reason = "Pedido cancelado pela ConnectParts."
		}
		return ad.Cancel(ctx, sp.ExternalID, reason)
	case model.ActionInvoice:
		return s.sendInvoice(ctx, ad, sp)
	case model.ActionTracking:
		return s.sendTracking(ctx, ad, sp)
	}
	return platform.NewError(platform.ErrUnsupported, ad.Kind(), string(sp.Action),
		"Envio ainda não disponível: "+sp.Action.Label()+".", nil)
}

// QueueCancel records that staff cancelled the order and schedules telling
// the platform, in the caller's transaction when there is one.
func (s *SalesOrders) QueueCancel(ctx context.Context, orderID int64, reason string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		o, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		return s.queueAction(ctx, o.ID, o.PlatformID, model.ActionCancel, 0, reason)
	})
}

func (s *SalesOrders) queueAction(ctx context.Context, orderID, platformID int64, a model.StatusAction, refID int64, reason string) error {
	created, err := s.store.QueueStatusPush(ctx, orderID, platformID, a, refID, reason)
	if err != nil || !created || s.queue == nil {
		return err
	}
	return s.queue.StatusPushQueued(ctx, orderID)
}

// afterApply schedules what an applied order asks of the engine, in the
// order's transaction: start handling once the platform says the order is
// ready for handling, and a stock push when the order enters or leaves
// handling on VTEX (the pushed figure changes with VTEX's reservations, see
// Available).
func (s *Service) afterApply(ctx context.Context, p *model.Platform, so *model.SalesOrder, before model.SOStatus) error {
	after := so.Status
	startHandling := after == model.SOReadyForHandling
	handlingMoved := p.Kind == model.PlatformVTEX && (before == model.SOHandling) != (after == model.SOHandling)
	if startHandling {
		if err := s.queueAction(ctx, so.ID, p.ID, model.ActionStartHandling, 0, ""); err != nil {
			return err
		}
	}
	if handlingMoved && so.Reserved {
		ids := make([]int64, 0, len(so.Items))
		for _, it := range so.Items {
			ids = append(ids, it.ProductID)
		}
		return s.store.MarkStockChanged(ctx, ids...)
	}
	return nil
}

// MaxDrainRuns bounds how many imports run back to back while the platform
// says more changes wait (a burst of paid orders): 20 VTEX batches of up to
// 100 orders.
const MaxDrainRuns = 20

// CycleReport is the outcome of one full cycle.
type CycleReport struct {
	Import       RunReport
	Stock        StockPushReport
	StatusesSent int
	Duration     time.Duration
	Errors       []string // Portuguese, one per failed step
}

// OK reports whether every step succeeded.
func (r CycleReport) OK() bool { return len(r.Errors) == 0 }

// RunCycle runs one full cycle for the platform now: import orders, push
// stock, push pending statuses. A failed step does not prevent the others;
// the returned error joins the failures.
func (s *Service) RunCycle(ctx context.Context, platformID int64) (CycleReport, error) {
	start := time.Now()
	var rep CycleReport
	var errs []error
	imp, err := s.RunImport(ctx, platformID)
	// A burst larger than one batch is imported run after run, as the
	// background job does; the report adds them up.
	for n := 1; err == nil && imp.More && n < MaxDrainRuns && ctx.Err() == nil; n++ {
		var next RunReport
		next, err = s.RunImport(ctx, platformID)
		next.Imported += imp.Imported
		next.Updated += imp.Updated
		next.Blocked += imp.Blocked
		next.Skipped += imp.Skipped
		next.Duration += imp.Duration
		imp = next
	}
	rep.Import = imp
	if err != nil {
		if imp.RunID == 0 {
			return rep, err // the platform does not exist, the database is down …
		}
		errs = append(errs, err)
		rep.Errors = append(rep.Errors, "Importação: "+apperr.Message(err))
	}
	rep.Stock, err = s.PushStock(ctx, platformID, false)
	if err != nil {
		errs = append(errs, err)
		rep.Errors = append(rep.Errors, "Estoque: "+apperr.Message(err))
	}
	rep.StatusesSent, err = s.PushStatuses(ctx, platformID, 0)
	if err != nil {
		errs = append(errs, err)
		rep.Errors = append(rep.Errors, "Status: "+apperr.Message(err))
	}
	rep.Duration = time.Since(start)
	return rep, errors.Join(errs...)
}

// DueImports returns the enabled platforms whose import interval has elapsed
// since their last import run started (the scheduler's question).
func (s *Service) DueImports(ctx context.Context) ([]int64, error) {
	list, err := s.store.ListPlatforms(ctx)
	if err != nil {
		return nil, err
	}
	now := s.store.Now()
	var due []int64
	for _, p := range list {
		if !p.Enabled {
			continue
		}
		last, err := s.store.LatestSyncRun(ctx, p.ID, model.SyncKindImport)
		switch {
		case apperr.Is(err, apperr.ENOTFOUND): // never imported
		case err != nil:
			return nil, err
		case now.Sub(last.StartedAt) < time.Duration(p.ImportIntervalSeconds)*time.Second-5*time.Second:
			continue
		}
		due = append(due, p.ID)
	}
	return due, nil
}

// pushFailureMessage is the Portuguese reason recorded for a failed push.
func pushFailureMessage(p *model.Platform, what string, err error) string {
	var pe *platform.Error
	switch {
	case errors.As(err, &pe):
		return pe.Message
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "O envio foi interrompido antes de terminar; a próxima execução continua de onde parou."
	}
	if apperr.Code(err) == apperr.EINTERNAL {
		return fmt.Sprintf("Erro interno durante %s para %s: %v", what, p.Label(), err)
	}
	return apperr.Message(err)
}
