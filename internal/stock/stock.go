// Package stock keeps physical, reserved and available stock per product and
// location. Every change is a ledger movement with its source, reference, user
// and time; balances always equal the sum of the ledger.
package stock

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// Service applies stock operations.
type Service struct {
	store *store.Store
}

// New builds the service.
func New(st *store.Store) *Service { return &Service{store: st} }

// CD returns ConnectParts' own distribution centre.
func (s *Service) CD(ctx context.Context) (*model.StockLocation, error) {
	return s.store.EnsureLocation(ctx, model.CDLocationCode, "CD ConnectParts", nil)
}

// SupplierLocation returns the location holding a supplier's stock of dropship products.
func (s *Service) SupplierLocation(ctx context.Context, sup *model.Supplier) (*model.StockLocation, error) {
	id := sup.ID
	return s.store.EnsureLocation(ctx, "FORN-"+sup.CNPJ, "Fornecedor "+sup.DisplayName()+" ("+cnpj.Format(sup.CNPJ)+")", &id)
}

// LocationFor returns where a product's stock lives: its supplier's location
// for dropship products, the CD otherwise.
func (s *Service) LocationFor(ctx context.Context, p *model.Product) (*model.StockLocation, error) {
	if p.Dropship && p.SupplierID != nil {
		sup, err := s.store.FindSupplier(ctx, *p.SupplierID)
		if err != nil {
			return nil, err
		}
		return s.SupplierLocation(ctx, sup)
	}
	return s.CD(ctx)
}

func positive(qty int64) error {
	if qty <= 0 {
		return apperr.Invalid("A quantidade deve ser maior que zero.", apperr.Detail{Field: "quantity", Message: "Informe uma quantidade maior que zero."})
	}
	return nil
}

// Reserve holds qty units for an order: available drops, physical stays.
func (s *Service) Reserve(ctx context.Context, productID, locationID, qty int64, ref string) (*model.StockMovement, error) {
	if err := positive(qty); err != nil {
		return nil, err
	}
	return s.store.ApplyStock(ctx, store.StockChange{ProductID: productID, LocationID: locationID, Source: model.SourceOrder, ReservedDelta: qty, Reference: ref})
}

// Release gives back a reservation (an order cancelled before invoicing).
func (s *Service) Release(ctx context.Context, productID, locationID, qty int64, ref string) (*model.StockMovement, error) {
	if err := positive(qty); err != nil {
		return nil, err
	}
	return s.store.ApplyStock(ctx, store.StockChange{ProductID: productID, LocationID: locationID, Source: model.SourceOrder, ReservedDelta: -qty, Reference: ref})
}

// Consume turns a reservation into an exit (an order invoiced): physical and
// reserved both drop, available stays.
func (s *Service) Consume(ctx context.Context, productID, locationID, qty int64, ref string) (*model.StockMovement, error) {
	if err := positive(qty); err != nil {
		return nil, err
	}
	return s.store.ApplyStock(ctx, store.StockChange{ProductID: productID, LocationID: locationID, Source: model.SourceOrder, PhysicalDelta: -qty, ReservedDelta: -qty, Reference: ref})
}

// ConsumeBooked is Consume recorded as an invoice entry (nota): the units a
// supplier invoiced to ConnectParts for a dropship order leave the supplier's
// stock when fiscal books that invoice.
func (s *Service) ConsumeBooked(ctx context.Context, productID, locationID, qty int64, ref string) (*model.StockMovement, error) {
	if err := positive(qty); err != nil {
		return nil, err
	}
	return s.store.ApplyStock(ctx, store.StockChange{ProductID: productID, LocationID: locationID, Source: model.SourceInvoiceEntry, PhysicalDelta: -qty, ReservedDelta: -qty, Reference: ref})
}

// Adjust adds (or, negative, removes) physical units: invoice entry, picking, manual entry, purchase order.
func (s *Service) Adjust(ctx context.Context, productID, locationID, delta int64, source model.StockSource, ref, note string) (*model.StockMovement, error) {
	switch source {
	case model.SourceInvoiceEntry, model.SourcePicking, model.SourceManual, model.SourcePurchaseOrder:
	default:
		return nil, fmt.Errorf("stock: Adjust does not take source %q", source)
	}
	if delta == 0 {
		return nil, apperr.Invalid("A quantidade não pode ser zero.", apperr.Detail{Field: "quantity", Message: "Informe uma quantidade diferente de zero."})
	}
	if source == model.SourceManual && note == "" {
		return nil, apperr.Invalid("Explique o lançamento.", apperr.Detail{Field: "note", Message: "Informe o motivo do lançamento manual."})
	}
	return s.store.ApplyStock(ctx, store.StockChange{ProductID: productID, LocationID: locationID, Source: source, PhysicalDelta: delta, Reference: ref, Note: note})
}

// Count sets the physical quantity found in an inventory count (inventário) or
// reported by a supplier's stock feed (planilha). Reservations are kept.
func (s *Service) Count(ctx context.Context, productID, locationID, qty int64, source model.StockSource, ref, note string) (*model.StockMovement, error) {
	if source != model.SourceInventory && source != model.SourceSpreadsheet {
		return nil, fmt.Errorf("stock: Count does not take source %q", source)
	}
	if qty < 0 {
		return nil, apperr.Invalid("A quantidade não pode ser negativa.", apperr.Detail{Field: "quantity", Message: "Informe uma quantidade igual ou maior que zero."})
	}
	return s.store.ApplyStock(ctx, store.StockChange{ProductID: productID, LocationID: locationID, Source: source, Set: &qty, Reference: ref, Note: note})
}

// Totals is a product's stock over every location, with the breakdown.
type Totals struct {
	Physical, Reserved int64
	Locations          []LocationBalance
}

// Available is physical minus reserved.
func (t Totals) Available() int64 { return t.Physical - t.Reserved }

// LocationBalance is a product's stock at one location.
type LocationBalance struct {
	Location model.StockLocation
	model.StockBalance
}

// Of returns a product's stock.
func (s *Service) Of(ctx context.Context, productID int64) (Totals, error) {
	bals, err := s.store.StockBalances(ctx, productID)
	if err != nil {
		return Totals{}, err
	}
	locs, err := s.store.ListLocations(ctx)
	if err != nil {
		return Totals{}, err
	}
	byID := map[int64]model.StockLocation{}
	for _, l := range locs {
		byID[l.ID] = l
	}
	var t Totals
	for _, b := range bals {
		t.Physical += b.Physical
		t.Reserved += b.Reserved
		t.Locations = append(t.Locations, LocationBalance{Location: byID[b.LocationID], StockBalance: b})
	}
	return t, nil
}

// Verify returns every balance that differs from its ledger (none, normally).
func (s *Service) Verify(ctx context.Context) ([]store.LedgerMismatch, error) {
	return s.store.VerifyLedger(ctx)
}
