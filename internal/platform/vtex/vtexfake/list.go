package vtexfake

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// EndpointListOrders is GET /api/oms/pvt/orders.
const EndpointListOrders = "list-orders"

// listOrders serves List orders: the rows are the first row of the official
// example (vtex-order-list.json) with orderId, sequence, status and
// creationDate of the fake's orders; facets and stats are the example's.
// f_status (one status), f_creationDate (creationDate:[from TO to]), page
// (≤ 30, as documented) and per_page (≤ 100) are honoured. An order's
// creation date is when the fake made it (the Get order body keeps the
// example's creationDate).
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage := atoiOr(q.Get("page"), 1), atoiOr(q.Get("per_page"), 15)
	if page < 1 || page > 30 || perPage < 1 || perPage > 100 {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"page must be 1..30 and per_page 1..100"}}`)
		return
	}
	from, to, ok := creationRange(q.Get("f_creationDate"))
	if !ok {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"invalid f_creationDate"}}`)
		return
	}
	var example map[string]json.RawMessage
	must(json.Unmarshal(Fixture("vtex-order-list.json"), &example))
	var rows []map[string]any
	must(json.Unmarshal(example["list"], &rows))
	tmpl := rows[0]

	s.mu.Lock()
	var match []*order
	for _, o := range s.orders {
		if st := q.Get("f_status"); st != "" && o.status != st {
			continue
		}
		// The filter's timestamps have milliseconds.
		if c := o.created.Truncate(time.Millisecond); !o.created.IsZero() && (c.Before(from) || c.After(to)) {
			continue
		}
		match = append(match, o)
	}
	sort.Slice(match, func(i, j int) bool { return match[i].id < match[j].id })
	list := []map[string]any{}
	for i := (page - 1) * perPage; i < len(match) && i < page*perPage; i++ {
		o := match[i]
		row := map[string]any{}
		for k, v := range tmpl {
			row[k] = v
		}
		row["orderId"], row["sequence"], row["status"] = o.id, o.seq, o.status
		if !o.created.IsZero() {
			row["creationDate"] = o.created.UTC().Format(time.RFC3339)
		}
		list = append(list, row)
	}
	total := len(match)
	s.mu.Unlock()
	body, err := json.Marshal(map[string]any{
		"list": list, "facets": example["facets"], "stats": example["stats"],
		"paging": map[string]int{"total": total, "pages": (total + perPage - 1) / perPage, "currentPage": page, "perPage": perPage},
	})
	must(err)
	// The definition declares this answer as "application/json; charset=utf-8".
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func atoiOr(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// creationRange parses creationDate:[from TO to]; "" is every date.
func creationRange(v string) (from, to time.Time, ok bool) {
	if v == "" {
		return time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), true
	}
	inner, found := strings.CutPrefix(v, "creationDate:[")
	inner, found2 := strings.CutSuffix(inner, "]")
	a, b, found3 := strings.Cut(inner, " TO ")
	if !found || !found2 || !found3 {
		return from, to, false
	}
	from, err1 := time.Parse(time.RFC3339Nano, a)
	to, err2 := time.Parse(time.RFC3339Nano, b)
	return from, to, err1 == nil && err2 == nil
}
