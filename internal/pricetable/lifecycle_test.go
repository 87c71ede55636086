package pricetable_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
)

func (e *env) user(email string, role model.Role, sup *model.Supplier) *model.User {
	e.t.Helper()
	u := &model.User{Email: email, Name: email, Role: role, PasswordHash: "x", Active: true}
	if sup != nil {
		u.SupplierID = &sup.ID
	}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) prices(id int64) map[string]int64 {
	e.t.Helper()
	items, _, err := e.store.ListPriceTableItems(e.ctx, id, store.PriceItemFilter{}, store.Page{Size: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int64{}
	for _, it := range items {
		out[it.SupplierCode] = it.PriceCents
	}
	return out
}

// TestFileFormats: CSV as Brazilian spreadsheets export it, and XLSX.
func TestFileFormats(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "A", 3)
	xlsx := func() []byte {
		x := excelize.NewFile()
		x.SetSheetRow("Sheet1", "A1", &[]any{"Cód. Fornecedor", "Preço (R$)", "Qtd. mínima"}) //nolint:errcheck
		x.SetSheetRow("Sheet1", "A2", &[]any{"A0001", 1234.56, 6})                            //nolint:errcheck
		x.SetSheetRow("Sheet1", "A3", &[]any{"A0002", "1.234,56", "2"})                       //nolint:errcheck
		x.SetSheetRow("Sheet1", "A4", &[]any{"A0003", 0.1 + 0.2, nil})                        //nolint:errcheck
		b, err := x.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	cases := []struct {
		name    string
		file    string
		content []byte
		want    map[string]int64
	}{
		{"Windows-1252, semicolon, decimal comma, thousands dot", "t.csv",
			csv1252(t, "CÓDIGO;Descrição;PREÇO", "A0001;Peça nº 1;1.234,56", "A0002;Peça;10,5", "A0003;Peça;7"),
			map[string]int64{"A0001": 123456, "A0002": 1050, "A0003": 700}},
		{"UTF-8 with BOM, comma, decimal point, quoted fields", "t.csv",
			[]byte("\uFEFFcodigo,\"descrição, longa\",valor\n\"A0001\",\"Disco, ventilado\",1234.56\nA0002,\"Diz \"\"aspas\"\"\",0.99\n"),
			map[string]int64{"A0001": 123456, "A0002": 99}},
		{"ISO-8859-1 headers without accents, cod_fornecedor and preco", "t.txt",
			csv1252(t, "cod_fornecedor;preco", "A0003;R$ 12,00"),
			map[string]int64{"A0003": 1200}},
		{"XLSX numbers and text", "t.xlsx", xlsx(), map[string]int64{"A0001": 123456, "A0002": 123456, "A0003": 30}},
		{"XLSX renamed .csv", "tabela.csv", xlsx(), map[string]int64{"A0001": 123456, "A0002": 123456, "A0003": 30}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.svc.Upload(e.ctx, sup.ID, file(tc.file, tc.content))
			if err != nil {
				t.Fatalf("%v %v", err, details(err))
			}
			got := e.prices(d.ID)
			for code, cents := range tc.want {
				if got[code] != cents {
					t.Errorf("%s: %d, want %d", code, got[code], cents)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("items %v", got)
			}
		})
	}
}

// TestDraftLifecycle: an upload is a draft (not a table) until confirmed;
// discarded drafts lose their file; stale ones are purged.
func TestDraftLifecycle(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	ids := e.products(sup, "A", 2)
	e.submit(sup, "2026-11-05", "codigo;preco", "A0001;10,00", "A0002;20,00")

	d, err := e.svc.Upload(e.ctx, sup.ID, file("nova.csv", csv1252(t, "código;preço", "A0001;12,00", "A0002;20,00")))
	if err != nil {
		t.Fatal(err)
	}
	if d.State != model.PriceTableDraft || d.LineCount != 2 || d.FileEncoding != "Windows-1252" || d.FileFormat != "CSV" {
		t.Fatalf("draft: %+v", d)
	}
	if f, size, err := e.svc.OpenOriginal(e.ctx, d); err != nil || size != d.FileSize {
		t.Fatalf("draft file: %d %v", size, err)
	} else {
		b, _ := io.ReadAll(f)
		f.Close()
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != d.FileSHA256 {
			t.Fatalf("draft file read back with sha256 %x, stored %s", sum, d.FileSHA256)
		}
	}
	// A draft never prices anything, whatever the date.
	if c, _, _ := e.svc.PriceAt(e.ctx, ids[0], at("2027-06-01 00:00")); c != 1000 {
		t.Fatalf("a draft changed the price: %d", c)
	}
	list, _, _ := e.store.ListPriceTables(e.ctx, store.PriceTableFilter{}, store.Page{}, e.now)
	if len(list) != 1 {
		t.Fatalf("drafts listed as tables: %d", len(list))
	}
	cmp, err := e.svc.Compare(e.ctx, d)
	if err != nil || cmp.Base == nil || cmp.Summary.Increased != 1 || cmp.Summary.Unchanged != 1 || cmp.Summary.Highlighted != 1 {
		t.Fatalf("compare: %+v %v", cmp.Summary, err)
	}
	// Confirming it with a date before the notice is refused and keeps the draft.
	if _, err := e.svc.Submit(e.ctx, sup.ID, d.ID, "2026-11-20"); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("early confirm: %v", err)
	}
	other := e.supplier(1, "Freios & Cia")
	if _, err := e.svc.Submit(e.ctx, other.ID, d.ID, "2026-11-25"); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("another supplier confirming: %v", err)
	}
	done, err := e.svc.Submit(e.ctx, sup.ID, d.ID, "2026-11-25")
	if err != nil || done.Status != model.PriceTableStatusScheduled {
		t.Fatalf("confirm: %v %+v", err, done)
	}
	if _, err := e.svc.Submit(e.ctx, sup.ID, d.ID, "2026-11-25"); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("second confirm: %v", err)
	}

	// Discard.
	d2, err := e.svc.Upload(e.ctx, sup.ID, file("x.csv", csv1252(t, "codigo;preco", "A0001;1,00")))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Discard(e.ctx, sup.ID, d2.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.OpenOriginal(e.ctx, d2); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("discarded draft kept its file: %v", err)
	}

	// Purge after 24 hours.
	d3, err := e.svc.Upload(e.ctx, sup.ID, file("y.csv", csv1252(t, "codigo;preco", "A0001;1,00")))
	if err != nil {
		t.Fatal(err)
	}
	// A document left without a row (a process died before deleting it).
	orphan, err := e.store.CreateDocument(e.ctx, strings.NewReader("órfão"))
	if err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(pricetable.DraftTTL + time.Minute)
	if n, err := e.svc.PurgeDrafts(e.ctx); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if _, err := e.store.FindPriceTable(e.ctx, d3.ID, e.now); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("stale draft kept: %v", err)
	}
	if _, _, err := e.svc.OpenOriginal(e.ctx, d3); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("stale draft kept its file: %v", err)
	}
	if _, err := e.store.FindPriceTable(e.ctx, done.ID, e.now); err != nil {
		t.Fatalf("purge removed a submitted table: %v", err)
	}
	if _, err := e.store.FindDocument(e.ctx, orphan.ID); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("orphan document kept: %v", err)
	}
	if f, _, err := e.svc.OpenOriginal(e.ctx, done); err != nil {
		t.Fatalf("purge removed the file of a submitted table: %v", err)
	} else {
		f.Close()
	}
}

// TestRefusedFileKeepsNothing: a bad line anywhere (even the last of
// thousands) leaves no table, no item and no file.
func TestRefusedFileKeepsNothing(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "A", 3000)
	var b bytes.Buffer
	b.WriteString("codigo;preco\r\n")
	for i := 1; i <= 3000; i++ {
		fmt.Fprintf(&b, "A%04d;1,00\r\n", i)
	}
	b.WriteString("A0001;1,00\r\n")
	_, err := e.svc.Upload(e.ctx, sup.ID, file("t.csv", b.Bytes()))
	if d := apperr.Details(err); len(d) != 1 || d[0].Line != 3002 || !strings.Contains(d[0].Message, "repetido") {
		t.Fatalf("details: %v (%v)", d, err)
	}
	if e.count("price_tables") != 0 || e.count("price_table_items") != 0 {
		t.Fatal("a refused file left rows behind")
	}
	entries, _ := os.ReadDir(filepath.Join(e.dir, "price-tables", "tmp"))
	if len(entries) != 0 {
		t.Fatalf("a refused file left %d spooled file(s)", len(entries))
	}
	if n := e.count("documents"); n != 0 {
		t.Fatalf("a refused file was kept: %d document(s)", n)
	}
}

// TestAnnounce: the job tells supplier and staff once when a table enters
// into force; a table superseded before anyone was told is not announced.
func TestAnnounce(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "A", 1)
	paulo := e.user("paulo@paulista.example", model.RoleSupplier, sup)
	carla := e.user("carla@cp.example", model.RolePurchasing, nil)
	fabio := e.user("fabio@cp.example", model.RoleFiscal, nil)
	unread := func(u *model.User) int64 {
		n, err := e.store.CountUnreadNotifications(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	e.submit(sup, "2026-11-05", "codigo;preco", "A0001;10,00") // in force at once: announced on submission
	if n, _ := e.svc.Announce(e.ctx); n != 0 {
		t.Fatalf("a table in force at once announced twice: %d", n)
	}
	if unread(paulo) != 1 || unread(carla) != 1 || unread(fabio) != 0 {
		t.Fatalf("submission notices: %d %d %d", unread(paulo), unread(carla), unread(fabio))
	}
	t2 := e.submit(sup, "2026-11-25", "codigo;preco", "A0001;11,00")
	t3 := e.submit(sup, "2026-11-26", "codigo;preco", "A0001;12,00")
	e.now = at("2026-11-25 00:01")
	if n, err := e.svc.Announce(e.ctx); n != 1 || err != nil {
		t.Fatalf("announce t2: %d %v", n, err)
	}
	if n, _ := e.svc.Announce(e.ctx); n != 0 {
		t.Fatal("announced twice")
	}
	// The job did not run on the 26th; by the 27th t3 is in force and is announced.
	e.now = at("2026-11-27 09:00")
	if n, _ := e.svc.Announce(e.ctx); n != 1 {
		t.Fatalf("announce t3: %d", n)
	}
	items, _, _ := e.store.ListNotifications(e.ctx, paulo.ID, store.Page{})
	if len(items) != 5 || items[0].Kind != "price_table.in_force" || !strings.Contains(items[0].Message, "26/11/2026") ||
		items[0].Link != fmt.Sprintf("/price-tables/%d", t3.ID) {
		t.Fatalf("supplier notifications: %+v", items)
	}
	_ = t2
}

// TestLineProblems: the messages of single lines, including broken CSV
// records and values XLSX files carry.
func TestLineProblems(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "A", 6)
	content := []byte("codigo;preco;qtd_minima;descricao\n" +
		"A0001;1,00;0;ok\n" + // 2: minimum quantity 0
		"A0002;1,00;2,5;ok\n" + // 3: fractional quantity
		";1,00;;sem código\n" + // 4: code missing
		"A0003;1,00;;texto \"com\" aspas\n" + // 5: bare quotes: one problem, not three
		"A0004;1.000.000.000,00;;caro\n" + // 6: above the limit
		"A0005;1,00;1\n") // 7: one field short
	_, err := e.svc.Upload(e.ctx, sup.ID, file("t.csv", content))
	got := map[int][]string{}
	for _, d := range apperr.Details(err) {
		got[d.Line] = append(got[d.Line], d.Message)
	}
	want := map[int]string{2: "pelo menos 1", 3: "fracionada", 4: "ódigo do produto ausente", 6: "acima do limite", 7: "colunas"}
	for line, frag := range want {
		if len(got[line]) != 1 || !strings.Contains(got[line][0], frag) {
			t.Errorf("line %d: %q, want one problem about %q", line, got[line], frag)
		}
	}
	if len(got[5]) != 1 {
		t.Errorf("broken record: %q", got[5])
	}
}

// TestFatalProblemKeepsLineProblems: when the file cannot be read to the end
// (a quote never closed), the problems found before are reported with it.
func TestFatalProblemKeepsLineProblems(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "A", 3)
	_, err := e.svc.Upload(e.ctx, sup.ID, file("t.csv", []byte("codigo;preco\nA0001;0\nA0002;\"1,00\nA0003;2,00\nA0004;3,00\n")))
	d := apperr.Details(err)
	if len(d) != 2 || d[0].Field != "file" || d[0].Line != 3 || d[1].Line != 2 || !strings.Contains(apperr.Message(err), "aspas") {
		t.Fatalf("%v: %+v", err, d)
	}
}
