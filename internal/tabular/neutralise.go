package tabular

import (
	"errors"
	"io"
)

// WriteNeutralised copies a CSV file, or the first worksheet of an XLSX
// file, to w as a CSV (UTF-8 with BOM, ";") whose every text cell went
// through SafeCell: a supplier's "=HYPERLINK(…)" arrives as text, never as a
// formula a spreadsheet would run when staff open the download. Cells are
// copied as they are otherwise, every row and column, blank ones included.
func WriteNeutralised(r io.ReaderAt, size int64, w io.Writer) error {
	opts := Options{}.withDefaults()
	format, err := Sniff(r, size)
	if err != nil {
		return err
	}
	var src source
	switch format {
	case FormatCSV:
		src, err = openCSV(r, size, &opts)
	case FormatXLSX:
		zr, sheets, zerr := openXLSXZip(r, size, &opts)
		if zerr != nil {
			return zerr
		}
		if len(sheets) == 0 {
			return fileError("a planilha .xlsx não tem nenhuma aba visível")
		}
		src, err = openXLSX(r, size, &opts, zr, sheets[0])
	default:
		return fileError("formato de arquivo desconhecido")
	}
	if err != nil {
		return err
	}
	defer src.close()
	cw := NewCSVWriter(w)
	for {
		raw, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if raw.problem != nil {
			// An unparsable CSV record is kept, as one neutralised cell, so
			// nothing of the original is silently dropped.
			if err := cw.Write([]string{"[linha ilegível: " + raw.problem.Message + "]"}); err != nil {
				return err
			}
			continue
		}
		if err := cw.Write(raw.cells); err != nil {
			return err
		}
	}
	if !cw.started { // an empty file still gets its BOM
		cw.started = true
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	return cw.Flush()
}
