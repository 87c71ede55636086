package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Price tables: one row per version in price_tables, one row per product and
// version in price_table_items. A submitted table's status (scheduled, in
// force, superseded) is derived from its effective date and the clock; the
// queries below take "now" explicitly so that the rule lives in SQL once.

// newerInForce is true when another submitted table of the same supplier took
// effect after t (and before ?), i.e. t is superseded at that instant.
const newerInForce = `EXISTS (SELECT 1 FROM price_tables n WHERE n.supplier_id = t.supplier_id AND n.state = 'submitted'
 AND n.effective_from <= ? AND (n.effective_from > t.effective_from OR (n.effective_from = t.effective_from AND n.id > t.id)))`

// statusColumn derives model.PriceTableStatus; it takes "now" twice (statusArgs).
const statusColumn = `CASE
 WHEN t.state <> 'submitted' THEN t.state
 WHEN t.effective_from > ? THEN 'scheduled'
 WHEN ` + newerInForce + ` THEN 'superseded'
 ELSE 'in_force' END AS status`

func statusArgs(now time.Time) []any { now = now.UTC(); return []any{now, now} }

// PriceTableFilter narrows the list of price tables.
type PriceTableFilter struct {
	SupplierID    *int64
	Status        model.PriceTableStatus // "" for all (drafts excluded unless Status is draft)
	BeforeID      int64                  // API cursor: only tables with id < BeforeID
	IncludeDrafts bool
	Sort          Sort // the list's chosen order (pages only); default newest first
}

// filterPriceTables applies f to a query on "price_tables AS t".
func filterPriceTables(q *gorm.DB, f PriceTableFilter, now time.Time) *gorm.DB {
	if f.SupplierID != nil {
		q = q.Where("t.supplier_id = ?", *f.SupplierID)
	}
	if f.Status == "" && !f.IncludeDrafts {
		q = q.Where("t.state <> 'draft'")
	}
	return applyStatus(q, f.Status, now)
}

func (s *Store) priceTables(ctx context.Context, now time.Time) *gorm.DB {
	return s.conn(ctx).Table("price_tables AS t").Select("t.*, "+statusColumn, statusArgs(now)...)
}

func applyStatus(q *gorm.DB, st model.PriceTableStatus, now time.Time) *gorm.DB {
	now = now.UTC()
	switch st {
	case model.PriceTableStatusScheduled:
		return q.Where("t.state = 'submitted' AND t.effective_from > ?", now)
	case model.PriceTableStatusInForce:
		return q.Where("t.state = 'submitted' AND t.effective_from <= ? AND NOT "+newerInForce, now, now)
	case model.PriceTableStatusSuperseded:
		return q.Where("t.state = 'submitted' AND t.effective_from <= ? AND "+newerInForce, now, now)
	case model.PriceTableStatusWithdrawn, model.PriceTableStatusRejected, model.PriceTableStatusDraft:
		return q.Where("t.state = ?", string(st))
	}
	return q
}

// ListPriceTables returns a page of price tables, newest first, with their
// status at now, and the total.
func (s *Store) ListPriceTables(ctx context.Context, f PriceTableFilter, p Page, now time.Time) ([]model.PriceTable, int64, error) {
	p = p.Normalize()
	where := func(q *gorm.DB) *gorm.DB { return filterPriceTables(q, f, now) }
	var total int64
	if err := where(s.conn(ctx).Table("price_tables AS t")).Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Tabela de preços")
	}
	q := where(s.priceTables(ctx, now))
	if f.BeforeID > 0 {
		q = q.Where("t.id < ?", f.BeforeID)
	}
	if cond, args, ok := f.Sort.keyset("t.id"); ok {
		q = q.Where(cond, args...)
	}
	var out []model.PriceTable
	err := q.Preload("Supplier").Preload("Submitter").Order(f.Sort.orderByTie("t.id DESC", "t.id")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Tabela de preços")
}

// FindPriceTable returns one table with its status at now, its supplier and
// the users who acted on it.
func (s *Store) FindPriceTable(ctx context.Context, id int64, now time.Time) (*model.PriceTable, error) {
	var t model.PriceTable
	err := s.priceTables(ctx, now).Where("t.id = ?", id).
		Preload("Supplier").Preload("Submitter").Preload("EarlyGranter").Preload("Rejecter").Preload("Withdrawer").
		Take(&t).Error
	if err != nil {
		return nil, notFoundTable(err)
	}
	return &t, nil
}

func notFoundTable(err error) error {
	if apperr.Is(translate(err, ""), apperr.ENOTFOUND) {
		return apperr.Errorf(apperr.ENOTFOUND, "Tabela de preços não encontrada.")
	}
	return translate(err, "Tabela de preços")
}

// FindPriceTableInForce returns the table of the supplier in force at instant
// at: the newest submitted table whose effective date has passed.
func (s *Store) FindPriceTableInForce(ctx context.Context, supplierID int64, at time.Time) (*model.PriceTable, error) {
	var t model.PriceTable
	err := s.priceTables(ctx, at).
		Where("t.supplier_id = ? AND t.state = 'submitted' AND t.effective_from <= ?", supplierID, at.UTC()).
		Order("t.effective_from DESC, t.id DESC").Take(&t).Error
	if err != nil {
		if apperr.Is(translate(err, ""), apperr.ENOTFOUND) {
			return nil, apperr.Errorf(apperr.ENOTFOUND, "O fornecedor não tem tabela de preços em vigor.")
		}
		return nil, translate(err, "Tabela de preços")
	}
	return &t, nil
}

// ScheduledPriceTables returns the supplier's tables that have not taken effect at now.
func (s *Store) ScheduledPriceTables(ctx context.Context, supplierID int64, now time.Time) ([]model.PriceTable, error) {
	var out []model.PriceTable
	err := s.priceTables(ctx, now).
		Where("t.supplier_id = ? AND t.state = 'submitted' AND t.effective_from > ?", supplierID, now.UTC()).
		Order("t.effective_from, t.id").Find(&out).Error
	return out, translate(err, "Tabela de preços")
}

// PriceAt returns the price in centavos of a product at instant at and the
// table it comes from: the product's line in the table of its supplier in
// force at that instant. ENOTFOUND when there is none.
func (s *Store) PriceAt(ctx context.Context, productID int64, at time.Time) (int64, int64, error) {
	var row struct {
		PriceCents int64
		TableID    int64
	}
	res := s.conn(ctx).Raw(`SELECT i.price_cents, i.table_id FROM price_table_items i
WHERE i.product_id = ? AND i.table_id = (
 SELECT t.id FROM price_tables t JOIN products p ON p.supplier_id = t.supplier_id
 WHERE p.id = ? AND t.state = 'submitted' AND t.effective_from <= ?
 ORDER BY t.effective_from DESC, t.id DESC LIMIT 1)`, productID, productID, at.UTC()).Scan(&row)
	if res.Error != nil {
		return 0, 0, translate(res.Error, "Preço")
	}
	if res.RowsAffected == 0 {
		return 0, 0, apperr.Errorf(apperr.ENOTFOUND, "Não há preço em vigor para o produto %d.", productID)
	}
	return row.PriceCents, row.TableID, nil
}

// ProductCodesOfSupplier maps the supplier codes of one supplier's products
// to the product ids. Codes of other suppliers' products are not in it.
func (s *Store) ProductCodesOfSupplier(ctx context.Context, supplierID int64) (map[string]int64, error) {
	// Counted first: a map sized once, not grown (rehashed) from empty to
	// 100,000 codes while they are read.
	var n int64
	if err := s.conn(ctx).Raw("SELECT COUNT(*) FROM products WHERE supplier_id = ? AND supplier_code <> ''", supplierID).Scan(&n).Error; err != nil {
		return nil, translate(err, "Produto")
	}
	rows, err := s.conn(ctx).Raw("SELECT supplier_code, id FROM products WHERE supplier_id = ? AND supplier_code <> ''", supplierID).Rows()
	if err != nil {
		return nil, translate(err, "Produto")
	}
	defer rows.Close()
	out := make(map[string]int64, n)
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, translate(err, "Produto")
		}
		out[code] = id
	}
	return out, translate(rows.Err(), "Produto")
}

// CreatePriceTable inserts the table row (a draft, or a submitted table when
// it arrives through the API in one step).
func (s *Store) CreatePriceTable(ctx context.Context, t *model.PriceTable) error {
	now := s.now()
	t.CreatedAt, t.UpdatedAt = now, now
	t.CreatedBy = actorUserID(ctx)
	err := s.conn(ctx).Omit(clause.Associations, "Status").Create(t).Error
	return translate(err, "Tabela de preços")
}

// CompletePriceTableUpload records the item count and the stored file of a
// table whose items were all written.
func (s *Store) CompletePriceTableUpload(ctx context.Context, t *model.PriceTable) error {
	err := s.conn(ctx).Model(&model.PriceTable{}).Where("id = ?", t.ID).Updates(map[string]any{
		"line_count": t.LineCount, "file_path": t.FilePath, "file_sha256": t.FileSHA256, "file_size": t.FileSize,
		"file_format": t.FileFormat, "file_encoding": t.FileEncoding, "file_sheet": t.FileSheet,
		"ignored_lines": t.IgnoredLines, "updated_at": s.now(),
	}).Error
	return translate(err, "Tabela de preços")
}

// Submission is what confirming a table records.
type Submission struct {
	EffectiveFrom   time.Time
	EarliestAllowed time.Time
	NoticeDays      int
	At              time.Time
}

// SubmitPriceTable turns a draft of the supplier into a submitted table.
func (s *Store) SubmitPriceTable(ctx context.Context, id, supplierID int64, sub Submission) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		set := map[string]any{
			"state": model.PriceTableSubmitted, "effective_from": sub.EffectiveFrom.UTC(), "earliest_allowed": sub.EarliestAllowed.UTC(),
			"notice_days": sub.NoticeDays, "submitted_by": actorUserID(ctx), "submitted_at": sub.At.UTC(), "updated_at": s.now(),
		}
		if !sub.EffectiveFrom.After(sub.At) {
			set["in_force_notified_at"] = sub.At.UTC() // in force at once: the submission notice says so
		}
		res := s.conn(ctx).Model(&model.PriceTable{}).Where("id = ? AND supplier_id = ? AND state = ?", id, supplierID, model.PriceTableDraft).Updates(set)
		if res.Error != nil {
			return translate(res.Error, "Tabela de preços")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ECONFLICT, "Esta prévia já foi enviada ou descartada.")
		}
		return s.audit(ctx, "price_table.submit", "price_table", id, &supplierID, map[string]any{
			"effective_from": sub.EffectiveFrom.UTC(), "earliest_allowed": sub.EarliestAllowed.UTC(), "notice_days": sub.NoticeDays,
		})
	})
}

// AuditPriceTableSubmit records a table submitted in one step (API).
func (s *Store) AuditPriceTableSubmit(ctx context.Context, t *model.PriceTable) error {
	return s.audit(ctx, "price_table.submit", "price_table", t.ID, &t.SupplierID, map[string]any{
		"effective_from": t.EffectiveFrom, "earliest_allowed": t.EarliestAllowed, "notice_days": t.NoticeDays,
		"line_count": t.LineCount, "file_sha256": t.FileSHA256,
	})
}

// errNotScheduled is returned when a table has already taken effect, or was withdrawn or rejected.
var errNotScheduled = apperr.Errorf(apperr.ECONFLICT, "Só é possível alterar uma tabela agendada, antes de entrar em vigor.")

// WithdrawPriceTable withdraws a scheduled table of the supplier.
func (s *Store) WithdrawPriceTable(ctx context.Context, id, supplierID int64, now time.Time) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&model.PriceTable{}).
			Where("id = ? AND supplier_id = ? AND state = ? AND effective_from > ?", id, supplierID, model.PriceTableSubmitted, now.UTC()).
			Updates(map[string]any{"state": model.PriceTableWithdrawn, "withdrawn_by": actorUserID(ctx), "withdrawn_at": now.UTC(), "updated_at": s.now()})
		if res.Error != nil {
			return translate(res.Error, "Tabela de preços")
		}
		if res.RowsAffected == 0 {
			return errNotScheduled
		}
		return s.audit(ctx, "price_table.withdraw", "price_table", id, &supplierID, nil)
	})
}

// RejectPriceTable rejects a scheduled table with a reason.
func (s *Store) RejectPriceTable(ctx context.Context, id int64, reason string, now time.Time) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		t, err := s.FindPriceTable(ctx, id, now)
		if err != nil {
			return err
		}
		res := s.conn(ctx).Model(&model.PriceTable{}).
			Where("id = ? AND state = ? AND effective_from > ?", id, model.PriceTableSubmitted, now.UTC()).
			Updates(map[string]any{"state": model.PriceTableRejected, "rejected_reason": reason, "rejected_by": actorUserID(ctx), "rejected_at": now.UTC(), "updated_at": s.now()})
		if res.Error != nil {
			return translate(res.Error, "Tabela de preços")
		}
		if res.RowsAffected == 0 {
			return errNotScheduled
		}
		return s.audit(ctx, "price_table.reject", "price_table", id, &t.SupplierID, map[string]string{"reason": reason})
	})
}

// GrantPriceTableEarlyDate brings a scheduled table's effective date forward,
// recording the justification (also in the audit log).
func (s *Store) GrantPriceTableEarlyDate(ctx context.Context, id int64, effective time.Time, justification string, now time.Time) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		t, err := s.FindPriceTable(ctx, id, now)
		if err != nil {
			return err
		}
		if t.Status != model.PriceTableStatusScheduled {
			return errNotScheduled
		}
		res := s.conn(ctx).Model(&model.PriceTable{}).
			Where("id = ? AND state = ? AND effective_from > ? AND effective_from > ?", id, model.PriceTableSubmitted, now.UTC(), effective.UTC()).
			Updates(map[string]any{"effective_from": effective.UTC(), "early_justification": justification,
				"early_granted_by": actorUserID(ctx), "early_granted_at": now.UTC(), "updated_at": s.now()})
		if res.Error != nil {
			return translate(res.Error, "Tabela de preços")
		}
		if res.RowsAffected == 0 {
			return apperr.Invalid("A nova data deve ser anterior à data de vigência atual.",
				apperr.Detail{Field: "effective_from", Message: "Escolha uma data anterior à vigência atual."})
		}
		return s.audit(ctx, "price_table.early_date", "price_table", id, &t.SupplierID, map[string]any{
			"before": t.EffectiveFrom, "after": effective.UTC(), "justification": justification,
		})
	})
}

// DeletePriceTableDraft discards a draft of the supplier and returns the path
// of its stored file (relative to the data directory).
func (s *Store) DeletePriceTableDraft(ctx context.Context, id, supplierID int64) (string, error) {
	var path string
	err := s.Tx(ctx, func(ctx context.Context) error {
		var t model.PriceTable
		res := s.conn(ctx).Where("id = ? AND supplier_id = ? AND state = ?", id, supplierID, model.PriceTableDraft).Limit(1).Find(&t)
		if res.Error != nil {
			return translate(res.Error, "Tabela de preços")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "Prévia não encontrada ou já enviada.")
		}
		path = t.FilePath
		return s.deleteTables(ctx, []int64{id})
	})
	return path, err
}

// DeleteStaleDrafts removes drafts created before `before` and returns their file paths.
func (s *Store) DeleteStaleDrafts(ctx context.Context, before time.Time) ([]string, error) {
	var paths []string
	err := s.Tx(ctx, func(ctx context.Context) error {
		var ts []model.PriceTable
		if err := s.conn(ctx).Where("state = ? AND created_at < ?", model.PriceTableDraft, before.UTC()).Limit(100).Find(&ts).Error; err != nil {
			return translate(err, "Tabela de preços")
		}
		ids := make([]int64, 0, len(ts))
		for _, t := range ts {
			ids = append(ids, t.ID)
			if t.FilePath != "" {
				paths = append(paths, t.FilePath)
			}
		}
		return s.deleteTables(ctx, ids)
	})
	return paths, err
}

func (s *Store) deleteTables(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	// Items first: SQLite only cascades when foreign keys are on, and this
	// keeps the statement explicit on both engines.
	if err := s.conn(ctx).Exec("DELETE FROM price_table_items WHERE table_id IN ?", ids).Error; err != nil {
		return translate(err, "Tabela de preços")
	}
	return translate(s.conn(ctx).Exec("DELETE FROM price_tables WHERE id IN ? AND state = 'draft'", ids).Error, "Tabela de preços")
}

// PriceTablesToAnnounce returns submitted tables that took effect at or
// before now and were not announced yet, oldest first.
func (s *Store) PriceTablesToAnnounce(ctx context.Context, now time.Time, limit int) ([]model.PriceTable, error) {
	var out []model.PriceTable
	err := s.priceTables(ctx, now).
		Where("t.state = 'submitted' AND t.in_force_notified_at IS NULL AND t.effective_from <= ?", now.UTC()).
		Preload("Supplier").Order("t.effective_from, t.id").Limit(limit).Find(&out).Error
	return out, translate(err, "Tabela de preços")
}

// MarkPriceTableAnnounced records that the entry into force of a table was announced.
func (s *Store) MarkPriceTableAnnounced(ctx context.Context, id int64, at time.Time) (bool, error) {
	res := s.conn(ctx).Model(&model.PriceTable{}).Where("id = ? AND in_force_notified_at IS NULL", id).Update("in_force_notified_at", at.UTC())
	return res.RowsAffected == 1, translate(res.Error, "Tabela de preços")
}

// PriceAlertBasisPoints returns the price-change threshold above which the
// preview highlights a change, in hundredths of a percent (1000 = 10 %).
func (s *Store) PriceAlertBasisPoints(ctx context.Context) (int64, error) {
	v, err := s.GetSetting(ctx, SettingPriceAlertPercent)
	if err != nil {
		return 0, err
	}
	if bp, ok := ParsePercentBP(v); ok {
		return bp, nil
	}
	return DefaultPriceAlertBP, nil
}

// DefaultPriceAlertBP is the default highlight threshold: 10 %.
const DefaultPriceAlertBP = 1000

// ParsePercentBP reads a percentage such as "10", "7,5" or "12.25" into
// hundredths of a percent. It accepts 0 to 1000 % with at most two decimals.
func ParsePercentBP(v string) (int64, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	v = strings.Replace(v, ",", ".", 1)
	if v == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(v, ".")
	if len(frac) > 2 || whole == "" {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1000 {
		return 0, false
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt((frac + "0")[:2], 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
	}
	return w*100 + f, true
}
