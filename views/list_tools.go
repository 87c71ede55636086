package views

import "net/url"

// ExportURL is the list's URL with its filters and sort, no page, asking
// for the whole filtered list as a download in format ("csv" or "xlsx").
func (p Pagination) ExportURL(format string) string {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "page" && k != "format" {
			q[k] = v
		}
	}
	q.Set("format", format)
	return p.Path + "?" + q.Encode()
}

// SortURL is the list's URL sorted by col, keeping the filters: ascending
// first, then the header toggles the direction.
func (p Pagination) SortURL(col string) string {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "page" && k != "format" {
			q[k] = v
		}
	}
	dir := "asc"
	if p.Query.Get("sort") == col && p.Query.Get("dir") != "desc" {
		dir = "desc"
	}
	q.Set("sort", col)
	q.Set("dir", dir)
	return p.Path + "?" + q.Encode()
}

// SortArrow is ▲ or ▼ on the column the list is sorted by, "" elsewhere.
func (p Pagination) SortArrow(col string) string {
	if p.Query.Get("sort") != col {
		return ""
	}
	if p.Query.Get("dir") == "desc" {
		return " ▼"
	}
	return " ▲"
}

// sortState is the aria-sort value of a column header.
func (p Pagination) sortState(col string) string {
	if p.Query.Get("sort") != col {
		return "none"
	}
	if p.Query.Get("dir") == "desc" {
		return "descending"
	}
	return "ascending"
}
