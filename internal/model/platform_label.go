package model

import "time"

// Platform label formats.
const (
	LabelFormatPDF = "pdf"
	LabelFormatZPL = "zpl"
)

// POPlatformLabel is a shipment label the sales platform issued for a PO
// (Mercado Envios 2): the supplier prints it instead of its own. Kind is what
// the content is (pdf, zpl or zip, shipping.DetectLabel); Path is relative
// to the data directory.
type POPlatformLabel struct {
	POID       int64  `gorm:"column:po_id;primaryKey;autoIncrement:false"`
	Format     string `gorm:"primaryKey"`
	ShipmentID string
	Kind       string
	Path       string
	SHA256     string `gorm:"column:sha256"`
	Size       int64
	FetchedAt  time.Time
}

// TableName is po_platform_labels.
func (POPlatformLabel) TableName() string { return "po_platform_labels" }
