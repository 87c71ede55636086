package store

import "strings"

// Sort is a list's order chosen by the user (sort=<column>&dir=asc|desc):
// Column is one of the list's whitelisted SQL columns (the web layer maps
// the parameter to it, never passing user text), id breaks ties.
type Sort struct {
	Column string
	Desc   bool
	// After continues a keyset listing (the API's cursor) after the row
	// whose sort value and id it holds; nil starts from the first row.
	// Column must then be NOT NULL, so that every row has a place.
	After *SortKey
}

// SortKey is where a sorted keyset page ended: the last row's value of the
// sort column and its id.
type SortKey struct {
	Value any
	ID    int64
}

// orderBy is the ORDER BY of s, or def when no column was chosen.
func (s Sort) orderBy(def string) string { return s.orderByTie(def, "id") }

// orderByTie is orderBy with tie as the tie-breaking column.
func (s Sort) orderByTie(def, tie string) string {
	if s.Column == "" {
		return def
	}
	dir := " ASC"
	if s.Desc {
		dir = " DESC"
	}
	return s.Column + dir + ", " + tie + dir
}

// keyset is the WHERE condition that continues the sorted listing after
// s.After (tie is the id column): the rows strictly after (value, id) in
// the order orderByTie gives. ok is false when there is nothing to continue.
func (s Sort) keyset(tie string) (cond string, args []any, ok bool) {
	if s.Column == "" || s.After == nil {
		return "", nil, false
	}
	op := ">"
	if s.Desc {
		op = "<"
	}
	var b strings.Builder
	b.WriteString("(" + s.Column + " " + op + " ? OR (" + s.Column + " = ? AND " + tie + " " + op + " ?))")
	return b.String(), []any{s.After.Value, s.After.Value, s.After.ID}, true
}
