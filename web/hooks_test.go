package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
	"github.com/connectparts/portal/internal/syncengine"
)

// importJobs counts the import_order jobs queued for an order ("" for all).
func importJobs(t *testing.T, env *apptest.Env, externalID string) int {
	t.Helper()
	q := `SELECT COUNT(*) FROM river_job WHERE kind = 'import_order'`
	args := []any{}
	if externalID != "" {
		q += ` AND json(args) LIKE ?` // River keeps SQLite args as JSONB
		args = append(args, `%"`+externalID+`"%`)
	}
	if env.App.DB.Dialect == "postgres" {
		q = strings.Replace(q, "json(args) LIKE ?", "args::text LIKE $1", 1)
	}
	var n int
	if err := env.App.DB.SQL.QueryRowContext(env.Ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func postHook(t *testing.T, env *apptest.Env, path, body string, header map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestVTEXHook(t *testing.T) {
	env := apptest.New(t)
	fake := vtexfake.New()
	t.Cleanup(fake.Close)
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformVTEX, Name: "Loja VTEX",
		BaseURL: fake.URL, Settings: map[string]string{"account": "connectparts", "app_key": fake.AppKey,
			"app_token": fake.AppToken, "warehouse": "1fabf84"}})
	if err != nil {
		t.Fatal(err)
	}
	// Registration: VTEX pings the URL, which must answer 200, before it
	// accepts the hook.
	p, err = env.App.SyncEngine.RegisterHook(env.Ctx, p.ID, env.URL)
	if err != nil {
		t.Fatalf("register hook: %v", err)
	}
	path := "/hooks/vtex/" + strconv.FormatInt(p.ID, 10)
	url, headers := fake.Hook()
	secret := headers[platform.HookSecretHeader]
	if url != env.URL+path || len(secret) < 40 || p.HookRegisteredAt == nil || p.HookError != "" {
		t.Fatalf("hook %s %v; platform %+v", url, headers, p)
	}
	if strings.Contains(p.HookSecretSealed, secret) {
		t.Fatal("hook secret stored in clear")
	}
	good := map[string]string{platform.HookSecretHeader: secret}
	note := `{"Domain":"Fulfillment","OrderId":"` + vtexfake.OrderFeed + `","State":"ready-for-handling","LastState":"window-to-cancel","LastChange":"2019-08-14T17:11:39Z","CurrentChange":"2019-08-14T17:12:48Z","Origin":{"Account":"connectparts","Key":"k"}}`

	for _, c := range []struct {
		name, path, body string
		header           map[string]string
		want             int
	}{
		{"ping", path, `{"hookConfig":"ping"}`, nil, 200},
		{"no secret", path, note, nil, 401},
		{"wrong secret", path, note, map[string]string{platform.HookSecretHeader: secret + "x"}, 401},
		{"not JSON", path, `{"OrderId":`, good, 400},
		{"no order id", path, `{"Domain":"Fulfillment","State":"handling"}`, good, 400},
		{"too large", path, `{"OrderId":"` + strings.Repeat("9", 20<<10) + `"}`, good, 413},
		{"unknown platform", "/hooks/vtex/999999", note, good, 404},
		{"not a number", "/hooks/vtex/loja", note, good, 404},
	} {
		if got := postHook(t, env, c.path, c.body, c.header); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
		if n := importJobs(t, env, ""); n != 0 {
			t.Fatalf("%s: %d import jobs queued, want none", c.name, n)
		}
	}
	// A notification is answered 200 and queues the order's import; repeats
	// and a flood make one job.
	for i := 0; i < 20; i++ {
		if got := postHook(t, env, path, note, good); got != 200 {
			t.Fatalf("notification %d: status %d", i, got)
		}
	}
	if n := importJobs(t, env, vtexfake.OrderFeed); n != 1 {
		t.Fatalf("%d import jobs for the notified order, want 1", n)
	}
	got, err := env.App.Store.FindPlatform(env.Ctx, p.ID)
	if err != nil || got.LastNotificationAt == nil {
		t.Fatalf("last notification not recorded: %+v %v", got, err)
	}
	// VTEX's own notification of a new order, with the configured header.
	id, _ := fake.AddOrder("payment-approved", []vtexfake.Item{{RefID: "BIGBML", Quantity: 1, Price: 100}})
	if sent, ok := fake.HookDeliveries(); sent != 1 || ok != 1 {
		t.Fatalf("fake notifications: %d sent, %d answered 200", sent, ok)
	}
	if n := importJobs(t, env, id); n != 1 {
		t.Fatalf("%d import jobs for the new order, want 1", n)
	}
}

func TestMercadoLivreHook(t *testing.T) {
	env := apptest.New(t)
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformMercadoLivre, Name: "ML",
		BaseURL: "http://127.0.0.1:1", Settings: map[string]string{"client_id": "5503910054141466", "client_secret": "segredo",
			"refresh_token": "TG-1", "seller_id": "1234567"}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/hooks/mercadolivre/" + strconv.FormatInt(p.ID, 10)
	body := func(resource, userID, topic, appID string) string {
		return `{"resource":"` + resource + `","user_id":` + userID + `,"topic":"` + topic + `","application_id":` + appID +
			`,"attempts":1,"sent":"2026-12-07T12:00:00.000Z","received":"2026-12-07T12:00:00.000Z"}`
	}
	for _, c := range []struct {
		name, body string
		want       int
	}{
		{"wrong application", body("/orders/2000003508897196", "1234567", "orders_v2", "999"), 401},
		{"wrong seller", body("/orders/2000003508897196", "7654321", "orders_v2", "5503910054141466"), 401},
		{"not JSON", `{"resource":`, 400},
		{"no topic", `{"resource":"/orders/1","user_id":1234567,"application_id":5503910054141466}`, 400},
		{"bad resource", body("/items/MLB1", "1234567", "orders_v2", "5503910054141466"), 400},
		{"other topic", body("/items/MLB1", "1234567", "items", "5503910054141466"), 200},
		{"shipment of no known order", body("/shipments/4000000001", "1234567", "shipments", "5503910054141466"), 200},
	} {
		if got := postHook(t, env, path, c.body, nil); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
		if n := importJobs(t, env, ""); n != 0 {
			t.Fatalf("%s: %d import jobs queued, want none", c.name, n)
		}
	}
	for i := 0; i < 5; i++ {
		if got := postHook(t, env, path, body("/orders/2000003508897196", "1234567", "orders_v2", "5503910054141466"), nil); got != 200 {
			t.Fatalf("orders_v2: status %d", got)
		}
	}
	if n := importJobs(t, env, "2000003508897196"); n != 1 {
		t.Fatalf("%d import jobs, want 1", n)
	}
}

// TestPlatformPageShowsHookAndBackfills: staff see on the platforms list and
// the platform page whether the hook is registered and when the last
// notification came, and import the orders paid before connecting.
func TestPlatformPageShowsHookAndBackfills(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	fake := vtexfake.New()
	t.Cleanup(fake.Close)
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformVTEX, Name: "Loja VTEX",
		BaseURL: fake.URL, Settings: map[string]string{"account": "connectparts", "app_key": fake.AppKey,
			"app_token": fake.AppToken, "warehouse": "1fabf84"}})
	if err != nil {
		t.Fatal(err)
	}
	b := env.Login("admin@cp.example")
	page := "/platforms/" + strconv.FormatInt(p.ID, 10)
	res := b.Get(page)
	if res.Status != 200 || res.Text("[data-testid=hook-status]") != "Não registrado" || res.Text("[data-testid=hook-last]") != "Nenhuma" {
		t.Fatalf("page before: %d %q %q", res.Status, res.Text("[data-testid=hook-status]"), res.Text("[data-testid=hook-last]"))
	}
	// Without PORTAL_BASE_URL the portal cannot tell VTEX where it is.
	res = b.Submit(page+"/hook", nil)
	if res.Status != 303 {
		t.Fatalf("register without base URL: %d", res.Status)
	}
	if msg := b.Get(page).Text("[data-testid=flash-error]"); !strings.Contains(msg, "PORTAL_BASE_URL") {
		t.Fatalf("flash %q", msg)
	}
	if _, err := env.App.SyncEngine.RegisterHook(env.Ctx, p.ID, env.URL); err != nil {
		t.Fatal(err)
	}
	fake.AddOrder("payment-approved", []vtexfake.Item{{RefID: "BIGBML", Quantity: 1, Price: 100}})
	fake.HookDeliveries()
	res = b.Get(page)
	if res.Text("[data-testid=hook-status]") != "Registrado" || res.Text("[data-testid=hook-last]") == "Nenhuma" ||
		res.Text("[data-testid=hook-url]") != env.URL+"/hooks/vtex/"+strconv.FormatInt(p.ID, 10) {
		t.Fatalf("page after: %q %q %q", res.Text("[data-testid=hook-status]"), res.Text("[data-testid=hook-last]"), res.Text("[data-testid=hook-url]"))
	}
	list := b.Get("/platforms")
	if list.Text("[data-testid=platform-hook]") != "Registrado" || list.Text("[data-testid=platform-last-notification]") == "Nenhuma" {
		t.Fatalf("list: %q %q", list.Text("[data-testid=platform-hook]"), list.Text("[data-testid=platform-last-notification]"))
	}
	// Backfill: the example order ready for handling and the new paid one,
	// blocked (no carrier mapped yet).
	b.Get(page)
	if res := b.Submit(page+"/backfill", url.Values{"backfill_days": {"7"}}); res.Status != 303 {
		t.Fatalf("backfill: %d", res.Status)
	}
	if msg := b.Get(page).Text("[data-testid=flash-success]"); !strings.Contains(msg, "2 na plataforma, 0 importados, 2 bloqueados") {
		t.Fatalf("backfill flash %q", msg)
	}
	b.Get(page)
	b.Submit(page+"/backfill", url.Values{"backfill_days": {"500"}})
	if msg := b.Get(page).Text("[data-testid=flash-error]"); msg == "" {
		t.Fatal("a 500-day window was accepted")
	}
}
