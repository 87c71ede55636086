package views

import (
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
)

// PriceTablesProps is the price-table list: for a supplier, its own history
// and the upload form; for staff, every supplier's tables with filters.
type PriceTablesProps struct {
	Items      []model.PriceTable
	Pager      Pagination
	Status     string
	SupplierID int64
	Suppliers  []model.Supplier // staff filter
	IsSupplier bool
	Upload     PriceTableUpload
}

// PriceTableUpload is the supplier's upload card.
type PriceTableUpload struct {
	CanSubmit bool
	Supplier  *model.Supplier
	InForce   *model.PriceTable // nil when the supplier has no table in force
	Scheduled []model.PriceTable
	Drafts    []model.PriceTable
	Earliest  time.Time // earliest effective date for a table submitted now
	MaxSize   string
	FileName  string          // the file refused, if any
	Error     string          // why it was refused
	Details   []apperr.Detail // every problem: bad lines, or the file as a whole
}

// PriceTableProps is one table: its facts, the actions the user may take,
// and either its differences against the table it replaces or its items.
type PriceTableProps struct {
	Table      model.PriceTable
	Comparison pricetable.Comparison
	Tab        string // "diff" or "items"

	Diff      []store.PriceDiffRow
	DiffPager Pagination
	DiffKind  string
	DiffSort  string
	DiffQuery string

	Items      []store.PriceItemRow
	ItemsPager Pagination
	ItemsQuery string

	CanSubmit   bool // owner, draft
	CanWithdraw bool // owner, scheduled
	CanReview   bool // purchasing/admin, scheduled

	Earliest      time.Time // for drafts: earliest effective date allowed now
	NoticeApplies bool
	EffectiveDate string // the date field's value (YYYY-MM-DD)
	Justification string
	Reason        string
	Scheduled     []model.PriceTable // other scheduled tables of the supplier
	Form          string             // which form the error belongs to: "submit", "early", "reject"
	Error         string
	Errors        FieldErrors
}

func ptMoneyP(c *int64) string {
	if c == nil {
		return "—"
	}
	return format.Money(*c)
}

// ptChange is the relative change of a diff row, "+12,34 %", or "" when the
// code was added or removed.
func ptChange(r store.PriceDiffRow) string {
	if r.OldCents == nil || r.NewCents == nil {
		return ""
	}
	bp := pricetable.ChangeBP(*r.OldCents, *r.NewCents)
	sign := "+"
	if bp < 0 {
		sign, bp = "−", -bp
	} else if bp == 0 && *r.NewCents == *r.OldCents {
		sign = ""
	}
	return sign + format.Decimal(bp) + " %"
}

func ptPercentBP(bp int64) string {
	s := format.Decimal(bp)
	if bp%100 == 0 {
		s = format.Int(bp / 100)
	}
	return s + " %"
}

func ptHighlighted(r store.PriceDiffRow, thresholdBP int64) bool {
	return r.OldCents != nil && r.NewCents != nil && pricetable.Highlighted(*r.OldCents, *r.NewCents, thresholdBP)
}

func ptDiffClass(r store.PriceDiffRow, thresholdBP int64) string {
	switch {
	case r.OldCents == nil:
		return "diff-added"
	case r.NewCents == nil:
		return "diff-removed"
	case ptHighlighted(r, thresholdBP):
		return "diff-alert"
	case *r.NewCents > *r.OldCents:
		return "diff-up"
	}
	return "diff-down"
}

func ptStatusClass(s model.PriceTableStatus) string {
	switch s {
	case model.PriceTableStatusInForce:
		return "badge badge-ok"
	case model.PriceTableStatusScheduled, model.PriceTableStatusDraft:
		return "badge badge-warn"
	case model.PriceTableStatusRejected:
		return "badge badge-bad"
	}
	return "badge badge-off"
}

func ptUser(u *model.User) string {
	if u == nil {
		return "—"
	}
	return u.Name + " (" + u.Email + ")"
}

func ptSupplier(t model.PriceTable) string {
	if t.Supplier == nil {
		return ""
	}
	return t.Supplier.DisplayName()
}

func ptURL(t model.PriceTable) string { return "/price-tables/" + strconv.FormatInt(t.ID, 10) }

func ptTabURL(t model.PriceTable, tab string) string { return ptURL(t) + "?tab=" + tab }

var ptDiffKinds = [][2]string{
	{store.DiffChanged, "Preços alterados"}, {store.DiffHighlighted, "Só variações destacadas"},
	{store.DiffAdded, "Códigos novos"}, {store.DiffRemoved, "Códigos removidos"},
}

var ptDiffSorts = [][2]string{
	{store.SortIncrease, "Maiores aumentos primeiro"}, {store.SortDecrease, "Maiores reduções primeiro"}, {store.SortCode, "Código"},
}

func ptStatusOptions() [][2]string {
	out := make([][2]string, 0, len(model.PriceTableStatuses))
	for _, s := range model.PriceTableStatuses {
		out = append(out, [2]string{string(s), s.Label()})
	}
	return out
}

func ptKindURL(t model.PriceTable, kind string) string { return ptTabURL(t, "diff") + "&kind=" + kind }

func ptEncoding(enc string) string {
	if enc == "" {
		return ""
	}
	return ", " + enc
}

func ptShort(sha string) string {
	if len(sha) > 12 {
		return sha[:12] + "…"
	}
	return sha
}

func ptIf(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// ptCurrent marks the selected tab: aria-current="true" (a bare aria-current
// attribute means "false" to assistive technology and matched no CSS rule).
func ptCurrent(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"aria-current": "true"}
	}
	return nil
}

func yesNoAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// sameStart reports whether two tables take effect on the same date. Of such
// tables only the one submitted last (the higher id) is ever in force
// (store.PriceAt orders by effective date, then id), so the page says which.
func sameStart(a, b model.PriceTable) bool {
	return a.EffectiveFrom != nil && b.EffectiveFrom != nil && a.EffectiveFrom.Equal(*b.EffectiveFrom)
}
