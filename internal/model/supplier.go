package model

import "time"

// Supplier is a dropship partner that invoices ConnectParts and ships to customers.
type Supplier struct {
	ID              int64
	CNPJ            string `gorm:"column:cnpj"`
	LegalName       string
	TradeName       string
	Email           string
	DispatchHours   int
	PriceNoticeDays int
	Active          bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// DisplayName is the trade name when there is one, else the legal name.
func (s *Supplier) DisplayName() string {
	if s.TradeName != "" {
		return s.TradeName
	}
	return s.LegalName
}

// Default supplier terms (DOMAIN.md): ship within 24 h, announce price changes 20 days ahead.
const (
	DefaultDispatchHours   = 24
	DefaultPriceNoticeDays = 20
)
