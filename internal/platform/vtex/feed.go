package vtex

import (
	"context"
	"net/http"
	"strconv"

	"github.com/connectparts/portal/internal/platform"
)

// feedEvent is one item of GET /api/orders/feed (Getfeedorderstatus schema).
type feedEvent struct {
	EventID       string `json:"eventId"`
	Handle        string `json:"handle"`
	Domain        string `json:"domain"`
	State         string `json:"state"`
	LastState     string `json:"lastState"`
	OrderID       string `json:"orderId"`
	LastChange    string `json:"lastChange"`
	CurrentChange string `json:"currentChange"`
}

// Changes reads the orders feed v3: up to MaxLots reads of MaxLot events each,
// stopping at the first short read. Events are merged by orderId: the Change
// keeps the newest state (by currentChange) and every handle, so that Ack
// commits them all. Events without an orderId are committed at once (there is
// nothing to process and the feed would re-deliver them forever). cursor is
// ignored and the returned Batch.Cursor is always "": the queue lives at VTEX.
//
// Read events stay invisible for the feed's visibility timeout
// (FeedVisibilityTimeout in the configuration this adapter creates); if they
// are not committed by then VTEX delivers them again, which the engine must
// tolerate anyway. A read that fails after earlier lots were read does not
// drop those: the batch read so far is returned (More set, so the engine reads
// again at once and meets the failure there), so the engine applies and
// commits them instead of leaving them invisible for the timeout.
func (c *Client) Changes(ctx context.Context, _ string) (platform.Batch, error) {
	var b platform.Batch
	index := map[string]int{}
	seen := map[string]bool{}
	var orphans []string
	configured := false
	for lot := 0; lot < c.cfg.MaxLots; lot++ {
		resp, err := c.request(ctx, "read_feed", http.MethodGet,
			"/api/orders/feed?maxlot="+strconv.Itoa(c.cfg.MaxLot), nil, false)
		if err == nil && (resp.Status != http.StatusNotFound || configured) {
			err = c.call.Check("read_feed", resp)
		}
		if err != nil {
			if lot > 0 && len(seen) > 0 && ctx.Err() == nil {
				b.More = true
				break
			}
			return platform.Batch{}, err
		}
		// "This API will return 404 Not Found if there is no Feed
		// Configuration available for the given X-VTEX-API-AppKey."
		if resp.Status == http.StatusNotFound && !configured {
			configured = true
			if err := c.ConfigureFeed(ctx); err != nil {
				return platform.Batch{}, err
			}
			lot--
			continue
		}
		var events []feedEvent
		if err := c.call.Decode("read_feed", resp, &events); err != nil {
			return platform.Batch{}, err
		}
		for _, ev := range events {
			if ev.Handle == "" || seen[ev.Handle] {
				continue
			}
			seen[ev.Handle] = true
			if ev.OrderID == "" {
				orphans = append(orphans, ev.Handle)
				continue
			}
			at := platform.ParseTime(ev.CurrentChange)
			i, ok := index[ev.OrderID]
			if !ok {
				index[ev.OrderID] = len(b.Changes)
				b.Changes = append(b.Changes, platform.Change{
					ExternalID: ev.OrderID, ChannelStatus: ev.State, ChangedAt: at,
					AckTokens: []string{ev.Handle},
				})
				continue
			}
			ch := &b.Changes[i]
			ch.AckTokens = append(ch.AckTokens, ev.Handle)
			if !at.Before(ch.ChangedAt) {
				ch.ChannelStatus, ch.ChangedAt = ev.State, at
			}
		}
		if len(events) < c.cfg.MaxLot {
			break
		}
		b.More = lot == c.cfg.MaxLots-1
	}
	if len(orphans) > 0 {
		if err := c.commit(ctx, orphans); err != nil {
			return platform.Batch{}, err
		}
	}
	return b, nil
}

// Ack commits every handle of the changes (POST /api/orders/feed), in chunks.
func (c *Client) Ack(ctx context.Context, changes []platform.Change) error {
	var handles []string
	for _, ch := range changes {
		handles = append(handles, ch.AckTokens...)
	}
	return c.commit(ctx, handles)
}

func (c *Client) commit(ctx context.Context, handles []string) error {
	for len(handles) > 0 {
		n := min(len(handles), commitChunkSize)
		resp, err := c.request(ctx, "commit_feed", http.MethodPost, "/api/orders/feed",
			map[string][]string{"handles": handles[:n]}, false)
		if err != nil {
			return err
		}
		if err := c.call.Check("commit_feed", resp); err != nil {
			return err
		}
		handles = handles[n:]
	}
	return nil
}

// FeedVisibilityTimeout is how long a read feed event stays invisible to the
// next read when it is not committed. The PO must reach the supplier within 3
// minutes of payment (DOMAIN.md): an event left uncommitted by a run that
// failed half-way must come back well inside that, with room for the retry
// run — 60 s leaves two minutes. It must also exceed what a healthy run takes
// between reading an event and committing it (at most 100 events, each one Get
// order under a 6,000/min bucket, seconds in all), or events would be handed
// out twice while being processed (harmless, the engine is idempotent, but
// wasted calls). The Orders API documents no minimum or maximum for the field
// (its example is 250; VTEX's guide suggests nothing either).
const FeedVisibilityTimeout = 60

// feedRetention is how long an uncommitted event is kept: 4 days (the
// documented maximum is 1,209,600 s).
const feedRetention = 345600

// ConfigureFeed creates (or replaces) the feed configuration of this app key:
// FromWorkflow with FeedStatuses, FeedVisibilityTimeout, 4 days retention.
// Changes calls it by itself when the feed answers 404.
func (c *Client) ConfigureFeed(ctx context.Context) error {
	body := map[string]any{
		"filter": map[string]any{"type": "FromWorkflow", "status": FeedStatuses},
		"queue": map[string]any{
			"visibilityTimeoutInSeconds":      FeedVisibilityTimeout,
			"MessageRetentionPeriodInSeconds": feedRetention,
		},
	}
	resp, err := c.request(ctx, "configure_feed", http.MethodPost, "/api/orders/feed/config", body, false)
	if err != nil {
		return err
	}
	return c.call.Check("configure_feed", resp)
}
