package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// listColumn returns the text of cell i of every data row of the page's
// first table (the empty-list row skipped).
func listColumn(t *testing.T, b *apptest.Browser, path string, i int) []string {
	t.Helper()
	res := b.Get(path)
	if res.Status != 200 {
		t.Fatalf("GET %s: %d", path, res.Status)
	}
	var out []string
	res.Doc.Find("main table").First().Find("tbody tr:not(:has(td.empty))").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Find("td").Eq(i).Text()))
	})
	return out
}

// The notification list sorts by message both ways, filters by state and by
// words, and exports exactly the rows it shows (CSV and XLSX, formulas
// neutralised); another user's notifications are in neither.
func TestNotificationListSortFilterExport(t *testing.T) {
	env := apptest.New(t)
	ana := env.User("ana@connectparts.test", model.RolePurchasing, nil)
	other := env.User("bia@connectparts.test", model.RolePurchasing, nil)
	now := time.Now().UTC()
	read := now.Add(-time.Minute)
	for i, n := range []model.Notification{
		{UserID: ana.ID, Kind: "po.created", Message: "Pedido PC-000002 recebido", Link: "/purchase-orders/PC-000002"},
		{UserID: ana.ID, Kind: "po.created", Message: "Bloqueio de importação em Loja", ReadAt: &read},
		{UserID: ana.ID, Kind: "po.created", Message: "=HYPERLINK(\"http://x\";\"y\") pedido"},
		{UserID: ana.ID, Kind: "po.created", Message: "Pedido PC-000001 recebido", ReadAt: &read},
		{UserID: other.ID, Kind: "po.created", Message: "Pedido de outra pessoa"},
	} {
		n.CreatedAt = now.Add(time.Duration(i) * time.Second)
		if err := env.App.DB.Gorm.Create(&n).Error; err != nil {
			t.Fatal(err)
		}
	}
	b := env.Login("ana@connectparts.test")
	cases := []struct {
		query string
		want  []string // messages, in order
	}{
		{"sort=message&dir=asc", []string{"=HYPERLINK(\"http://x\";\"y\") pedido", "Bloqueio de importação em Loja", "Pedido PC-000001 recebido", "Pedido PC-000002 recebido"}},
		{"sort=message&dir=desc", []string{"Pedido PC-000002 recebido", "Pedido PC-000001 recebido", "Bloqueio de importação em Loja", "=HYPERLINK(\"http://x\";\"y\") pedido"}},
		{"state=unread&sort=message&dir=asc", []string{"=HYPERLINK(\"http://x\";\"y\") pedido", "Pedido PC-000002 recebido"}},
		{"q=pc-00&sort=read&dir=asc", []string{"Pedido PC-000002 recebido", "Pedido PC-000001 recebido"}},
		{"", []string{"Pedido PC-000001 recebido", "=HYPERLINK(\"http://x\";\"y\") pedido", "Bloqueio de importação em Loja", "Pedido PC-000002 recebido"}},
	}
	for _, tc := range cases {
		path := "/notifications?" + tc.query
		shown := listColumn(t, b, path, 1)
		if strings.Join(shown, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: list %q, want %q", tc.query, shown, tc.want)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, path+"&format="+fm)
			if rows[0][1] != "Mensagem" {
				t.Fatalf("%s %s header %q", tc.query, fm, rows[0])
			}
			got := column(rows, 1)
			for i := range got {
				got[i] = strings.TrimPrefix(got[i], "'") // the neutralised formula
			}
			if strings.Join(got, "|") != strings.Join(shown, "|") {
				t.Errorf("%s %s: export %q, list %q", tc.query, fm, got, shown)
			}
			for _, r := range rows {
				if strings.HasPrefix(r[1], "=") {
					t.Errorf("%s: formula not neutralised: %q", fm, r[1])
				}
			}
		}
	}
}

// The late-shipment list sorts by column both ways, filters by supplier and
// by words, and exports the rows it shows.
func TestLateListSortFilterExport(t *testing.T) {
	f := newPOFixture(t)
	db := f.env.App.DB.Gorm
	now := time.Now().UTC()
	for i, po := range []struct{ number, customer string }{{f.po1, "Zélia Prado"}, {f.po2, "Antônio Reis"}} {
		if err := db.Exec(`UPDATE purchase_orders SET status = 'billed', billed_at = ?, dispatch_hours = 24, customer_name = ? WHERE number = ?`,
			now.Add(-time.Duration(30+10*i)*time.Hour), po.customer, po.number).Error; err != nil {
			t.Fatal(err)
		}
	}
	f.env.User("logistica@connectparts.test", model.RoleLogistics, nil)
	b := f.env.Login("logistica@connectparts.test")
	cases := []struct {
		query string
		want  []string // PO numbers, in order
	}{
		{"sort=customer&dir=asc", []string{f.po2, f.po1}},
		{"sort=customer&dir=desc", []string{f.po1, f.po2}},
		{"sort=due&dir=asc", []string{f.po2, f.po1}}, // po2 billed 10 h earlier
		{"q=z%C3%A9lia", []string{f.po1}},
		{"supplier=" + itoa(f.a.ID) + "&sort=number&dir=desc", []string{max(f.po1, f.po2), min(f.po1, f.po2)}},
		{"supplier=" + itoa(f.b.ID), nil},
	}
	for _, tc := range cases {
		path := "/logistics/late?" + tc.query
		shown := listColumn(t, b, path, 0)
		if strings.Join(shown, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: list %v, want %v", tc.query, shown, tc.want)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, path+"&format="+fm)
			if rows[0][0] != "Pedido de compra" || strings.Join(column(rows, 0), ",") != strings.Join(shown, ",") {
				t.Errorf("%s %s: export %q, list %v", tc.query, fm, rows, shown)
			}
		}
	}
}

// The LGPD access log sorts by column both ways, keeps its filters, and
// exports the rows it shows.
func TestPersonalDataViewListSortFilterExport(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	sa := env.Supplier("11222333000181", "Paulista Autopeças")
	sb := env.Supplier("11444777000161", "Alfa Peças")
	ua := env.User("ana@paulista.test", model.RoleSupplier, sa)
	ub := env.User("beto@alfa.test", model.RoleSupplier, sb)
	now := time.Now().UTC()
	for i, v := range []model.PersonalDataView{
		{UserID: ua.ID, Actor: ua.Email, SupplierID: sa.ID, POID: 1, PONumber: "PC-000003", Channel: model.ViewChannelPage, Path: "/purchase-orders/PC-000003"},
		{UserID: ub.ID, Actor: ub.Email, SupplierID: sb.ID, POID: 2, PONumber: "PC-000001", Channel: model.ViewChannelExport, Path: "/purchase-orders"},
		{UserID: ua.ID, Actor: ua.Email, SupplierID: sa.ID, POID: 3, PONumber: "PC-000002", Channel: model.ViewChannelPage, Path: "/purchase-orders/PC-000002"},
	} {
		v.At = now.Add(time.Duration(i-10) * time.Minute)
		if err := env.App.DB.Gorm.Create(&v).Error; err != nil {
			t.Fatal(err)
		}
	}
	b := env.Login("admin@connectparts.test")
	cases := []struct {
		query string
		want  []string // PO numbers, in order
	}{
		{"", []string{"PC-000002", "PC-000001", "PC-000003"}},
		{"sort=po&dir=asc", []string{"PC-000001", "PC-000002", "PC-000003"}},
		{"sort=po&dir=desc", []string{"PC-000003", "PC-000002", "PC-000001"}},
		{"supplier=" + itoa(sa.ID) + "&sort=at&dir=asc", []string{"PC-000003", "PC-000002"}},
		{"user=" + itoa(ub.ID), []string{"PC-000001"}},
	}
	for _, tc := range cases {
		path := "/admin/personal-data-views?" + tc.query
		shown := listColumn(t, b, path, 3)
		if strings.Join(shown, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: list %v, want %v", tc.query, shown, tc.want)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, path+"&format="+fm)
			if rows[0][3] != "Pedido de compra" || strings.Join(column(rows, 3), ",") != strings.Join(shown, ",") {
				t.Errorf("%s %s: export %q, list %v", tc.query, fm, rows, shown)
			}
		}
	}
}

// The webhook delivery log (the supplier's page and staff's read-only copy)
// sorts by column both ways, filters by status and event, and exports the
// rows it shows.
func TestWebhookDeliveryListSortFilterExport(t *testing.T) {
	f := newWebhookFixture(t, false)
	br, _ := f.register(t)
	wh, err := f.env.App.Store.FindWebhookOfSupplier(f.env.Ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, d := range []model.WebhookDelivery{
		{Event: model.EventPOCreated, Status: model.DeliveryDelivered, Attempts: 1},
		{Event: model.EventPOBilled, Status: model.DeliveryFailed, Attempts: 5, LastStatusCode: 500, LastError: "=1+1"},
		{Event: model.EventPOCreated, Status: model.DeliveryFailed, Attempts: 3},
		{Event: model.EventPOCreated, Status: model.DeliveryPending, Attempts: 0},
	} {
		d.WebhookID, d.SupplierID, d.Message, d.Data, d.CreatedAt = wh.ID, f.a.ID, "Entrega "+itoa(int64(i)), "{}", now.Add(time.Duration(i)*time.Second)
		if err := f.env.App.DB.Gorm.Create(&d).Error; err != nil {
			t.Fatal(err)
		}
	}
	f.env.User("admin@connectparts.test", model.RoleAdmin, nil)
	admin := f.env.Login("admin@connectparts.test")
	cases := []struct {
		query string
		want  []string // attempts, in order
	}{
		{"sort=attempts&dir=asc", []string{"0", "1", "3", "5"}},
		{"sort=attempts&dir=desc", []string{"5", "3", "1", "0"}},
		{"status=failed&sort=attempts&dir=asc", []string{"3", "5"}},
		{"event=" + model.EventPOCreated + "&sort=created&dir=asc", []string{"1", "3", "0"}},
		{"", []string{"0", "3", "5", "1"}},
	}
	for _, who := range []struct {
		b    *apptest.Browser
		path string
	}{{br, "/webhooks"}, {admin, "/admin/webhooks/" + itoa(wh.ID)}} {
		for _, tc := range cases {
			path := who.path + "?" + tc.query
			var shown []string
			who.b.Get(path).Doc.Find("[data-testid=delivery-row]").Each(func(_ int, s *goquery.Selection) {
				shown = append(shown, strings.TrimSpace(s.Find("td").Eq(4).Text()))
			})
			if strings.Join(shown, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%s: list %v, want %v", path, shown, tc.want)
			}
			for _, fm := range []string{"csv", "xlsx"} {
				rows := download(t, who.b, path+"&format="+fm)
				if rows[0][5] != "Tentativas" || strings.Join(column(rows, 5), ",") != strings.Join(shown, ",") {
					t.Errorf("%s %s: export %q, list %v", path, fm, rows, shown)
				}
				for _, r := range rows {
					if strings.HasPrefix(r[7], "=") {
						t.Errorf("%s: formula not neutralised: %q", fm, r[7])
					}
				}
			}
		}
	}
}

// The platform list sorts by column both ways, filters by kind, state and
// name, and exports the rows it shows.
func TestPlatformListSortFilterExport(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@connectparts.test", model.RoleAdmin, nil)
	for _, pl := range []model.Platform{
		{Kind: model.PlatformVTEX, Name: "Loja VTEX", Enabled: true, ImportIntervalSeconds: 900},
		{Kind: model.PlatformMercadoLivre, Name: "Mercado Livre", Enabled: false, ImportIntervalSeconds: 600},
		{Kind: model.PlatformSandbox, Name: "Demonstração", Enabled: true, ImportIntervalSeconds: 1800},
	} {
		pl.SettingsSealed, pl.ImportFrom = "x", model.ImportFromAwaitingPayment
		if err := env.App.Store.CreatePlatform(env.Ctx, &pl); err != nil {
			t.Fatal(err)
		}
	}
	b := env.Login("admin@connectparts.test")
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"Demonstração", "Loja VTEX", "Mercado Livre"}},
		{"sort=name&dir=desc", []string{"Mercado Livre", "Loja VTEX", "Demonstração"}},
		{"sort=interval&dir=asc", []string{"Mercado Livre", "Loja VTEX", "Demonstração"}},
		{"status=active&sort=interval&dir=desc", []string{"Demonstração", "Loja VTEX"}},
		{"kind=" + model.PlatformVTEX, []string{"Loja VTEX"}},
		{"q=livre", []string{"Mercado Livre"}},
	}
	for _, tc := range cases {
		path := "/platforms?" + tc.query
		shown := listColumn(t, b, path, 0)
		if strings.Join(shown, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: list %v, want %v", tc.query, shown, tc.want)
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, b, path+"&format="+fm)
			if rows[0][0] != "Nome" || strings.Join(column(rows, 0), ",") != strings.Join(shown, ",") {
				t.Errorf("%s %s: export %q, list %v", tc.query, fm, rows, shown)
			}
		}
	}
}

// The blocked queue sorts by column both ways, filters by reason and by
// words (order id, SKU, method) kept in the URL, and exports the rows it
// shows.
func TestBlockedListSortFilterExport(t *testing.T) {
	f := newOrdersFixture(t, nil) // nothing mapped: every order blocked
	for _, r := range []struct{ id, sku string }{{"SBX-901", "CP-B"}, {"SBX-902", "CP-A"}, {"SBX-903", "CP-C"}} {
		if err := f.env.App.DB.Gorm.Exec(`INSERT INTO blocked_orders (platform_id, external_id, reason, detail, method, sku, channel_status, first_seen_at, last_seen_at)
			VALUES (?, ?, 'unknown_sku', 'SKU não cadastrado', '', ?, 'ready-for-handling', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, f.p.ID, r.id, r.sku).Error; err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		query string
		want  []string // order ids, in order; nil: compare the export with the list only
	}{
		{"reason=unknown_sku&sort=order&dir=asc", []string{"SBX-901", "SBX-902", "SBX-903"}},
		{"reason=unknown_sku&sort=order&dir=desc", []string{"SBX-903", "SBX-902", "SBX-901"}},
		{"q=cp-a", []string{"SBX-902"}},
		{"q=sbx-00001&sort=order&dir=desc", nil},
		{"reason=unmapped_carrier&q=sbx-00002&sort=order&dir=asc", nil},
	}
	for _, tc := range cases {
		path := "/orders/blocked?" + tc.query
		var shown []string
		f.admin.Get(path).Doc.Find("[data-testid=blocked-row]").Each(func(_ int, s *goquery.Selection) {
			shown = append(shown, s.AttrOr("data-external-id", ""))
		})
		if tc.want != nil && strings.Join(shown, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: list %v, want %v", tc.query, shown, tc.want)
		}
		if tc.want == nil {
			if len(shown) < 2 || len(shown) >= 25 {
				t.Fatalf("%s: %d rows: the fixture must give a few", tc.query, len(shown))
			}
			for i := 1; i < len(shown); i++ {
				if (strings.Contains(tc.query, "dir=desc") && shown[i-1] < shown[i]) || (strings.Contains(tc.query, "dir=asc") && shown[i-1] > shown[i]) {
					t.Errorf("%s: not sorted: %v", tc.query, shown)
				}
			}
		}
		for _, fm := range []string{"csv", "xlsx"} {
			rows := download(t, f.admin, path+"&format="+fm)
			if rows[0][1] != "Pedido na plataforma" || strings.Join(column(rows, 1), ",") != strings.Join(shown, ",") {
				t.Errorf("%s %s: export %v, list %v", tc.query, fm, column(rows, 1), shown)
			}
		}
	}
}
