package platform

import (
	"context"
	"time"
)

// Backfiller is an adapter that can list the orders already paid or ready
// for handling on the platform, so that connecting a platform imports those
// the portal does not have (the feed and the notifications only bring
// changes from now on).
type Backfiller interface {
	// BackfillOrders returns the external ids of the orders paid or ready
	// (for handling) created since since, in no particular order.
	BackfillOrders(ctx context.Context, since time.Time) ([]string, error)
}
