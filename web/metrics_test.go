package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/syncengine"
)

// /metrics (with pprof) is served on its own listener: request latencies by
// route template, jobs by kind and state, each platform's time since its
// last successful import, pushes waiting, late POs. The public address has
// no /metrics.
func TestMetricsAreScrapedOnTheirOwnAddress(t *testing.T) {
	env := apptest.New(t)
	admin := env.User("admin@cp.example", model.RoleAdmin, nil)
	token := env.Token(admin)
	ctx := env.Ctx
	if err := env.App.Store.CreateProduct(ctx, &model.Product{SKU: "SBX-1", Name: "Filtro de óleo", Active: true}); err != nil {
		t.Fatal(err)
	}
	p, err := env.App.SyncEngine.AddPlatform(ctx, syncengine.NewPlatform{Kind: "sandbox", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.SyncEngine.RunImport(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Jobs.Insert(ctx, jobs.PushStatusArgs{OrderID: 42}, nil); err != nil {
		t.Fatal(err)
	}
	env.API(token, "GET", "/api/v1/orders/999999", nil, "") // a 404 on a route with a parameter

	env.Browser().Get("/static/nao-existe.css")
	env.Browser().Get("/pagina/qualquer/123")
	if res := env.Browser().Get("/metrics"); res.Status != http.StatusNotFound {
		t.Fatalf("public /metrics: %d", res.Status)
	}
	srv := httptest.NewServer(env.App.Metrics.Handler())
	defer srv.Close()
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	code, body := get("/metrics")
	if code != 200 {
		t.Fatalf("scrape: %d", code)
	}
	for _, want := range []string{
		`portal_http_request_duration_seconds_bucket{code="404",method="GET",route="/api/v1/orders/:id",le="0.005"}`,
		`portal_jobs{kind="push_status",state="queued"} 1`,
		`portal_platform_last_success_age_seconds{kind="import",platform="Demo"}`,
		`portal_pushes_waiting{kind="status",platform="Demo"}`,
		`portal_pushes_waiting{kind="stock",platform="Demo"}`,
		`portal_purchase_orders_late 0`,
		`portal_database_up 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	if !strings.Contains(body, `route="unmatched"`) {
		t.Errorf("unmatched paths not grouped:\n%s", grepLines(body, "portal_http_request_duration_seconds_count"))
	}
	// Only the route labels are read: a histogram's sum (0.0009999999…) may
	// hold the digits of a raw path by chance.
	for _, m := range regexp.MustCompile(`route="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if r := m[1]; strings.Contains(r, "999999") || strings.Contains(r, "qualquer") || strings.Contains(r, "nao-existe") {
			t.Errorf("a raw path became a label: route=%q", r)
		}
	}
	if code, _ := get("/debug/pprof/"); code != 200 {
		t.Errorf("pprof on the metrics address: %d", code)
	}
	if res := env.Browser().Get("/debug/pprof/"); res.Status != http.StatusNotFound {
		t.Errorf("public pprof: %d", res.Status)
	}
}

func grepLines(body, prefix string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
