package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// After a crash every kind of job runs again within 2 minutes of the
// restart: the dead job started before the restart, is rescued at most
// RescueAfter + River's 30 s check later, then waits for River's scheduler
// (5 s) and a fetch. A job's timeout stays below the rescue, so a live job is
// never run twice.
func TestRecoveryBudget(t *testing.T) {
	const riverCheck, scheduling = 30 * time.Second, 7 * time.Second
	if worst := jobs.DefaultRescueAfter + riverCheck + scheduling; worst > 2*time.Minute {
		t.Errorf("worst case after a crash %s, want ≤ 2 min", worst)
	}
	if jobs.DefaultJobTimeout >= jobs.DefaultRescueAfter {
		t.Errorf("job timeout %s ≥ rescue %s: live jobs would be rescued", jobs.DefaultJobTimeout, jobs.DefaultRescueAfter)
	}
}

// A run stays open while the job attempt that owns it runs (on any
// instance); once River no longer runs that attempt it is closed as
// interrupted, and "Sincronizar agora" meanwhile says an import is running
// since the attempt began.
func TestDeadSyncRunsAreClosedByJobState(t *testing.T) {
	db := testdb.MustOpen(t)
	st := store.New(db)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	client, err := jobs.New(db, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := &jobs.Queue{Client: client, Store: st}
	p := &model.Platform{Kind: "sandbox", Name: "A", SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 60, ImportFrom: "awaiting_payment"}
	if err := st.CreatePlatform(ctx, p); err != nil {
		t.Fatal(err)
	}
	out, err := q.QueueSync(ctx, p.ID)
	if err != nil || out.State != jobs.SyncStarted {
		t.Fatalf("first sync now: %+v %v", out, err)
	}
	res, err := client.Insert(ctx, jobs.ImportPlatformArgs{PlatformID: p.ID}, nil)
	if err != nil || !res.UniqueSkippedAsDuplicate {
		t.Fatalf("second insert: %+v %v", res, err)
	}
	jobID := res.Job.ID
	// The state a kill -9 leaves: the job running, attempt 1, and its run open.
	started := time.Now().Add(-10 * time.Second).UTC().Truncate(time.Second)
	if err := db.Gorm.Exec("UPDATE river_job SET state = 'running', attempt = 1, attempted_at = ? WHERE id = ?", started, jobID).Error; err != nil {
		t.Fatal(err)
	}
	owned := &model.SyncRun{PlatformID: p.ID, Kind: model.SyncKindImport, JobID: &jobID, JobAttempt: 1}
	cli := &model.SyncRun{PlatformID: p.ID, Kind: model.SyncKindImport, StartedAt: time.Now().Add(-2 * time.Hour)}
	fresh := &model.SyncRun{PlatformID: p.ID, Kind: model.SyncKindImport}
	for _, r := range []*model.SyncRun{owned, cli, fresh} {
		if err := st.CreateSyncRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	status := func(r *model.SyncRun) model.SyncRunStatus {
		got, err := st.FindSyncRun(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}

	out, err = q.QueueSync(ctx, p.ID)
	if err != nil || out.State != jobs.SyncRunning || !out.Since.Equal(started) || out.ResumeBy.Sub(started) != jobs.DefaultRescueAfter+30*time.Second {
		t.Fatalf("sync now while the job runs: %+v %v (started %s)", out, err, started)
	}
	if err := jobs.CloseDeadSyncRuns(ctx, st); err != nil {
		t.Fatal(err)
	}
	if status(owned) != model.SyncRunning || status(fresh) != model.SyncRunning || status(cli) != model.SyncInterrupted {
		t.Fatalf("with the job running: owned %s, fresh CLI %s, old CLI %s", status(owned), status(fresh), status(cli))
	}
	// River rescued the job (retryable): its run belongs to a dead process.
	if err := db.Gorm.Exec("UPDATE river_job SET state = 'retryable' WHERE id = ?", jobID).Error; err != nil {
		t.Fatal(err)
	}
	if err := jobs.CloseDeadSyncRuns(ctx, st); err != nil {
		t.Fatal(err)
	}
	if status(owned) != model.SyncInterrupted || status(fresh) != model.SyncRunning {
		t.Fatalf("after the rescue: owned %s, fresh CLI %s", status(owned), status(fresh))
	}
	got, _ := st.FindSyncRun(ctx, owned.ID)
	if got.FinishedAt == nil || got.Status.Label() != "Interrompida" {
		t.Fatalf("closed run: %+v", got)
	}
}

// "Sincronizar agora" on a second and a third platform counts the jobs of its
// queue waiting ahead of its import: the first platform's import and stock
// push, then those of the first two.
func TestSyncNowCountsJobsAhead(t *testing.T) {
	db := testdb.MustOpen(t)
	st := store.New(db)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	client, err := jobs.New(db, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := &jobs.Queue{Client: client, Store: st}
	var want = []struct {
		state jobs.SyncState
		ahead int
	}{{jobs.SyncStarted, 0}, {jobs.SyncQueued, 2}, {jobs.SyncQueued, 4}}
	for i, w := range want {
		p := &model.Platform{Kind: "sandbox", Name: string(rune('A' + i)), SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 60, ImportFrom: "awaiting_payment"}
		if err := st.CreatePlatform(ctx, p); err != nil {
			t.Fatal(err)
		}
		out, err := q.QueueSync(ctx, p.ID)
		if err != nil || out.State != w.state || out.Ahead != w.ahead {
			t.Fatalf("platform %d: %+v %v, want %s with %d ahead", i, out, err, w.state, w.ahead)
		}
	}
}
