package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
)

// ptFixture is a portal with two suppliers, their catalogs, a table in force
// for the first one, and users of every side.
type ptFixture struct {
	env      *apptest.Env
	sup      *model.Supplier
	other    *model.Supplier
	today    time.Time // midnight in São Paulo
	inForce  *model.PriceTable
	supUser  string
	othUser  string
	buyer    string
	fiscal   string
	earliest time.Time
}

func newPTFixture(t *testing.T) *ptFixture {
	t.Helper()
	env := apptest.New(t)
	f := &ptFixture{env: env, today: format.Day(time.Now())}
	f.sup = env.Supplier("11222333000181", "Paulista Autopeças Ltda")
	f.other = env.Supplier("12ABC34501DE35", "Freios & Cia S.A.")
	for i, code := range []string{"PA-001", "PA-002", "PA-003", "PA-004", "PA-005"} {
		ptProduct(t, env, f.sup, fmt.Sprintf("CP-%03d", i+1), code)
	}
	ptProduct(t, env, f.other, "CP-900", "FC-900")
	f.supUser, f.othUser = "paulo@paulista.example", "fernanda@freios.example"
	f.buyer, f.fiscal = "carla@connectparts.example", "fabio@connectparts.example"
	env.User(f.supUser, model.RoleSupplier, f.sup)
	env.User("pedro@paulista.example", model.RoleSupplier, f.sup)
	env.User(f.othUser, model.RoleSupplier, f.other)
	env.User(f.buyer, model.RolePurchasing, nil)
	env.User(f.fiscal, model.RoleFiscal, nil)
	// The table in force: the supplier's first, effective at once.
	first := "codigo;preco\r\nPA-001;10,00\r\nPA-002;20,00\r\nPA-003;30,00\r\nPA-004;40,00\r\n"
	var err error
	f.inForce, err = env.App.PriceTables.SubmitFile(env.Ctx, f.sup.ID, pricetable.File{Name: "primeira.csv", Size: int64(len(first)), Body: strings.NewReader(first)},
		f.today.Format("2006-01-02"))
	if err != nil {
		t.Fatalf("first table: %v", err)
	}
	f.earliest = f.today.AddDate(0, 0, 20)
	return f
}

func ptProduct(t *testing.T, env *apptest.Env, sup *model.Supplier, sku, code string) {
	t.Helper()
	p := &model.Product{SKU: sku, Name: "Produto " + sku, SupplierID: &sup.ID, SupplierCode: code, Dropship: true, Active: true}
	if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
		t.Fatalf("product %s: %v", sku, err)
	}
}

// ptWin1252 is a CSV as Excel on Brazilian Windows saves it.
func ptWin1252(t *testing.T, lines ...string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.Join(lines, "\r\n") + "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ptMultipart builds a multipart request with a file and form fields.
func ptMultipart(t *testing.T, target, name string, content []byte, fields map[string]string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v) //nolint:errcheck
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content) //nolint:errcheck
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func (f *ptFixture) apiPost(t *testing.T, token, name string, content []byte, date string) *apptest.Response {
	t.Helper()
	req := ptMultipart(t, f.env.URL+"/api/v1/price-tables", name, content, map[string]string{"effective_from": date})
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &apptest.Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (f *ptFixture) tables(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := f.env.App.DB.Gorm.Raw("SELECT COUNT(*) FROM price_tables").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func ptISO(t time.Time) string { return t.Format("2006-01-02") }

// The new table of the browser and API scenarios: PA-001 +25 % (above the
// 10 % threshold), PA-002 +5 %, PA-003 −10 %, PA-004 removed, PA-005 new.
var ptNewTable = []string{
	"Código;Descrição;Preço;Qtd. mínima",
	"PA-001;Pastilha de freio dianteira;12,50;1",
	"PA-002;Disco de freio ventilado;21,00;2",
	"PA-003;\"Sapata de freio; traseira\";27,00;1",
	"PA-005;Fluido de freio DOT 4 – 500 ml;1.234,56;10",
}

// TestPriceTableSupplierFlow is the HTTP-level equivalent of the browser
// scenario: a supplier with a table in force uploads a Windows-1252 ";" CSV
// with decimal commas, sees the difference, is refused a date earlier than
// the notice allows (with the earliest date in the message), submits 20 days
// ahead; purchasing then sees the scheduled table.
func TestPriceTableSupplierFlow(t *testing.T) {
	f := newPTFixture(t)
	b := f.env.Login(f.supUser)

	res := b.Get("/price-tables")
	if res.Status != 200 || res.Doc.Find("[data-testid=price-table-upload-form]").Length() != 1 {
		t.Fatalf("list: %d, upload form missing", res.Status)
	}
	if got := res.Text("[data-testid=upload-earliest-date]"); got != format.Date(f.earliest) {
		t.Errorf("earliest date on the list: %q, want %s", got, format.Date(f.earliest))
	}
	if res.Doc.Find(fmt.Sprintf("[data-testid=price-table-row][data-id='%d'][data-status=in_force]", f.inForce.ID)).Length() != 1 {
		t.Errorf("table in force not listed as in force")
	}

	res = b.Do(ptMultipart(t, f.env.URL+"/price-tables/upload", "tabela nova.csv", ptWin1252(t, ptNewTable...), nil))
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/price-tables/") {
		t.Fatalf("upload: %d %s %s", res.Status, res.Location(), res.Text("[data-testid=form-error]"))
	}
	preview := res.Location()
	res = b.Get(preview)
	if res.Status != 200 || res.Text("[data-testid=price-table-status]") != "Rascunho" {
		t.Fatalf("preview: %d %q", res.Status, res.Text("[data-testid=price-table-status]"))
	}
	counts := map[string]string{"diff-lines": "4", "diff-added": "1", "diff-removed": "1", "diff-increased": "2", "diff-decreased": "1", "diff-unchanged": "0", "diff-highlighted": "1"}
	for id, want := range counts {
		if got := res.Text("[data-testid=" + id + "]"); got != want {
			t.Errorf("%s = %q, want %s", id, got, want)
		}
	}
	var codes, changes []string
	res.Doc.Find("[data-testid=price-diff-row]").Each(func(_ int, s *goquery.Selection) {
		codes = append(codes, s.AttrOr("data-code", ""))
		changes = append(changes, strings.TrimSpace(s.Find("[data-testid=diff-change]").Text()))
	})
	if strings.Join(codes, ",") != "PA-001,PA-002,PA-003" || strings.Join(changes, ",") != "+25,00 %,+5,00 %,−10,00 %" {
		t.Errorf("changes, biggest increase first: %v %v", codes, changes)
	}
	if res.Doc.Find("[data-testid=price-diff-row][data-code=PA-001][data-highlight=true]").Length() != 1 ||
		res.Doc.Find("[data-testid=price-diff-row][data-highlight=true]").Length() != 1 {
		t.Error("only the +25 % change should be highlighted (threshold 10 %)")
	}
	if got := res.Text("[data-testid=price-diff-row][data-code=PA-001] [data-testid=diff-new]"); got != "R$ 12,50" {
		t.Errorf("new price shown as %q", got)
	}
	added := b.Get(preview + "?tab=diff&kind=added")
	if got := added.Text("[data-testid=price-diff-row][data-code=PA-005] [data-testid=diff-new]"); got != "R$ 1.234,56" {
		t.Errorf("added code: %q", got)
	}
	if v, _ := res.Doc.Find("[data-testid=effective-from]").Attr("value"); v != ptISO(f.earliest) {
		t.Errorf("date field defaults to %q, want the earliest allowed %s", v, ptISO(f.earliest))
	}
	if !strings.Contains(res.Text("[data-testid=earliest-date]"), format.Date(f.earliest)) {
		t.Errorf("earliest date not shown: %q", res.Text("[data-testid=earliest-date]"))
	}

	// One day too early: refused, with the earliest allowed date.
	res = b.Submit(preview+"/submit", url.Values{"effective_from": {ptISO(f.earliest.AddDate(0, 0, -1))}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("early date: status %d", res.Status)
	}
	if msg := res.Text("[data-testid=form-error]"); !strings.Contains(msg, format.Date(f.earliest)) {
		t.Fatalf("refusal lacks the earliest date %s: %q", format.Date(f.earliest), msg)
	}
	if res.Text("[data-testid=price-table-status]") != "Rascunho" {
		t.Fatal("refused submission changed the draft")
	}

	res = b.Submit(preview+"/submit", url.Values{"effective_from": {ptISO(f.earliest)}})
	if res.Status != http.StatusSeeOther || res.Location() != preview {
		t.Fatalf("submit: %d %s %s", res.Status, res.Location(), res.Text("[data-testid=form-error]"))
	}
	res = b.Get(preview)
	if res.Text("[data-testid=price-table-status]") != "Agendada" || res.Text("[data-testid=price-table-effective]") != format.Date(f.earliest) {
		t.Fatalf("after submit: %q %q", res.Text("[data-testid=price-table-status]"), res.Text("[data-testid=price-table-effective]"))
	}
	if !strings.Contains(res.Text("[data-testid=flash-success]"), format.Date(f.earliest)) {
		t.Errorf("flash: %q", res.Text("[data-testid=flash-success]"))
	}
	// The price in force is still the old one until the effective date.
	pa001 := ptProductID(t, f, "PA-001")
	if cents, table, err := f.env.App.PriceTables.PriceAt(f.env.Ctx, pa001, time.Now()); err != nil || cents != 1000 || table != f.inForce.ID {
		t.Errorf("price now: %d from %d (%v)", cents, table, err)
	}
	if cents, _, _ := f.env.App.PriceTables.PriceAt(f.env.Ctx, pa001, f.earliest); cents != 1250 {
		t.Errorf("price at the effective date: %d", cents)
	}

	// Purchasing sees the scheduled table, is notified, and may act on it.
	pb := f.env.Login(f.buyer)
	res = pb.Get("/price-tables?status=scheduled")
	id := strings.TrimPrefix(preview, "/price-tables/")
	row := res.Doc.Find("[data-testid=price-table-row][data-id='" + id + "']")
	if row.Length() != 1 || row.AttrOr("data-status", "") != "scheduled" || !strings.Contains(row.Text(), "Paulista") ||
		strings.TrimSpace(row.Find("[data-testid=price-table-effective]").Text()) != format.Date(f.earliest) {
		t.Fatalf("purchasing list: %q", row.Text())
	}
	if res.Text("[data-testid=notification-count]") == "" {
		t.Error("purchasing was not notified of the submission")
	}
	res = pb.Get(preview)
	if res.Status != 200 || res.Doc.Find("[data-testid=reject-form]").Length() != 1 || res.Doc.Find("[data-testid=early-form]").Length() != 1 {
		t.Fatalf("purchasing detail: %d", res.Status)
	}
	// The other user of the supplier was notified too (of the first table
	// and of this one); the submitter only of the first.
	other := f.env.Login("pedro@paulista.example")
	if got := other.Get("/").Text("[data-testid=notification-count]"); got != "2" {
		t.Errorf("the supplier's other user has %q notifications, want 2", got)
	}
	if got := b.Get("/").Text("[data-testid=notification-count]"); got != "1" {
		t.Errorf("the submitter has %q notifications, want 1", got)
	}
	// Another supplier never sees it.
	ob := f.env.Login(f.othUser)
	if res := ob.Get(preview); res.Status != http.StatusNotFound {
		t.Errorf("other supplier sees the table: %d", res.Status)
	}
	if res := ob.Get(preview + "/file"); res.Status != http.StatusNotFound {
		t.Errorf("other supplier downloads the file: %d", res.Status)
	}
	// The file comes back cell for cell, as a neutralised UTF-8 copy.
	res = b.Get(preview + "/file")
	if res.Status != 200 || res.Body != "\uFEFF"+strings.Join(ptNewTable, "\r\n")+"\r\n" || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("original file: %d %q", res.Status, res.Header.Get("Content-Disposition"))
	}
}

func ptProductID(t *testing.T, f *ptFixture, code string) int64 {
	t.Helper()
	p, err := f.env.App.Store.FindProductBySupplierCode(f.env.Ctx, f.sup.ID, code)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// TestPriceTableUploadListsEveryBadLine: a file with bad lines is refused
// whole, every bad line reported with its number, and nothing is kept.
func TestPriceTableUploadListsEveryBadLine(t *testing.T) {
	f := newPTFixture(t)
	b := f.env.Login(f.supUser)
	b.Get("/price-tables")
	before := f.tables(t)
	ptProduct(t, f.env, f.sup, "CP-006", "PA-006")
	ptProduct(t, f.env, f.sup, "CP-007", "PA-007")
	content := ptWin1252(t,
		"codigo;preco",
		"PA-001;10,00", // 2: fine
		"XX-999;10,00", // 3: unknown
		"PA-002;",      // 4: price missing
		"PA-003;0,00",  // 5: zero
		"PA-004;-5,00", // 6: negative
		"PA-005;abc",   // 7: unparseable
		"PA-001;10,00", // 8: duplicate of line 2
		"PA-006;1,234", // 9: too many decimals
		"FC-900;10,00", // 10: another supplier's product
		"PA-007;10,00", // 11: fine
		"XX-998;0",     // 12: two problems on one line
	)
	res := afterUpload(t, b, b.Do(ptMultipart(t, f.env.URL+"/price-tables/upload", "tabela.csv", content, nil)), "/price-tables")
	want := map[string][]string{
		"3": {"não pertence ao seu catálogo"}, "4": {"Preço ausente"}, "5": {"Preço zero"}, "6": {"Preço negativo"},
		"7": {"Preço inválido"}, "8": {"repetido: já aparece na linha 2"}, "9": {"mais de duas casas decimais"},
		"10": {`Código "FC-900" não pertence ao seu catálogo`}, "12": {`"XX-998" não pertence`, "Preço zero"},
	}
	got := map[string][]string{}
	res.Doc.Find("[data-testid=price-table-error]").Each(func(_ int, s *goquery.Selection) {
		line := strings.TrimSpace(s.Find("[data-testid=error-line]").Text())
		got[line] = append(got[line], strings.TrimSpace(s.Find("[data-testid=error-message]").Text()))
	})
	if len(got) != len(want) {
		t.Errorf("reported %d lines, want %d: %v", len(got), len(want), got)
	}
	for line, frags := range want {
		if len(got[line]) != len(frags) {
			t.Errorf("line %s: %q, want %d problem(s)", line, got[line], len(frags))
			continue
		}
		for i, frag := range frags {
			if !strings.Contains(got[line][i], frag) {
				t.Errorf("line %s: %q, want it to mention %q", line, got[line][i], frag)
			}
		}
	}
	if msg := res.Text("[data-testid=form-error]"); !strings.Contains(msg, "9 linhas de 11") || !strings.Contains(msg, "nada foi gravado") {
		t.Errorf("summary: %q", msg)
	}
	if n := f.tables(t); n != before {
		t.Errorf("a refused file left %d table(s)", n-before)
	}
}

func (f *ptFixture) tokens(t *testing.T) (sup, other, buyer string) {
	t.Helper()
	for _, e := range []struct {
		email string
		tok   *string
	}{{f.supUser, &sup}, {f.othUser, &other}, {f.buyer, &buyer}} {
		u, err := f.env.App.Store.FindUserByEmail(f.env.Ctx, e.email)
		if err != nil {
			t.Fatal(err)
		}
		*e.tok = f.env.Token(u)
	}
	return
}

type ptAPIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Field   string `json:"field"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"details"`
	} `json:"error"`
}

func ptDecode[T any](t *testing.T, res *apptest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("decode %d %q: %v", res.Status, res.Body, err)
	}
	return v
}

type ptAPITable struct {
	ID              int64   `json:"id"`
	SupplierCNPJ    string  `json:"supplier_cnpj"`
	Status          string  `json:"status"`
	EffectiveDate   *string `json:"effective_date"`
	EarliestAllowed *string `json:"earliest_allowed"`
	LineCount       int     `json:"line_count"`
	FileName        string  `json:"file_name"`
	SubmittedBy     *string `json:"submitted_by"`
	Changes         *struct {
		ComparedWith *int64 `json:"compared_with"`
		Added        int64  `json:"added"`
		Removed      int64  `json:"removed"`
		Increased    int64  `json:"increased"`
		Decreased    int64  `json:"decreased"`
		AboveAlert   int64  `json:"above_alert_threshold"`
	} `json:"changes"`
}

// TestPriceTableAPI drives the same scenario through /api/v1/price-tables.
func TestPriceTableAPI(t *testing.T) {
	f := newPTFixture(t)
	supTok, othTok, buyerTok := f.tokens(t)
	content := ptWin1252(t, ptNewTable...)

	res := f.apiPost(t, supTok, "tabela.csv", content, ptISO(f.earliest.AddDate(0, 0, -1)))
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("early date: %d %s", res.Status, res.Body)
	}
	e := ptDecode[ptAPIError](t, res)
	if e.Error.Code != "invalid" || len(e.Error.Details) != 1 || e.Error.Details[0].Field != "effective_from" ||
		!strings.Contains(e.Error.Details[0].Message, ptISO(f.earliest)) || !strings.Contains(e.Error.Message, format.Date(f.earliest)) {
		t.Fatalf("early date error: %+v", e)
	}

	res = f.apiPost(t, supTok, "tabela.csv", content, ptISO(f.earliest))
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	created := ptDecode[ptAPITable](t, res)
	if created.Status != "scheduled" || *created.EffectiveDate != ptISO(f.earliest) || created.LineCount != 4 ||
		created.SupplierCNPJ != f.sup.CNPJ || created.SubmittedBy == nil || *created.SubmittedBy != f.supUser ||
		res.Header.Get("Location") != fmt.Sprintf("/api/v1/price-tables/%d", created.ID) {
		t.Fatalf("created: %+v %s", created, res.Header.Get("Location"))
	}

	res = f.env.API(supTok, http.MethodGet, fmt.Sprintf("/api/v1/price-tables/%d", created.ID), nil, "")
	one := ptDecode[ptAPITable](t, res)
	if c := one.Changes; c == nil || *c.ComparedWith != f.inForce.ID || c.Added != 1 || c.Removed != 1 || c.Increased != 2 || c.Decreased != 1 || c.AboveAlert != 1 {
		t.Fatalf("changes: %s", res.Body)
	}

	// Bad lines: 422 listing every one.
	res = f.apiPost(t, supTok, "tabela.csv", ptWin1252(t, "codigo;preco", "PA-001;1,00", "NOPE;2,00", "PA-002;0", "PA-001;3,00"), ptISO(f.earliest))
	e = ptDecode[ptAPIError](t, res)
	var lines []int
	for _, d := range e.Error.Details {
		lines = append(lines, d.Line)
	}
	if res.Status != http.StatusUnprocessableEntity || fmt.Sprint(lines) != "[3 4 5]" {
		t.Fatalf("bad lines: %d %s", res.Status, res.Body)
	}

	// Lists: the supplier sees its own versions, staff everyone's.
	_ = f.apiPost(t, othTok, "t.csv", ptWin1252(t, "codigo;preco", "FC-900;9,90"), ptISO(f.today))
	list := ptDecode[struct {
		Items      []ptAPITable `json:"items"`
		NextCursor *string      `json:"next_cursor"`
	}](t, f.env.API(supTok, http.MethodGet, "/api/v1/price-tables", nil, ""))
	if len(list.Items) != 2 || list.Items[0].ID != created.ID || list.Items[1].Status != "in_force" || list.NextCursor != nil {
		t.Fatalf("supplier list: %+v", list)
	}
	all := ptDecode[struct {
		Items      []ptAPITable `json:"items"`
		NextCursor *string      `json:"next_cursor"`
	}](t, f.env.API(buyerTok, http.MethodGet, "/api/v1/price-tables?limit=2", nil, ""))
	if len(all.Items) != 2 || all.NextCursor == nil {
		t.Fatalf("staff list page 1: %+v", all)
	}
	rest := ptDecode[struct {
		Items []ptAPITable `json:"items"`
	}](t, f.env.API(buyerTok, http.MethodGet, "/api/v1/price-tables?limit=2&cursor="+*all.NextCursor, nil, ""))
	if len(rest.Items) != 1 || rest.Items[0].ID != f.inForce.ID {
		t.Fatalf("staff list page 2: %+v", rest)
	}
	sched := ptDecode[struct {
		Items []ptAPITable `json:"items"`
	}](t, f.env.API(buyerTok, http.MethodGet, "/api/v1/price-tables?status=scheduled&supplier_cnpj=11.222.333/0001-81", nil, ""))
	if len(sched.Items) != 1 || sched.Items[0].ID != created.ID {
		t.Fatalf("staff filter: %+v", sched)
	}

	// Isolation and roles.
	if res := f.env.API(othTok, http.MethodGet, fmt.Sprintf("/api/v1/price-tables/%d", created.ID), nil, ""); res.Status != http.StatusNotFound {
		t.Errorf("other supplier reads the table: %d", res.Status)
	}
	if res := f.apiPost(t, buyerTok, "tabela.csv", content, ptISO(f.earliest)); res.Status != http.StatusForbidden {
		t.Errorf("staff submitting: %d", res.Status)
	}
	if res := f.apiPost(t, "", "tabela.csv", content, ptISO(f.earliest)); res.Status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", res.Status)
	}
}

func ptXLSX(t *testing.T, fill func(x *excelize.File)) []byte {
	t.Helper()
	x := excelize.NewFile()
	fill(x)
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPriceTableBadInput: every kind of bad file gets a clear error and
// changes nothing.
func TestPriceTableBadInput(t *testing.T) {
	f := newPTFixture(t)
	supTok, _, _ := f.tokens(t)
	date := ptISO(f.earliest)
	wide := strings.Repeat("coluna;", 50_000) + "codigo;preco\r\nPA-001;1,00\r\n"
	formula := ptXLSX(t, func(x *excelize.File) {
		x.SetSheetRow("Sheet1", "A1", &[]any{"Código", "Preço"}) //nolint:errcheck
		x.SetSheetRow("Sheet1", "A2", &[]any{"PA-001", 10.5})    //nolint:errcheck
		x.SetCellValue("Sheet1", "A3", "PA-002")                 //nolint:errcheck
		x.SetCellFormula("Sheet1", "B3", "B2*2")                 //nolint:errcheck
	})
	big := bytes.Repeat([]byte("PA-001;1,00\r\n"), 50<<20/13)
	cases := []struct {
		name, file string
		content    []byte
		status     int
		want       string
	}{
		{"empty file", "tabela.csv", nil, 422, "vazio"},
		{"wrong extension", "tabela.pdf", []byte("codigo;preco\nPA-001;1,00\n"), 422, "extensão .pdf"},
		{"binary garbage", "tabela.csv", []byte("\x00\x01\x02\xff\xfe garbage \x00\x00\x13\x37"), 422, "binário"},
		{"PDF renamed", "tabela.csv", []byte("%PDF-1.7\n..."), 422, "PDF"},
		{"50 MB file", "tabela.csv", big, 413, "limite para uma tabela de preços"},
		{"50,000 columns", "tabela.csv", []byte(wide), 422, "colunas"},
		{"formula in an XLSX cell", "tabela.xlsx", formula, 422, "fórmula"},
		{"another supplier's product", "tabela.csv", []byte("codigo;preco\nFC-900;1,00\n"), 422, "não pertence ao seu catálogo"},
		{"missing price column", "tabela.csv", []byte("codigo;quantidade\nPA-001;1\n"), 422, "preco"},
	}
	before := f.tables(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := f.apiPost(t, supTok, tc.file, tc.content, date)
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
			}
			e := ptDecode[ptAPIError](t, res)
			all := e.Error.Message
			for _, d := range e.Error.Details {
				all += " | " + d.Message
			}
			if !strings.Contains(all, tc.want) {
				t.Fatalf("error %q does not mention %q", all, tc.want)
			}
		})
	}
	if n := f.tables(t); n != before {
		t.Errorf("bad input left %d table(s)", n-before)
	}

	// An XLSX renamed .csv is read by content, numbers as numbers.
	renamed := ptXLSX(t, func(x *excelize.File) {
		x.SetSheetRow("Sheet1", "A1", &[]any{"CÓDIGO", "Preço", "Descrição"})                      //nolint:errcheck
		x.SetSheetRow("Sheet1", "A2", &[]any{"PA-001", 12.5, "=HYPERLINK(\"http://evil\",\"x\")"}) //nolint:errcheck
		x.SetSheetRow("Sheet1", "A3", &[]any{"PA-002", "1.234,56", "+cmd|' /C calc'!A0"})          //nolint:errcheck
	})
	res := f.apiPost(t, supTok, "tabela.csv", renamed, date)
	if res.Status != http.StatusCreated {
		t.Fatalf("xlsx renamed .csv: %d %s", res.Status, res.Body)
	}
	created := ptDecode[ptAPITable](t, res)
	pa002 := ptProductID(t, f, "PA-002")
	if cents, _, _ := f.env.App.PriceTables.PriceAt(f.env.Ctx, pa002, f.earliest); cents != 123456 {
		t.Errorf("PA-002 price %d", cents)
	}
	// CSV injection in text fields is neutralised in the export.
	b := f.env.Login(f.supUser)
	res = b.Get(fmt.Sprintf("/price-tables/%d/items.csv", created.ID))
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(res.Body, `'=HYPERLINK(`) || !strings.Contains(res.Body, `'+cmd|`) || strings.Contains(res.Body, ";=HYPERLINK") {
		t.Errorf("export not neutralised:\n%s", res.Body)
	}
	if !strings.Contains(res.Body, "PA-002;'+cmd") && !strings.Contains(res.Body, "1234,56") {
		t.Errorf("export content:\n%s", res.Body)
	}
}

// TestPriceTableReview: purchasing rejects one scheduled table with a reason
// and brings another forward with a justification; the supplier is told,
// the audit log keeps the justification, and a fiscal user may only look.
func TestPriceTableReview(t *testing.T) {
	f := newPTFixture(t)
	supTok, _, _ := f.tokens(t)
	mk := func(price string) int64 {
		res := f.apiPost(t, supTok, "t.csv", ptWin1252(t, "codigo;preco", "PA-001;"+price), ptISO(f.earliest.AddDate(0, 0, 5)))
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		return ptDecode[ptAPITable](t, res).ID
	}
	rejected, early := mk("11,00"), mk("12,00")

	fb := f.env.Login(f.fiscal)
	res := fb.Get(fmt.Sprintf("/price-tables/%d", rejected))
	if res.Status != 200 || res.Doc.Find("[data-testid=reject-form]").Length() != 0 {
		t.Fatalf("fiscal view: %d", res.Status)
	}
	if res := fb.Submit(fmt.Sprintf("/price-tables/%d/reject", rejected), url.Values{"reason": {"Sem acordo"}}); res.Status != http.StatusForbidden {
		t.Errorf("fiscal rejecting: %d", res.Status)
	}

	pb := f.env.Login(f.buyer)
	pb.Get(fmt.Sprintf("/price-tables/%d", rejected))
	res = pb.Submit(fmt.Sprintf("/price-tables/%d/reject", rejected), url.Values{"reason": {""}})
	if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=reject-form] .field-error").Length() != 1 {
		t.Fatalf("reject without reason: %d", res.Status)
	}
	res = pb.Submit(fmt.Sprintf("/price-tables/%d/reject", rejected), url.Values{"reason": {"Aumento não negociado com compras."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	res = pb.Get(fmt.Sprintf("/price-tables/%d", rejected))
	if res.Text("[data-testid=price-table-status]") != "Recusada" || !strings.Contains(res.Text("[data-testid=price-table-rejected]"), "não negociado") {
		t.Fatalf("rejected table: %q", res.Text("[data-testid=price-table-status]"))
	}

	res = pb.Submit(fmt.Sprintf("/price-tables/%d/early", early), url.Values{"effective_from": {ptISO(f.today.AddDate(0, 0, 3))}, "justification": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("early without justification: %d", res.Status)
	}
	newDate := f.today.AddDate(0, 0, 3)
	res = pb.Submit(fmt.Sprintf("/price-tables/%d/early", early), url.Values{"effective_from": {ptISO(newDate)}, "justification": {"Campanha de Black Friday acordada por e-mail."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("early: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	res = pb.Get(fmt.Sprintf("/price-tables/%d", early))
	if res.Text("[data-testid=price-table-effective]") != format.Date(newDate) || !strings.Contains(res.Text("[data-testid=price-table-early]"), "Black Friday") {
		t.Fatalf("early table: %q", res.Text("[data-testid=price-table-effective]"))
	}
	var audited int64
	f.env.App.DB.Gorm.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'price_table.early_date' AND details LIKE '%Black Friday%'").Scan(&audited)
	if audited != 1 {
		t.Error("justification not in the audit log")
	}

	// The supplier hears of both.
	sb := f.env.Login(f.supUser)
	res = sb.Get("/notifications")
	var kinds []string
	res.Doc.Find("[data-testid=notification]").Each(func(_ int, s *goquery.Selection) { kinds = append(kinds, s.AttrOr("data-kind", "")) })
	if strings.Join(kinds, ",") != "price_table.early_date,price_table.rejected,price_table.submitted" {
		t.Errorf("supplier notifications: %v", kinds)
	}
	if res.Doc.Find("[data-testid=notifications-read-all]").Length() != 1 {
		t.Error("no \"Marcar todas como lidas\" with unread notifications")
	}
	res = sb.Submit("/notifications/read", nil)
	if res.Status != http.StatusSeeOther || sb.Get("/").Text("[data-testid=notification-count]") != "" {
		t.Error("notifications not marked read")
	}
	if sb.Get("/notifications").Doc.Find("[data-testid=notifications-read-all]").Length() != 0 {
		t.Error("\"Marcar todas como lidas\" shown with nothing unread")
	}
	// The supplier may withdraw the early one while scheduled; a rejected one is final.
	if res := sb.Submit(fmt.Sprintf("/price-tables/%d/withdraw", rejected), nil); !strings.Contains(sb.Get(res.Location()).Text("[data-testid=flash-error]"), "agendada") {
		t.Error("withdrawing a rejected table was not refused")
	}
	if res := sb.Submit(fmt.Sprintf("/price-tables/%d/withdraw", early), nil); res.Status != http.StatusSeeOther || sb.Get(res.Location()).Text("[data-testid=price-table-status]") != "Retirada" {
		t.Error("withdraw failed")
	}
}

// TestPriceAlertThresholdSetting: the highlight threshold is an admin setting.
func TestPriceAlertThresholdSetting(t *testing.T) {
	f := newPTFixture(t)
	f.env.User("admin@connectparts.example", model.RoleAdmin, nil)
	ab := f.env.Login("admin@connectparts.example")
	res := ab.Get("/admin/settings")
	if v, _ := res.Doc.Find("[data-testid=price-alert-percent]").Attr("value"); v != "10" {
		t.Fatalf("default threshold shown as %q", v)
	}
	if res := ab.Submit("/admin/settings", url.Values{"company_name": {"ConnectParts"}, "price_alert_percent": {"abc"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid threshold accepted: %d", res.Status)
	}
	if res := ab.Submit("/admin/settings", url.Values{"company_name": {"ConnectParts"}, "price_alert_percent": {"25,5"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("threshold not saved: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	b := f.env.Login(f.supUser)
	b.Get("/price-tables")
	res = b.Do(ptMultipart(t, f.env.URL+"/price-tables/upload", "t.csv", ptWin1252(t, ptNewTable...), nil))
	res = b.Get(res.Location())
	if got := res.Text("[data-testid=diff-threshold]"); got != "25,50 %" {
		t.Errorf("threshold shown as %q", got)
	}
	if got := res.Text("[data-testid=diff-highlighted]"); got != "0" {
		t.Errorf("+25 %% highlighted above a 25,5 %% threshold: %s", got)
	}
}

// Two tables scheduled for the same date: only the one submitted last is ever
// in force, and both pages say so instead of a neutral note.
func TestPriceTablesSameStartSayWhichWins(t *testing.T) {
	f := newPTFixture(t)
	supTok, _, _ := f.tokens(t)
	content := ptWin1252(t, ptNewTable...)
	first := ptDecode[ptAPITable](t, f.apiPost(t, supTok, "a.csv", content, ptISO(f.earliest)))
	second := ptDecode[ptAPITable](t, f.apiPost(t, supTok, "b.csv", content, ptISO(f.earliest)))
	later := ptDecode[ptAPITable](t, f.apiPost(t, supTok, "c.csv", content, ptISO(f.earliest.AddDate(0, 0, 5))))
	if first.ID == 0 || second.ID <= first.ID || later.ID == 0 {
		t.Fatalf("tables: %d %d %d", first.ID, second.ID, later.ID)
	}
	b := f.env.Login(f.supUser)
	res := b.Get(fmt.Sprintf("/price-tables/%d", first.ID))
	if got := res.Text("[data-testid=price-table-same-start]"); !strings.Contains(got, fmt.Sprintf("a nº %d vale e esta nunca entrará em vigor", second.ID)) {
		t.Fatalf("older table's page: %q", got)
	}
	res = b.Get(fmt.Sprintf("/price-tables/%d", second.ID))
	if got := res.Text("[data-testid=price-table-same-start]"); !strings.Contains(got, fmt.Sprintf("esta vale e a nº %d nunca entrará em vigor", first.ID)) {
		t.Fatalf("newer table's page: %q", got)
	}
	// A table on another date gets the neutral note, not the warning.
	if n := res.Doc.Find("[data-testid=price-table-same-start]").Length(); n != 1 {
		t.Fatalf("%d same-start warnings on the newer table's page, want 1 (the later date is not one)", n)
	}
}

// TestPriceTableItemsSortAndExport: the items tab sorts by its columns,
// searches, and exports what it shows (CSV and XLSX, every row in the
// page's order); another supplier gets neither.
func TestPriceTableItemsSortAndExport(t *testing.T) {
	f := newPTFixture(t)
	supTok, _, _ := f.tokens(t)
	res := f.apiPost(t, supTok, "t.csv", ptWin1252(t, "codigo;preco;descricao",
		"PA-001;30,00;Disco", "PA-002;10,00;Pastilha dianteira", "PA-003;20,00;Pastilha traseira", "PA-004;5,00;Sensor"), ptISO(f.earliest))
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	id := ptDecode[ptAPITable](t, res).ID
	b := f.env.Login(f.supUser)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"sort=price&dir=desc", []string{"PA-001", "PA-003", "PA-002", "PA-004"}},
		{"sort=price&dir=asc", []string{"PA-004", "PA-002", "PA-003", "PA-001"}},
		{"sort=description&dir=desc", []string{"PA-004", "PA-003", "PA-002", "PA-001"}},
		{"q=pastilha&sort=price&dir=desc", []string{"PA-003", "PA-002"}},
		{"", []string{"PA-001", "PA-002", "PA-003", "PA-004"}}, // file order
	} {
		path := fmt.Sprintf("/price-tables/%d?tab=items&%s", id, tc.query)
		page := b.Get(path)
		var shown []string
		page.Doc.Find("[data-testid=price-item-row]").Each(func(_ int, s *goquery.Selection) {
			shown = append(shown, s.AttrOr("data-code", ""))
		})
		if !slices.Equal(shown, tc.want) {
			t.Errorf("%s: page shows %v, want %v", tc.query, shown, tc.want)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			href, ok := page.Doc.Find("[data-testid=export-" + fm + "]").Attr("href")
			if !ok {
				t.Fatalf("%s: no %s export link", tc.query, fm)
			}
			rows := download(t, b, href)
			var codes []string
			for _, r := range rows[1:] {
				codes = append(codes, r[1])
			}
			if !slices.Equal(codes, tc.want) {
				t.Errorf("%s: %s export has %v, want %v", tc.query, fm, codes, tc.want)
			}
		}
	}
	if res := f.env.Login(f.othUser).Get(fmt.Sprintf("/price-tables/%d?tab=items&format=csv", id)); res.Status != http.StatusNotFound {
		t.Errorf("another supplier's export: %d", res.Status)
	}
}
