package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
)

// seedScale runs `portal seed --scale N`; with cpuProfile, the seed's CPU
// profile (pprof) is written to that file.
func (c *cli) seedScale(ctx context.Context, o seed.ScaleOptions, cpuProfile string) error {
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	began := time.Now()
	o.Progress = func(n int) {
		fmt.Fprintf(c.stdout, "  %s pedidos… (%s)\n", format.Int(int64(n)), seconds(time.Since(began)))
	}
	o.Step = func(step string) {
		fmt.Fprintf(c.stdout, "%s… (%s)\n", scaleStepLabel(step), seconds(time.Since(began)))
	}
	res, err := seed.Scale(ctx, seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, Orders: a.SyncEngine}, o)
	if err != nil {
		return err
	}
	if res.Already {
		fmt.Fprintln(c.stdout, "A carga de escala já foi aplicada a este banco: nada mudou.")
		return nil
	}
	fmt.Fprintf(c.stdout, "Carga de escala pronta: %d pedidos de venda, %d pedidos de compra, %d linhas em %s.\n",
		res.Orders, res.POs, res.Rows, res.Took.Round(1e8))
	writeScaleTimings(c.stdout, res)
	fmt.Fprintf(c.stdout, "Usuários: admin@escala.example, compras@, fiscal@, logistica@, consulta@ e fornecedor01@escala.example…; senha %q.\n", seed.ScalePassword)
	return nil
}

// scaleStepLabel names a step of the scale seed for the person running it.
func scaleStepLabel(step string) string {
	switch step {
	case seed.ScaleStepReference:
		return "Dados de referência (usuários, fornecedores, plataforma)"
	case store.BulkStepRows:
		return "Gerando e gravando as linhas"
	case store.BulkStepIndexes:
		return "Recriando os índices"
	case store.BulkStepForeignKeys:
		return "Recriando e verificando as chaves estrangeiras"
	case store.BulkStepKeyCheck:
		return "Verificando as chaves estrangeiras"
	case store.BulkStepTriggers:
		return "Religando os gatilhos"
	case store.BulkStepSequences:
		return "Ajustando as sequências de ids"
	case store.BulkStepCommit:
		return "Confirmando a transação"
	case seed.ScaleStepAnalyze:
		return "Atualizando as estatísticas (ANALYZE)"
	}
	return step
}

// writeScaleTimings prints where the seed's time went: per step, then per
// table (rows, time writing them, time rebuilding their indexes).
func writeScaleTimings(w io.Writer, res *seed.ScaleResult) {
	if res.Load == nil {
		return
	}
	fmt.Fprintln(w, "Tempo por etapa:")
	line := func(label string, d time.Duration, extra string) {
		fmt.Fprintf(w, "  %-48s %9s%s\n", label, seconds(d), extra)
	}
	line(scaleStepLabel(seed.ScaleStepReference), res.Reference, "")
	seen := map[string]bool{}
	for _, p := range res.Load.Phases {
		if seen[p.Step] {
			continue
		}
		seen[p.Step] = true
		extra := ""
		if p.Step == store.BulkStepRows {
			extra = fmt.Sprintf("  (esperando o banco: %s)", seconds(res.Load.Waited))
		}
		line(scaleStepLabel(p.Step), res.Load.Step(p.Step), extra)
	}
	line(scaleStepLabel(seed.ScaleStepAnalyze), res.Analyze, "")
	rate := float64(res.Rows) / res.Took.Seconds()
	line("Total", res.Took, fmt.Sprintf("  (%s linhas/s)", format.Int(int64(rate))))
	fmt.Fprintln(w, "Por tabela (linhas, gravação, índices):")
	index := map[string]time.Duration{}
	for _, p := range res.Load.Phases {
		if p.Step == store.BulkStepIndexes {
			index[p.Table] += p.Took
		}
	}
	for _, t := range res.Load.Tables {
		fmt.Fprintf(w, "  %-24s %12s %9s %9s\n", t.Name, format.Int(t.Rows), seconds(t.Write), seconds(index[t.Name]))
	}
}

// seconds writes a duration in seconds the Brazilian way: "12,3 s".
func seconds(d time.Duration) string {
	return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', 1, 64), ".", ",", 1) + " s"
}
