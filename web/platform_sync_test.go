package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/syncengine"
)

func jobCount(t *testing.T, env *apptest.Env, kind string) int {
	t.Helper()
	res, err := env.App.Jobs.River().JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(100))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

func TestPlatformSyncQueuesACycle(t *testing.T) {
	env := apptest.New(t)
	admin := env.User("admin@cp.example", model.RoleAdmin, nil)
	logi := env.User("log@cp.example", model.RoleLogistics, nil)
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: "sandbox", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}

	if res := env.API(env.Token(logi), "POST", "/api/v1/platforms/Demo/sync", nil, ""); res.Status != http.StatusForbidden {
		t.Fatalf("logistics sync: %d %s", res.Status, res.Body)
	}
	token := env.Token(admin)
	if res := env.API(token, "POST", "/api/v1/platforms/Nenhuma/sync", nil, ""); res.Status != http.StatusNotFound {
		t.Fatalf("unknown platform: %d %s", res.Status, res.Body)
	}
	// A cycle already waiting is not queued twice, and the answer says so.
	for _, want := range []string{`"status":"started"`, `"status":"waiting"`} {
		res := env.API(token, "POST", "/api/v1/platforms/Demo/sync", nil, "")
		if res.Status != http.StatusAccepted || !strings.Contains(res.Body, want) {
			t.Fatalf("admin sync: %d %s, want %s", res.Status, res.Body, want)
		}
	}
	if i, s := jobCount(t, env, "import_platform"), jobCount(t, env, "push_stock"); i != 1 || s != 1 {
		t.Fatalf("queued %d imports and %d stock pushes, want 1 and 1", i, s)
	}

	b := env.Login("admin@cp.example")
	b.Get("/") // a page, for the CSRF token
	res := b.Submit("/platforms/"+itoa(p.ID)+"/sync", nil)
	if res.Status != http.StatusSeeOther || res.Location() != "/platforms/"+itoa(p.ID) {
		t.Fatalf("sync button: %d %s", res.Status, res.Location())
	}
	res = b.Get("/admin/tasks")
	if res.Status != 200 || !strings.Contains(res.Text("[data-testid=task-import_platform]"), "Aguardando") ||
		!strings.Contains(res.Text("[data-testid=task-sync_schedule]"), "a cada 5 s") ||
		!strings.Contains(res.Text("[data-testid=task-import-"+itoa(p.ID)+"]"), "a cada 1 min") {
		t.Fatalf("tasks page: %d %q", res.Status, res.Text("[data-testid=tasks-table]"))
	}
	if res := env.Login("log@cp.example").Get("/admin/tasks"); res.Status != http.StatusForbidden {
		t.Fatalf("logistics tasks page: %d", res.Status)
	}
	lb := env.Login("log@cp.example")
	lb.Get("/")
	if res := lb.Submit("/platforms/"+itoa(p.ID)+"/sync", nil); res.Status != http.StatusForbidden {
		t.Fatalf("logistics sync button: %d", res.Status)
	}
}

// With workers running, "sync now" runs the cycle in the background.
func TestPlatformSyncRunsInTheBackground(t *testing.T) {
	env := apptest.New(t, apptest.Options{Work: true})
	admin := env.User("admin@cp.example", model.RoleAdmin, nil)
	if err := env.App.Store.CreateProduct(env.Ctx, &model.Product{SKU: "SBX-1", Name: "Filtro de óleo", Active: true}); err != nil {
		t.Fatal(err)
	}
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: "sandbox", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	if res := env.API(env.Token(admin), "POST", "/api/v1/platforms/Demo/sync", nil, ""); res.Status != http.StatusAccepted {
		t.Fatalf("sync: %d %s", res.Status, res.Body)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		runs, err := env.App.Store.ListSyncRuns(env.Ctx, p.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]model.SyncRunStatus{}
		for _, r := range runs {
			kinds[r.Kind] = r.Status
		}
		if kinds[model.SyncKindImport] == model.SyncOK && kinds[model.SyncKindStockPush] == model.SyncOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no import and stock push ran: %+v", runs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
