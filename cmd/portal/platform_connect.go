package main

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// afterPlatformAdd does what connecting a platform asks beyond storing it:
// register the VTEX orders hook when PORTAL_BASE_URL says where the portal is
// reachable, and import the orders already paid or ready of the last
// backfillDays days (0: none). The platform stays connected whatever happens;
// failures are printed, and the page's buttons do both again.
func (c *cli) afterPlatformAdd(ctx context.Context, a *app.App, p *model.Platform, backfillDays int) {
	if p.Kind == model.PlatformVTEX && a.Config.BaseURL != "" {
		if _, err := a.SyncEngine.RegisterHook(ctx, p.ID, a.Config.BaseURL); err != nil {
			fmt.Fprintf(c.stdout, "notificações não registradas: %s\n", apperr.Message(err))
		} else {
			fmt.Fprintf(c.stdout, "notificações de pedidos registradas\n")
		}
	}
	if backfillDays <= 0 || p.Kind == model.PlatformSandbox {
		return
	}
	rep, err := a.SyncEngine.Backfill(ctx, p.ID, backfillDays)
	if err != nil {
		fmt.Fprintf(c.stdout, "pedidos anteriores não importados: %s\n", apperr.Message(err))
		return
	}
	fmt.Fprintf(c.stdout, "pedidos pagos dos últimos %d dias: %d na plataforma, %d importados, %d bloqueados, %d já no portal\n",
		backfillDays, rep.Listed, rep.Imported, rep.Blocked, rep.Skipped)
}
