package web_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The stock list sorts by its figures (physical, reserved, available) from
// product_stock's totals; it used to name a balances alias the query no
// longer has and answered 500.
func TestStockListSortsByItsFigures(t *testing.T) {
	f := newStockFixture(t)
	feed := "codigo;quantidade\nPF-100;3\nDF-200;9\n"
	if res := f.env.API(f.tokPaulo, "PUT", "/api/v1/stock", strings.NewReader(feed), "text/csv"); res.Status != 200 {
		t.Fatalf("feed: %d %s", res.Status, res.Body)
	}
	b := f.env.Login("compras@cp.example")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"sort=available&dir=desc", []string{"CP-DISC-02", "CP-PAST-01", "CP-FREI-03"}},
		{"sort=available&dir=asc", []string{"CP-FREI-03", "CP-PAST-01", "CP-DISC-02"}},
		{"sort=physical&dir=desc", []string{"CP-DISC-02", "CP-PAST-01", "CP-FREI-03"}},
		{"sort=reserved&dir=asc", []string{"CP-PAST-01", "CP-DISC-02", "CP-FREI-03"}}, // all 0: ties by id
	} {
		res := b.Get("/stock?" + tc.query)
		if res.Status != 200 {
			t.Fatalf("%s: status %d", tc.query, res.Status)
		}
		var got []string
		res.Doc.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			for _, sku := range []string{"CP-PAST-01", "CP-DISC-02", "CP-FREI-03"} {
				if strings.Contains(tr.Text(), sku) {
					got = append(got, sku)
				}
			}
		})
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: rows %v, want %v", tc.query, got, tc.want)
		}
	}
}
