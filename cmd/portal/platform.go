package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/syncengine"
)

// settingFlags collects repeated --setting key=value flags.
type settingFlags map[string]string

func (s settingFlags) String() string { return "" }

func (s settingFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return fmt.Errorf("use --setting chave=valor (recebido %q)", v)
	}
	if _, dup := s[k]; dup {
		return fmt.Errorf("--setting %s informado mais de uma vez", k)
	}
	s[k] = val
	return nil
}

// platformAdd connects a sales platform. The settings (credentials) are
// validated by the platform's adapter and stored encrypted; they are never
// printed back.
func (c *cli) platformAdd(ctx context.Context, args []string) error {
	fs := flags("platform add")
	kind := fs.String("kind", "", "")
	name := fs.String("name", "", "")
	baseURL := fs.String("base-url", "", "")
	settings := settingFlags{}
	fs.Var(settings, "setting", "")
	backfillDays := fs.Int("backfill-days", syncengine.DefaultBackfillDays, "")
	if err := fs.Parse(args); err != nil {
		return usagef("platform add: %v", err)
	}
	if *kind == "" || *name == "" {
		return usagef("platform add: --kind e --name são obrigatórios")
	}
	switch *kind {
	case model.PlatformVTEX, model.PlatformMercadoLivre, model.PlatformSandbox:
	default:
		return usagef("platform add: tipo %q desconhecido (use vtex, mercadolivre ou sandbox)", *kind)
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.SyncEngine.AddPlatform(ctx, syncengine.NewPlatform{Kind: *kind, Name: *name, BaseURL: *baseURL, Settings: settings})
	if err != nil {
		return cliError("platform add", err)
	}
	fmt.Fprintf(c.stdout, "plataforma %s conectada (id %d, tipo %s, importa a partir de %s, pedido de compra em %s)\n", p.Name, p.ID, p.Kind, p.ImportFrom, p.POAt)
	c.afterPlatformAdd(ctx, a, p, *backfillDays)
	return nil
}

// carrierMap maps a platform's shipping method to a carrier.
func (c *cli) carrierMap(ctx context.Context, args []string) error {
	fs := flags("carrier map")
	name := fs.String("platform", "", "")
	method := fs.String("method", "", "")
	carrier := fs.String("carrier", "", "")
	if err := fs.Parse(args); err != nil {
		return usagef("carrier map: %v", err)
	}
	if *name == "" || *method == "" || *carrier == "" {
		return usagef("carrier map: --platform, --method e --carrier são obrigatórios")
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := a.SyncEngine.MapCarrier(ctx, *name, *method, *carrier)
	if err != nil {
		return cliError("carrier map", err)
	}
	fmt.Fprintf(c.stdout, "forma de envio %q de %s vinculada à transportadora %s\n", m.Method, *name, m.Carrier.Name)
	return nil
}

// syncRun runs one full cycle for the platform now (import orders, push
// stock, push pending statuses) and prints the summary; the command fails
// when any step failed.
func (c *cli) syncRun(ctx context.Context, args []string) error {
	fs := flags("sync")
	name := fs.String("platform", "", "")
	if err := fs.Parse(args); err != nil {
		return usagef("sync: %v", err)
	}
	if *name == "" {
		return usagef("sync: --platform é obrigatório")
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.Store.FindPlatformByName(ctx, *name)
	if err != nil {
		return cliError("sync", err)
	}
	cyc, runErr := a.SyncEngine.RunCycle(ctx, p.ID)
	rep := cyc.Import
	if rep.RunID == 0 && runErr != nil {
		return cliError("sync", runErr)
	}
	fmt.Fprintf(c.stdout, "plataforma: %s\n", rep.Platform)
	fmt.Fprintf(c.stdout, "pedidos importados: %d\n", rep.Imported)
	fmt.Fprintf(c.stdout, "pedidos atualizados: %d\n", rep.Updated)
	fmt.Fprintf(c.stdout, "pedidos bloqueados: %d\n", rep.Blocked)
	fmt.Fprintf(c.stdout, "sem alteração: %d\n", rep.Skipped)
	fmt.Fprintf(c.stdout, "estoques enviados: %d (sem alteração: %d, recusados: %d)\n", cyc.Stock.Pushed, cyc.Stock.Unchanged, cyc.Stock.Refused)
	fmt.Fprintf(c.stdout, "status enviados: %d\n", cyc.StatusesSent)
	fmt.Fprintf(c.stdout, "duração: %s\n", cyc.Duration.Round(1e6))
	if runErr != nil {
		fmt.Fprintf(c.stdout, "resultado: falhou (%s)\n", strings.Join(cyc.Errors, "; "))
		if rep.Error != "" {
			return fmt.Errorf("sync: a importação de %s falhou: %s", rep.Platform, rep.Error)
		}
		return fmt.Errorf("sync: o ciclo de %s falhou: %s", rep.Platform, strings.Join(cyc.Errors, "; "))
	}
	fmt.Fprintln(c.stdout, "resultado: ok")
	blocked, err := a.Store.ListBlockedOrders(ctx, p.ID, true)
	if err != nil {
		return cliError("sync", err)
	}
	for _, b := range blocked {
		fmt.Fprintf(c.stdout, "  bloqueado %s: %s — %s\n", b.ExternalID, b.Reason.Label(), b.Detail)
	}
	return nil
}
