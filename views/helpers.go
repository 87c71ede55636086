package views

import (
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

// FieldErrors maps a form field to its error message.
type FieldErrors map[string]string

func itoa(n int64) string  { return strconv.FormatInt(n, 10) }
func itoaInt(n int) string { return strconv.Itoa(n) }

func fmtInt(n int64) string            { return format.Int(n) }
func fmtDateTime(t time.Time) string   { return format.DateTime(t) }
func fmtDateTimeP(t *time.Time) string { return format.DateTimePtr(t) }
func fmtCNPJ(s string) string          { return cnpj.Format(s) }

func fmtDate(t time.Time) string { return format.Date(t) }

func fmtDateP(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return fmtDate(*t)
}

func supplierName(u *model.User) string {
	if u == nil || u.Supplier == nil {
		return ""
	}
	return u.Supplier.DisplayName()
}

func can(u *model.User, p model.Permission) bool { return u.Can(p) }

func yesNo(b bool) string { return format.YesNo(b) }

func activeLabel(b bool) string { return format.ActiveLabel(b) }

func activeClass(b bool) string {
	if b {
		return "badge badge-ok"
	}
	return "badge badge-off"
}

// Pagination describes one page of a list for the pager component.
type Pagination struct {
	Page  int
	Size  int
	Total int64
	Query url.Values // the list's filters, without "page"
	Path  string
	// Cap: lists over big tables count at most Cap+1 rows; a Total above
	// Cap reads "mais de Cap" and the pages stop at Cap (0: exact totals).
	Cap int64
}

// Capped reports whether the list holds more rows than it counted.
func (p Pagination) Capped() bool { return p.Cap > 0 && p.Total > p.Cap }

// Pages returns the number of pages.
func (p Pagination) Pages() int {
	if p.Size <= 0 {
		return 1
	}
	total := p.Total
	if p.Capped() {
		total = p.Cap
	}
	n := int((total + int64(p.Size) - 1) / int64(p.Size))
	if n < 1 {
		return 1
	}
	return n
}

// URL returns the link to page n with the same filters.
func (p Pagination) URL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "page" {
			q[k] = v
		}
	}
	q.Set("page", strconv.Itoa(n))
	return p.Path + "?" + q.Encode()
}

// From is the 1-based index of the first item shown.
func (p Pagination) From() int64 {
	if p.Total == 0 {
		return 0
	}
	return int64((p.Page-1)*p.Size) + 1
}

// To is the index of the last item shown.
func (p Pagination) To() int64 {
	to := int64(p.Page * p.Size)
	if to > p.Total {
		return p.Total
	}
	return to
}

func selected(a, b string) bool { return a == b }

// fieldID is the id of a Field's input: "f-" + name, or attrs["id"] when two
// fields of one page share a name (ids must be unique in the page).
func fieldID(name string, attrs templ.Attributes) string {
	if id, ok := attrs["id"].(string); ok && id != "" {
		return id
	}
	return "f-" + name
}

// withoutID is attrs less "id", which fieldID has already used.
func withoutID(attrs templ.Attributes) templ.Attributes {
	if _, ok := attrs["id"]; !ok {
		return attrs
	}
	out := make(templ.Attributes, len(attrs)-1)
	for k, v := range attrs {
		if k != "id" {
			out[k] = v
		}
	}
	return out
}

// pluralWord is the word alone for a count shown beside it ("1 produto",
// "2 produtos"; zero takes the plural, as Portuguese does).
func pluralWord(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
