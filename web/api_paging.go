package web

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// apiSortKind is how a sort column's value is written in a cursor.
type apiSortKind int

const (
	apiSortText apiSortKind = iota
	apiSortInt
	apiSortTime
)

// apiSortColumn is one sort= choice of an API list: its SQL column (NOT
// NULL, so that keyset pages leave no row out) and the row's value of it.
type apiSortColumn[T any] struct {
	sql   string
	kind  apiSortKind
	value func(*T) any // string, int64 or time.Time by kind
}

// apiSorts is an API list's whitelist of sort= values.
type apiSorts[T any] map[string]apiSortColumn[T]

// apiList is how an API list is asked for: ?sort= and ?dir= (CONTRACT.md
// "Lists, search, exports"), ?cursor= and ?limit= 1–100 (default 50).
// Without sort= the list is newest first and the cursor is the id the
// previous page ended at; with it the cursor is opaque and holds the last
// row's sort value and id (keyset pagination: deep pages cost no more than
// the first).
type apiList[T any] struct {
	BeforeID int64      // unsorted: ids below this one (0: from the newest)
	Sort     store.Sort // sorted: the column, direction and where to continue
	Limit    int

	name string
	col  apiSortColumn[T]
}

// sortedCursor is the JSON inside a sorted list's cursor.
type sortedCursor struct {
	Sort  string `json:"s"`
	Desc  bool   `json:"d"`
	Value string `json:"v"`
	ID    int64  `json:"id"`
}

// readAPIList reads the paging and sorting parameters of an API list.
func readAPIList[T any](c *fiber.Ctx, cols apiSorts[T]) (apiList[T], error) {
	var l apiList[T]
	l.Limit, _ = strconv.Atoi(c.Query("limit"))
	if l.Limit <= 0 || l.Limit > 100 {
		l.Limit = 50
	}
	name := strings.TrimSpace(c.Query("sort"))
	dir := strings.TrimSpace(c.Query("dir"))
	if dir != "" && dir != "asc" && dir != "desc" {
		return l, apperr.Invalid("Direção inválida.", apperr.Detail{Field: "dir", Message: "Use asc ou desc."})
	}
	cursor := c.Query("cursor")
	if name == "" {
		if cursor != "" {
			id, err := strconv.ParseInt(cursor, 10, 64)
			if err != nil || id <= 0 {
				return l, apperr.Errorf(apperr.EMALFORMED, "Cursor inválido.")
			}
			l.BeforeID = id
		}
		return l, nil
	}
	col, ok := cols[name]
	if !ok {
		names := make([]string, 0, len(cols))
		for n := range cols {
			names = append(names, n)
		}
		sort.Strings(names)
		return l, apperr.Invalid("Ordenação inválida.", apperr.Detail{Field: "sort", Message: "Use " + joinOr(names) + "."})
	}
	l.name, l.col = name, col
	l.Sort = store.Sort{Column: col.sql, Desc: dir == "desc"}
	if cursor == "" {
		return l, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	var sc sortedCursor
	if err != nil || json.Unmarshal(raw, &sc) != nil || sc.ID <= 0 {
		return l, apperr.Errorf(apperr.EMALFORMED, "Cursor inválido.")
	}
	if sc.Sort != name || sc.Desc != l.Sort.Desc {
		return l, apperr.Errorf(apperr.EMALFORMED, "Este cursor é de outra ordenação: repita sort= e dir= da primeira página ou comece sem cursor.")
	}
	v, err := col.parse(sc.Value)
	if err != nil {
		return l, apperr.Errorf(apperr.EMALFORMED, "Cursor inválido.")
	}
	l.Sort.After = &store.SortKey{Value: v, ID: sc.ID}
	return l, nil
}

// parse reads a value written by format.
func (col apiSortColumn[T]) parse(s string) (any, error) {
	switch col.kind {
	case apiSortInt:
		return strconv.ParseInt(s, 10, 64)
	case apiSortTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		return t.UTC(), err
	default:
		return s, nil
	}
}

// format writes a row's value of the column for a cursor.
func (col apiSortColumn[T]) format(row *T) string {
	switch v := col.value(row).(type) {
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	default:
		return ""
	}
}

// page converts up to l.Limit items (the store is asked for Limit+1) and
// returns the cursor of the next page, nil on the last one.
func apiPage[T, U any](l apiList[T], items []T, id func(*T) int64, conv func(*T) U) ([]U, *string) {
	out := make([]U, 0, min(len(items), l.Limit))
	for i := range items {
		if i == l.Limit {
			last := &items[i-1]
			var next string
			if l.name == "" {
				next = itoa(id(last))
			} else {
				raw, _ := json.Marshal(sortedCursor{Sort: l.name, Desc: l.Sort.Desc, Value: l.col.format(last), ID: id(last)})
				next = base64.RawURLEncoding.EncodeToString(raw)
			}
			return out, &next
		}
		out = append(out, conv(&items[i]))
	}
	return out, nil
}

// joinOr lists choices in Portuguese: "a, b ou c".
func joinOr(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " ou " + s[len(s)-1]
}

// The sort= choices of the API lists (NOT NULL columns only).
var (
	apiOrderSorts = apiSorts[model.SalesOrder]{
		"number": {sql: "number", value: func(o *model.SalesOrder) any { return o.Number }},
		"status": {sql: "status", value: func(o *model.SalesOrder) any { return string(o.Status) }},
		"total":  {sql: "total_cents", kind: apiSortInt, value: func(o *model.SalesOrder) any { return o.TotalCents }},
		"placed": {sql: "placed_at", kind: apiSortTime, value: func(o *model.SalesOrder) any { return o.PlacedAt }},
	}
	apiPOSorts = apiSorts[model.PurchaseOrder]{
		"number":  {sql: "number", value: func(po *model.PurchaseOrder) any { return po.Number }},
		"status":  {sql: "status", value: func(po *model.PurchaseOrder) any { return string(po.Status) }},
		"total":   {sql: "total_cents", kind: apiSortInt, value: func(po *model.PurchaseOrder) any { return po.TotalCents }},
		"created": {sql: "created_at", kind: apiSortTime, value: func(po *model.PurchaseOrder) any { return po.CreatedAt }},
	}
	apiPriceTableSorts = apiSorts[model.PriceTable]{
		"id":      {sql: "t.id", kind: apiSortInt, value: func(t *model.PriceTable) any { return t.ID }},
		"lines":   {sql: "t.line_count", kind: apiSortInt, value: func(t *model.PriceTable) any { return t.LineCount }},
		"created": {sql: "t.created_at", kind: apiSortTime, value: func(t *model.PriceTable) any { return t.CreatedAt }},
	}
)
