package seed

import (
	"time"

	"github.com/connectparts/portal/internal/store"
)

// The demo tells a story that ends when it is seeded: the company set up
// three days ago, orders placed since yesterday morning, each PO raised just
// after its order was paid and moved along the flow hours later, and one
// billed yesterday still waiting for its shipment (late). Every step runs
// through the real services with the store's clock set to its moment in the
// story, so that every record (history, audit, movements) tells the same
// time.
const (
	demoSetupAge   = 72 * time.Hour // catalog, stock and price tables
	demoFirstOrder = 30 * time.Hour // the oldest sales order, before the seed
	demoLastOrder  = 3 * time.Hour  // the newest one
	demoImportLag  = 70 * time.Minute
)

// demoClock moves the store's clock to a moment of the story; it ticks on
// from there, so records made in one step keep their order.
type demoClock struct {
	st   *store.Store
	prev func() time.Time
}

func startDemoClock(st *store.Store) *demoClock { return &demoClock{st: st, prev: st.Clock()} }

// at sets the clock to t (never later than the real time).
func (c *demoClock) at(t time.Time) {
	offset := t.Sub(c.prev())
	if offset > 0 {
		offset = 0
	}
	prev := c.prev
	c.st.SetClock(func() time.Time { return prev().Add(offset) })
}

// stop gives the store its own clock back.
func (c *demoClock) stop() { c.st.SetClock(c.prev) }
