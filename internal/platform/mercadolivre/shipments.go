package mercadolivre

import (
	"context"

	"github.com/connectparts/portal/internal/platform"
)

var _ platform.ShipmentWatcher = (*Client)(nil)

// ShipmentStates implements platform.ShipmentWatcher: GET /shipments/{id}
// (x-format-new) for each id, state as channelStatus writes it. A shipment
// that answers 404 is left out; any other failure stops and is returned
// with the states read so far.
func (c *Client) ShipmentStates(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		sh, err := c.fetchShipment(ctx, id)
		if platform.KindOf(err) == platform.ErrNotFound {
			continue
		}
		if err != nil {
			return out, err
		}
		s := sh.Status
		if sh.Substatus != "" {
			s += ":" + sh.Substatus
		}
		out[id] = s
	}
	return out, nil
}
