package pricetable

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// Comparison is a table against the one it replaces.
type Comparison struct {
	Table *model.PriceTable
	// Base is the table compared against: for a draft or a scheduled table,
	// the table in force now; for a table that took effect, the one in force
	// just before it. Nil when there was none (everything is new).
	Base        *model.PriceTable
	Summary     store.PriceDiffSummary
	ThresholdBP int64 // changes above this, in hundredths of a percent, are highlighted
}

// Compare computes the counts of the differences of t against its base (in
// SQL, on the primary keys of both tables).
func (s *Service) Compare(ctx context.Context, t *model.PriceTable) (Comparison, error) {
	c := Comparison{Table: t}
	now := s.store.Now()
	at := now
	if t.EffectiveFrom != nil && !t.EffectiveFrom.After(now) && t.State == model.PriceTableSubmitted {
		at = t.EffectiveFrom.Add(-time.Microsecond)
	}
	base, err := s.store.FindPriceTableInForce(ctx, t.SupplierID, at)
	switch {
	case err == nil && base.ID != t.ID:
		c.Base = base
	case err != nil && !apperr.Is(err, apperr.ENOTFOUND):
		return c, err
	}
	if c.ThresholdBP, err = s.store.PriceAlertBasisPoints(ctx); err != nil {
		return c, err
	}
	c.Summary, err = s.store.DiffPriceTables(ctx, t.ID, c.baseID(), c.ThresholdBP)
	return c, err
}

func (c Comparison) baseID() int64 {
	if c.Base == nil {
		return 0
	}
	return c.Base.ID
}

// DiffRows returns a page of the differences of a comparison.
func (s *Service) DiffRows(ctx context.Context, c Comparison, f store.PriceDiffFilter, p store.Page) ([]store.PriceDiffRow, int64, error) {
	f.ThresholdBP = c.ThresholdBP
	return s.store.ListPriceDiff(ctx, c.Table.ID, c.baseID(), f, p)
}

// ChangeBP is the relative change from old to new in hundredths of a
// percent, rounded half away from zero (1234 = +12,34 %).
func ChangeBP(old, new int64) int64 {
	if old == 0 {
		return 0
	}
	d := (new - old) * 10000
	if d >= 0 {
		return (d + old/2) / old
	}
	return (d - old/2) / old
}

// Highlighted reports whether a change from old to new exceeds thresholdBP.
func Highlighted(old, new, thresholdBP int64) bool {
	d := new - old
	if d < 0 {
		d = -d
	}
	return d*10000 > thresholdBP*old
}
