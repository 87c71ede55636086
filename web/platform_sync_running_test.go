package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/syncengine"
)

// "Sincronizar agora" while an import is running (a live one, or one left by
// a process that died) says so, and since when, instead of a silent 202.
func TestPlatformSyncSaysAnImportIsRunning(t *testing.T) {
	env := apptest.New(t)
	admin := env.User("admin@cp.example", model.RoleAdmin, nil)
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: "sandbox", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.App.Jobs.Insert(env.Ctx, jobs.ImportPlatformArgs{PlatformID: p.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	since := time.Now().Add(-3 * time.Minute).UTC().Truncate(time.Second)
	if err := env.App.DB.Gorm.Exec("UPDATE river_job SET state = 'running', attempt = 1, attempted_at = ? WHERE id = ?", since, res.Job.ID).Error; err != nil {
		t.Fatal(err)
	}
	api := env.API(env.Token(admin), "POST", "/api/v1/platforms/Demo/sync", nil, "")
	if api.Status != http.StatusAccepted || !strings.Contains(api.Body, `"status":"running"`) ||
		!strings.Contains(api.Body, `"running_since":"`+since.Format(time.RFC3339)) || !strings.Contains(api.Body, format.DateTime(since)) {
		t.Fatalf("sync now with an import running: %d %s", api.Status, api.Body)
	}
	b := env.Login("admin@cp.example")
	b.Get("/")
	if r := b.Submit("/platforms/"+itoa(p.ID)+"/sync", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("sync button: %d", r.Status)
	}
	page := b.Get("/platforms/" + itoa(p.ID))
	if !strings.Contains(page.Body, "já está em andamento desde "+format.DateTime(since)) {
		t.Fatalf("the page does not say the import runs since %s", format.DateTime(since))
	}
}
