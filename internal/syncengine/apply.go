package syncengine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

type outcome int

const (
	outSkipped outcome = iota
	outImported
	outUpdated
	outBlocked
)

// applyAttempts bounds how often apply runs an order's transaction that
// PostgreSQL aborted as a deadlock or serialization failure (store.Retryable).
const applyAttempts = 4

// apply brings the portal in step with one platform order, in its own
// transaction — run again when PostgreSQL aborts it as a deadlock (40P01) or
// serialization failure: the transaction rolled back whole and reads the
// order's state afresh, so a second run is the same import (its jobs and
// notifications are inserted in the transaction too).
func (s *Service) apply(ctx context.Context, p *model.Platform, o *platform.Order) (outcome, error) {
	normalize(o)
	var out outcome
	err := s.store.TxRetry(ctx, applyAttempts, func(ctx context.Context) error {
		out = outSkipped
		if err := s.store.LockPlatformOrder(ctx, p.ID, o.ExternalID); err != nil {
			return err
		}
		existing, err := s.findOrder(ctx, p.ID, o.ExternalID)
		var before model.SOStatus
		so := existing
		switch {
		case err == nil:
			before = existing.Status
			out, err = s.update(ctx, p, existing, o)
		case apperr.Is(err, apperr.ENOTFOUND):
			out, so, err = s.insert(ctx, p, o)
		}
		if err != nil || (out != outImported && out != outUpdated) {
			return err
		}
		return s.afterApply(ctx, p, so, before)
	})
	return out, err
}

// normalize trims what the rules compare and drops lines without quantity.
func normalize(o *platform.Order) {
	o.ShippingMethod = strings.TrimSpace(o.ShippingMethod)
	items := o.Items[:0]
	for _, it := range o.Items {
		it.SKU = strings.TrimSpace(it.SKU)
		if it.Quantity > 0 {
			items = append(items, it)
		}
	}
	o.Items = items
}

// insert imports a new order, or blocks it.
func (s *Service) insert(ctx context.Context, p *model.Platform, o *platform.Order) (outcome, *model.SalesOrder, error) {
	if !p.ImportFrom.Allows(o.Status) {
		// Not importable (yet): awaiting payment under payment_confirmed, an
		// unknown status, or cancelled before it ever reached the portal —
		// then a blocked row has nothing left to wait for.
		if o.Status == model.SOCancelled {
			if _, err := s.store.ResolveBlockedOrder(ctx, p.ID, o.ExternalID); err != nil {
				return 0, nil, err
			}
		}
		return outSkipped, nil, nil
	}

	var problems []string
	block := model.BlockedOrder{PlatformID: p.ID, ExternalID: o.ExternalID, ChannelStatus: o.ChannelStatus}
	mapping, err := s.carrierMapping(ctx, p.ID, o.ShippingMethod)
	switch {
	case apperr.Is(err, apperr.ENOTFOUND):
		block.Reason, block.Method = model.BlockUnmappedCarrier, o.ShippingMethod
		if o.ShippingMethod == "" {
			problems = append(problems, "O pedido não informa a forma de envio.")
		} else {
			problems = append(problems, fmt.Sprintf("A forma de envio %q não tem transportadora vinculada em %s.", o.ShippingMethod, p.Name))
		}
	case err != nil:
		return 0, nil, err
	}
	skus := make([]string, 0, len(o.Items))
	for _, it := range o.Items {
		skus = append(skus, it.SKU)
	}
	products, err := s.productsBySKU(ctx, p.ID, skus)
	if err != nil {
		return 0, nil, err
	}
	var missing []string
	for _, it := range o.Items {
		if _, ok := products[it.SKU]; !ok {
			name := it.SKU
			if name == "" {
				name = fmt.Sprintf("(sem SKU: %s)", it.Name)
			}
			missing = append(missing, name)
		}
	}
	if len(o.Items) == 0 {
		missing = append(missing, "(pedido sem itens)")
	}
	if len(missing) > 0 {
		if block.Reason == "" {
			block.Reason = model.BlockUnknownSKU
		}
		block.SKU, block.SKUs = missing[0], missing
		problems = append(problems, "SKU não cadastrado no catálogo: "+strings.Join(missing, ", ")+".")
	}
	if block.Reason != "" {
		block.Detail = strings.Join(problems, " ")
		if err := s.store.BlockOrder(ctx, &block); err != nil {
			return 0, nil, err
		}
		return outBlocked, nil, nil
	}

	so := salesOrderFrom(p, o)
	so.CarrierID = &mapping.CarrierID
	// Lines of one supplier (or of the CD, key 0) share a stock location:
	// it is looked up once per order, not once per line.
	locations := map[int64]*model.StockLocation{}
	for _, it := range o.Items {
		prod := products[it.SKU]
		var key int64
		if prod.Dropship && prod.SupplierID != nil {
			key = *prod.SupplierID
		}
		loc, ok := locations[key]
		if !ok {
			if loc, err = s.locationFor(ctx, p.ID, &prod); err != nil {
				return 0, nil, err
			}
			locations[key] = loc
		}
		so.Items = append(so.Items, model.SalesOrderItem{
			ProductID: prod.ID, LocationID: loc.ID, SKU: it.SKU, PlatformItemID: it.PlatformItemID,
			Name: it.Name, Quantity: it.Quantity, UnitPriceCents: it.UnitCents, TotalCents: it.TotalCents,
		})
	}
	if err := s.store.CreateSalesOrder(ctx, so); err != nil {
		return 0, nil, err
	}
	msg := fmt.Sprintf("Pedido importado de %s com status %s (%s na plataforma).", p.Label(), so.Status.Label(), model.ChannelStatusLabel(so.ChannelStatus))
	if prev, err := s.findBlocked(ctx, p.ID, o.ExternalID); err == nil && prev.ResolvedAt == nil {
		msg += " Estava bloqueado: " + prev.Reason.Label() + "."
		if _, err := s.store.ResolveBlockedOrder(ctx, p.ID, o.ExternalID); err != nil {
			return 0, nil, err
		}
	} else if err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
		return 0, nil, err
	}
	if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventImported, msg); err != nil {
		return 0, nil, err
	}
	if !so.Logistics.RaisesPO() {
		// Mercado Livre Full: shipped from the platform's warehouse; no PO
		// and no supplier stock involved.
		return outImported, so, s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventImported, model.LogisticsPlatformFulfils.Label()+".")
	}
	if err := s.purchaseOrders(ctx, p, so, so.Status); err != nil {
		return 0, nil, err
	}
	changed, err := s.reconcileStock(ctx, p, so, o.Status, o.Reserve)
	if err != nil {
		return 0, nil, err
	}
	if changed {
		if err := s.store.UpdateSalesOrderSync(ctx, so); err != nil {
			return 0, nil, err
		}
	}
	return outImported, so, nil
}

func salesOrderFrom(p *model.Platform, o *platform.Order) *model.SalesOrder {
	so := &model.SalesOrder{
		PlatformID: p.ID, ExternalID: o.ExternalID, Number: o.Number,
		Status: o.Status, ChannelStatus: o.ChannelStatus, CancelRequested: o.CancelRequested,

		CustomerName: o.Customer.Name, CustomerTradeName: o.Customer.TradeName, CustomerType: o.Customer.Type,
		CustomerDocument: o.Customer.Document, CustomerStateRegistration: o.Customer.StateRegistration,
		CustomerICMSContributor: o.Customer.ICMSContributor, CustomerSuframa: o.Customer.Suframa,
		CustomerEmail: o.Customer.Email, CustomerPhones: strings.Join(o.Customer.Phones, ", "),

		DeliveryRecipient: o.Address.Recipient, DeliveryStreet: o.Address.Street, DeliveryNumber: o.Address.Number,
		DeliveryComplement: o.Address.Complement, DeliveryReference: o.Address.Reference,
		DeliveryDistrict: o.Address.District, DeliveryCEP: o.Address.CEP, DeliveryCity: o.Address.City,
		DeliveryState: o.Address.State, DeliveryCountry: o.Address.Country, DeliveryIBGECode: o.Address.IBGECityCode,

		ShippingMethod: o.ShippingMethod, ChannelCarrier: o.Carrier, TrackingNumber: o.TrackingNumber,
		ShipmentID: o.ShipmentID, Logistics: o.Logistics,

		ItemsCents: o.ItemsCents, ShippingCents: o.ShippingCents, DiscountCents: o.DiscountCents, TotalCents: o.TotalCents,
		PlacedAt: o.CreatedAt.UTC(), PaidAt: utcPtr(o.PaidAt),
	}
	if so.PlacedAt.IsZero() {
		so.PlacedAt = o.UpdatedAt.UTC()
	}
	if !o.UpdatedAt.IsZero() {
		t := o.UpdatedAt.UTC()
		so.ChannelUpdatedAt = &t
	}
	return so
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// update keeps a known order in step with the platform.
func (s *Service) update(ctx context.Context, p *model.Platform, so *model.SalesOrder, o *platform.Order) (outcome, error) {
	changed := false
	status, stockStatus := o.Status, o.Status
	if billed(so.Status) && beforeBilling(status) {
		stockStatus = so.Status
	}
	if status == model.SOUnknown || (billed(so.Status) && beforeBilling(status)) {
		// A transitional or unknown platform status: keep ours. And an
		// order ConnectParts billed does not go back to before billing
		// because the platform has not caught up (Mercado Livre Flex: the
		// NF-e in the pack's documents does not move the shipment).
		status = so.Status
	}
	switch {
	case status != so.Status:
		msg := fmt.Sprintf("Status alterado de %s para %s (%s na plataforma).", so.Status.Label(), status.Label(), model.ChannelStatusLabel(o.ChannelStatus))
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStatusChanged, msg); err != nil {
			return 0, err
		}
		if so.Logistics.RaisesPO() {
			if err := s.purchaseOrders(ctx, p, so, status); err != nil {
				return 0, err
			}
			so.TrackingNumber = cmp.Or(o.TrackingNumber, so.TrackingNumber)
			if err := s.purchaseOrdersFollow(ctx, so, status, o.CancelReason); err != nil {
				return 0, err
			}
		}
		changed = true
	case o.ChannelStatus != so.ChannelStatus:
		msg := fmt.Sprintf("Status na plataforma alterado de %s para %s.", model.ChannelStatusLabel(so.ChannelStatus), model.ChannelStatusLabel(o.ChannelStatus))
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStatusChanged, msg); err != nil {
			return 0, err
		}
		changed = true
	}
	if o.CancelRequested && !so.CancelRequested {
		msg := "Cancelamento solicitado na plataforma."
		if o.CancelReason != "" {
			msg = fmt.Sprintf("Cancelamento solicitado na plataforma: %s.", strings.TrimSuffix(o.CancelReason, "."))
		}
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventCancelRequested, msg); err != nil {
			return 0, err
		}
	}
	if o.CancelRequested != so.CancelRequested {
		changed = true
	}
	so.Status, so.ChannelStatus, so.CancelRequested = status, o.ChannelStatus, o.CancelRequested
	if so.PaidAt == nil && o.PaidAt != nil {
		so.PaidAt, changed = utcPtr(o.PaidAt), true
	}
	if o.TrackingNumber != "" && o.TrackingNumber != so.TrackingNumber {
		so.TrackingNumber, changed = o.TrackingNumber, true
	}
	if o.ShipmentID != "" && o.ShipmentID != so.ShipmentID {
		so.ShipmentID, changed = o.ShipmentID, true
	}
	if o.Logistics != so.Logistics && (o.ShipmentID != "" || o.ShippingMethod != "") {
		so.Logistics, changed = o.Logistics, true
	}
	stockChanged := false
	if so.Logistics.RaisesPO() {
		var err error
		if stockChanged, err = s.reconcileStock(ctx, p, so, stockStatus, o.Reserve); err != nil {
			return 0, err
		}
	}
	if !changed && !stockChanged {
		return outSkipped, nil
	}
	if !o.UpdatedAt.IsZero() {
		t := o.UpdatedAt.UTC()
		so.ChannelUpdatedAt = &t
	}
	if err := s.store.UpdateSalesOrderSync(ctx, so); err != nil {
		return 0, err
	}
	return outUpdated, nil
}

// reconcileStock moves the order's stock to where the platform status says
// it should be, and reports whether anything moved:
//
//   - invoiced, dispatched or delivered: the reservation is consumed (made
//     first if the order never held one) — of the lines not consumed yet by
//     the booking of their PO's supplier invoice (ConsumeForPurchaseOrder);
//   - cancelled before invoicing: the reservation of the lines not consumed
//     is released;
//   - otherwise, when the platform says the order holds stock (payment
//     approved, or a platform that does not reserve by itself): reserved.
//
// Nothing moves for an unknown platform status, and nothing ever moves again
// once the stock was consumed.
func (s *SalesOrders) reconcileStock(ctx context.Context, p *model.Platform, so *model.SalesOrder, status model.SOStatus, reserve bool) (bool, error) {
	if so.StockConsumed || status == model.SOUnknown {
		return false, nil
	}
	ref := fmt.Sprintf("order:%s:%s", p.Name, so.ExternalID)
	switch {
	case status.Invoiced():
		open := openItems(so)
		if !so.Reserved {
			if err := s.eachItem(ctx, so, ref, s.stock.Reserve); err != nil {
				return false, err
			}
		}
		if err := s.eachItem(ctx, so, ref, s.stock.Consume); err != nil {
			return false, err
		}
		if err := s.markConsumed(ctx, so, open); err != nil {
			return false, err
		}
		so.Reserved, so.StockConsumed = false, true
		if len(open) == 0 {
			return true, nil // every line was consumed by its supplier invoice's booking
		}
		return true, s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStockConsumed,
			"Estoque baixado pelo faturamento: "+itemList(open)+".")
	case status == model.SOCancelled:
		if !so.Reserved {
			return false, nil
		}
		if err := s.eachItem(ctx, so, ref, s.stock.Release); err != nil {
			return false, err
		}
		so.Reserved = false
		return true, s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStockReleased,
			"Reserva de estoque liberada pelo cancelamento: "+itemList(openItems(so))+".")
	}
	if !reserve || so.Reserved {
		return false, nil
	}
	if err := s.eachItem(ctx, so, ref, s.stock.Reserve); err != nil {
		return false, err
	}
	so.Reserved = true
	return true, s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStockReserved,
		"Estoque reservado: "+itemList(openItems(so))+".")
}

type stockOp func(ctx context.Context, productID, locationID, qty int64, ref string) (*model.StockMovement, error)

// eachItem applies op to the order's lines whose units are still in stock
// (not consumed), in product and location order: orders imported at the same
// time (notifications) lock the same balances in the same order, so
// PostgreSQL never finds them deadlocked.
func (s *SalesOrders) eachItem(ctx context.Context, so *model.SalesOrder, ref string, op stockOp) error {
	items := openItems(so)
	slices.SortStableFunc(items, func(a, b model.SalesOrderItem) int {
		return cmp.Or(cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.LocationID, b.LocationID))
	})
	for _, it := range items {
		if _, err := op(ctx, it.ProductID, it.LocationID, it.Quantity, ref); err != nil {
			return err
		}
	}
	return nil
}

// openItems are the order's lines not consumed yet.
func openItems(so *model.SalesOrder) []model.SalesOrderItem {
	var out []model.SalesOrderItem
	for _, it := range so.Items {
		if !it.Consumed {
			out = append(out, it)
		}
	}
	return out
}

// markConsumed records that these lines left the stock, in the order and
// in the database.
func (s *SalesOrders) markConsumed(ctx context.Context, so *model.SalesOrder, lines []model.SalesOrderItem) error {
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.ID)
		for i := range so.Items {
			if so.Items[i].ID == l.ID {
				so.Items[i].Consumed = true
			}
		}
	}
	return s.store.MarkSalesOrderItemsConsumed(ctx, ids)
}

func itemList(items []model.SalesOrderItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, fmt.Sprintf("%s × %d", it.SKU, it.Quantity))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// billed reports whether ConnectParts' billing (or the platform) took the
// order to invoiced or beyond.
func billed(s model.SOStatus) bool {
	return s == model.SOInvoiced || s == model.SODispatched || s == model.SODelivered
}

// beforeBilling reports whether s is a paid status before invoicing.
func beforeBilling(s model.SOStatus) bool {
	return s == model.SOPaymentApproved || s == model.SOReadyForHandling || s == model.SOHandling
}
