package store

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// OrderSearch narrows the staff order list and the orders API.
type OrderSearch struct {
	Status     model.SOStatus
	PlatformID *int64
	// PlacedFrom and PlacedTo bound placed_at: From inclusive, To exclusive.
	PlacedFrom *time.Time
	PlacedTo   *time.Time
	// Query matches the order number, the platform's id or the customer's
	// CPF/CNPJ (with or without punctuation).
	Query string
	// BeforeID keeps orders with a smaller id (the API cursor; the API lists
	// by id, newest first).
	BeforeID  int64
	WithItems bool
	// Sort is the list's chosen order (pages only); default newest placed first.
	Sort Sort
	// walkSort: the page is read walking the sort column's index (see
	// walkSortOnSQLite), the status and platform tested on each row.
	walkSort bool
}

// SalesOrderDetail is one order with everything its page shows.
type SalesOrderDetail struct {
	Order    model.SalesOrder
	Platform model.Platform
	Carrier  *model.Carrier
	Events   []model.SalesOrderEvent
}

// FindSalesOrderDetail returns an order with its items, platform, carrier and
// timeline (oldest first).
func (s *Store) FindSalesOrderDetail(ctx context.Context, id int64) (*SalesOrderDetail, error) {
	o, err := s.FindSalesOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.FindPlatform(ctx, o.PlatformID)
	if err != nil {
		return nil, err
	}
	d := &SalesOrderDetail{Order: *o, Platform: *p}
	if o.CarrierID != nil {
		if d.Carrier, err = s.FindCarrier(ctx, *o.CarrierID); err != nil {
			return nil, err
		}
	}
	if d.Events, err = s.ListSalesOrderEvents(ctx, o.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// BlockedFilter narrows the blocked queue.
type BlockedFilter struct {
	PlatformID *int64
	// OpenOnly hides the orders imported (or cancelled) since.
	OpenOnly bool
	Reason   model.BlockReason // one reason; "" every reason
	Query    string            // part of the order id, SKU or shipping method
	Sort     Sort              // default: open first, then oldest first
}

// BlockedRow is a blocked order with its platform.
type BlockedRow struct {
	model.BlockedOrder
	PlatformName string
	PlatformKind string
}

// ListBlockedQueue returns a page of blocked orders of every platform:
// unresolved first, then oldest first.
func (s *Store) ListBlockedQueue(ctx context.Context, f BlockedFilter, p Page) ([]BlockedRow, int64, error) {
	p = p.Normalize()
	q := s.filterBlocked(ctx, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Pedido bloqueado")
	}
	var out []BlockedRow
	err := q.Select("b.*, p.name AS platform_name, p.kind AS platform_kind").
		Order(blockedOrder(f.Sort)).
		Limit(p.Size).Offset(p.offset()).Scan(&out).Error
	if err != nil {
		return nil, 0, translate(err, "Pedido bloqueado")
	}
	ptrs := make([]*model.BlockedOrder, len(out))
	for i := range out {
		ptrs[i] = &out[i].BlockedOrder
	}
	return out, total, s.loadBlockedSKUs(ctx, ptrs)
}

// CountOpenBlockedFor counts the open blocked orders of one reason (of one
// platform when given): each order once, whatever number of SKUs it waits for.
func (s *Store) CountOpenBlockedFor(ctx context.Context, platformID *int64, reason model.BlockReason) (int64, error) {
	q := s.conn(ctx).Model(&model.BlockedOrder{}).Where("resolved_at IS NULL AND reason = ?", reason)
	if platformID != nil {
		q = q.Where("platform_id = ?", *platformID)
	}
	var n int64
	err := q.Count(&n).Error
	return n, translate(err, "Pedido bloqueado")
}

// CountOpenBlocked counts the blocked orders still waiting, of every platform.
func (s *Store) CountOpenBlocked(ctx context.Context) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.BlockedOrder{}).Where("resolved_at IS NULL").Count(&n).Error
	return n, translate(err, "Pedido bloqueado")
}

// ListCarriers returns every carrier by name.
func (s *Store) ListCarriers(ctx context.Context) ([]model.Carrier, error) {
	var out []model.Carrier
	err := s.conn(ctx).Order("name").Find(&out).Error
	return out, translate(err, "Transportadora")
}

// FindCarrier returns one carrier.
func (s *Store) FindCarrier(ctx context.Context, id int64) (*model.Carrier, error) {
	var c model.Carrier
	if err := s.conn(ctx).First(&c, id).Error; err != nil {
		return nil, translate(err, "Transportadora")
	}
	return &c, nil
}

// LatestSyncRuns returns the newest run of each platform, by platform id.
func (s *Store) LatestSyncRuns(ctx context.Context) (map[int64]model.SyncRun, error) {
	var runs []model.SyncRun
	err := s.conn(ctx).Where("id IN (SELECT MAX(id) FROM sync_runs GROUP BY platform_id)").Find(&runs).Error
	if err != nil {
		return nil, translate(err, "Execução de sincronização")
	}
	out := make(map[int64]model.SyncRun, len(runs))
	for _, r := range runs {
		out[r.PlatformID] = r
	}
	return out, nil
}

// SyncRunFilter narrows the sync log.
type SyncRunFilter struct {
	PlatformID *int64
	Status     model.SyncRunStatus
	Kind       string
	Sort       Sort // the list's chosen order; default newest first
}

// SearchSyncRuns returns a page of runs, newest first, and the total.
func (s *Store) SearchSyncRuns(ctx context.Context, f SyncRunFilter, p Page) ([]model.SyncRun, int64, error) {
	p = p.Normalize()
	q := s.filterSyncRuns(ctx, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Execução de sincronização")
	}
	var out []model.SyncRun
	err := q.Order(f.Sort.orderBy("id DESC")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Execução de sincronização")
}

func (s *Store) filterSyncRuns(ctx context.Context, f SyncRunFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.SyncRun{})
	if f.PlatformID != nil {
		q = q.Where("platform_id = ?", *f.PlatformID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	return q
}

// FailedPush is a stock or status push whose last attempt failed, for the
// sync log (tables of migration 00006).
type FailedPush struct {
	ID         int64 // status: the status_pushes row; stock: the product
	PlatformID int64
	Kind       string // "stock" or "status"
	Subject    string // the SKU (stock) or the order's platform id (status)
	Action     string // the status action; "" for stock
	Retrying   bool   // another attempt is pending
	Attempts   int
	ErrorKind  string
	Error      string // Portuguese
	At         time.Time
}

// ListFailedPushes returns the failed pushes, newest first: stock figures
// whose last push failed and status actions that failed (pending retry or
// refused for good). limit applies to each kind.
func (s *Store) ListFailedPushes(ctx context.Context, platformID *int64, limit int) ([]FailedPush, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var stock []struct {
		PlatformID    int64
		ProductID     int64
		SKU           string `gorm:"column:sku"`
		Dirty         bool
		Attempts      int
		LastErrorKind string
		LastError     string
		LastErrorAt   *time.Time
		UpdatedAt     time.Time
	}
	q := s.conn(ctx).Table("stock_push_state st").Joins("JOIN products p ON p.id = st.product_id").
		Select("st.platform_id, st.product_id, p.sku, st.dirty, st.attempts, st.last_error_kind, st.last_error, st.last_error_at, st.updated_at").
		Where("st.last_error <> ''")
	if platformID != nil {
		q = q.Where("st.platform_id = ?", *platformID)
	}
	if err := q.Order("st.updated_at DESC").Limit(limit).Scan(&stock).Error; err != nil {
		return nil, translate(err, "Envio de estoque")
	}
	var status []struct {
		ID            int64
		PlatformID    int64
		ExternalID    string
		Action        string
		Status        string
		Attempts      int
		LastErrorKind string
		LastError     string
		UpdatedAt     time.Time
	}
	q = s.conn(ctx).Table("status_pushes sp").Joins("JOIN sales_orders o ON o.id = sp.order_id").
		Select("sp.id, sp.platform_id, o.external_id, sp.action, sp.status, sp.attempts, sp.last_error_kind, sp.last_error, sp.updated_at").
		Where("sp.last_error <> '' AND sp.status <> 'done'")
	if platformID != nil {
		q = q.Where("sp.platform_id = ?", *platformID)
	}
	if err := q.Order("sp.updated_at DESC").Limit(limit).Scan(&status).Error; err != nil {
		return nil, translate(err, "Envio de status")
	}
	out := make([]FailedPush, 0, len(stock)+len(status))
	for _, r := range stock {
		at := r.UpdatedAt
		if r.LastErrorAt != nil {
			at = *r.LastErrorAt
		}
		out = append(out, FailedPush{ID: r.ProductID, PlatformID: r.PlatformID, Kind: "stock", Subject: r.SKU, Retrying: r.Dirty,
			Attempts: r.Attempts, ErrorKind: r.LastErrorKind, Error: r.LastError, At: at})
	}
	for _, r := range status {
		out = append(out, FailedPush{ID: r.ID, PlatformID: r.PlatformID, Kind: "status", Subject: r.ExternalID, Action: r.Action,
			Retrying: r.Status == "pending", Attempts: r.Attempts, ErrorKind: r.LastErrorKind, Error: r.LastError, At: r.UpdatedAt})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}
