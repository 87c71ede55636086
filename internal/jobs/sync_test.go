package jobs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

func countJobs(t *testing.T, c *jobs.Client, kind string) int {
	t.Helper()
	res, err := c.River().JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

// A stock change queues a push per enabled platform in its own transaction:
// rolled back, no job; committed, one job per platform however many changes.
func TestStockPushJobsAreInsertedInTheChangeTransaction(t *testing.T) {
	db := testdb.MustOpen(t)
	st := store.New(db)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	client, err := jobs.New(db, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := &jobs.Queue{Client: client, Store: st}
	st = store.NewWith(db, store.Options{StockHook: q.StockChanged})
	for _, name := range []string{"A", "B"} {
		if err := st.CreatePlatform(ctx, &model.Platform{Kind: "sandbox", Name: name, SettingsSealed: "x", Enabled: true,
			ImportIntervalSeconds: 900, ImportFrom: "awaiting_payment"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreatePlatform(ctx, &model.Platform{Kind: "sandbox", Name: "Desligada", SettingsSealed: "x", Enabled: false,
		ImportIntervalSeconds: 900, ImportFrom: "awaiting_payment"}); err != nil {
		t.Fatal(err)
	}
	prod := &model.Product{SKU: "TX-1", Name: "Produto", Active: true}
	if err := st.CreateProduct(ctx, prod); err != nil {
		t.Fatal(err)
	}
	stk := stock.New(st)
	cd, err := stk.CD(ctx)
	if err != nil {
		t.Fatal(err)
	}

	boom := errors.New("desfeito")
	err = st.Tx(ctx, func(ctx context.Context) error {
		if _, err := stk.Adjust(ctx, prod.ID, cd.ID, 5, model.SourceManual, "m", "entrada"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if n := countJobs(t, client, jobs.PushStockArgs{}.Kind()); n != 0 {
		t.Fatalf("rolled-back change left %d push jobs", n)
	}

	for i := 0; i < 50; i++ {
		if _, err := stk.Adjust(ctx, prod.ID, cd.ID, 1, model.SourceManual, "m", "entrada"); err != nil {
			t.Fatal(err)
		}
	}
	if n := countJobs(t, client, jobs.PushStockArgs{}.Kind()); n != 2 {
		t.Fatalf("50 committed changes, 2 enabled platforms: %d push jobs, want 2", n)
	}
	tasks, err := client.Tasks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		if task.Kind == "push_stock" && (task.State != "available" || task.NextRun == nil) {
			t.Fatalf("push_stock task: %+v", task)
		}
	}
}
