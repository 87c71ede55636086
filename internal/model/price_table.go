package model

import "time"

// PriceTableState is what is stored about a price table: the states people
// cause. Scheduled, in force and superseded are derived from the effective
// date and the clock (see PriceTableStatus).
type PriceTableState string

const (
	PriceTableDraft     PriceTableState = "draft"     // uploaded and valid, waiting for the supplier to confirm
	PriceTableSubmitted PriceTableState = "submitted" // confirmed; scheduled, in force or superseded by date
	PriceTableWithdrawn PriceTableState = "withdrawn" // withdrawn by the supplier before taking effect
	PriceTableRejected  PriceTableState = "rejected"  // rejected by purchasing before taking effect
)

// PriceTableStatus is the status shown to people and in the API.
type PriceTableStatus string

const (
	PriceTableStatusDraft      PriceTableStatus = "draft"
	PriceTableStatusScheduled  PriceTableStatus = "scheduled"
	PriceTableStatusInForce    PriceTableStatus = "in_force"
	PriceTableStatusSuperseded PriceTableStatus = "superseded"
	PriceTableStatusWithdrawn  PriceTableStatus = "withdrawn"
	PriceTableStatusRejected   PriceTableStatus = "rejected"
)

// PriceTableStatuses lists the statuses of submitted tables, in display order.
var PriceTableStatuses = []PriceTableStatus{
	PriceTableStatusScheduled, PriceTableStatusInForce, PriceTableStatusSuperseded,
	PriceTableStatusWithdrawn, PriceTableStatusRejected,
}

// Valid reports whether s is a known status.
func (s PriceTableStatus) Valid() bool {
	if s == PriceTableStatusDraft {
		return true
	}
	for _, x := range PriceTableStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Label is the status in Portuguese.
func (s PriceTableStatus) Label() string {
	switch s {
	case PriceTableStatusDraft:
		return "Rascunho"
	case PriceTableStatusScheduled:
		return "Agendada"
	case PriceTableStatusInForce:
		return "Em vigor"
	case PriceTableStatusSuperseded:
		return "Substituída"
	case PriceTableStatusWithdrawn:
		return "Retirada"
	case PriceTableStatusRejected:
		return "Recusada"
	}
	return string(s)
}

// PriceTable is one version of a supplier's prices.
type PriceTable struct {
	ID         int64
	SupplierID int64
	State      PriceTableState
	// EffectiveFrom is midnight (America/Sao_Paulo) of the effective date, or
	// the submission instant when the table takes effect on the day it is
	// submitted, so that the price in force at a past instant never changes.
	EffectiveFrom   *time.Time
	NoticeDays      int        // the supplier's notice when the table was submitted
	EarliestAllowed *time.Time // earliest effective date the notice allowed at submission
	LineCount       int
	FileName        string
	FilePath        string // relative to the data directory
	FileSHA256      string `gorm:"column:file_sha256"`
	FileSize        int64
	FileFormat      string // "CSV" or "XLSX"
	FileEncoding    string
	FileSheet       string // the XLSX worksheet read; "" for CSV
	IgnoredLines    string // EncodeIgnoredLines: title and summary lines left out of the data
	CreatedBy       *int64
	CreatedAt       time.Time
	SubmittedBy     *int64
	SubmittedAt     *time.Time

	EarlyJustification string
	EarlyGrantedBy     *int64
	EarlyGrantedAt     *time.Time
	RejectedReason     string
	RejectedBy         *int64
	RejectedAt         *time.Time
	WithdrawnBy        *int64
	WithdrawnAt        *time.Time
	InForceNotifiedAt  *time.Time
	UpdatedAt          time.Time

	// Status is derived by the query that loads the table (read-only).
	Status PriceTableStatus `gorm:"->;-:migration"`

	Supplier     *Supplier `gorm:"foreignKey:SupplierID"`
	Submitter    *User     `gorm:"foreignKey:SubmittedBy"`
	EarlyGranter *User     `gorm:"foreignKey:EarlyGrantedBy"`
	Rejecter     *User     `gorm:"foreignKey:RejectedBy"`
	Withdrawer   *User     `gorm:"foreignKey:WithdrawnBy"`
}

// PriceTableItem is the price of one product in one table.
type PriceTableItem struct {
	TableID      int64
	ProductID    int64
	Line         int
	SupplierCode string
	PriceCents   int64
	MinQty       int
	EAN          string `gorm:"column:ean"`
	Description  string
}

// Editable reports whether the table may still be withdrawn, rejected or
// brought forward: it is submitted and has not taken effect.
func (t *PriceTable) Editable() bool { return t.Status == PriceTableStatusScheduled }

// Ignored lists the lines of the file left out of the data.
func (t *PriceTable) Ignored() []IgnoredLine { return DecodeIgnoredLines(t.IgnoredLines) }
