package web_test

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
)

// download fetches a list export and opens it back: the rows, header first.
func download(t *testing.T, b *apptest.Browser, path string) [][]string {
	t.Helper()
	res := b.Get(path)
	if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET %s: %d %q %.200s", path, res.Status, res.Header.Get("Content-Disposition"), res.Body)
	}
	if strings.Contains(path, "format=xlsx") {
		x, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("GET %s: not an XLSX: %v", path, err)
		}
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if !strings.HasPrefix(res.Body, "\uFEFF") {
		t.Fatalf("GET %s: CSV without BOM", path)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return rows
}

// column returns the cells of column i of rows, header skipped.
func column(rows [][]string, i int) []string {
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[i])
	}
	return out
}

// pageColumn returns the text of the first cell of every row matching sel.
func pageColumn(t *testing.T, b *apptest.Browser, path, sel string) []string {
	t.Helper()
	res := b.Get(path)
	if res.Status != 200 {
		t.Fatalf("GET %s: %d", path, res.Status)
	}
	var out []string
	res.Doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Find("td").First().Text()))
	})
	return out
}

// The PO list exports, in CSV and XLSX, exactly the rows the list shows, in
// its order and with its filters; sorting by a column changes the order of
// both; a supplier's export holds only its own POs.
func TestPurchaseOrderListExportAndSort(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	staff := e.Login("compras@connectparts.test")
	for _, dir := range []string{"asc", "desc"} {
		q := "/purchase-orders?sort=number&dir=" + dir
		shown := pageColumn(t, staff, q, "[data-testid=po-row]")
		want := []string{f.po1, f.po2}
		if dir == "desc" {
			want = []string{f.po2, f.po1}
		}
		if strings.Join(shown, ",") != strings.Join(want, ",") {
			t.Fatalf("sorted %s: %v, want %v", dir, shown, want)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, staff, q+"&format="+fm)
			if rows[0][0] != "Pedido de compra" || rows[0][1] != "Fornecedor" {
				t.Fatalf("%s header: %q", fm, rows[0])
			}
			if got := column(rows, 0); strings.Join(got, ",") != strings.Join(shown, ",") {
				t.Errorf("%s export %s: %v, list shows %v", fm, dir, got, shown)
			}
			if rows[1][1] != "Freios & Cia" || rows[1][3] != "Maria da Silva" {
				t.Errorf("%s row: %q", fm, rows[1])
			}
		}
	}
	// The header link toggles the direction and keeps the filters.
	res := staff.Get("/purchase-orders?status=awaiting_supplier&sort=number&dir=asc")
	href, _ := res.Doc.Find("[data-testid=sort-number]").Attr("href")
	if u, err := url.Parse(href); err != nil || u.Query().Get("dir") != "desc" || u.Query().Get("status") != "awaiting_supplier" ||
		!strings.Contains(res.Doc.Find("[data-testid=sort-number]").Text(), "▲") {
		t.Fatalf("sort link: %q", href)
	}
	exp, _ := res.Doc.Find("[data-testid=export-csv]").Attr("href")
	if u, err := url.Parse(exp); err != nil || u.Query().Get("status") != "awaiting_supplier" || u.Query().Get("format") != "csv" || u.Query().Get("sort") != "number" {
		t.Fatalf("export link: %q", exp)
	}
	// A filter narrowing to nothing exports only the header.
	if rows := download(t, staff, "/purchase-orders?status=cancelled&format=csv"); len(rows) != 1 {
		t.Fatalf("filtered export: %q", rows)
	}

	// Suppliers: A gets its two POs without the supplier column, B none.
	e.User("a2@freios.test", model.RoleSupplier, f.a)
	e.User("b2@paulista.test", model.RoleSupplier, f.b)
	rowsA := download(t, e.Login("a2@freios.test"), "/purchase-orders?format=xlsx")
	if len(rowsA) != 3 || rowsA[0][1] == "Fornecedor" || !strings.Contains(strings.Join(column(rowsA, 0), ","), f.po1) {
		t.Fatalf("supplier A export: %q", rowsA)
	}
	if rowsB := download(t, e.Login("b2@paulista.test"), "/purchase-orders?format=csv&supplier="+itoa(f.a.ID)); len(rowsB) != 1 {
		t.Fatalf("supplier B export holds other rows: %q", rowsB)
	}
}

// The supplier list exports what it shows, sorted as chosen, with formula
// starters neutralised in both formats.
func TestSupplierListExportSortAndNeutralisation(t *testing.T) {
	env := apptest.New(t)
	env.Supplier("11222333000181", "=HYPERLINK(\"http://x\";\"y\")")
	env.Supplier("06929383000163", "Beta Autopeças")
	env.Supplier("11444777000161", "Alfa Peças")
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	b := env.Login("admin@connectparts.test")
	for _, dir := range []string{"asc", "desc"} {
		q := "/suppliers?sort=cnpj&dir=" + dir
		shown := pageColumn(t, b, q, "tbody tr")
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, q+"&format="+fm)
			if got := column(rows, 2); strings.Join(got, ",") != strings.Join(shown, ",") || len(got) != 3 {
				t.Errorf("%s %s: export CNPJs %v, list %v", fm, dir, got, shown)
			}
			found := false
			for _, r := range rows {
				if r[0] == "'=HYPERLINK(\"http://x\";\"y\")" {
					found = true
				}
				if strings.HasPrefix(r[0], "=") {
					t.Errorf("%s: formula not neutralised: %q", fm, r[0])
				}
			}
			if !found {
				t.Errorf("%s: neutralised cell missing: %q", fm, rows)
			}
		}
		if dir == "asc" && (len(shown) != 3 || shown[0] > shown[2]) {
			t.Fatalf("ascending CNPJs: %v", shown)
		}
		if dir == "desc" && (len(shown) != 3 || shown[0] < shown[2]) {
			t.Fatalf("descending CNPJs: %v", shown)
		}
	}
	// The audit log and the sync log export too, with their headers; the
	// audit log sorts by action both ways, the page and the export alike.
	if rows := download(t, b, "/admin/audit?format=csv"); rows[0][0] != "Quando" || len(rows) < 2 {
		t.Fatalf("audit export: %q", rows)
	}
	for _, dir := range []string{"asc", "desc"} {
		q := "/admin/audit?sort=action&dir=" + dir
		shown := pageColumn(t, b, q, "tbody tr:not(:has(td.empty))")
		rows := download(t, b, q+"&format=xlsx")
		if got := column(rows, 0); strings.Join(got, ",") != strings.Join(shown, ",") {
			t.Errorf("audit %s: export %v, list %v", dir, got, shown)
		}
		actions := column(rows, 7) // "Código da ação": the code the sort orders by
		for i := 1; i < len(actions); i++ {
			if (dir == "asc" && actions[i-1] > actions[i]) || (dir == "desc" && actions[i-1] < actions[i]) {
				t.Fatalf("audit sorted %s: %v", dir, actions)
			}
		}
		if actions[0] == actions[len(actions)-1] {
			t.Fatalf("audit fixture has one action only: %v", actions)
		}
	}
	if rows := download(t, b, "/sync-runs?format=xlsx"); rows[0][0] != "Plataforma" {
		t.Fatalf("sync runs export: %q", rows)
	}
}

// The sales-order and product lists export the rows they show, in the
// chosen order, in both formats.
func TestOrderAndProductListExportAndSort(t *testing.T) {
	f := newPOFixture(t)
	f.env.User("admin-export@connectparts.test", model.RoleAdmin, nil)
	b := f.env.Login("admin-export@connectparts.test")
	lists := []struct {
		path string
		want []string // ascending
	}{
		{"/orders?q=V-&sort=number", []string{"V-0", "V-1"}},
		{"/products?sort=sku", []string{"SKU-DF-200", "SKU-PF-100"}},
	}
	for _, l := range lists {
		for _, dir := range []string{"asc", "desc"} {
			q := l.path + "&dir=" + dir
			shown := pageColumn(t, b, q, "tbody tr:not(:has(td.empty))")
			want := append([]string(nil), l.want...)
			if dir == "desc" {
				want[0], want[1] = want[1], want[0]
			}
			if strings.Join(shown, ",") != strings.Join(want, ",") {
				t.Fatalf("%s: list %v, want %v", q, shown, want)
			}
			for _, fm := range []string{"csv", "xlsx"} {
				rows := download(t, b, q+"&format="+fm)
				if got := column(rows, 0); strings.Join(got, ",") != strings.Join(shown, ",") {
					t.Errorf("%s %s: export %v, list %v", q, fm, got, shown)
				}
			}
		}
	}
}

// The stock list exports what it shows in the chosen order; a supplier's
// export holds only its own products.
func TestStockListExportAndSort(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	pb := &model.Product{SKU: "SKU-B-1", Name: "Produto de B", SupplierID: &f.b.ID, SupplierCode: "B-1", Active: true}
	if err := e.App.Store.CreateProduct(e.Ctx, pb); err != nil {
		t.Fatal(err)
	}
	e.User("admin-stock@connectparts.test", model.RoleAdmin, nil)
	staff := e.Login("admin-stock@connectparts.test")
	for _, dir := range []string{"asc", "desc"} {
		q := "/stock?sort=sku&dir=" + dir
		shown := pageColumn(t, staff, q, "tbody tr:not(:has(td.empty))")
		if len(shown) != 3 || (dir == "asc") != (shown[0] < shown[2]) {
			t.Fatalf("%s: %v", q, shown)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			if got := column(download(t, staff, q+"&format="+fm), 0); strings.Join(got, ",") != strings.Join(shown, ",") {
				t.Errorf("%s %s: export %v, list %v", q, fm, got, shown)
			}
		}
	}
	e.User("b-stock@paulista.test", model.RoleSupplier, f.b)
	rows := download(t, e.Login("b-stock@paulista.test"), "/stock?format=csv&supplier="+itoa(f.a.ID))
	if got := column(rows, 0); strings.Join(got, ",") != "SKU-B-1" {
		t.Fatalf("supplier B stock export: %q", rows)
	}
}

// The price-table list exports what it shows, sorted as chosen; a
// supplier's export holds only its own tables.
func TestPriceTableListExportAndSort(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	csvBody := "codigo;preco\r\nPF-100;99,90\r\nDF-200;0,43\r\n"
	later := time.Now().In(format.Location).AddDate(0, 0, 40).Format("2006-01-02")
	if _, err := e.App.PriceTables.SubmitFile(e.Ctx, f.a.ID, pricetable.File{Name: "nova.csv", Size: int64(len(csvBody)), Body: strings.NewReader(csvBody)}, later); err != nil {
		t.Fatal(err)
	}
	e.User("admin-pt@connectparts.test", model.RoleAdmin, nil)
	staff := e.Login("admin-pt@connectparts.test")
	for _, dir := range []string{"asc", "desc"} {
		q := "/price-tables?sort=effective&dir=" + dir
		shown := pageColumn(t, staff, q, "[data-testid=price-table-row]")
		if len(shown) != 2 || (dir == "asc") != (shown[0] < shown[1]) {
			t.Fatalf("%s: %v", q, shown)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, staff, q+"&format="+fm)
			if got := column(rows, 0); strings.Join(got, ",") != strings.Join(shown, ",") || rows[1][1] != "Freios & Cia" {
				t.Errorf("%s %s: export %q, list %v", q, fm, rows, shown)
			}
		}
	}
	e.User("a-pt@freios.test", model.RoleSupplier, f.a)
	e.User("b-pt@paulista.test", model.RoleSupplier, f.b)
	if rows := download(t, e.Login("a-pt@freios.test"), "/price-tables?format=csv"); len(rows) != 3 {
		t.Fatalf("supplier A export: %q", rows)
	}
	if rows := download(t, e.Login("b-pt@paulista.test"), "/price-tables?format=xlsx&supplier_id="+itoa(f.a.ID)); len(rows) != 1 {
		t.Fatalf("supplier B export holds A's tables: %q", rows)
	}
}

// The user list sorts by e-mail both ways and exports the rows it shows, in
// its order and with its filter, in both formats.
func TestUserListExportAndSort(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Alfa Peças")
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	env.User("compras@connectparts.test", model.RolePurchasing, nil)
	env.User("balcao@alfa.test", model.RoleSupplier, sup)
	b := env.Login("admin@connectparts.test")
	for _, dir := range []string{"asc", "desc"} {
		q := "/admin/users?sort=email&dir=" + dir
		res := b.Get(q)
		var shown []string
		res.Doc.Find("[data-testid=users-table] tbody tr").Each(func(_ int, s *goquery.Selection) {
			shown = append(shown, strings.TrimSpace(s.Find("td").Eq(1).Text()))
		})
		if len(shown) != 3 || (dir == "asc" && shown[0] != "admin@connectparts.test") || (dir == "desc" && shown[0] != "compras@connectparts.test") {
			t.Fatalf("users sorted %s: %v", dir, shown)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, q+"&format="+fm)
			if rows[0][0] != "Nome" || strings.Join(column(rows, 1), ",") != strings.Join(shown, ",") {
				t.Fatalf("users %s %s: export %q, list %v", dir, fm, rows, shown)
			}
		}
	}
	rows := download(t, b, "/admin/users?role=supplier&format=csv")
	if len(rows) != 2 || rows[1][1] != "balcao@alfa.test" || rows[1][3] != "Alfa Peças" || rows[1][2] != model.RoleSupplier.Label() {
		t.Fatalf("filtered export: %q", rows)
	}
}

// The outbox sorts by recipient both ways and exports what it shows.
func TestOutboxExportAndSort(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	now := time.Now().UTC()
	for i, to := range []string{"bruno@x.test", "ana@x.test", "carla@x.test"} {
		e := model.Email{Kind: "po.created", ToAddr: to, Subject: "Assunto " + to, Body: "corpo", Status: "sent", Attempts: i + 1, CreatedAt: now}
		if err := env.App.DB.Gorm.Create(&e).Error; err != nil {
			t.Fatal(err)
		}
	}
	b := env.Login("admin@connectparts.test")
	for _, dir := range []string{"asc", "desc"} {
		q := "/admin/outbox?sort=to&dir=" + dir
		var shown []string
		b.Get(q).Doc.Find("tbody tr").Each(func(_ int, s *goquery.Selection) {
			shown = append(shown, strings.TrimSpace(s.Find("td").Eq(1).Text()))
		})
		want := "ana@x.test,bruno@x.test,carla@x.test"
		if dir == "desc" {
			want = "carla@x.test,bruno@x.test,ana@x.test"
		}
		if strings.Join(shown, ",") != want {
			t.Fatalf("outbox sorted %s: %v", dir, shown)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, q+"&format="+fm)
			if rows[0][1] != "Para" || strings.Join(column(rows, 1), ",") != want {
				t.Fatalf("outbox %s %s: %q", dir, fm, rows)
			}
		}
	}
}
