package main

import (
	"context"
	"fmt"
)

// filesMigrate moves the documents kept under PORTAL_DATA_DIR (before they
// were shared by every instance) into the document store: the database, or
// PORTAL_BLOB_URL. Safe to interrupt and run again; the files are left in place.
func (c *cli) filesMigrate(ctx context.Context, args []string) error {
	if len(args) != 0 {
		return usagef("use: portal files migrate")
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Docs.MigrateLegacy(ctx, a.Store)
	fmt.Fprintf(c.stdout, "documentos: %d movidos, %d já no armazenamento, %d ausentes em %s, %d com sha256 divergente\n",
		rep.Moved, rep.Already, rep.Missing, c.cfg.DataDir, rep.Mismatch)
	if err != nil {
		return cliError("files migrate", err)
	}
	if rep.Moved > 0 {
		fmt.Fprintf(c.stdout, "os arquivos continuam em %s: apague-os depois de conferir os downloads\n", c.cfg.DataDir)
	}
	if rep.Missing > 0 || rep.Mismatch > 0 {
		return fmt.Errorf("files migrate: %d documento(s) não puderam ser movidos", rep.Missing+rep.Mismatch)
	}
	return nil
}
