package vtex

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/connectparts/portal/internal/platform"
)

var _ platform.Backfiller = (*Client)(nil)

// backfillStatuses are the List orders f_status values of orders paid and not
// yet in handling. The definition lists one status per filter value (it does
// not document a list), so each status is its own query.
var backfillStatuses = []string{"payment-approved", "ready-for-handling"}

// listPageSize and listMaxPages are List orders' documented limits: "up to 100
// orders per page" and "the limit of information retrieval is 30 pages".
const (
	listPageSize = 100
	listMaxPages = 30
)

// BackfillOrders lists the orders paid or ready for handling created since
// since: GET /api/oms/pvt/orders with f_status and f_creationDate
// (creationDate:[from TO to], UTC timestamps), page by page. VTEX documents
// that the list only holds orders indexed (about four minutes after a change)
// and is not meant for integrations: it is used once, on connect, and the feed
// and hook bring the rest.
func (c *Client) BackfillOrders(ctx context.Context, since time.Time) ([]string, error) {
	const op = "list_orders"
	const layout = "2006-01-02T15:04:05.000Z"
	rng := "creationDate:[" + since.UTC().Format(layout) + " TO " + c.cfg.Clock.Now().UTC().Format(layout) + "]"
	seen := map[string]bool{}
	var ids []string
	for _, status := range backfillStatuses {
		for page := 1; page <= listMaxPages; page++ {
			q := url.Values{}
			q.Set("f_status", status)
			q.Set("f_creationDate", rng)
			q.Set("page", strconv.Itoa(page))
			q.Set("per_page", strconv.Itoa(listPageSize))
			q.Set("orderBy", "creationDate,asc")
			resp, err := c.request(ctx, op, http.MethodGet, "/api/oms/pvt/orders?"+q.Encode(), nil, false)
			if err != nil {
				return nil, err
			}
			if err := c.call.Check(op, resp); err != nil {
				return nil, err
			}
			var body struct {
				List []struct {
					OrderID string `json:"orderId"`
				} `json:"list"`
				Paging struct {
					Pages int `json:"pages"`
				} `json:"paging"`
			}
			if err := c.call.Decode(op, resp, &body); err != nil {
				return nil, err
			}
			for _, o := range body.List {
				if o.OrderID != "" && !seen[o.OrderID] {
					seen[o.OrderID] = true
					ids = append(ids, o.OrderID)
				}
			}
			if page >= body.Paging.Pages || len(body.List) == 0 {
				break
			}
		}
	}
	return ids, nil
}
