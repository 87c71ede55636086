package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
)

const (
	encUTF8    = "UTF-8"
	encUTF8BOM = "UTF-8 com BOM"
	encUTF16   = "UTF-16"
	encCP1252  = "Windows-1252"
)

// errRecordTooLong is returned by recordLimiter to stop encoding/csv from
// buffering an endless record (a stray quote swallowing the file, a file
// without line breaks).
var errRecordTooLong = errors.New("tabular: record too long")

type csvSource struct {
	cr       *csv.Reader
	lim      *recordLimiter
	encoding string
	delim    rune
	embedded int // line breaks inside quoted fields of the records read so far
	nextLine int // spreadsheet line after the last record read
}

// openCSV detects the encoding (first pass over the whole input) and the
// delimiter, and prepares the streaming parser (second pass).
func openCSV(r io.ReaderAt, size int64, opts *Options) (*csvSource, error) {
	enc, skip, err := detectEncoding(r, size)
	if err != nil {
		return nil, err
	}
	var in io.Reader = io.NewSectionReader(r, skip, size-skip)
	switch enc {
	case encCP1252:
		in = transform.NewReader(in, charmap.Windows1252.NewDecoder())
	case encUTF8BOM:
		// The BOM says UTF-8: keep it, but never hand out invalid UTF-8.
		in = transform.NewReader(in, runes.ReplaceIllFormed())
	case encUTF16:
		in = transform.NewReader(in, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	}
	br := bufio.NewReaderSize(in, 64<<10)
	peek, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fileError("não foi possível ler o arquivo: %v", err)
	}
	delim, fields, complete := sniffDelimiterLines(peek, opts.HeaderSearchLines)
	if fields > opts.MaxColumns {
		if complete {
			return nil, fileError("o arquivo tem %d colunas; o máximo é %d", fields, opts.MaxColumns)
		}
		return nil, fileError("o arquivo tem mais de %d colunas (pelo menos %d na primeira linha)", opts.MaxColumns, fields)
	}
	// A record may hold every column at its maximum size (and then some, as
	// long cells are row problems, not fatal); beyond that it is garbage.
	maxRecord := max(int64(opts.MaxColumns)*int64(opts.MaxCellBytes)*4, 1<<20)
	lim := &recordLimiter{r: br, max: maxRecord}
	cr := csv.NewReader(lim)
	cr.Comma = delim
	cr.LazyQuotes = false
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvSource{cr: cr, lim: lim, encoding: enc, delim: delim, nextLine: 1}, nil
}

// detectEncoding reads the whole input once. A BOM decides; otherwise the
// input is UTF-8 when every byte sequence is valid UTF-8, else Windows-1252
// (a superset of the printable ISO-8859-1). NUL bytes mean binary data.
func detectEncoding(r io.ReaderAt, size int64) (enc string, skip int64, err error) {
	var bom [3]byte
	n, _ := r.ReadAt(bom[:], 0)
	switch {
	case n >= 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF):
		return encUTF16, 0, nil
	case n == 3 && bom == [3]byte{0xEF, 0xBB, 0xBF}:
		enc, skip = encUTF8BOM, 3
	default:
		enc = encUTF8
	}
	buf := make([]byte, 64<<10)
	carry := 0
	valid := true
	for off := skip; off < size; {
		n, err := r.ReadAt(buf[carry:min(len(buf), carry+int(size-off))], off)
		if n == 0 && err != nil {
			return "", 0, fileError("não foi possível ler o arquivo: %v", err)
		}
		if bytes.IndexByte(buf[carry:carry+n], 0) >= 0 {
			return "", 0, fileError("o arquivo não é uma planilha nem um texto CSV (contém bytes nulos); " + askFormat)
		}
		off += int64(n)
		chunk := buf[:carry+n]
		end := len(chunk)
		if off < size {
			end = completeRunes(chunk)
		}
		if valid && !utf8.Valid(chunk[:end]) {
			valid = false
		}
		carry = copy(buf, chunk[end:])
	}
	if !valid && enc == encUTF8 {
		enc = encCP1252
	}
	return enc, skip, nil
}

// completeRunes returns the length of the prefix of b that does not end in
// the middle of a UTF-8 sequence.
func completeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}

// sniffDelimiter looks at the first non-blank line of the decoded text and
// picks the most frequent of ';', tab and ',' outside quotes (in that order
// of preference on ties; ';' when none appears). It also reports how many
// non-empty fields that line has with the chosen delimiter, and whether the
// whole line was inside b.
func sniffDelimiter(b []byte) (delim rune, fields int, complete bool) {
	delim, fields, complete, _ = sniffLine(b)
	return delim, fields, complete
}

// sniffDelimiterLines looks at the first maxLines non-blank lines, since the
// header may come below a title line (an ERP's report heading): the line
// where a candidate delimiter appears most often decides, the earliest on
// ties, and fields and complete are that line's.
func sniffDelimiterLines(b []byte, maxLines int) (delim rune, fields int, complete bool) {
	delim, fields, complete, best := sniffLine(b)
	for n := 1; n < maxLines; n++ {
		end := lineEnd(b)
		if end < 0 {
			break
		}
		b = b[end+1:]
		if len(bytes.TrimSpace(firstLine(b))) == 0 {
			n-- // blank lines do not count
			if len(b) == 0 {
				break
			}
			continue
		}
		if d, f, c, count := sniffLine(b); count > best {
			delim, fields, complete, best = d, f, c, count
		}
	}
	return delim, fields, complete
}

// lineEnd is the index of the first line break outside quotes, or -1.
func lineEnd(b []byte) int {
	inQuotes := false
	for i, c := range b {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case c == '\n' && !inQuotes:
			return i
		}
	}
	return -1
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// sniffLine is sniffDelimiter, also returning how often the chosen
// delimiter occurs on the line.
func sniffLine(b []byte) (delim rune, fields int, complete bool, occurrences int) {
	// Skip blank lines.
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 || len(bytes.TrimSpace(b[:i])) > 0 {
			break
		}
		b = b[i+1:]
	}
	candidates := [...]byte{';', '\t', ','}
	var count [3]int
	var nonEmpty [3]int // non-empty fields so far, per candidate
	var seen [3]bool    // current field has content, per candidate
	inQuotes := false
	for _, c := range b {
		if c == '"' {
			inQuotes = !inQuotes
		}
		if !inQuotes && c == '\n' {
			complete = true
			break
		}
		for k, d := range candidates {
			switch {
			case !inQuotes && c == d:
				count[k]++
				if seen[k] {
					nonEmpty[k]++
				}
				seen[k] = false
			case c != ' ' && c != '\r' && c != '\t':
				seen[k] = true
			}
		}
	}
	if len(b) == 0 {
		complete = true
	}
	best := 0
	for k := range candidates {
		if count[k] > count[best] {
			best = k
		}
	}
	fields = nonEmpty[best]
	if seen[best] {
		fields++
	}
	return rune(candidates[best]), fields, complete, count[best]
}

func (c *csvSource) next() (rawRow, error) {
	c.lim.n = 0
	rec, err := c.cr.Read()
	if err == nil {
		start, _ := c.cr.FieldPos(0)
		line := start - c.embedded
		for _, f := range rec {
			c.embedded += strings.Count(f, "\n")
		}
		c.nextLine = line + 1
		return rawRow{line: line, cells: rec}, nil
	}
	if err == io.EOF {
		return rawRow{}, io.EOF
	}
	if errors.Is(err, errRecordTooLong) {
		return rawRow{}, &Error{Line: c.nextLine, Message: fmt.Sprintf(
			"registro com mais de %d KiB a partir desta linha; verifique se há aspas (\") abertas e não fechadas", c.lim.max>>10)}
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return rawRow{}, fileError("não foi possível ler o arquivo: %v", err)
	}
	line := pe.StartLine - c.embedded
	if pe.Err == csv.ErrQuote && pe.Line > pe.StartLine {
		return rawRow{}, &Error{Line: line, Message: "aspas (\") abertas e não fechadas; o restante do arquivo não pôde ser lido. " +
			"Um valor entre aspas deve terminar com aspas, e aspas dentro dele devem ser duplicadas (\"\")"}
	}
	c.embedded += pe.Line - pe.StartLine
	c.nextLine = line + 1
	msg := "aspas (\") fora de lugar; um valor entre aspas deve terminar com aspas antes do separador, e aspas dentro dele devem ser duplicadas (\"\")"
	if pe.Err == csv.ErrBareQuote {
		msg = "aspas (\") dentro de um valor que não está entre aspas (ex.: 3/4\"); o valor deve vir entre aspas e com as aspas internas duplicadas, como \"3/4\"\"\""
	}
	return rawRow{line: line, problem: &Error{Line: line, Message: msg}}, nil
}

func (c *csvSource) close() error { return nil }

// recordLimiter caps the bytes encoding/csv may consume for one record
// (approximately: csv reads ahead by up to 4 KiB).
type recordLimiter struct {
	r      io.Reader
	n, max int64
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	if l.n >= l.max {
		return 0, errRecordTooLong
	}
	if rem := l.max - l.n; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}
