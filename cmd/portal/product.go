package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/connectparts/portal/internal/apperr"
)

// productImport upserts the catalog from a CSV or XLSX file and prints the
// report. The import is all or nothing (internal/catalog): with any rejected
// line nothing is applied, every problem is printed with its line number and
// the command fails.
func (c *cli) productImport(ctx context.Context, args []string) error {
	if len(args) != 1 || args[0] == "" {
		return usagef("use: portal product import ARQUIVO (CSV ou XLSX)")
	}
	name := args[0]
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("product import: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("product import: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("product import: %s é uma pasta, não um arquivo", name)
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Catalog.ImportFile(ctx, f, st.Size(), filepath.Base(name))
	if err != nil {
		if apperr.Code(err) == apperr.EINVALID {
			fmt.Fprintf(c.stdout, "arquivo: %s\naplicadas: 0\n", filepath.Base(name))
		}
		return cliError("product import", err)
	}
	fmt.Fprintf(c.stdout, "arquivo: %s (%s)\n", rep.Source, rep.Format)
	fmt.Fprintf(c.stdout, "linhas lidas: %d\n", rep.Rows)
	if rep.Sheet != "" {
		fmt.Fprintf(c.stdout, "aba: %s\n", rep.Sheet)
	}
	for _, ig := range rep.Ignored {
		fmt.Fprintf(c.stdout, "  linha %d ignorada (%s): %s\n", ig.Line, ig.Reason, ig.Text)
	}
	if rep.OK() {
		fmt.Fprintf(c.stdout, "aplicadas: %d (novos: %d, atualizados: %d, sem alteração: %d)\n", rep.Applied, rep.Created, rep.Updated, rep.Unchanged)
		fmt.Fprintln(c.stdout, "rejeitadas: 0")
		return nil
	}
	fmt.Fprintln(c.stdout, "aplicadas: 0")
	fmt.Fprintf(c.stdout, "rejeitadas: %d (nenhuma linha foi aplicada: o catálogo só é atualizado quando todas as linhas estão corretas)\n", rep.Rejected)
	for _, p := range rep.Problems {
		fmt.Fprintf(c.stdout, "  linha %d: %s\n", p.Line, p.Message)
	}
	if rep.Omitted > 0 {
		fmt.Fprintf(c.stdout, "  … e mais %d problema(s) não listado(s)\n", rep.Omitted)
	}
	return fmt.Errorf("product import: %d linha(s) rejeitada(s); nada foi aplicado", rep.Rejected)
}
