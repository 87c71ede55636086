package syncengine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// RunReport is the outcome of one import run.
type RunReport struct {
	RunID    int64
	Platform string // the platform's name
	Status   model.SyncRunStatus
	Imported int // new orders
	Updated  int // known orders whose status or stock changed
	Blocked  int // orders refused (unmapped carrier, unknown SKU)
	Skipped  int // nothing to do: unchanged, not importable yet, gone from the platform
	Duration time.Duration
	// Error is the Portuguese reason of a failed run ("" when it succeeded).
	Error string
	// More: the platform said more changes wait beyond this run's batch.
	More bool
}

// OK reports whether the run succeeded.
func (r RunReport) OK() bool { return r.Status == model.SyncOK }

type counts struct {
	imported, updated, blocked, skipped int
	more                                bool // the batch said more changes wait
}

func (c *counts) add(o outcome) {
	switch o {
	case outImported:
		c.imported++
	case outUpdated:
		c.updated++
	case outBlocked:
		c.blocked++
	default:
		c.skipped++
	}
}

// RunImport imports the platform's order changes now and records the run in
// sync_runs. A failure talking to the platform (or applying an order) ends
// the run as failed, with the Portuguese reason in the report, the run row and
// the returned error; the orders applied before the failure stay applied and
// the rest come back in the next run.
func (s *Service) RunImport(ctx context.Context, platformID int64) (RunReport, error) {
	p, err := s.store.FindPlatform(ctx, platformID)
	if err != nil {
		return RunReport{}, err
	}
	run := &model.SyncRun{PlatformID: p.ID, Kind: model.SyncKindImport}
	if err := s.ownRun(ctx, &run.JobID, &run.JobAttempt); err != nil {
		return RunReport{}, err
	}
	if err := s.store.CreateSyncRun(ctx, run); err != nil {
		return RunReport{}, err
	}
	var c counts
	runErr := s.importOrders(ctx, p, &c)
	more := runErr == nil && c.more

	run.Imported, run.Updated, run.Blocked, run.Skipped = c.imported, c.updated, c.blocked, c.skipped
	run.Status = model.SyncOK
	if runErr != nil {
		run.Status = model.SyncFailed
		run.ErrorKind = string(platform.KindOf(runErr))
		run.ErrorMessage = failureMessage(p, runErr)
	}
	// The run is recorded even when ctx was cancelled half-way.
	if err := s.store.FinishSyncRun(context.WithoutCancel(ctx), run); err != nil {
		return RunReport{}, errors.Join(runErr, err)
	}
	rep := RunReport{
		RunID: run.ID, Platform: p.Name, Status: run.Status, Imported: c.imported, Updated: c.updated,
		Blocked: c.blocked, Skipped: c.skipped, Duration: run.Duration(), Error: run.ErrorMessage, More: more,
	}
	attrs := []any{"platform", p.Name, "run", run.ID, "imported", c.imported, "updated", c.updated,
		"blocked", c.blocked, "skipped", c.skipped, "duration", rep.Duration}
	if runErr != nil {
		s.logger.Warn("order import failed", append(attrs, "error", runErr)...)
		return rep, apperr.Wrap(runErr, apperrCode(runErr), run.ErrorMessage)
	}
	s.logger.Info("order import", attrs...)
	return rep, nil
}

func apperrCode(err error) string {
	if c := apperr.Code(err); c != "" {
		return c
	}
	return apperr.EINTERNAL
}

// orderError is a failure applying one order (not talking to the platform).
type orderError struct {
	externalID string
	err        error
}

func (e *orderError) Error() string { return "pedido " + e.externalID + ": " + e.err.Error() }
func (e *orderError) Unwrap() error { return e.err }

// failureMessage is the Portuguese reason recorded for a failed run.
func failureMessage(p *model.Platform, err error) string {
	var pe *platform.Error
	switch {
	case errors.As(err, &pe):
		return pe.Message
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "A importação foi interrompida antes de terminar; a próxima execução continua de onde parou."
	}
	prefix := ""
	var oe *orderError
	if errors.As(err, &oe) {
		prefix = "Pedido " + oe.externalID + ": "
	}
	if apperr.Code(err) == apperr.EINTERNAL {
		return fmt.Sprintf("%sErro interno ao importar os pedidos de %s: %v", prefix, p.Label(), err)
	}
	return prefix + apperr.Message(err)
}

// importOrders re-fetches the blocked orders whose cause is fixed (their feed
// events may be acknowledged already), then processes the platform's
// changes, acknowledges them and saves the cursor, page after page while
// the platform says more wait (up to PagesPerRun pages).
//
// A failure talking to the platform stops the run: what was applied is
// acknowledged, the rest comes back in the next run. An order that cannot be
// applied (a stock conflict, say) does not hold up the others: it is left
// unacknowledged, the cursor is not advanced, and the run is reported failed
// with that order's reason.
//
// While a page is applied, the next one is read and its orders fetched
// (nextPage): the database work of one page overlaps the network work of the
// next. When the run stops on a page, the next page read is abandoned: its
// orders come back as the platform delivers unacknowledged changes again (on
// VTEX after the feed's visibility timeout; on a cursor, at once).
func (s *Service) importOrders(ctx context.Context, p *model.Platform, c *counts) error {
	ad, err := s.registry.Adapter(ctx, p)
	if err != nil {
		return err
	}
	var failed error
	done := map[string]bool{}
	open, err := s.store.ListBlockedOrders(ctx, p.ID, true)
	if err != nil {
		return err
	}
	fixed, err := s.fixedBlocked(ctx, p, open)
	if err != nil {
		return err
	}
	for _, b := range fixed {
		if err := s.fetchAndApply(ctx, ad, p, b.ExternalID, c); err != nil {
			if !skippable(err) {
				return err
			}
			failed = cmp.Or(failed, err)
		}
		done[b.ExternalID] = true
	}

	batch, err := ad.Changes(ctx, p.Cursor)
	if err != nil {
		return err
	}
	pre := s.prefetchPage(ctx, ad, batch, done)
	// done: the orders applied from the current page (a later page may bring
	// an order again, changed since: it is fetched and applied again);
	// runDone: every order applied in the run, whose shipments need no check.
	runDone := maps.Clone(done)
	for page := 1; ; page++ {
		var next *nextPage
		if batch.More && failed == nil && page < s.pagesPerRun() && timeForAnotherPage(ctx) {
			next = s.readNextPage(ctx, ad, batch.Cursor)
		}
		err := s.importPage(ctx, ad, p, batch, pre, done, runDone, next == nil, &failed, c)
		pre.stop()
		if err != nil || next == nil {
			if next != nil {
				next.abandon()
			}
			return err
		}
		if batch, pre, err = next.wait(); err != nil {
			return err
		}
		done = map[string]bool{}
	}
}

// PagesPerRun is how many pages of changes (VTEX: feed reads of ten lots of
// ten) one import run takes at most; more wait for the next run.
const PagesPerRun = 10

// SetPagesPerRun changes how many pages of changes a run takes (≥ 1; 1: one
// page a run, for the tests of draining run after run).
func (s *Service) SetPagesPerRun(n int) { s.pagesPerRunN = max(n, 1) }

func (s *Service) pagesPerRun() int {
	if s.pagesPerRunN == 0 {
		return PagesPerRun
	}
	return s.pagesPerRunN
}

// timeForAnotherPage: the job running the import (if any) has a minute left
// before it must stop; a page read ahead and then abandoned would hold its
// orders back until the platform delivers them again.
func timeForAnotherPage(ctx context.Context) bool {
	j, ok := ctx.Value(jobKey{}).(JobRun)
	return !ok || j.StopBy.IsZero() || time.Until(j.StopBy) > time.Minute
}

// prefetchPage starts fetching the orders of a page of changes, but those
// in done.
func (s *Service) prefetchPage(ctx context.Context, ad platform.Adapter, batch platform.Batch, done map[string]bool) *prefetcher {
	var ids []string
	for _, ch := range batch.Changes {
		if !done[ch.ExternalID] {
			ids = append(ids, ch.ExternalID)
		}
	}
	return prefetch(ctx, ad, ids, s.fetchers())
}

// nextPage is the next page of changes, read (and its orders fetched) in
// the background while the current page is applied.
type nextPage struct {
	cancel context.CancelFunc
	ready  chan struct{}
	batch  platform.Batch
	pre    *prefetcher
	err    error
}

func (s *Service) readNextPage(ctx context.Context, ad platform.Adapter, cursor string) *nextPage {
	ctx, cancel := context.WithCancel(ctx)
	n := &nextPage{cancel: cancel, ready: make(chan struct{})}
	go func() {
		defer close(n.ready)
		n.batch, n.err = ad.Changes(ctx, cursor)
		if n.err == nil {
			n.pre = s.prefetchPage(ctx, ad, n.batch, nil)
		}
	}()
	return n
}

// wait returns the page and its prefetcher once read.
func (n *nextPage) wait() (platform.Batch, *prefetcher, error) {
	<-n.ready
	return n.batch, n.pre, n.err
}

// abandon stops the read and the fetches of a page that will not be applied.
func (n *nextPage) abandon() {
	n.cancel()
	<-n.ready
	if n.pre != nil {
		n.pre.stop()
	}
}

// importPage applies one page of changes (their orders fetched by pre),
// acknowledges them and saves the page's cursor (adding the orders applied
// to done and runDone); last: no page follows in
// this run (the shipments are then checked, and c.more says whether changes
// wait). A failure applying one order is added to failed, and the cursor is
// not advanced.
func (s *Service) importPage(ctx context.Context, ad platform.Adapter, p *model.Platform, batch platform.Batch, pre *prefetcher,
	done, runDone map[string]bool, last bool, failed *error, c *counts) error {
	applied := make([]platform.Change, 0, len(batch.Changes))
	// step applies one fetched order in its own transaction.
	step := func(ch platform.Change, o *platform.Order, gerr error) error {
		err := s.applyFetched(ctx, p, ch.ExternalID, o, gerr, c)
		switch {
		case err == nil:
		case skippable(err):
			*failed = cmp.Or(*failed, err)
			return nil
		default:
			return err
		}
		done[ch.ExternalID] = true
		applied = append(applied, ch)
		return nil
	}
	// Orders fetched and waiting, applied ApplyBatch at a time in one
	// transaction; when a batch fails, each of its orders again on its own.
	type fetchedChange struct {
		ch platform.Change
		o  *platform.Order
	}
	var waiting []fetchedChange
	flush := func() error {
		group := waiting
		waiting = nil
		if len(group) > 1 {
			orders := make([]*platform.Order, len(group))
			for i, w := range group {
				orders[i] = w.o
			}
			err := s.applyBatch(ctx, p, orders, c)
			if err == nil {
				for _, w := range group {
					done[w.ch.ExternalID] = true
					applied = append(applied, w.ch)
				}
				return nil
			}
			s.logger.Info("order batch not applied; applying its orders one by one", "platform", p.Name, "orders", len(group), "error", err)
		}
		for _, w := range group {
			if err := step(w.ch, w.o, nil); err != nil {
				return err
			}
		}
		return nil
	}
	var stop error
	for _, ch := range batch.Changes {
		if slices.ContainsFunc(waiting, func(w fetchedChange) bool { return w.ch.ExternalID == ch.ExternalID }) {
			// The same order twice in a batch: the first is applied first.
			if stop = flush(); stop != nil {
				break
			}
		}
		if done[ch.ExternalID] {
			applied = append(applied, ch)
			continue
		}
		o, gerr := pre.get(ctx, ad, ch.ExternalID)
		if gerr == nil {
			waiting = append(waiting, fetchedChange{ch, o})
			if len(waiting) >= s.batchSize() {
				if stop = flush(); stop != nil {
					break
				}
			}
			continue
		}
		if stop = flush(); stop != nil {
			break
		}
		if stop = step(ch, o, gerr); stop != nil {
			break
		}
	}
	if stop == nil {
		stop = flush()
	}
	if stop != nil {
		if len(applied) > 0 {
			if aerr := ad.Ack(ctx, applied); aerr != nil {
				s.logger.Warn("partial ack failed", "platform", p.Name, "error", aerr)
			}
		}
		return stop
	}
	if err := ad.Ack(ctx, applied); err != nil {
		return err
	}
	maps.Copy(runDone, done)
	if last || *failed != nil {
		if err := s.watchShipments(ctx, ad, p, runDone, c); err != nil {
			if !skippable(err) {
				return err
			}
			*failed = cmp.Or(*failed, err)
		}
	}
	if *failed != nil {
		return *failed
	}
	if batch.Cursor != p.Cursor {
		if err := s.store.SavePlatformCursor(ctx, p.ID, batch.Cursor); err != nil {
			return err
		}
		p.Cursor = batch.Cursor
	}
	c.more = batch.More
	return nil
}

// skippable reports whether err concerns one order only, so that the run
// goes on with the others: an application error applying it, not a platform
// failure, a cancelled context or a database outage.
func skippable(err error) bool {
	var oe *orderError
	return errors.As(err, &oe) && platform.KindOf(err) == "" &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) &&
		apperr.Code(err) != apperr.EINTERNAL
}

// fetchAndApply gets the current order from the platform and applies it. An
// order the platform no longer has is skipped (and unblocked).
func (s *Service) fetchAndApply(ctx context.Context, ad platform.Adapter, p *model.Platform, externalID string, c *counts) error {
	o, err := ad.GetOrder(ctx, externalID)
	return s.applyFetched(ctx, p, externalID, o, err, c)
}

// applyFetched applies what GetOrder answered for externalID.
func (s *Service) applyFetched(ctx context.Context, p *model.Platform, externalID string, o *platform.Order, err error, c *counts) error {
	if platform.KindOf(err) == platform.ErrNotFound {
		if _, err := s.store.ResolveBlockedOrder(ctx, p.ID, externalID); err != nil {
			return err
		}
		c.skipped++
		return nil
	}
	if err != nil {
		return err
	}
	out, err := s.apply(ctx, p, o)
	if err != nil {
		return &orderError{externalID: externalID, err: err}
	}
	c.add(out)
	return nil
}

// BlockedRecheck is how long a blocked order whose recorded cause is still
// there waits before it is fetched again anyway (the platform may have changed
// the order without an event: another SKU, another shipping method).
const BlockedRecheck = 6 * time.Hour

// fixedBlocked returns the blocked orders worth fetching again: their
// recorded cause is gone (the method is mapped now, the SKU exists now), or
// they were last looked at more than BlockedRecheck ago. Status changes of a
// blocked order (a cancellation) reach the run through the platform's change
// feed anyway. The platform's mappings and the blocked SKUs are read once for
// the whole list, not once per blocked order.
func (s *Service) fixedBlocked(ctx context.Context, p *model.Platform, open []model.BlockedOrder) ([]model.BlockedOrder, error) {
	now := s.store.Now()
	var recent []model.BlockedOrder
	for _, b := range open {
		if now.Sub(b.LastSeenAt) < BlockedRecheck {
			recent = append(recent, b)
		}
	}
	fixes, err := s.BlockFixes(ctx, recent)
	if err != nil {
		return nil, err
	}
	var out []model.BlockedOrder
	for _, b := range open {
		if now.Sub(b.LastSeenAt) < BlockedRecheck && !b.Fixed(fixes) {
			continue
		}
		out = append(out, b)
	}
	return out, nil
}

// DefaultImportFetchers is how many GetOrder requests the import keeps in
// flight ahead of the orders being applied: the fetches (network latency,
// JSON) overlap the database work and each other — with VTEX's real latency
// one request at a time could not reach its 100 requests/s — while orders
// are still applied one at a time, in feed order. The adapters' own rate
// limiters still bound the request rate.
const DefaultImportFetchers = 4

// SetImportFetchers changes how many orders are fetched ahead (≥ 1; 1 keeps
// the requests in feed order, for tests that script the platform's answers).
func (s *Service) SetImportFetchers(n int) { s.importFetchers = max(n, 1) }

func (s *Service) fetchers() int {
	if s.importFetchers == 0 {
		return DefaultImportFetchers
	}
	return s.importFetchers
}

type fetched struct {
	order *platform.Order
	err   error
}

// prefetcher fetches a batch's orders ahead of the apply loop.
type prefetcher struct {
	results map[string]chan fetched
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func prefetch(ctx context.Context, ad platform.Adapter, ids []string, workers int) *prefetcher {
	ctx, cancel := context.WithCancel(ctx)
	pf := &prefetcher{results: make(map[string]chan fetched, len(ids)), cancel: cancel}
	type job struct {
		id  string
		out chan fetched
	}
	queue := make(chan job, len(ids))
	for _, id := range ids {
		if _, dup := pf.results[id]; dup {
			continue
		}
		out := make(chan fetched, 1)
		pf.results[id] = out
		queue <- job{id, out}
	}
	close(queue)
	for range min(workers, len(pf.results)) {
		pf.wg.Add(1)
		go func() {
			defer pf.wg.Done()
			for j := range queue {
				if ctx.Err() != nil {
					j.out <- fetched{err: ctx.Err()}
					continue
				}
				o, err := ad.GetOrder(ctx, j.id)
				j.out <- fetched{order: o, err: err}
			}
		}()
	}
	return pf
}

// get returns the prefetched answer for id (once), or fetches it now.
func (pf *prefetcher) get(ctx context.Context, ad platform.Adapter, id string) (*platform.Order, error) {
	ch, ok := pf.results[id]
	if !ok {
		return ad.GetOrder(ctx, id)
	}
	delete(pf.results, id)
	r := <-ch
	return r.order, r.err
}

// stop abandons the fetches not yet consumed and waits for the fetchers.
func (pf *prefetcher) stop() {
	pf.cancel()
	pf.wg.Wait()
}
