package model

// BlockFixes is what the portal knows now about the causes of blocked
// orders: the shipping methods mapped on each platform, the SKUs that
// exist in the catalog and the platform SKUs pointed at a product (SKUAlias).
type BlockFixes struct {
	Mapped    map[int64]map[string]bool // platform id → shipping method → mapped
	KnownSKUs map[string]bool
	Aliased   map[int64]map[string]bool // platform id → platform SKU → has an alias
}

// Fixed is the rule of the blocked queue: a blocked order is fixed once its
// shipping method is mapped (unmapped_carrier) or each of its SKUs exists or
// is aliased to a product on its platform (unknown_sku); it then waits only
// for the next import run. A resolved order is not "fixed": it was imported
// already.
func (b *BlockedOrder) Fixed(f BlockFixes) bool {
	if b.ResolvedAt != nil {
		return false
	}
	switch b.Reason {
	case BlockUnmappedCarrier:
		return f.Mapped[b.PlatformID][b.Method]
	case BlockUnknownSKU:
		for _, sku := range b.MissingSKUs() {
			if !f.KnownSKUs[sku] && !f.Aliased[b.PlatformID][sku] {
				return false
			}
		}
		return true
	}
	return false
}

// MissingSKUs are the SKUs an unknown_sku order was blocked for: SKUs when
// read (blocked_order_skus), else the first one.
func (b *BlockedOrder) MissingSKUs() []string {
	if len(b.SKUs) > 0 {
		return b.SKUs
	}
	return []string{b.SKU}
}
