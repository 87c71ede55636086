package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Defaults applied by NewReader to zero Options fields.
const (
	DefaultMaxColumns    = 100
	DefaultMaxRows       = 500_000
	DefaultMaxCellBytes  = 1 << 10
	DefaultMaxUnzipBytes = 256 << 20
)

// Options configure a Reader. Zero values mean the defaults above.
type Options struct {
	// Columns the caller wants; other columns in the file are ignored.
	Columns []Column
	// MaxColumns is the maximum number of header columns (trailing empty
	// header cells are not counted).
	MaxColumns int
	// MaxRows is the maximum number of non-blank data rows; Next returns an
	// *Error when the file has more.
	MaxRows int
	// MaxCellBytes is the maximum length of a value in a wanted column; a
	// longer value becomes a row problem.
	MaxCellBytes int
	// MaxUnzipBytes limits the total uncompressed size of an XLSX file
	// (zip bomb defence). Worksheets and shared strings bigger than 16 MiB
	// are spooled by excelize to the temporary directory.
	MaxUnzipBytes int64
	// HeaderSearchLines is how many lines from the top may hold the header:
	// the first line among them that names every required column is the
	// header, and the non-blank lines above it are Ignored. Default
	// DefaultHeaderSearchLines.
	HeaderSearchLines int
	// Sheet names the XLSX worksheet to read; "" reads the first visible
	// worksheet whose header is found. Ignored for CSV.
	Sheet string
}

func (o Options) withDefaults() Options {
	if o.MaxColumns <= 0 {
		o.MaxColumns = DefaultMaxColumns
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxCellBytes <= 0 {
		o.MaxCellBytes = DefaultMaxCellBytes
	}
	if o.MaxUnzipBytes <= 0 {
		o.MaxUnzipBytes = DefaultMaxUnzipBytes
	}
	if o.HeaderSearchLines <= 0 {
		o.HeaderSearchLines = DefaultHeaderSearchLines
	}
	return o
}

// rawRow is what a format-specific source yields: every cell of one record.
type rawRow struct {
	line    int
	cells   []string // may be reused by the source on the next call
	flags   []byte   // XLSX only, per cell: flagNumber, flagFormula
	problem *Error   // CSV record that could not be parsed; cells are nil
}

const (
	flagNumber  = 1 << iota // XLSX cell stored as a number
	flagFormula             // XLSX cell holding a formula
)

type source interface {
	next() (rawRow, error) // io.EOF at the end; other errors are fatal *Error
	close() error
}

// Reader streams the data rows of a CSV or XLSX file, mapped to the wanted
// columns by header name.
type Reader struct {
	format Format
	src    source
	opts   Options
	s      *schema
	rows   int
	err    error // sticky fatal error
	closer io.Closer
	enc    string
	delim  rune

	headerLine int
	ignored    []Ignored
	held       []Row // summary-looking rows, kept until it is known whether data follows
	heldText   []Ignored
	queue      []Row // held rows handed out as data after all
	sheet      string
	sheets     []string
}

// NewReader detects the format (Sniff), the encoding and delimiter (CSV),
// reads the header (the first non-blank line) and maps it to opts.Columns.
// Problems with the file are returned as *Error. The Reader must be closed.
//
// r is read twice for CSV (encoding detection, then parsing) and must not
// change meanwhile; *os.File, multipart.File and *bytes.Reader all work.
func NewReader(r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	names, err := buildNames(opts.Columns)
	if err != nil {
		return nil, err
	}
	format, err := Sniff(r, size)
	if err != nil {
		return nil, err
	}
	rd := &Reader{format: format, opts: opts}
	switch format {
	case FormatCSV:
		cs, err := openCSV(r, size, &opts)
		if err != nil {
			return nil, err
		}
		rd.src, rd.enc, rd.delim = cs, cs.encoding, cs.delim
	case FormatXLSX:
		if err := rd.openSheet(r, size, names); err != nil {
			return nil, err
		}
		return rd, nil
	}
	if err := rd.readHeader(names); err != nil {
		rd.src.close()
		return nil, err
	}
	return rd, nil
}

// OpenFile opens the named file and calls NewReader; closing the Reader
// closes the file.
func OpenFile(name string, opts Options) (*Reader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	rd, err := NewReader(f, st.Size(), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	rd.closer = f
	return rd, nil
}

// readHeader finds the header: the first non-blank line, within the first
// HeaderSearchLines lines, that maps every required column. The non-blank
// lines above it are Ignored. When no line qualifies, the error is the
// first non-blank line's, as when the header had to be the first line.
func (r *Reader) readHeader(names map[string]int) error {
	var firstErr error
	var above []Ignored
	for {
		raw, err := r.src.next()
		if err == io.EOF {
			if firstErr != nil {
				return firstErr
			}
			return fileError("o arquivo está vazio (nenhum cabeçalho encontrado)")
		}
		if err != nil {
			return err
		}
		if raw.problem == nil && blank(raw.cells) {
			if raw.line >= r.opts.HeaderSearchLines && firstErr != nil {
				return firstErr
			}
			continue
		}
		var s *schema
		if raw.problem != nil {
			err = &Error{Line: raw.line, Message: "cabeçalho inválido: " + raw.problem.Message}
		} else {
			s, err = mapHeader(raw.cells, raw.line, &r.opts, names, r.format)
		}
		if err == nil {
			r.s, r.headerLine, r.ignored = s, raw.line, above
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if raw.line >= r.opts.HeaderSearchLines {
			return firstErr
		}
		above = append(above, Ignored{Line: raw.line, Text: lineText(raw.cells), Reason: ReasonAboveHeader})
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Format reports the detected format.
func (r *Reader) Format() Format { return r.format }

// Encoding reports the detected text encoding of a CSV file: "UTF-8",
// "UTF-8 com BOM", "UTF-16" or "Windows-1252"; "" for XLSX.
func (r *Reader) Encoding() string { return r.enc }

// Delimiter reports the detected CSV delimiter (';', ',' or '\t'); 0 for XLSX.
func (r *Reader) Delimiter() rune { return r.delim }

// Label returns the header text, as written in the file, of the column
// mapped to key, or "" when the column is absent.
func (r *Reader) Label(key string) string {
	if i, ok := r.s.index[key]; ok {
		return r.s.labels[i]
	}
	return ""
}

// Has reports whether the column for key is present in the file.
func (r *Reader) Has(key string) bool {
	i, ok := r.s.index[key]
	return ok && r.s.col[i] >= 0
}

// Next returns the next non-blank data row, or io.EOF after the last one.
// Any other error is a fatal *Error (the file cannot be read further) and is
// returned again by later calls. Problems that concern only one row are in
// Row.Problems, and the caller should reject such rows.
//
// Summary-looking lines (looksLikeSummary) are held back: when only such
// lines and blank lines follow the data, they are Ignored, with the reason;
// when data follows them, they are returned as data after all.
func (r *Reader) Next() (Row, error) {
	if len(r.queue) > 0 {
		row := r.queue[0]
		r.queue = r.queue[1:]
		return row, nil
	}
	if r.err != nil {
		return Row{}, r.err
	}
	for {
		raw, err := r.src.next()
		if err == io.EOF && len(r.held) > 0 {
			r.ignored = append(r.ignored, r.heldText...)
			r.held, r.heldText = nil, nil
		}
		if err != nil {
			r.err = err
			return Row{}, err
		}
		if raw.problem == nil && blank(raw.cells) {
			continue
		}
		if err := r.countRow(); err != nil {
			return Row{}, err
		}
		var row Row
		if raw.problem != nil {
			row = Row{Line: raw.line, Problems: []*Error{raw.problem}, s: r.s}
		} else {
			row = r.makeRow(raw)
			if r.looksLikeSummary(raw.cells) && len(r.held) < maxHeldSummary {
				r.held = append(r.held, row)
				r.heldText = append(r.heldText, Ignored{Line: raw.line, Text: lineText(raw.cells), Reason: ReasonSummary})
				continue
			}
		}
		if len(r.held) > 0 {
			r.queue = append(append(r.queue, r.held[1:]...), row)
			row = r.held[0]
			r.held, r.heldText = nil, nil
		}
		return row, nil
	}
}

// maxHeldSummary bounds the summary lines held back at once; beyond it,
// they are data.
const maxHeldSummary = 20

func (r *Reader) countRow() error {
	r.rows++
	if r.rows > r.opts.MaxRows {
		r.err = fileError("o arquivo tem mais de %d linhas de dados; divida-o em arquivos menores", r.opts.MaxRows)
		return r.err
	}
	return nil
}

func (r *Reader) makeRow(raw rawRow) Row {
	s := r.s
	row := Row{Line: raw.line, Fields: len(raw.cells), values: make([]string, len(s.keys)), s: s}
	if raw.flags != nil {
		row.number = make([]bool, len(s.keys))
	}
	for i, c := range s.col {
		if c < 0 {
			continue
		}
		if c < len(raw.cells) {
			v := raw.cells[c]
			if len(v) > r.opts.MaxCellBytes {
				row.Problems = append(row.Problems, &Error{Line: raw.line, Column: s.labels[i],
					Message: fmt.Sprintf("valor longo demais (%d bytes; o máximo é %d)", len(v), r.opts.MaxCellBytes)})
			}
			row.values[i] = strings.TrimSpace(v)
		}
		if c < len(raw.flags) {
			f := raw.flags[c]
			row.number[i] = f&flagNumber != 0
			if f&flagFormula != 0 {
				row.Problems = append(row.Problems, &Error{Line: raw.line, Column: s.labels[i],
					Message: fmt.Sprintf("a célula %s%d contém fórmula; envie apenas valores", columnLetters(c), raw.line)})
			}
		}
	}
	return row
}

// Close releases the resources of the Reader (temporary files of excelize,
// the file opened by OpenFile).
func (r *Reader) Close() error {
	err := r.src.close()
	if r.closer != nil {
		err = errors.Join(err, r.closer.Close())
		r.closer = nil
	}
	return err
}

// Row is one data row, holding the values of the wanted columns.
type Row struct {
	// Line is the row number as seen in a spreadsheet program (header = 1).
	Line int
	// Fields is the number of fields of the CSV record, or the position of
	// the last non-empty cell of the XLSX row.
	Fields int
	// Problems found in this row (cell too long, formula, broken quotes);
	// a row with problems should be rejected. The values of a row whose CSV
	// record could not be parsed are all empty.
	Problems []*Error

	values []string
	number []bool
	s      *schema
}

// Get returns the trimmed value of the column key ("" when the column or the
// cell is absent). XLSX cells stored as numbers come as raw text with "." as
// decimal point ("12.5"): prefer Centavos/Quantity, which know the cell type.
func (r Row) Get(key string) string {
	if r.s == nil {
		return ""
	}
	if i, ok := r.s.index[key]; ok && i < len(r.values) {
		return r.values[i]
	}
	return ""
}

// IsNumber reports whether the XLSX cell of column key is stored as a number
// (always false for CSV).
func (r Row) IsNumber(key string) bool {
	if r.s == nil || r.number == nil {
		return false
	}
	i, ok := r.s.index[key]
	return ok && r.number[i]
}

// Centavos parses the money value of column key: ParseCentavosNumber for XLSX
// numeric cells, ParseCentavos otherwise. Errors are *Error with the line and
// the column label; errors.Is still matches ErrEmpty, ErrInvalid, etc.
func (r Row) Centavos(key string) (int64, error) {
	parse := ParseCentavos
	if r.IsNumber(key) {
		parse = ParseCentavosNumber
	}
	v, err := parse(r.Get(key))
	return v, r.wrap(key, err)
}

// Quantity parses the integer quantity of column key, like Centavos.
func (r Row) Quantity(key string) (int64, error) {
	parse := ParseQuantity
	if r.IsNumber(key) {
		parse = ParseQuantityNumber
	}
	v, err := parse(r.Get(key))
	return v, r.wrap(key, err)
}

func (r Row) wrap(key string, err error) error {
	if err == nil {
		return nil
	}
	col := key
	if r.s != nil {
		if i, ok := r.s.index[key]; ok && r.s.labels[i] != "" {
			col = r.s.labels[i]
		}
	}
	return &Error{Line: r.Line, Column: col, Message: err.Error(), cause: err}
}

// RaggedError returns a row problem when the CSV record has a different
// number of fields than the header, or when an XLSX row has values to the
// right of the last header column; nil otherwise.
func (r Row) RaggedError() *Error {
	if r.s == nil || r.Fields == 0 {
		return nil
	}
	if r.Fields == r.s.width || (r.s.format == FormatXLSX && r.Fields < r.s.width) {
		return nil
	}
	if r.s.format == FormatXLSX {
		return &Error{Line: r.Line, Message: fmt.Sprintf(
			"há valores na coluna %s, à direita da última coluna do cabeçalho (%s)", columnLetters(r.Fields-1), columnLetters(r.s.width-1))}
	}
	return &Error{Line: r.Line, Message: fmt.Sprintf(
		"a linha tem %d colunas, mas o cabeçalho tem %d; verifique separadores e aspas", r.Fields, r.s.width)}
}

// columnLetters converts a 0-based column index to spreadsheet letters.
func columnLetters(c int) string {
	var b [8]byte
	i := len(b)
	for c++; c > 0; c = (c - 1) / 26 {
		i--
		b[i] = byte('A' + (c-1)%26)
	}
	return string(b[i:])
}
