package model

import "time"

// UploadReport is the report of an upload the portal refused (or applied
// only in part), kept for the page the browser is redirected to after the
// POST (Post/Redirect/Get): the form's page shows it, a refresh shows it
// again and sends nothing. ID is random and goes in the redirect's URL; only
// UserID may read it, and only for UploadReportTTL.
type UploadReport struct {
	ID        string
	UserID    int64
	Kind      string // which form: UploadReportPriceTable, …
	Body      string // the report, JSON
	CreatedAt time.Time
}

// UploadReportTTL is how long a report can be read (a refresh, the back
// button); older ones are removed as new ones are written.
const UploadReportTTL = 24 * time.Hour

// Upload report kinds: the page whose form was sent.
const (
	UploadReportPurchaseOrder = "purchase_order" // supplier NF-e, billing NF-e, shipment (label)
	UploadReportPriceTable    = "price_table"
	UploadReportCatalog       = "catalog"
	UploadReportStockFeed     = "stock_feed"
)
