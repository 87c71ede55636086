package purchasing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

// exceptionStaff are the roles told about a sales order cancelled after the
// despacho: purchasing and logistics arrange the return with the supplier.
var exceptionStaff = []model.Role{model.RolePurchasing, model.RoleLogistics, model.RoleAdmin}

// CancelForOrder is the platform cancelling a sales order (the import sees
// its status become cancelled), in the caller's transaction. Every PO of the
// order still open and not despachado is cancelled with the platform's
// reason and its supplier told (EventPOCancelled; a PO without price never
// reached its supplier, so it is cancelled quietly). A PO already despachado,
// shipped or delivered is not cancelled: it is flagged as the staff exception
// "cancelado na plataforma após o despacho" and staff are notified. Calling
// it again changes nothing. It returns the POs it changed.
func (s *Service) CancelForOrder(ctx context.Context, salesOrderID int64, reason string) ([]model.PurchaseOrder, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "pedido de venda cancelado na plataforma"
	}
	var out []model.PurchaseOrder
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.cancelSalesOrderPOs(ctx, salesOrderID, reason, true)
		return err
	})
	return out, err
}

// cancelSalesOrderPOs cancels or flags every PO of the sales order (see
// CancelForOrder); platform tells whom the cancellation came from.
func (s *Service) cancelSalesOrderPOs(ctx context.Context, salesOrderID int64, reason string, platform bool) ([]model.PurchaseOrder, error) {
	pos, err := s.store.ListPurchaseOrdersOfSalesOrder(ctx, salesOrderID)
	if err != nil {
		return nil, err
	}
	var out []model.PurchaseOrder
	for i := range pos {
		po := &pos[i]
		switch {
		case po.Status == model.POCancelled:
			continue
		case po.Cancellable():
			if err := s.cancelPO(ctx, po, reason, platform); err != nil {
				return nil, err
			}
		default:
			flagged, err := s.flagCancelException(ctx, po, reason)
			if err != nil {
				return nil, err
			}
			if !flagged {
				continue
			}
		}
		out = append(out, *po)
	}
	return out, nil
}

func (s *Service) cancelPO(ctx context.Context, po *model.PurchaseOrder, reason string, platform bool) error {
	wasNoPrice := po.Status == model.PONoPrice
	history := "Cancelado pela ConnectParts. Motivo: " + reason
	told := fmt.Sprintf("O pedido de compra %s foi cancelado pela ConnectParts: não fature nem envie. Motivo: %s", po.Number, reason)
	if platform {
		history = fmt.Sprintf("Cancelado: o pedido de venda %s foi cancelado na plataforma. Motivo: %s", po.OrderNumber, reason)
		told = fmt.Sprintf("O pedido de compra %s foi cancelado (pedido de venda cancelado na plataforma): não fature nem envie. Motivo: %s", po.Number, reason)
	}
	ch, err := po.Decide(model.POActCancel, s.store.Now())
	if err != nil {
		return err
	}
	from := po.Status
	if err := s.store.ApplyPOChange(ctx, po, ch.With("cancel_reason", reason), history,
		map[string]any{"from": from, "reason": reason}); err != nil {
		return err
	}
	po.CancelReason = reason
	if wasNoPrice {
		return nil // the supplier was never told about it
	}
	return s.publish(ctx, model.EventPOCancelled, po, told)
}

func (s *Service) flagCancelException(ctx context.Context, po *model.PurchaseOrder, reason string) (bool, error) {
	// Flagging happens once: a PO flagged before (or cancelled) is left as it is.
	ch, err := po.Decide(model.POActFlagCancelException, s.store.Now())
	if err != nil {
		return false, nil
	}
	err = s.store.ApplyPOChange(ctx, po, ch.With("cancel_exception_reason", reason),
		"Pedido de venda cancelado na plataforma após o despacho: o pedido de compra não foi cancelado e aguarda a equipe. Motivo: "+reason,
		map[string]any{"status": po.Status, "reason": reason})
	if apperr.Is(err, apperr.ECONFLICT) {
		return false, nil // flagged by a concurrent run
	}
	if err != nil {
		return false, err
	}
	po.CancelExceptionReason = reason
	return true, s.store.Notify(ctx, model.Audience{Roles: exceptionStaff}, "purchase_order.cancel_exception",
		fmt.Sprintf("O pedido de venda %s foi cancelado na plataforma após o despacho do pedido de compra %s (%s): combine a devolução com o fornecedor.",
			po.OrderNumber, po.Number, strings.ToLower(po.Status.Label())), "/purchase-orders/"+po.Number)
}

// DeliverForOrder is the platform reporting the sales order delivered, in
// the caller's transaction: its shipped POs become delivered. It returns them.
func (s *Service) DeliverForOrder(ctx context.Context, salesOrderID int64) ([]model.PurchaseOrder, error) {
	var out []model.PurchaseOrder
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		pos, err := s.store.ListPurchaseOrdersOfSalesOrder(ctx, salesOrderID)
		if err != nil {
			return err
		}
		for i := range pos {
			po := &pos[i]
			ch, err := po.Decide(model.POActDeliver, s.store.Now())
			if err != nil {
				continue // only shipped POs are delivered
			}
			if err := s.store.ApplyPOChange(ctx, po, ch, "Entregue ao cliente (informado pela plataforma).", nil); err != nil {
				return err
			}
			out = append(out, *po)
		}
		return nil
	})
	return out, err
}

// ManualPrice is a unit price purchasing types for a PO line that has no
// price in force, with its justification (kept in the history and the audit).
type ManualPrice struct {
	Line          int
	UnitCents     int64
	Justification string
}

// Reprice is purchasing pricing a PO without price again with the tables in
// force now (each item's table frozen on it, as at creation); a line without
// a price in force may take a manual price with a justification. When every
// item has a price the PO goes to awaiting_supplier, its deadline restarts
// now and the supplier is told for the first time (EventPOCreated); when some
// item still has none, EINVALID lists the supplier codes and nothing changes.
// A PO not in no_price is ECONFLICT.
func (s *Service) Reprice(ctx context.Context, number string, manual ...ManualPrice) (*model.PurchaseOrder, error) {
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, err
	}
	if !po.Can(model.POActReprice) {
		return nil, model.POLifecycle[model.POActReprice].Conflict(po)
	}
	var d []apperr.Detail
	byLine := map[int]ManualPrice{}
	for _, m := range manual {
		m.Justification = strings.TrimSpace(m.Justification)
		found := false
		for _, it := range po.Items {
			found = found || it.Line == m.Line
		}
		switch {
		case !found:
			d = append(d, apperr.Detail{Field: "manual_prices", Line: m.Line, Message: fmt.Sprintf("O pedido %s não tem a linha %d.", po.Number, m.Line)})
		case m.UnitCents <= 0:
			d = append(d, apperr.Detail{Field: "manual_prices", Line: m.Line, Message: fmt.Sprintf("Linha %d: o preço manual deve ser maior que zero.", m.Line)})
		case m.Justification == "":
			d = append(d, apperr.Detail{Field: "justification", Line: m.Line, Message: fmt.Sprintf("Linha %d: justifique o preço manual.", m.Line)})
		case len([]rune(m.Justification)) > 500:
			d = append(d, apperr.Detail{Field: "justification", Line: m.Line, Message: fmt.Sprintf("Linha %d: a justificativa tem mais de 500 caracteres.", m.Line)})
		}
		byLine[m.Line] = m
	}
	now := s.store.Now()
	var missing []string
	var manualNotes []string
	var manualAudit []map[string]any
	for i := range po.Items {
		it := &po.Items[i]
		cents, table, err := s.prices.PriceAt(ctx, it.ProductID, now)
		m, typed := byLine[it.Line]
		switch {
		case apperr.Is(err, apperr.ENOTFOUND) && typed:
			total := m.UnitCents * it.Quantity
			unit := m.UnitCents
			it.UnitPriceCents, it.TotalCents, it.PriceTableID = &unit, &total, nil
			manualNotes = append(manualNotes, fmt.Sprintf("linha %d (%s) a %s — %s", it.Line, it.SupplierCode, format.Money(unit), m.Justification))
			manualAudit = append(manualAudit, map[string]any{"line": it.Line, "supplier_code": it.SupplierCode, "unit_price_cents": unit, "justification": m.Justification})
		case apperr.Is(err, apperr.ENOTFOUND):
			missing = append(missing, it.SupplierCode)
			d = append(d, apperr.Detail{Field: "items", Line: it.Line, Message: fmt.Sprintf("Linha %d (%s — %s): sem preço em vigor na tabela do fornecedor.",
				it.Line, it.SupplierCode, it.Name)})
		case err != nil:
			return nil, err
		case typed:
			d = append(d, apperr.Detail{Field: "manual_prices", Line: it.Line, Message: fmt.Sprintf("Linha %d (%s) tem preço em vigor na tabela (%s): não informe preço manual.",
				it.Line, it.SupplierCode, format.Money(cents))})
		default:
			total := cents * it.Quantity
			it.UnitPriceCents, it.TotalCents, it.PriceTableID = &cents, &total, &table
		}
	}
	if len(d) > 0 {
		msg := fmt.Sprintf("Não foi possível reprecificar o pedido %s.", po.Number)
		if len(missing) > 0 {
			msg = fmt.Sprintf("Ainda sem preço em vigor para %s: o pedido %s continua aguardando compras.", strings.Join(missing, ", "), po.Number)
		}
		return nil, apperr.Invalid(msg, d...)
	}
	due := now.Add(dispatchWindow(po.DispatchHours))
	var total int64
	for _, it := range po.Items {
		total += *it.TotalCents
	}
	msg := fmt.Sprintf("Reprecificado por compras com as tabelas em vigor em %s: total %s. Pedido enviado ao fornecedor.", format.DateTime(now), format.Money(total))
	if len(manualNotes) > 0 {
		msg += " Preço manual: " + strings.Join(manualNotes, "; ") + "."
	}
	details := map[string]any{"total_cents": total}
	if len(manualAudit) > 0 {
		details["manual_prices"] = manualAudit
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		// priced_at is now; the supplier's deadline restarts.
		ch, err := po.Decide(model.POActReprice, now)
		if err != nil {
			return err
		}
		if err := s.store.RepricePurchaseOrder(ctx, po, ch.With("due_at", due), msg, details); err != nil {
			return err
		}
		po.DueAt = due
		return s.publish(ctx, model.EventPOCreated, po,
			fmt.Sprintf("Novo pedido de compra %s: %s, despachar até %s.", po.Number, format.Money(po.TotalCents), format.DateTime(po.DueAt)))
	})
	if err != nil {
		return nil, err
	}
	return po, nil
}

// ResumeBackorder is purchasing continuing a PO without stock (the customer
// agreed to wait): backordered → acknowledged, the date the supplier promised
// kept on the PO and written in the history, the dispatch deadline counted
// from that date, and the supplier told in-app. Any other status is ECONFLICT.
func (s *Service) ResumeBackorder(ctx context.Context, number string) (*model.PurchaseOrder, error) {
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, err
	}
	ch, err := po.Decide(model.POActResume, s.store.Now())
	if err != nil {
		return nil, err
	}
	now := ch.At
	start := now
	promised := po.BackorderAvailableOn
	if day, err := time.ParseInLocation("2006-01-02", promised, format.Location); err == nil {
		promised = format.Date(day)
		if day.After(start) {
			start = day
		}
	}
	due := start.Add(dispatchWindow(po.DispatchHours))
	ch = ch.With("due_at", due)
	if po.AcknowledgedAt == nil {
		ch = ch.With("acknowledged_at", now)
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.ApplyPOChange(ctx, po, ch,
			fmt.Sprintf("O cliente concordou em aguardar: o pedido continua, com o produto disponível em %s conforme o fornecedor.", promised),
			map[string]string{"available_on": po.BackorderAvailableOn}); err != nil {
			return err
		}
		return s.store.Notify(ctx, model.Audience{SupplierID: &po.SupplierID}, "purchase_order.resumed",
			fmt.Sprintf("O pedido de compra %s continua: o cliente aguarda o produto disponível em %s. Envie a NF-e de venda quando tiver o produto.",
				po.Number, promised), "/purchase-orders/"+po.Number)
	})
	if err != nil {
		return nil, err
	}
	po.DueAt = due
	if po.AcknowledgedAt == nil {
		po.AcknowledgedAt = &now
	}
	return po, nil
}

// CancelBackordered is purchasing cancelling a PO without stock (the
// customer did not want to wait): the PO is cancelled with the reason and its
// supplier told; the sales order is cancelled as a whole — its other open POs
// are cancelled too (one already despachado becomes an exception) — and the
// cancellation is queued for the platform through the sync engine. The
// stock reservation is released when the platform confirms the cancellation
// (the import). A PO not backordered is ECONFLICT; no reason is EINVALID.
func (s *Service) CancelBackordered(ctx context.Context, number, reason string) (*model.PurchaseOrder, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, apperr.Invalid("Informe o motivo do cancelamento.", apperr.Detail{Field: "reason", Message: "Informe o motivo do cancelamento."})
	case len([]rune(reason)) > 500:
		return nil, apperr.Invalid("O motivo tem mais de 500 caracteres.", apperr.Detail{Field: "reason", Message: "O motivo tem mais de 500 caracteres."})
	}
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, err
	}
	ch, err := po.Decide(model.POActCancelBackordered, s.store.Now())
	if err != nil {
		return nil, err
	}
	if s.orders == nil {
		return nil, apperr.Errorf(apperr.ECONFLICT, "O cancelamento não está disponível nesta instalação.")
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.ApplyPOChange(ctx, po, ch.With("cancel_reason", reason),
			"Cancelado por compras (fornecedor sem estoque). Motivo: "+reason, map[string]string{"reason": reason}); err != nil {
			return err
		}
		po.CancelReason = reason
		if err := s.publish(ctx, model.EventPOCancelled, po,
			fmt.Sprintf("O pedido de compra %s foi cancelado pela ConnectParts: não fature nem envie. Motivo: %s", po.Number, reason)); err != nil {
			return err
		}
		others, err := s.cancelSalesOrderPOs(ctx, po.SalesOrderID, reason, false)
		if err != nil {
			return err
		}
		msg := fmt.Sprintf("Pedido de compra %s cancelado por compras (fornecedor sem estoque): %s.", po.Number, reason)
		for _, o := range others {
			msg += fmt.Sprintf(" Pedido de compra %s: %s.", o.Number, strings.ToLower(cancelOutcome(&o)))
		}
		if err := s.store.AddSalesOrderEvent(ctx, po.SalesOrderID, model.OrderEventPurchaseOrder, msg+" Cancelamento enviado à plataforma."); err != nil {
			return err
		}
		return s.orders.QueueCancel(ctx, po.SalesOrderID, reason)
	})
	if err != nil {
		return nil, err
	}
	return po, nil
}

// cancelOutcome is what a cancellation of the sales order did to a PO.
func cancelOutcome(po *model.PurchaseOrder) string {
	if po.Status == model.POCancelled {
		return "Cancelado"
	}
	return "Já despachado: exceção para a equipe"
}

// ResolveCancelException is staff closing the exception of a PO whose sales
// order was cancelled after the despacho, with a note on what was agreed
// (devolução combinada, …); audited, the PO leaves the queue. A PO without a
// pending exception is ECONFLICT; no note is EINVALID.
func (s *Service) ResolveCancelException(ctx context.Context, number, note string) (*model.PurchaseOrder, error) {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return nil, apperr.Invalid("Descreva o que foi combinado.", apperr.Detail{Field: "note", Message: "Descreva o que foi combinado (por exemplo, devolução combinada com o fornecedor)."})
	case len([]rune(note)) > 1000:
		return nil, apperr.Invalid("A nota tem mais de 1000 caracteres.", apperr.Detail{Field: "note", Message: "A nota tem mais de 1000 caracteres."})
	}
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, err
	}
	ch, err := po.Decide(model.POActResolveException, s.store.Now())
	if err != nil {
		return nil, err
	}
	by := model.ActorFrom(ctx).UserID
	ch = ch.With("exception_resolved_by", by).With("exception_resolution", note)
	if err := s.store.ApplyPOChange(ctx, po, ch, "Cancelamento após o despacho resolvido: "+note, map[string]any{"note": note}); err != nil {
		return nil, err
	}
	po.ExceptionResolvedBy, po.ExceptionResolution = by, note
	return po, nil
}
