package model

import (
	"time"
)

// Platform is a connected sales platform (canal de venda). Its settings,
// credentials included, are stored sealed (secret.Box) and only opened by the
// adapter registry.
type Platform struct {
	ID             int64
	Kind           string // PlatformVTEX, KindMercadoLivre, KindSandbox
	Name           string
	BaseURL        string `gorm:"column:base_url"`
	SettingsSealed string
	TokenSealed    string
	Enabled        bool
	// ImportIntervalSeconds is how often the background robot imports orders.
	ImportIntervalSeconds int
	ImportFrom            ImportFrom
	// POAt is when the orders' purchase orders are raised (po_at).
	POAt POAt `gorm:"column:po_at;default:ready_for_handling"`
	// Cursor is the adapter's Batch.Cursor of the last acknowledged batch.
	Cursor string
	// Notification hook (platform_hooks.go).
	HookSecretSealed   string
	HookURL            string `gorm:"column:hook_url"`
	HookRegisteredAt   *time.Time
	HookError          string
	LastNotificationAt *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// DefaultImportInterval is the robot's period. The Eccosys model (DOMAIN.md)
// imports about every 15 minutes, but ConnectParts promises suppliers a PO
// within 3 minutes of the payment: the import must see the approval well
// inside that. Reading an idle VTEX feed or Mercado Livre search costs one
// request, and a burst is drained at once (Batch.More), not one batch per
// interval. Staff may lengthen it per platform.
const DefaultImportInterval = time.Minute

// Label is the platform's name and kind, for messages: "Loja (VTEX)".
func (p *Platform) Label() string {
	return p.Name + " (" + PlatformName(p.Kind) + ")"
}

// Carrier is a transportadora ConnectParts ships with.
type Carrier struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// CarrierMapping maps a platform's shipping method to a carrier (vínculo de
// transportadora). Orders whose method has no mapping are not imported.
type CarrierMapping struct {
	PlatformID int64  `gorm:"primaryKey;autoIncrement:false"`
	Method     string `gorm:"primaryKey"`
	CarrierID  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time

	Carrier *Carrier `gorm:"foreignKey:CarrierID"`
}

// BlockReason says why an order was not imported.
type BlockReason string

// Block reasons.
const (
	BlockUnmappedCarrier BlockReason = "unmapped_carrier"
	BlockUnknownSKU      BlockReason = "unknown_sku"
)

// Label is the reason in Portuguese.
func (r BlockReason) Label() string {
	switch r {
	case BlockUnmappedCarrier:
		return "Forma de envio sem transportadora vinculada"
	case BlockUnknownSKU:
		return "SKU não cadastrado no catálogo"
	}
	return string(r)
}

// BlockedOrder is an order the import refused, kept until a later run imports it.
type BlockedOrder struct {
	PlatformID int64  `gorm:"primaryKey;autoIncrement:false"`
	ExternalID string `gorm:"primaryKey"`
	Reason     BlockReason
	Detail     string // Portuguese, shown to staff
	Method     string // the shipping method, for unmapped_carrier
	SKU        string `gorm:"column:sku"` // the first unknown SKU, for unknown_sku
	// SKUs are all of them (blocked_order_skus), where the store read or
	// is to write them; nil otherwise (MissingSKUs falls back on SKU).
	SKUs          []string `gorm:"-"`
	ChannelStatus string
	FirstSeenAt   time.Time
	LastSeenAt    time.Time
	ResolvedAt    *time.Time
}

// SyncRunStatus is the outcome of a sync run.
type SyncRunStatus string

// Sync run statuses.
const (
	SyncRunning SyncRunStatus = "running"
	SyncOK      SyncRunStatus = "ok"
	SyncFailed  SyncRunStatus = "failed"
	// SyncInterrupted: the process running it died (kill -9, crash, power);
	// closed when its job was rescued or no longer runs.
	SyncInterrupted SyncRunStatus = "interrupted"
)

// Sync run kinds.
const (
	SyncKindImport = "import"
)

// SyncRun records one run of the sync robot (or of `portal sync`).
type SyncRun struct {
	ID           int64
	PlatformID   int64
	Kind         string
	StartedAt    time.Time
	FinishedAt   *time.Time
	Status       SyncRunStatus
	Imported     int
	Updated      int
	Blocked      int
	Skipped      int
	ErrorKind    string
	ErrorMessage string // Portuguese
	// JobID and JobAttempt name the background job attempt that runs it
	// (nil for `portal sync`): while that attempt runs, the run is live.
	JobID      *int64
	JobAttempt int
}

// Duration is how long the run took (0 while running).
func (r *SyncRun) Duration() time.Duration {
	if r.FinishedAt == nil {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}
