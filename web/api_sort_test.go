package web_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// TestAPIOrdersSortedKeysetPages pages through GET /api/v1/orders sorted by
// every sort= choice, in both directions, two rows a page, and checks the
// pages together hold every order once, in the order of (value, id).
func TestAPIOrdersSortedKeysetPages(t *testing.T) {
	f := newOrdersFixture(t, allCarriers)
	tok := f.env.Token(f.env.User("compras@cp.example", model.RolePurchasing, nil))
	type row struct {
		ID         int64     `json:"id"`
		Number     string    `json:"number"`
		Status     string    `json:"status"`
		TotalCents int64     `json:"total_cents"`
		PlacedAt   time.Time `json:"placed_at"`
	}
	type page struct {
		Items      []row   `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	fetch := func(query string) []row {
		t.Helper()
		var all []row
		cursor := ""
		for range 100 {
			res := f.env.API(tok, "GET", "/api/v1/orders?limit=2&"+query+"&cursor="+url.QueryEscape(cursor), nil, "")
			if res.Status != 200 {
				t.Fatalf("%s: %d %s", query, res.Status, res.Body)
			}
			var pg page
			if err := json.Unmarshal([]byte(res.Body), &pg); err != nil {
				t.Fatal(err)
			}
			all = append(all, pg.Items...)
			if pg.NextCursor == nil {
				return all
			}
			cursor = *pg.NextCursor
		}
		t.Fatalf("%s: more than 100 pages", query)
		return nil
	}
	base := fetch("")
	if len(base) != len(f.imported()) || len(base) < 5 {
		t.Fatalf("unsorted listing has %d orders, want %d (at least 5)", len(base), len(f.imported()))
	}
	cmps := map[string]func(a, b row) int{
		"number": func(a, b row) int { return strings.Compare(a.Number, b.Number) },
		"status": func(a, b row) int { return strings.Compare(a.Status, b.Status) },
		"total":  func(a, b row) int { return int(a.TotalCents - b.TotalCents) },
		"placed": func(a, b row) int { return a.PlacedAt.Compare(b.PlacedAt) },
	}
	ties := 0
	for name, cmp := range cmps {
		for _, dir := range []string{"asc", "desc"} {
			want := slices.Clone(base)
			slices.SortFunc(want, func(a, b row) int {
				c := cmp(a, b)
				if c == 0 {
					ties++
					c = int(a.ID - b.ID)
				}
				if dir == "desc" {
					c = -c
				}
				return c
			})
			got := fetch("sort=" + name + "&dir=" + dir)
			if len(got) != len(want) {
				t.Fatalf("sort=%s dir=%s: %d rows, want %d", name, dir, len(got), len(want))
			}
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Fatalf("sort=%s dir=%s: row %d is order %d, want %d", name, dir, i, got[i].ID, want[i].ID)
				}
			}
		}
	}
	if ties == 0 {
		t.Fatal("the fixture has no equal values: the tie-break by id is not exercised")
	}

	// A cursor belongs to its order; bad choices are refused in Portuguese.
	res := f.env.API(tok, "GET", "/api/v1/orders?limit=2&sort=total", nil, "")
	var pg page
	_ = json.Unmarshal([]byte(res.Body), &pg)
	if pg.NextCursor == nil {
		t.Fatal("no cursor on the first sorted page")
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders?sort=placed&cursor="+url.QueryEscape(*pg.NextCursor), nil, ""); res.Status != 400 || !strings.Contains(res.Body, "outra ordenação") {
		t.Fatalf("cursor of another sort: %d %s", res.Status, res.Body)
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders?sort=customer_document", nil, ""); res.Status != 422 || !strings.Contains(res.Body, `"field":"sort"`) {
		t.Fatalf("unknown sort: %d %s", res.Status, res.Body)
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders?sort=total&dir=up", nil, ""); res.Status != 422 || !strings.Contains(res.Body, `"field":"dir"`) {
		t.Fatalf("bad dir: %d %s", res.Status, res.Body)
	}
	if res := f.env.API(tok, "GET", "/api/v1/orders?sort=total&cursor=12", nil, ""); res.Status != 400 {
		t.Fatalf("numeric cursor with sort: %d %s", res.Status, res.Body)
	}
}
