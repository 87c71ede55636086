package mercadolivre

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// BackfillOrders lists the ids of the seller's orders created since `since`
// that are paid (order.status=paid, the status Mercado Livre keeps for paid
// orders whatever their shipment does), for the import of the orders already
// paid when the platform is connected. Orders search by creation date
// (gestiona-ventas: order.date_created.from / .to, sort=date_asc), 50 per
// page, every page. The engine fetches each order with GetOrder before
// trusting it.
func (c *Client) BackfillOrders(ctx context.Context, since time.Time) ([]string, error) {
	const op = "backfill_orders"
	to := c.cfg.Clock.Now().UTC()
	var ids []string
	seen := map[string]bool{}
	for offset := 0; ; {
		q := url.Values{
			"seller":                  {c.cfg.SellerID},
			"order.status":            {"paid"},
			"order.date_created.from": {mlTime(since)},
			"order.date_created.to":   {mlTime(to)},
			"sort":                    {"date_asc"},
			"offset":                  {strconv.Itoa(offset)},
			"limit":                   {strconv.Itoa(c.cfg.PageSize)},
		}
		resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: "/orders/search?" + q.Encode()})
		if err != nil {
			return nil, err
		}
		if err := c.call.Check(op, resp); err != nil {
			return nil, err
		}
		var page searchResponse
		if err := c.call.Decode(op, resp, &page); err != nil {
			return nil, err
		}
		for _, o := range page.Results {
			if id := string(o.ID); id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		offset += len(page.Results)
		if len(page.Results) == 0 || offset >= page.Paging.Total {
			return ids, nil
		}
	}
}
