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
// shipping method is mapped (unmapped_carrier) or its SKU exists or is
// aliased to a product on its platform (unknown_sku); it then waits only for the next import run. A resolved
// order is not "fixed": it was imported already.
func (b *BlockedOrder) Fixed(f BlockFixes) bool {
	if b.ResolvedAt != nil {
		return false
	}
	switch b.Reason {
	case BlockUnmappedCarrier:
		return f.Mapped[b.PlatformID][b.Method]
	case BlockUnknownSKU:
		return f.KnownSKUs[b.SKU] || f.Aliased[b.PlatformID][b.SKU]
	}
	return false
}
