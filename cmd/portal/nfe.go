package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/connectparts/portal/internal/nfe"
)

// nfeCheck validates NF-e XML files ("-" reads standard input) and prints one
// JSON report per file, per CONTRACT.md. It needs no database. The error,
// when some file is not a valid NF-e 4.00, makes the exit status 1.
func (c *cli) nfeCheck(args []string) error {
	if len(args) == 0 {
		return usagef("nfe check: informe um ou mais arquivos XML")
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	invalid := 0
	for _, name := range args {
		rep := c.nfeReport(name)
		if !rep.Valid {
			invalid++
		}
		if err := enc.Encode(rep); err != nil {
			return err
		}
	}
	if invalid > 0 {
		return fmt.Errorf("nfe check: %d de %d arquivo(s) não é NF-e 4.00 válida", invalid, len(args))
	}
	return nil
}

// nfeReport checks one file; a file that cannot be opened is a report with a
// read_error problem, like any other invalid file.
func (c *cli) nfeReport(name string) nfe.Report {
	var r io.Reader = c.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			msg := fmt.Sprintf("não foi possível abrir o arquivo: %v", err)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				msg = "arquivo não encontrado"
			case errors.Is(err, fs.ErrPermission):
				msg = "sem permissão para ler o arquivo"
			}
			return nfe.NewReport(name, nil, []nfe.Problem{{Code: nfe.CodeReadError, Message: msg}})
		}
		defer f.Close()
		r = f
	}
	doc, problems := nfe.Check(r, nfe.Options{})
	return nfe.NewReport(name, doc, problems)
}
