package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// SafeCell neutralises CSV/formula injection in a text cell that will be
// opened by a spreadsheet program: a value starting with '=', '+', '-', '@',
// tab or carriage return is prefixed with an apostrophe, so it is shown as
// text instead of being evaluated. Other values are returned unchanged.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is a number as this package writes them
// ("-12", "1234,56", "12.5"): such cells cannot start a formula and are
// written without SafeCell's apostrophe, so negative numbers stay numbers.
func plainNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits, sep := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case (c == ',' || c == '.') && !sep && digits > 0 && i+1 < len(s):
			sep = true
		default:
			return false
		}
	}
	return digits > 0
}

// FormatCentavos formats centavos as Excel in Brazil expects a number in a
// CSV file: no thousands separator, comma as decimal separator ("1234,56",
// "-0,05").
func FormatCentavos(c int64) string {
	neg := c < 0
	u := uint64(c)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u/100, 10) + "," + string(rune('0'+u%100/10)) + string(rune('0'+u%10))
	if neg {
		s = "-" + s
	}
	return s
}

// CSVWriter writes CSV files that Excel in Brazil opens correctly on double
// click: UTF-8 with BOM, ";" as delimiter, CRLF line endings. Every cell goes
// through SafeCell, except plain numbers such as "-12,30".
type CSVWriter struct {
	out     io.Writer
	w       *csv.Writer
	started bool
	buf     []string
}

// NewCSVWriter returns a CSVWriter writing to w. The BOM is written with the
// first record. Call Flush at the end.
func NewCSVWriter(w io.Writer) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	return &CSVWriter{out: w, w: cw}
}

// Write writes one record.
func (w *CSVWriter) Write(record []string) error {
	if !w.started {
		w.started = true
		if _, err := io.WriteString(w.out, "\uFEFF"); err != nil {
			return err
		}
	}
	w.buf = w.buf[:0]
	for _, v := range record {
		if !plainNumber(v) {
			v = SafeCell(v)
		}
		w.buf = append(w.buf, v)
	}
	return w.w.Write(w.buf)
}

// Flush writes buffered data to the underlying writer and reports any error
// that happened while writing.
func (w *CSVWriter) Flush() error {
	w.w.Flush()
	return w.w.Error()
}

// ExportFormat reads a list's format= parameter: "csv" or "xlsx" (any
// case); ok false for anything else (the page is rendered).
func ExportFormat(v string) (Format, bool) {
	switch v {
	case "csv", "CSV":
		return FormatCSV, true
	case "xlsx", "XLSX":
		return FormatXLSX, true
	}
	return 0, false
}

// Ext is the file name extension of an export format.
func (f Format) Ext() string {
	if f == FormatXLSX {
		return "xlsx"
	}
	return "csv"
}

// RowWriter writes an exported list row by row; Close finishes the file.
// Both formats neutralise formula injection the same way (SafeCell).
type RowWriter interface {
	Write(record []string) error
	Close() error
}

// Close flushes the CSV writer (RowWriter).
func (w *CSVWriter) Close() error { return w.Flush() }

// NewRowWriter returns the writer of format (FormatCSV or FormatXLSX) on w.
func NewRowWriter(w io.Writer, format Format) (RowWriter, error) {
	switch format {
	case FormatCSV:
		return NewCSVWriter(w), nil
	case FormatXLSX:
		return newXLSXStream(w)
	}
	return nil, fmt.Errorf("tabular: unknown export format %d", format)
}

// ContentType is the MIME type of an export format.
func ContentType(format Format) string {
	if format == FormatXLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}
