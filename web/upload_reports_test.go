package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/store"
)

// afterUpload checks that a form's upload answered Post/Redirect/Get: 303 to
// path naming its report, and returns the page it leads to.
func afterUpload(t *testing.T, b *apptest.Browser, res *apptest.Response, path string) *apptest.Response {
	t.Helper()
	loc := res.Location()
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(loc, path+"?report=") {
		t.Fatalf("upload answered %d %q, want 303 to %s?report=…", res.Status, loc, path)
	}
	page := b.Get(loc)
	if page.Status != http.StatusOK {
		t.Fatalf("GET %s after the upload: %d", loc, page.Status)
	}
	return page
}

// A refused stock feed answers 303 to /stock naming its report: the page
// shows the Portuguese report, a refresh shows it again and applies nothing,
// and another user given the address sees no report (only a note), nor does
// the report follow the list's other pages.
func TestRefusedUploadReportAfterRedirect(t *testing.T) {
	f := newStockFixture(t)
	b := f.env.Login("paulo@paulista.example")
	b.Get("/stock")
	res := b.Do(multipartUpload(t, f.env.URL+"/stock/feed", "estoque.csv", "codigo;quantidade\nPF-100;5\nNOPE;1\n"))
	loc := res.Location()
	page := afterUpload(t, b, res, "/stock")
	if !strings.Contains(page.Text("[data-testid=feed-problems]"), "NOPE não pertence") {
		t.Fatalf("report after the redirect: %q", page.Text("#feed-result"))
	}
	if _, st := f.stockOf(t, f.tokPaulo, "CP-PAST-01"); st.Physical != 0 {
		t.Fatalf("a refused feed changed the stock: %+v", st)
	}
	again := b.Get(loc) // the refresh
	if again.Status != 200 || !strings.Contains(again.Text("[data-testid=feed-problems]"), "NOPE não pertence") {
		t.Fatalf("refresh: %d %q", again.Status, again.Text("#feed-result"))
	}
	if _, st := f.stockOf(t, f.tokPaulo, "CP-PAST-01"); st.Physical != 0 {
		t.Fatalf("the refresh applied the feed: %+v", st)
	}
	page.Doc.Find("a[href*='page=']").Each(func(_ int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); strings.Contains(href, "report=") {
			t.Errorf("a list link carries the report: %s", href)
		}
	})

	other := f.env.Login("fer@freios.example")
	res = other.Get(loc)
	if res.Status != 200 || res.Doc.Find("[data-testid=feed-problems]").Length() != 0 || strings.Contains(res.Body, "NOPE") {
		t.Fatalf("another supplier's user sees the report: %d %q", res.Status, res.Text("#feed-result"))
	}
	if !strings.Contains(res.Text("[data-testid=flash-info]"), "não está mais disponível") {
		t.Errorf("no note on the missing report: %q", res.Text("[data-testid=flash-info]"))
	}
}

// A refused price table answers 303 to /price-tables with its report; no
// draft is kept.
func TestRefusedPriceTableAfterRedirect(t *testing.T) {
	f := newStockFixture(t)
	b := f.env.Login("paulo@paulista.example")
	b.Get("/price-tables")
	res := b.Do(multipartUpload(t, f.env.URL+"/price-tables/upload", "tabela.csv", "codigo;preco\nPF-100;abc\n"))
	page := afterUpload(t, b, res, "/price-tables")
	if got := page.Text("[data-testid=price-table-error]"); !strings.Contains(got, "Preço inválido") {
		t.Fatalf("report after the redirect: %q", page.Text("main"))
	}
	tables, total, err := f.env.App.Store.ListPriceTables(f.env.Ctx, store.PriceTableFilter{SupplierID: &f.paulista.ID}, store.Page{Size: 10}, f.env.App.Store.Now())
	if err != nil || total != 0 {
		t.Fatalf("a refused table was kept: %v %+v", err, tables)
	}
}
