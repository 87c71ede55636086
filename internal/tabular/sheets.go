package tabular

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// openSheet opens the XLSX worksheet to read: the one Options.Sheet names,
// or else the first visible worksheet whose header is found (a workbook's
// first tab is often a cover or instructions). Without any, the error is the
// first worksheet's.
func (r *Reader) openSheet(ra io.ReaderAt, size int64, names map[string]int) error {
	zr, sheets, err := openXLSXZip(ra, size, &r.opts)
	if err != nil {
		return err
	}
	for _, sh := range sheets {
		r.sheets = append(r.sheets, sh.name)
	}
	candidates := sheets
	if want := strings.TrimSpace(r.opts.Sheet); want != "" {
		candidates = nil
		for _, sh := range sheets {
			if strings.EqualFold(strings.TrimSpace(sh.name), want) {
				candidates = []sheetRef{sh}
				break
			}
		}
		if candidates == nil {
			return fileError("a planilha não tem a aba %q; abas: %s", want, quoteList(r.sheets))
		}
	}
	var firstErr error
	for _, sh := range candidates {
		src, err := openXLSX(ra, size, &r.opts, zr, sh)
		if err == nil {
			r.src = src
			err = r.readHeader(names)
			if err == nil {
				r.sheet = sh.name
				return nil
			}
			src.close()
			r.src, r.ignored = nil, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	var te *Error
	if len(candidates) > 1 && errors.As(firstErr, &te) {
		c := *te
		c.Message += fmt.Sprintf(" (nenhuma das abas %s tem um cabeçalho reconhecível; escolha a aba)", quoteList(r.sheets))
		return &c
	}
	return firstErr
}

// Sheet is the name of the XLSX worksheet being read ("" for CSV).
func (r *Reader) Sheet() string { return r.sheet }

// Sheets lists the visible worksheets of an XLSX file, in tab order (nil for CSV).
func (r *Reader) Sheets() []string { return r.sheets }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
