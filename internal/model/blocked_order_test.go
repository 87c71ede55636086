package model_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
)

func TestBlockedOrderFixed(t *testing.T) {
	fixes := model.BlockFixes{
		Mapped:    map[int64]map[string]bool{1: {"Expressa": true}},
		KnownSKUs: map[string]bool{"SKU-1": true},
		Aliased:   map[int64]map[string]bool{1: {"ML-9": true}},
	}
	now := time.Now()
	cases := []struct {
		name string
		b    model.BlockedOrder
		want bool
	}{
		{"method mapped now", model.BlockedOrder{PlatformID: 1, Reason: model.BlockUnmappedCarrier, Method: "Expressa"}, true},
		{"method still unmapped", model.BlockedOrder{PlatformID: 1, Reason: model.BlockUnmappedCarrier, Method: "Normal"}, false},
		{"mapped on another platform only", model.BlockedOrder{PlatformID: 2, Reason: model.BlockUnmappedCarrier, Method: "Expressa"}, false},
		{"SKU exists now", model.BlockedOrder{PlatformID: 2, Reason: model.BlockUnknownSKU, SKU: "SKU-1"}, true},
		{"SKU still unknown", model.BlockedOrder{PlatformID: 1, Reason: model.BlockUnknownSKU, SKU: "SKU-2"}, false},
		{"SKU aliased on its platform", model.BlockedOrder{PlatformID: 1, Reason: model.BlockUnknownSKU, SKU: "ML-9"}, true},
		{"SKU aliased on another platform only", model.BlockedOrder{PlatformID: 2, Reason: model.BlockUnknownSKU, SKU: "ML-9"}, false},
		{"resolved already", model.BlockedOrder{PlatformID: 1, Reason: model.BlockUnknownSKU, SKU: "SKU-1", ResolvedAt: &now}, false},
	}
	for _, c := range cases {
		if got := c.b.Fixed(fixes); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}
