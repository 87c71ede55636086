package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/errgroup"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

const exceptionsURL = "/exceptions"

// Rows per section: the first rows of every kind on the overview, a page of
// one kind when it is chosen.
const (
	exceptionsPeek = 10
	exceptionsPage = 25
)

// poExceptionFilters are the PO kinds of the inbox and the slice of the PO
// status index each reads.
var poExceptionFilters = map[model.ExceptionKind]store.PurchaseOrderFilter{
	model.ExcNoPrice:          {Status: model.PONoPrice},
	model.ExcInvoiceDivergent: {Status: model.POInvoiceDivergent},
	model.ExcBackordered:      {Status: model.POBackordered},
	model.ExcCancelledAfter:   {CancelException: true},
}

// requireInbox lets through a user who may fix at least one kind of exception.
func (s *Server) requireInbox(c *fiber.Ctx) error {
	if len(currentUser(c).ExceptionKinds()) == 0 {
		return apperr.Errorf(apperr.EFORBIDDEN, "Você não tem permissão para acessar esta página.")
	}
	return c.Next()
}

// requireFix lets through a user who may fix one of kinds.
func requireFix(kinds ...model.ExceptionKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		for _, k := range kinds {
			if u.CanFix(k) {
				return c.Next()
			}
		}
		return apperr.Errorf(apperr.EFORBIDDEN, "Você não tem permissão para esta ação.")
	}
}

// inboxBack is where an action posted from the inbox returns: the inbox URL
// its form carries ("back"), never anywhere else.
func inboxBack(c *fiber.Ctx) (string, bool) {
	b := copyString(c.FormValue("back"))
	if b == exceptionsURL || strings.HasPrefix(b, exceptionsURL+"?") {
		return b, true
	}
	return "", false
}

// handleExceptions is staff's exceptions inbox: the kinds the user may fix,
// each with its capped count, and the rows of each (or of the kind chosen),
// with their fixes.
func (s *Server) handleExceptions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := currentUser(c)
	p := views.ExceptionsProps{PlatformID: copyString(c.Query("platform")), SupplierID: copyString(c.Query("supplier")),
		Now: s.store.Now(), Next: map[model.ExceptionKind]string{}}
	platformID, supplierID := queryID(p.PlatformID), queryID(p.SupplierID)
	if platformID == nil {
		p.PlatformID = ""
	}
	if supplierID == nil {
		p.SupplierID = ""
	}
	if k := model.ExceptionKind(c.Query("kind")); u.CanFix(k) {
		p.Kind = k
	}
	var err error
	if p.Platforms, p.PlatformNames, err = s.platformNames(c); err != nil {
		return err
	}
	if p.Suppliers, _, err = s.store.ListSuppliers(ctx, store.SupplierFilter{}, store.Page{Size: 200}); err != nil {
		return err
	}
	size := exceptionsPeek
	if p.Kind != "" {
		size = exceptionsPage
	}
	before, _ := strconv.ParseInt(c.Query("before"), 10, 64)
	lateFrom, _ := strconv.Atoi(c.Query("from"))
	shows := func(k model.ExceptionKind) bool { return p.Kind == "" || p.Kind == k }

	// Each kind's count and rows are read side by side (they share nothing),
	// each into its own slot, and put together in the kinds' order after.
	type kindRows struct {
		tab    views.ExceptionTab
		causes []views.BlockedCauseRow
		pos    []model.PurchaseOrder
		failed []store.FailedPush
		next   string
	}
	kinds := u.ExceptionKinds()
	got := make([]kindRows, len(kinds))
	g, gctx := errgroup.WithContext(ctx)
	for i, k := range kinds {
		r := &got[i]
		r.tab.Kind = k
		g.Go(func() error {
			var err error
			switch k {
			case model.ExcBlockedCarrier, model.ExcBlockedSKU:
				reason := model.BlockUnmappedCarrier
				if k == model.ExcBlockedSKU {
					reason = model.BlockUnknownSKU
				}
				if r.causes, err = s.blockedCauses(gctx, store.BlockedCauseFilter{PlatformID: platformID, Reason: reason}); err != nil {
					return err
				}
				// orders, not causes: an order missing two SKUs is under both
				r.tab.Count, err = s.store.CountOpenBlockedFor(gctx, platformID, reason)
			case model.ExcLate:
				if r.tab.Count, err = s.store.CountLatePurchaseOrders(gctx, supplierID, p.Now); err != nil {
					return err
				}
				if shows(k) && r.tab.Count > 0 {
					r.pos, r.next, err = s.latePage(gctx, p, supplierID, lateFrom, size, r.tab.Count)
				}
			case model.ExcFailedPush:
				if r.failed, err = s.store.ListFailedPushes(gctx, platformID, 100); err != nil {
					return err
				}
				r.tab.Count = int64(len(r.failed))
			default:
				f := poExceptionFilters[k]
				f.SupplierID = supplierID
				if r.tab.Count, err = s.store.CountPurchaseOrdersCapped(gctx, f); err != nil {
					return err
				}
				if !shows(k) || r.tab.Count == 0 {
					return nil
				}
				if p.Kind == k {
					f.BeforeID = before
				}
				if r.pos, err = s.store.PurchaseOrdersPage(gctx, f, store.Page{Size: size}); err != nil {
					return err
				}
				if len(r.pos) == size && p.Kind == k {
					r.next = p.URL(k) + "&before=" + itoa(r.pos[len(r.pos)-1].ID)
				}
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, k := range kinds {
		r := got[i]
		if r.next != "" {
			p.Next[k] = r.next
		}
		switch k {
		case model.ExcBlockedCarrier:
			p.CarrierCauses = r.causes
		case model.ExcBlockedSKU:
			p.SKUCauses = r.causes
		case model.ExcLate:
			p.Late = r.pos
		case model.ExcFailedPush:
			p.Failed = r.failed
		case model.ExcNoPrice:
			p.NoPrice = r.pos
		case model.ExcInvoiceDivergent:
			p.Divergent = r.pos
		case model.ExcBackordered:
			p.Backordered = r.pos
		case model.ExcCancelledAfter:
			p.Cancelled = r.pos
		}
		p.Tabs = append(p.Tabs, r.tab)
	}
	if len(p.Divergent) > 0 {
		ids := make([]int64, len(p.Divergent))
		for i, po := range p.Divergent {
			ids[i] = po.ID
		}
		if p.Divergences, err = s.store.InvoiceDivergences(ctx, ids); err != nil {
			return err
		}
	}
	if u.CanFix(model.ExcBlockedCarrier) && (len(p.CarrierCauses) > 0) {
		if p.Carriers, err = s.store.ListCarriers(ctx); err != nil {
			return err
		}
	}
	p.CanImport = canImportNow(u)
	return s.render(c, views.ExceptionsPage(p))
}

// canImportNow: whoever fixes a cause of blocked imports may import at once.
func canImportNow(u *model.User) bool {
	return u.CanFix(model.ExcBlockedCarrier) || u.CanFix(model.ExcBlockedSKU)
}

// blockedCauses are the causes of open blocked orders, each marked fixed when
// its method is mapped or its SKU exists now (model.BlockedOrder.Fixed).
func (s *Server) blockedCauses(ctx context.Context, f store.BlockedCauseFilter) ([]views.BlockedCauseRow, error) {
	causes, err := s.store.ListBlockedCauses(ctx, f)
	if err != nil {
		return nil, err
	}
	blocked := make([]model.BlockedOrder, len(causes))
	for i, r := range causes {
		blocked[i] = model.BlockedOrder{PlatformID: r.PlatformID, Reason: r.Reason, Method: r.Method, SKU: r.SKU}
	}
	fixes, err := s.syncEngine.BlockFixes(ctx, blocked)
	if err != nil {
		return nil, err
	}
	out := make([]views.BlockedCauseRow, len(causes))
	for i, r := range causes {
		out[i] = views.BlockedCauseRow{BlockedCause: r, Fixed: blocked[i].Fixed(fixes)}
	}
	return out, nil
}

// latePage is one page of the late POs (of one supplier when given) from
// the from-th (on the late tab only), in
// deadline order, read from the billed-unshipped slice; total is the tab's
// count.
func (s *Server) latePage(ctx context.Context, p views.ExceptionsProps, supplierID *int64, from, size int, total int64) ([]model.PurchaseOrder, string, error) {
	if p.Kind == model.ExcLate {
		from = min(max(from, 0), int(total))
	} else {
		from = 0
	}
	rows, err := s.store.ListLatePurchaseOrdersPage(ctx, supplierID, p.Now, from, size)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if to := from + len(rows); int64(to) < total && p.Kind == model.ExcLate {
		next = p.URL(model.ExcLate) + "&from=" + strconv.Itoa(to)
	}
	return rows, next, nil
}

// handleExceptionsImportNow is "Importar agora" beside the blocked imports:
// it queues the platform's import (a unique River job: one already waiting
// or running is not queued twice), which takes every fixed blocked order
// first, and says what happened.
func (s *Server) handleExceptionsImportNow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	back, ok := inboxBack(c)
	if !ok {
		back = "/orders/blocked"
	}
	p, err := s.formPlatform(c)
	if err != nil {
		return err
	}
	// Counted by order, as the import takes them (an order missing two SKUs
	// is under two causes, and is fixed only when both are).
	fixed, waiting, err := s.blockedFixedWaiting(ctx, p.ID, "")
	if err != nil {
		return err
	}
	out, err := s.queueSync(ctx, p.ID)
	if err != nil {
		return err
	}
	kind := "success"
	if out.State == jobs.SyncRunning || out.State == jobs.SyncWaiting {
		kind = "info"
	}
	msg := p.Name + ": " + importNowSummary(fixed, waiting) + " " + syncOutcomeMessage(out)
	return redirectWith(c, back, kind, msg)
}

// blockedFixedWaiting counts a platform's open blocked orders that are fixed
// (model.BlockedOrder.Fixed) and those still waiting, among those missing sku
// when it is given.
func (s *Server) blockedFixedWaiting(ctx context.Context, platformID int64, sku string) (fixed, waiting int64, err error) {
	open, err := s.store.ListBlockedOrders(ctx, platformID, true)
	if err != nil {
		return 0, 0, err
	}
	if sku != "" {
		open = slices.DeleteFunc(open, func(b model.BlockedOrder) bool {
			return b.Reason != model.BlockUnknownSKU || !slices.Contains(b.MissingSKUs(), sku)
		})
	}
	fixes, err := s.syncEngine.BlockFixes(ctx, open)
	if err != nil {
		return 0, 0, err
	}
	for i := range open {
		if open[i].Fixed(fixes) {
			fixed++
		} else {
			waiting++
		}
	}
	return fixed, waiting, nil
}

// importNowSummary says how many blocked orders the import takes and how many
// still wait for a fix.
func importNowSummary(fixed, waiting int64) string {
	s := ""
	switch fixed {
	case 0:
		s = "nenhum pedido bloqueado foi corrigido ainda; a importação traz só os pedidos novos."
	case 1:
		s = "1 pedido corrigido será importado."
	default:
		s = itoa(fixed) + " pedidos corrigidos serão importados."
	}
	switch {
	case waiting == 1:
		s += " 1 ainda aguarda correção."
	case waiting > 1:
		s += " " + itoa(waiting) + " ainda aguardam correção."
	}
	return s
}

// handleExceptionsRetryPush is "Tentar de novo" on a failed push: a status
// action goes back to pending with its push job; a product's stock is due
// again with a stock push.
func (s *Server) handleExceptionsRetryPush(c *fiber.Ctx) error {
	ctx := c.UserContext()
	back, ok := inboxBack(c)
	if !ok {
		back = exceptionsURL + "?kind=" + string(model.ExcFailedPush)
	}
	id := queryID(c.FormValue("id"))
	if id == nil {
		return apperr.Errorf(apperr.ENOTFOUND, "Envio não encontrado.")
	}
	var msg string
	switch c.FormValue("kind") {
	case "status":
		sp, err := s.syncEngine.RetryStatusPush(ctx, *id)
		if err != nil {
			if !isUserError(err) {
				return err
			}
			return redirectWith(c, back, "error", apperr.Message(err))
		}
		msg = model.StatusAction(sp.Action).Label() + " do pedido " + sp.ExternalID + ": nova tentativa na fila."
	case "stock":
		pid := queryID(c.FormValue("platform_id"))
		if pid == nil {
			return apperr.Errorf(apperr.ENOTFOUND, "Plataforma não encontrada.")
		}
		if err := s.syncEngine.RetryStockPush(ctx, *pid, *id); err != nil {
			if apperr.Is(err, apperr.ENOTFOUND) {
				return redirectWith(c, back, "error", apperr.Message(err))
			}
			return err
		}
		msg = "Estoque do produto marcado para reenvio: nova tentativa na fila."
	default:
		return apperr.Errorf(apperr.EINVALID, "Tipo de envio desconhecido.")
	}
	return redirectWith(c, back, "success", msg)
}

// handleExceptionsRemind tells the supplier what a PO waits on (a corrected
// NF-e, the late shipment); fiscal reminds of NF-e, logistics of shipments.
func (s *Server) handleExceptionsRemind(c *fiber.Ctx) error {
	ctx := c.UserContext()
	back, ok := inboxBack(c)
	if !ok {
		back = exceptionsURL
	}
	po, err := s.purchasing.Find(ctx, nil, copyString(c.Params("number")))
	if err != nil {
		return err
	}
	need := model.ExcLate
	if po.Status == model.POInvoiceDivergent {
		need = model.ExcInvoiceDivergent
	}
	if !currentUser(c).CanFix(need) {
		return apperr.Errorf(apperr.EFORBIDDEN, "Você não tem permissão para esta ação.")
	}
	po, _, err = s.purchasing.RemindSupplier(ctx, po.Number)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		return redirectWith(c, back, "error", apperr.Message(err))
	}
	return redirectWith(c, back, "success", "Fornecedor "+supplierLabel(po)+" avisado no portal sobre o pedido "+po.Number+".")
}

func supplierLabel(po *model.PurchaseOrder) string {
	if po.Supplier != nil {
		return po.Supplier.DisplayName()
	}
	return ""
}

// exceptionTotal is what waits in the user's inbox, for the home card: the
// sum of the capped counts of the kinds the user may fix. w, when the home
// counted it already, gives the PO kinds and the late count without asking
// again.
func (s *Server) exceptionTotal(ctx context.Context, u *model.User, w *views.POWorkload) (int64, error) {
	var total int64
	for _, k := range u.ExceptionKinds() {
		var n int64
		var err error
		if f, ok := poExceptionFilters[k]; ok && w != nil && f.Status != "" {
			total += min(w.Counts[f.Status], store.ListCountCap+1)
			continue
		}
		if k == model.ExcLate && w != nil {
			total += w.Late
			continue
		}
		if k == model.ExcCancelledAfter && w != nil {
			total += min(w.CancelExceptions, store.ListCountCap+1)
			continue
		}
		switch k {
		case model.ExcBlockedCarrier, model.ExcBlockedSKU:
			reason := model.BlockUnmappedCarrier
			if k == model.ExcBlockedSKU {
				reason = model.BlockUnknownSKU
			}
			n, err = s.store.CountOpenBlockedFor(ctx, nil, reason)
		case model.ExcLate:
			n, err = s.store.CountLatePurchaseOrders(ctx, nil, s.store.Now())
		case model.ExcFailedPush:
			var failed []store.FailedPush
			failed, err = s.store.ListFailedPushes(ctx, nil, 100)
			n = int64(len(failed))
		default:
			n, err = s.store.CountPurchaseOrdersCapped(ctx, poExceptionFilters[k])
		}
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
