package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// The scheduler's slice of waiting status pushes: each order once, those
// waiting longest first, only pending actions, at most the limit.
func TestPendingStatusPushOrders(t *testing.T) {
	st := store.New(testdb.MustOpen(t))
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	plat := &model.Platform{Kind: model.PlatformSandbox, Name: "Loja", SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
	if err := st.CreatePlatform(ctx, plat); err != nil {
		t.Fatal(err)
	}
	var orders []int64
	for i := range 4 {
		o := &model.SalesOrder{PlatformID: plat.ID, ExternalID: fmt.Sprint("EXT-", i), Number: fmt.Sprint("N-", i),
			Status: model.SOReadyForHandling, PlacedAt: time.Now()}
		if err := st.CreateSalesOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o.ID)
	}
	queue := func(order int64, action model.StatusAction) {
		if _, err := st.QueueStatusPush(ctx, order, plat.ID, action, 0, "test"); err != nil {
			t.Fatal(err)
		}
	}
	// Oldest first: order 2, then 0 (two actions, listed once), then 3; order
	// 1's only action is done.
	queue(orders[2], model.ActionStartHandling)
	queue(orders[0], model.ActionStartHandling)
	queue(orders[0], model.ActionInvoice)
	queue(orders[1], model.ActionStartHandling)
	queue(orders[3], model.ActionStartHandling)
	pending, err := st.PendingStatusPushes(ctx, plat.ID, orders[1])
	if err != nil || len(pending) != 1 {
		t.Fatalf("order 1's push: %v %v", pending, err)
	}
	if err := st.FinishStatusPush(ctx, pending[0].ID, model.PushDone, "", ""); err != nil {
		t.Fatal(err)
	}
	got, err := st.PendingStatusPushOrders(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{orders[2], orders[0], orders[3]}; !slices.Equal(got, want) {
		t.Fatalf("pending orders %v, want %v", got, want)
	}
	if got, _ := st.PendingStatusPushOrders(ctx, 2); !slices.Equal(got, []int64{orders[2], orders[0]}) {
		t.Fatalf("limited to 2: %v", got)
	}
}
