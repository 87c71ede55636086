package model

import "time"

// SKUAlias points a platform's SKU at an existing catalog product (vínculo
// de SKU): a platform that lists the product under another code imports its
// orders as that product instead of blocking them as an unknown SKU. A
// catalog SKU always names its own product; an alias only names a SKU the
// catalog does not hold.
type SKUAlias struct {
	ID          int64
	PlatformID  int64
	PlatformSKU string `gorm:"column:platform_sku"`
	ProductID   int64
	CreatedAt   time.Time

	Product  *Product  `gorm:"foreignKey:ProductID"`
	Platform *Platform `gorm:"foreignKey:PlatformID"`
}

// TableName keeps GORM off its own plural.
func (SKUAlias) TableName() string { return "sku_aliases" }
