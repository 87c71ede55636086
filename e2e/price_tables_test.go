package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
)

// A supplier with a table in force uploads a Windows-1252 ";" CSV with
// decimal commas, sees the differences, is refused an effective date one day
// short of the notice (the message names the earliest date), submits 20 days
// ahead; a file with bad lines shows every bad line and stores nothing;
// purchasing then sees the scheduled table.
func TestBrowserPriceTableUpload(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista Autopeças Ltda")
	for i, code := range []string{"PA-101", "PA-102", "PA-103", "PA-104", "PA-105", "PA-106"} {
		p := &model.Product{SKU: fmt.Sprintf("CP-%03d", 101+i), Name: "Produto " + code, SupplierID: &sup.ID, SupplierCode: code, Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			t.Fatalf("product %s: %v", code, err)
		}
	}
	env.User("paulo@paulista.example", model.RoleSupplier, sup)
	env.User("carla@connectparts.example", model.RolePurchasing, nil)

	// Dates as the server computes them: calendar days in São Paulo.
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := env.App.Store.Now().In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	earliest := today.AddDate(0, 0, sup.PriceNoticeDays) // 20 days
	br, iso := func(t time.Time) string { return t.Format("02/01/2006") }, func(t time.Time) string { return t.Format("2006-01-02") }

	// The table in force: the supplier's first, effective at once (PA-106 is
	// not in it yet).
	first := "codigo;preco\r\nPA-101;100,00\r\nPA-102;1.000,00\r\nPA-103;50,00\r\nPA-104;20,00\r\nPA-105;80,00\r\n"
	inForce, err := env.App.PriceTables.SubmitFile(env.Ctx, sup.ID, pricetable.File{Name: "primeira.csv", Size: int64(len(first)), Body: strings.NewReader(first)}, iso(today))
	if err != nil || inForce.Status != model.PriceTableStatusInForce {
		t.Fatalf("table in force: %+v %v", inForce, err)
	}
	tables := func() []model.PriceTable {
		t.Helper()
		items, _, err := env.App.Store.ListPriceTables(env.Ctx, store.PriceTableFilter{SupplierID: &sup.ID, IncludeDrafts: true}, store.Page{Size: 100}, env.App.Store.Now())
		if err != nil {
			t.Fatal(err)
		}
		return items
	}

	dir := t.TempDir()
	// As Excel on Brazilian Windows saves it: Windows-1252, ";", CRLF,
	// decimal commas, a quoted field holding a ";". PA-102 +23,46 % (above
	// the 10 % threshold), PA-101 +5 %, PA-103 −9 %, PA-104 unchanged,
	// PA-105 removed, PA-106 new.
	goodPath := writeWin1252(t, dir, "tabela reajuste março.csv",
		"Código;Descrição;Preço",
		"PA-101;Pastilha de freio cerâmica;105,00",
		`PA-102;"Disco de freio ventilado; par";1.234,56`,
		"PA-103;Óleo de câmbio 75W-90 – 1 L;45,50",
		"PA-104;Junta homocinética;20,00",
		"PA-106;Fluido de freio DOT 4 – 500 ml;12,90",
	)
	badPath := writeWin1252(t, dir, "tabela com erros.csv",
		"Código;Descrição;Preço",
		"PA-101;Pastilha de freio cerâmica;105,00", // 2: fine
		"XX-999;Peça de outro catálogo;10,00",      // 3: unknown code
		"PA-102;Disco de freio;",                   // 4: empty price
		"PA-103;Óleo de câmbio;0,00",               // 5: zero
		"PA-104;Junta homocinética;-5,00",          // 6: negative
		"PA-105;Correia dentada;12,345",            // 7: too many decimals
		"PA-106;Fluido de freio;abc",               // 8: not a number
		"PA-101;Pastilha de novo;99,90",            // 9: duplicate of line 2
	)

	b := newBrowser(t, env)
	b.login("paulo@paulista.example", apptest.Password)
	b.visit("/price-tables")
	if got := b.text("[data-testid=upload-earliest-date]"); got != br(earliest) {
		t.Fatalf("earliest date on the list: %q, want %s", got, br(earliest))
	}
	if !b.exists(fmt.Sprintf("[data-testid=price-table-row][data-id='%d'][data-status=in_force]", inForce.ID)) {
		t.Fatal("the table in force is not listed as in force")
	}
	b.shot("supplier-list")

	// Upload: the script sends the file and follows the redirect to the preview.
	b.run(
		chromedp.SetUploadFiles(chromedp.CSS("[data-testid=price-table-file]"), []string{goodPath}),
		chromedp.Click(chromedp.CSS("[data-testid=price-table-upload]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=price-table-preview]")),
	)
	if got := b.text("[data-testid=price-table-detail] [data-testid=price-table-status]"); got != "Rascunho" {
		t.Fatalf("preview status: %q", got)
	}
	counts := map[string]string{"diff-lines": "5", "diff-added": "1", "diff-removed": "1", "diff-increased": "2", "diff-decreased": "1", "diff-unchanged": "1", "diff-highlighted": "1"}
	for id, want := range counts {
		if got := b.text("[data-testid=" + id + "]"); got != want {
			t.Errorf("%s = %q, want %s", id, got, want)
		}
	}
	rows := evalJS[[]string](b, `Array.from(document.querySelectorAll("[data-testid=price-diff-table] tbody tr")).map(r =>
		[r.dataset.code, r.dataset.highlight, r.className].concat(Array.from(r.cells).map(c => c.innerText.trim())).join(" | "))`)
	want := []string{
		"PA-102 | true | diff-alert | PA-102 | Disco de freio ventilado; par | CP-102 Produto PA-102 | R$ 1.000,00 | R$ 1.234,56 | +23,46 %",
		"PA-101 | false | diff-up | PA-101 | Pastilha de freio cerâmica | CP-101 Produto PA-101 | R$ 100,00 | R$ 105,00 | +5,00 %",
		"PA-103 | false | diff-down | PA-103 | Óleo de câmbio 75W-90 – 1 L | CP-103 Produto PA-103 | R$ 50,00 | R$ 45,50 | −9,00 %",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("price changes, biggest increase first and highlighted:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got := b.text("[data-testid=price-table-detail] ~ article"); !strings.Contains(got, "tabela reajuste março.csv") || !strings.Contains(got, "Windows-1252") {
		t.Errorf("file facts: %q", got)
	}
	if got := b.text("[data-testid=earliest-date]"); !strings.Contains(got, br(earliest)) {
		t.Errorf("earliest date on the preview: %q", got)
	}
	if v := evalJS[string](b, `document.querySelector("[data-testid=effective-from]").value`); v != iso(earliest) {
		t.Errorf("date field defaults to %q, want %s", v, iso(earliest))
	}
	if !b.exists("[data-testid=tab-diff][aria-current=true]") || b.exists("[data-testid=tab-items][aria-current]") {
		t.Error("the differences tab is not marked as the current one")
	}
	b.shot("preview")

	// The new codes, through the count's link.
	b.run(chromedp.Click(chromedp.CSS(".diff-counts a[href*='kind=added']")), chromedp.WaitVisible(chromedp.CSS("[data-testid=price-diff-row][data-code=PA-106]")))
	if got := b.text("[data-testid=price-diff-row][data-code=PA-106]"); !strings.Contains(got, "R$ 12,90") || !strings.Contains(got, "novo") || !strings.Contains(got, "Fluido de freio DOT 4 – 500 ml") {
		t.Errorf("added code: %q", got)
	}
	b.shot("preview-added")

	// One day short of the notice: refused, naming the earliest date.
	b.run(
		chromedp.SetValue(chromedp.CSS("[data-testid=effective-from]"), iso(earliest.AddDate(0, 0, -1))),
		chromedp.Click(chromedp.CSS("[data-testid=price-table-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=price-table-submit-card] [data-testid=form-error]")),
	)
	if got := b.text("[data-testid=price-table-submit-card] [data-testid=form-error]"); !strings.Contains(got, "recusada") || !strings.Contains(got, br(earliest)) {
		t.Fatalf("refusal does not name the earliest date %s: %q", br(earliest), got)
	}
	if got := b.text("#e-effective_from"); !strings.Contains(got, br(earliest)) {
		t.Errorf("error next to the date field: %q", got)
	}
	if got := b.text("[data-testid=price-table-detail] [data-testid=price-table-status]"); got != "Rascunho" {
		t.Fatalf("a refused date changed the draft: %q", got)
	}
	b.shot("date-refused")

	// Exactly the notice: scheduled.
	b.run(
		chromedp.SetValue(chromedp.CSS("[data-testid=effective-from]"), iso(earliest)),
		chromedp.Click(chromedp.CSS("[data-testid=price-table-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash-success]")),
	)
	if got := b.text("[data-testid=flash-success]"); !strings.Contains(got, br(earliest)) {
		t.Errorf("submitted flash: %q", got)
	}
	id := evalJS[string](b, `document.querySelector("[data-testid=price-table-detail]").dataset.id`)
	if got := b.text("[data-testid=price-table-detail] [data-testid=price-table-status]"); got != "Agendada" {
		t.Errorf("status after submitting: %q", got)
	}
	if got := b.text("[data-testid=price-table-effective]"); got != br(earliest) {
		t.Errorf("effective date after submitting: %q", got)
	}
	b.shot("submitted")
	b.visit("/price-tables")
	row := fmt.Sprintf("[data-testid=price-table-row][data-id='%s']", id)
	if !b.exists(row + "[data-status=scheduled]") {
		t.Fatalf("the submitted table is not listed as scheduled: %q", b.text("[data-testid=price-tables-table] tbody"))
	}
	if got := b.text(row + " [data-testid=price-table-effective]"); got != br(earliest) {
		t.Errorf("listed effective date: %q", got)
	}
	if !b.exists(fmt.Sprintf("[data-testid=price-table-row][data-id='%d'][data-status=in_force]", inForce.ID)) {
		t.Error("the table in force is no longer listed as in force")
	}
	if got := b.text("[data-testid=price-table-scheduled]"); !strings.Contains(got, br(earliest)) {
		t.Errorf("scheduled notice on the upload card: %q", got)
	}
	b.shot("supplier-list-scheduled")

	// A file with bad lines: every one shown with its number, nothing stored.
	before := len(tables())
	b.run(
		chromedp.SetUploadFiles(chromedp.CSS("[data-testid=price-table-file]"), []string{badPath}),
		chromedp.Click(chromedp.CSS("[data-testid=price-table-upload]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=price-table-errors]")),
	)
	problems := evalJS[[]string](b, `Array.from(document.querySelectorAll("[data-testid=price-table-error]")).map(r =>
		r.querySelector("[data-testid=error-line]").innerText.trim() + ": " + r.querySelector("[data-testid=error-message]").innerText.trim())`)
	wantProblems := []string{
		`3: Código "XX-999" não pertence ao seu catálogo`,
		"4: Preço ausente",
		"5: Preço zero",
		"6: Preço negativo",
		"7: mais de duas casas decimais",
		"8: Preço inválido",
		`9: Código "PA-101" repetido: já aparece na linha 2`,
	}
	if len(problems) != len(wantProblems) {
		t.Errorf("problems:\n%s", strings.Join(problems, "\n"))
	}
	for i, w := range wantProblems {
		line, frag, _ := strings.Cut(w, ": ")
		if i >= len(problems) || !strings.HasPrefix(problems[i], line+": ") || !strings.Contains(problems[i], frag) {
			t.Errorf("problem %d: want line %s mentioning %q; got:\n%s", i+1, line, frag, strings.Join(problems, "\n"))
			break
		}
	}
	if got := b.text("[data-testid=price-table-upload-result] [data-testid=form-error]"); !strings.Contains(got, "tabela com erros.csv") || !strings.Contains(got, "7 linhas de 8") || !strings.Contains(got, "nada foi gravado") {
		t.Errorf("refusal summary: %q", got)
	}
	// Post/Redirect/Get: the list page, naming the report (a refresh shows it again).
	if loc := b.location(); !strings.HasPrefix(loc, "/price-tables?report=") {
		t.Errorf("the refused upload left the list page: %s", loc)
	}
	b.shot("bad-lines")
	if after := tables(); len(after) != before {
		t.Errorf("a refused file was stored: %d tables before, %d after", before, len(after))
	}

	// Purchasing sees the scheduled table.
	b.run(chromedp.Click(chromedp.CSS("[data-testid=user-menu]")))
	b.run(chromedp.Click(chromedp.CSS("[data-testid=logout]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=flash-success]")))
	b.login("carla@connectparts.example", apptest.Password)
	b.visit("/price-tables")
	if !b.exists(row + "[data-status=scheduled]") {
		t.Fatalf("purchasing does not see the scheduled table: %q", b.text("[data-testid=price-tables-table] tbody"))
	}
	if got := b.text(row); !strings.Contains(got, "Paulista") || !strings.Contains(got, "Agendada") {
		t.Errorf("purchasing row: %q", got)
	}
	if got := b.text(row + " [data-testid=price-table-effective]"); got != br(earliest) {
		t.Errorf("purchasing sees effective date %q, want %s", got, br(earliest))
	}
	b.shot("purchasing-list")
	b.run(
		chromedp.Click(chromedp.CSS(row+" [data-testid=price-table-link]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=price-table-detail][data-status=scheduled]")),
	)
	if got := b.text("[data-testid=price-table-effective]"); got != br(earliest) {
		t.Errorf("purchasing detail effective date: %q", got)
	}
	if !b.exists("[data-testid=reject-form]") || !b.exists("[data-testid=early-form]") {
		t.Error("purchasing may neither reject nor bring the table forward")
	}
	if got := b.text("[data-testid=price-diff-row]"); !strings.Contains(got, "PA-102") {
		t.Errorf("purchasing diff, first row: %q", got)
	}
	b.shot("purchasing-detail")

	// Its items, as read from the Windows-1252 file.
	b.run(chromedp.Click(chromedp.CSS("[data-testid=tab-items]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=price-items-table]")))
	if got := b.text("[data-testid=price-item-row][data-code=PA-103]"); !strings.Contains(got, "Óleo de câmbio 75W-90 – 1 L") || !strings.Contains(got, "R$ 45,50") {
		t.Errorf("item PA-103: %q", got)
	}
	b.shot("purchasing-items")
}

// writeWin1252 writes a CSV as Excel on Brazilian Windows saves it.
func writeWin1252(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	body, err := charmap.Windows1252.NewEncoder().String(strings.Join(lines, "\r\n") + "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// evalJS evaluates a JavaScript expression in the page and decodes its value.
func evalJS[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.shot("failure")
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
