package syncengine

import (
	"context"
	"strings"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// watchShipments re-reads, once per import run, the open orders whose
// shipment the platform runs and whose shipment moved since the order was
// last applied (platform.ShipmentWatcher: Mercado Livre reports a drop-off
// on the shipment, not on the order). done lists orders this run already
// applied. Nothing happens for adapters without the interface.
func (s *Service) watchShipments(ctx context.Context, ad platform.Adapter, p *model.Platform, done map[string]bool, c *counts) error {
	w, ok := ad.(platform.ShipmentWatcher)
	if !ok {
		return nil
	}
	open, err := s.store.OpenPlatformShipments(ctx, p.ID)
	if err != nil || len(open) == 0 {
		return err
	}
	ids := make([]string, 0, len(open))
	for _, so := range open {
		if !done[so.ExternalID] {
			ids = append(ids, so.ShipmentID)
		}
	}
	states, err := w.ShipmentStates(ctx, ids)
	for _, so := range open {
		st, ok := states[so.ShipmentID]
		if !ok || done[so.ExternalID] || strings.HasSuffix(so.ChannelStatus, " / "+st) {
			continue
		}
		if aerr := s.fetchAndApply(ctx, ad, p, so.ExternalID, c); aerr != nil {
			return aerr
		}
		done[so.ExternalID] = true
	}
	return err
}
