package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// The customer of po1 in full, as the platform sent it: none of these may
// reach a supplier once the PO's window is over (compared lower-cased).
var maskedAway = []string{"maria da silva", "52998224725", "529.982.247-25", "av. brasil", "20040002", "20040-002",
	"maria.silva@example.com", "98765-4321", "21987654321"}

// lgpdFixture is the PO fixture with po1 shipped and a full customer on it
// (address, e-mail, phone), and po2, still open, sold to another customer.
func lgpdFixture(t *testing.T) *poFixture {
	t.Helper()
	f := newPOFixture(t)
	db := f.env.App.DB.Gorm
	if err := db.Exec(`UPDATE purchase_orders SET delivery_recipient = 'Maria da Silva', delivery_street = 'Av. Brasil',
		delivery_number = '2040', delivery_district = 'Centro', delivery_cep = '20040002', customer_email = 'maria.silva@example.com',
		customer_phones = '(21) 98765-4321' WHERE number = ?`, f.po1).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`UPDATE purchase_orders SET customer_name = 'Carlos Pereira', customer_document = '11144477735',
		delivery_recipient = 'Carlos Pereira' WHERE number = ?`, f.po2).Error; err != nil {
		t.Fatal(err)
	}
	f.stockUp(t)
	f.bill(t, f.po1)
	if res := f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "correios", code: goodS10, label: []byte(testPDF)}); res.Status != 201 {
		t.Fatalf("ship: %d %s", res.Status, res.Body)
	}
	return f
}

// shippedDaysAgo moves po1's shipment back in time.
func shippedDaysAgo(t *testing.T, f *poFixture, days int) {
	t.Helper()
	at := time.Now().UTC().Add(-time.Duration(days)*24*time.Hour - time.Hour)
	if err := f.env.App.DB.Gorm.Exec(`UPDATE purchase_orders SET shipped_at = ? WHERE number = ?`, at, f.po1).Error; err != nil {
		t.Fatal(err)
	}
}

func personalDataViews(t *testing.T, f *poFixture, number string) []model.PersonalDataView {
	t.Helper()
	rows, _, err := f.env.App.Store.ListPersonalDataViews(f.env.Ctx, store.PersonalDataViewFilter{PONumber: number}, store.Page{Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func channels(rows []model.PersonalDataView) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[r.Channel]++
	}
	return out
}

func assertNoPersonalData(t *testing.T, where, body string) {
	t.Helper()
	low := strings.ToLower(body)
	for _, s := range maskedAway {
		if strings.Contains(low, s) {
			t.Errorf("%s shows %q after the window", where, s)
		}
	}
}

// Within the window (shipped less than N days ago) the supplier sees its
// customer in full on every channel and each sight is logged; after it the
// page, the list, the API, the CSV export, the DANFE and the search show
// the customer masked and the files holding the data answer 403, with
// nothing logged; staff see everything, unlogged; an admin changing the
// days brings the data back.
func TestPersonalDataMaskedAfterShipmentWindow(t *testing.T) {
	f := lgpdFixture(t)
	e := f.env
	sup := e.Login("a@freios.test")
	staff := e.Login("compras@connectparts.test")
	poPath := "/purchase-orders/" + f.po1

	// Shipped a day ago, 7 days by default: full data, logged per channel.
	shippedDaysAgo(t, f, 1)
	page := sup.Get(poPath)
	if page.Status != 200 || !strings.Contains(page.Body, "Maria da Silva") || !strings.Contains(page.Body, "529.982.247-25") ||
		!strings.Contains(page.Body, "Av. Brasil, 2040") || !strings.Contains(page.Body, "maria.silva@example.com") {
		t.Fatalf("supplier within the window: %d %.400s", page.Status, page.Text("[data-testid=po-customer]"))
	}
	if res := e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1, nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"document":"52998224725"`) ||
		!strings.Contains(res.Body, `"personal_data_masked":false`) {
		t.Fatalf("API within the window: %d %.300s", res.Status, res.Body)
	}
	if res := sup.Get(poPath + "/label"); res.Status != 200 {
		t.Fatalf("label within the window: %d", res.Status)
	}
	if res := sup.Get(poPath + "/billing-invoice.xml"); res.Status != 200 {
		t.Fatalf("billing XML within the window: %d", res.Status)
	}
	if res := sup.Get("/purchase-orders?format=csv"); res.Status != 200 || !strings.Contains(res.Body, "Maria da Silva") {
		t.Fatalf("export within the window: %d %.300s", res.Status, res.Body)
	}
	got := channels(personalDataViews(t, f, f.po1))
	for _, ch := range []string{model.ViewChannelPage, model.ViewChannelAPI, model.ViewChannelFile, model.ViewChannelExport} {
		if got[ch] == 0 {
			t.Errorf("no %s sight logged within the window: %v", ch, got)
		}
	}
	if got[model.ViewChannelFile] != 2 {
		t.Errorf("label and XML downloads: %d logged, want 2", got[model.ViewChannelFile])
	}
	logged := len(personalDataViews(t, f, f.po1))

	// Shipped 8 days ago: masked everywhere for the supplier.
	shippedDaysAgo(t, f, 8)
	page = sup.Get(poPath)
	if page.Status != 200 {
		t.Fatalf("masked page: %d", page.Status)
	}
	assertNoPersonalData(t, "the PO page", page.Body)
	if !strings.Contains(page.Body, "M*** d*** S***") || !strings.Contains(page.Body, "***.982.247-**") ||
		page.Text("[data-testid=personal-data-masked]") == "" || !strings.Contains(page.Text("[data-testid=po-delivery]"), "Rio de Janeiro/RJ") {
		t.Errorf("masked page lacks the masked forms or the city/UF: %.600s", page.Text("main"))
	}
	if page.Doc.Find("[data-testid=label-download], [data-testid=billing-download]").Length() != 0 {
		t.Error("masked page still links the label or the billing XML")
	}
	list := sup.Get("/purchase-orders")
	assertNoPersonalData(t, "the PO list", list.Body)
	if !strings.Contains(list.Body, "Carlos Pereira") { // po2 is open: its customer stays
		t.Errorf("open PO masked in the list: %.300s", list.Text("main"))
	}
	res := e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1, nil, "")
	assertNoPersonalData(t, "the API detail", res.Body)
	var one struct {
		Masked   bool `json:"personal_data_masked"`
		Customer struct {
			Name, Document string
		}
		Delivery struct {
			City, State, Street string
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &one); err != nil || res.Status != 200 {
		t.Fatalf("API detail: %d %v", res.Status, err)
	}
	if !one.Masked || one.Customer.Name != "M*** d*** S***" || one.Customer.Document != "***.982.247-**" ||
		one.Delivery.City != "Rio de Janeiro" || one.Delivery.State != "RJ" || one.Delivery.Street != "" {
		t.Errorf("API detail masked as %+v", one)
	}
	res = e.API(f.tokA, "GET", "/api/v1/purchase-orders", nil, "")
	assertNoPersonalData(t, "the API list", res.Body)
	if !strings.Contains(res.Body, "11144477735") {
		t.Errorf("API list masked the open PO: %.300s", res.Body)
	}
	csv := sup.Get("/purchase-orders?format=csv")
	assertNoPersonalData(t, "the CSV export", csv.Body)
	if csv.Status != 200 || !strings.Contains(csv.Body, "M*** d*** S***") {
		t.Errorf("CSV export: %d %.300s", csv.Status, csv.Body)
	}
	danfe := sup.Get(poPath + "/billing-invoice")
	assertNoPersonalData(t, "the billing DANFE", danfe.Body)
	if danfe.Status != 200 || !strings.Contains(danfe.Text("[data-testid=danfe-recipient-name]"), "C*** C*** L***") ||
		danfe.Doc.Find("[data-testid=danfe-xml]").Length() != 0 {
		t.Errorf("DANFE: %d %q", danfe.Status, danfe.Text("[data-testid=danfe-recipient]"))
	}
	for _, p := range []string{poPath + "/label", poPath + "/billing-invoice.xml"} {
		if res := sup.Get(p); res.Status != http.StatusForbidden || !strings.Contains(res.Body, "LGPD") {
			t.Errorf("%s after the window: %d %.200s", p, res.Status, res.Body)
		}
	}
	for _, p := range []string{"/api/v1/purchase-orders/" + f.po1 + "/label", "/api/v1/purchase-orders/" + f.po1 + "/billing-invoice"} {
		if res := e.API(f.tokA, "GET", p, nil, ""); res.Status != http.StatusForbidden {
			t.Errorf("%s after the window: %d %.200s", p, res.Status, res.Body)
		}
	}
	byNumber := e.API(f.tokA, "GET", "/api/v1/search?q="+f.po1, nil, "")
	assertNoPersonalData(t, "the search by PO number", byNumber.Body)
	if !strings.Contains(byNumber.Body, f.po1) {
		t.Errorf("search by number lost the PO: %s", byNumber.Body)
	}
	if res := e.API(f.tokA, "GET", "/api/v1/search?q=529.982.247-25", nil, ""); strings.Contains(res.Body, f.po1) {
		t.Errorf("search by the customer's CPF still finds the masked PO: %s", res.Body)
	}
	if n := len(personalDataViews(t, f, f.po1)); n != logged {
		t.Errorf("masked sights were logged: %d rows, was %d", n, logged)
	}

	// Staff are never masked, nor logged.
	sp := staff.Get(poPath)
	if !strings.Contains(sp.Body, "Maria da Silva") || !strings.Contains(sp.Body, "Av. Brasil, 2040") || !strings.Contains(sp.Body, "529.982.247-25") {
		t.Errorf("staff see the customer masked: %.400s", sp.Text("[data-testid=po-customer]"))
	}
	if res := staff.Get(poPath + "/label"); res.Status != 200 {
		t.Errorf("staff label: %d", res.Status)
	}
	if n := len(personalDataViews(t, f, f.po1)); n != logged {
		t.Errorf("staff sights were logged: %d rows, was %d", n, logged)
	}

	// The admin raises the window to 30 days: the supplier sees (and is logged) again.
	e.User("admin@connectparts.test", model.RoleAdmin, nil)
	admin := e.Login("admin@connectparts.test")
	admin.Get("/admin/settings")
	if res := admin.Submit("/admin/settings", url.Values{"company_name": {"ConnectParts"}, "price_alert_percent": {"10"}, "personal_data_days": {"abc"}}); res.Status != 422 {
		t.Fatalf("bad days accepted: %d", res.Status)
	}
	if res := admin.Submit("/admin/settings", url.Values{"company_name": {"ConnectParts"}, "price_alert_percent": {"10"}, "personal_data_days": {"30"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	if page := sup.Get(poPath); !strings.Contains(page.Body, "Maria da Silva") || page.Doc.Find("[data-testid=personal-data-masked]").Length() != 0 {
		t.Errorf("30 days: still masked: %.300s", page.Text("[data-testid=po-customer]"))
	}
	if n := len(personalDataViews(t, f, f.po1)); n != logged+1 {
		t.Errorf("sight after the setting change: %d rows, want %d", n, logged+1)
	}
	// And down to 0: masked as soon as shipped.
	shippedDaysAgo(t, f, 0)
	if res := admin.Submit("/admin/settings", url.Values{"company_name": {"ConnectParts"}, "price_alert_percent": {"10"}, "personal_data_days": {"0"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d", res.Status)
	}
	assertNoPersonalData(t, "the PO page at 0 days", sup.Get(poPath).Body)

	// The admins' log: the sights by supplier, user and channel; not for suppliers.
	logPage := admin.Get("/admin/personal-data-views?supplier=" + itoa(f.a.ID) + "&channel=page")
	if logPage.Status != 200 || logPage.Doc.Find("[data-testid=personal-data-row]").Length() == 0 ||
		!strings.Contains(logPage.Text("[data-testid=personal-data-table]"), "a@freios.test") ||
		!strings.Contains(logPage.Text("[data-testid=personal-data-table]"), f.po1) {
		t.Errorf("log page: %d %.400s", logPage.Status, logPage.Text("main"))
	}
	supUser, err := e.App.Store.FindUserByEmail(e.Ctx, "a@freios.test")
	if err != nil {
		t.Fatal(err)
	}
	byUser := admin.Get("/admin/personal-data-views?user=" + itoa(supUser.ID) + "&po=" + f.po1 + "&channel=file")
	if n := byUser.Doc.Find("[data-testid=personal-data-row]").Length(); n != 2 {
		t.Errorf("log by user, PO and channel: %d rows, want the 2 downloads: %.400s", n, byUser.Text("main"))
	}
	staffUser, err := e.App.Store.FindUserByEmail(e.Ctx, "compras@connectparts.test")
	if err != nil {
		t.Fatal(err)
	}
	if rows := admin.Get("/admin/personal-data-views?user=" + itoa(staffUser.ID)); rows.Doc.Find("[data-testid=personal-data-row]").Length() != 0 {
		t.Error("staff sights in the log")
	}
	if other := admin.Get("/admin/personal-data-views?supplier=" + itoa(f.b.ID)); other.Doc.Find("[data-testid=personal-data-row]").Length() != 0 {
		t.Error("log filtered by another supplier lists rows")
	}
	if old := admin.Get("/admin/personal-data-views?to=2000-01-01"); old.Doc.Find("[data-testid=personal-data-row]").Length() != 0 {
		t.Error("log filtered to the year 2000 lists rows")
	}
	if res := sup.Get("/admin/personal-data-views"); res.Status != http.StatusForbidden {
		t.Errorf("log page as a supplier: %d", res.Status)
	}
	audit := admin.Get("/admin/audit?entity=setting")
	if !strings.Contains(audit.Text("main"), "Dias de dados pessoais") {
		t.Errorf("the setting change is not in the audit log in words: %.300s", audit.Text("main"))
	}
}

// An open PO is never masked, however long ago it was created (the supplier
// must still invoice and ship it), and a cancelled one closes its window
// like a shipment.
func TestPersonalDataOpenPONeverMasked(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	old := time.Now().UTC().AddDate(-1, 0, 0)
	if err := e.App.DB.Gorm.Exec(`UPDATE purchase_orders SET created_at = ? WHERE number = ?`, old, f.po1).Error; err != nil {
		t.Fatal(err)
	}
	res := e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1, nil, "")
	if res.Status != 200 || !strings.Contains(res.Body, "Maria da Silva") || !strings.Contains(res.Body, "52998224725") {
		t.Fatalf("old open PO masked: %d %.300s", res.Status, res.Body)
	}
	if err := e.App.DB.Gorm.Exec(`UPDATE purchase_orders SET status = 'cancelled', cancelled_at = ? WHERE number = ?`, old, f.po1).Error; err != nil {
		t.Fatal(err)
	}
	res = e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1, nil, "")
	assertNoPersonalData(t, "a PO cancelled a year ago", res.Body)
}

// The Mercado Envios label holds the buyer's address: its supplier
// downloads it within the window, gets 403 after it, and the page stops
// offering it.
func TestPersonalDataPlatformLabelAfterWindow(t *testing.T) {
	m := apptest.NewMeliDropship(t)
	po := m.ImportMeli()
	sup := m.Token(m.User("fornecedor@freios.example", model.RoleSupplier, m.Supplier))
	fiscal := m.Token(m.User("fiscal@connectparts.example", model.RoleFiscal, nil))
	path := "/api/v1/purchase-orders/" + po.Number
	steps := []struct {
		token, path, body, ctype string
		want                     int
	}{
		{sup, path + "/acknowledge", "", "", 200},
		{sup, path + "/invoice", string(m.SupplierInvoiceXML(t, po, nil)), "application/xml", 201},
		{fiscal, path + "/book-supplier-invoice", "", "", 200},
		{fiscal, path + "/billing-invoice", string(m.BillingXML(t, po, nil)), "application/xml", 201},
	}
	for _, s := range steps {
		if res := m.API(s.token, "POST", s.path, strings.NewReader(s.body), s.ctype); res.Status != s.want {
			t.Fatalf("POST %s: %d %.300s", s.path, res.Status, res.Body)
		}
	}
	if _, err := m.App.SyncEngine.PushStatuses(m.Ctx, 0, po.SalesOrderID); err != nil {
		t.Fatal(err)
	}
	if res := m.API(sup, "GET", path+"/platform-label/pdf", nil, ""); res.Status != 200 || !strings.HasPrefix(res.Body, "%PDF") {
		t.Fatalf("label within the window: %d", res.Status)
	}
	at := time.Now().UTC().AddDate(0, 0, -10)
	if err := m.App.DB.Gorm.Exec(`UPDATE purchase_orders SET status = 'shipped', shipped_at = ? WHERE id = ?`, at, po.ID).Error; err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"pdf", "zpl"} {
		if res := m.API(sup, "GET", path+"/platform-label/"+f, nil, ""); res.Status != http.StatusForbidden {
			t.Errorf("%s label after the window: %d", f, res.Status)
		}
	}
	page := m.Login("fornecedor@freios.example").Get("/purchase-orders/" + po.Number)
	if page.Doc.Find("[data-testid=platform-label-pdf], [data-testid=platform-label-zpl]").Length() != 0 {
		t.Error("the page still offers the Mercado Envios label after the window")
	}
	if res := m.API(fiscal, "GET", path+"/platform-label/pdf", nil, ""); res.Status != 200 {
		t.Errorf("staff label after the window: %d", res.Status)
	}
}
