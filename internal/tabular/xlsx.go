package tabular

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxXLSXColumns is the number of columns of an Excel worksheet (XFD).
const maxXLSXColumns = 16384

type xlsxSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	side   *sheetScanner
	rowNum int
}

// sheetRef is a visible worksheet: its tab name and its path in the zip.
type sheetRef struct{ name, path string }

// openXLSXZip checks the zip (size limits) and lists its visible worksheets
// in tab order.
func openXLSXZip(r io.ReaderAt, size int64, opts *Options) (*zip.Reader, []sheetRef, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, fileError("a planilha .xlsx está corrompida ou incompleta")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(opts.MaxUnzipBytes) {
		return nil, nil, fileError("a planilha .xlsx é grande demais depois de descompactada (mais de %d MB); divida-a em arquivos menores", opts.MaxUnzipBytes>>20)
	}
	sheets, err := worksheets(zr)
	if err != nil {
		return nil, nil, err
	}
	return zr, sheets, nil
}

func openXLSX(r io.ReaderAt, size int64, opts *Options, zr *zip.Reader, sheet sheetRef) (*xlsxSource, error) {
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		RawCellValue:      true, // numbers as stored ("12.5"), not as formatted
		UnzipSizeLimit:    opts.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(opts.MaxUnzipBytes, 16<<20),
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, fileError("não foi possível abrir a planilha .xlsx (arquivo corrompido ou protegido)")
	}
	rows, err := f.Rows(sheet.name)
	if err != nil {
		f.Close()
		return nil, fileError("não foi possível ler a aba %q da planilha", sheet.name)
	}
	side, err := openSheetScanner(zr, sheet.path, opts.MaxUnzipBytes)
	if err != nil {
		rows.Close()
		f.Close()
		return nil, err
	}
	return &xlsxSource{f: f, rows: rows, side: side}, nil
}

func (x *xlsxSource) next() (rawRow, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return rawRow{}, &Error{Line: x.rowNum + 1, Message: "a planilha está corrompida a partir desta linha"}
		}
		return rawRow{}, io.EOF
	}
	x.rowNum++
	cells, err := x.rows.Columns()
	if err != nil {
		return rawRow{}, &Error{Line: x.rowNum, Message: "a planilha está corrompida nesta linha"}
	}
	flags, err := x.side.flagsFor(x.rowNum)
	if err != nil {
		return rawRow{}, &Error{Line: x.rowNum, Message: "a planilha está corrompida nesta linha"}
	}
	return rawRow{line: x.rowNum, cells: cells, flags: flags}, nil
}

func (x *xlsxSource) close() error {
	return errors.Join(x.rows.Close(), x.side.close(), x.f.Close())
}

// worksheets returns the name and zip path of the visible worksheets, in
// the order of the workbook's tabs.
func worksheets(zr *zip.Reader) ([]sheetRef, error) {
	corrupt := fileError("a planilha .xlsx está corrompida (lista de abas ilegível)")
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			State string     `xml:"state,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodeZipXML(zr, "xl/workbook.xml", &wb) != nil || decodeZipXML(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return nil, corrupt
	}
	var out []sheetRef
	for _, s := range wb.Sheets {
		if s.State == "hidden" || s.State == "veryHidden" {
			continue
		}
		var rid string
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				rid = a.Value
			}
		}
		for _, rel := range rels.Rels {
			if rel.ID != rid || !strings.HasSuffix(rel.Type, "/worksheet") {
				continue
			}
			target := strings.ReplaceAll(rel.Target, "\\", "/")
			if strings.HasPrefix(target, "/") {
				target = strings.TrimPrefix(target, "/")
			} else {
				target = path.Join("xl", target)
			}
			out = append(out, sheetRef{s.Name, target})
			break
		}
	}
	if len(out) == 0 {
		return nil, fileError("a planilha .xlsx não tem nenhuma aba visível com dados")
	}
	return out, nil
}

func findZip(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
			return f
		}
	}
	return nil
}

func decodeZipXML(zr *zip.Reader, name string, v any) error {
	f := findZip(zr, name)
	if f == nil {
		return errors.New("missing " + name)
	}
	if f.UncompressedSize64 > 16<<20 {
		return errors.New("too big " + name)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v)
}

// sheetScanner reads the worksheet XML alongside excelize's row iterator to
// learn what excelize's Rows does not expose: which cells are stored as
// numbers and which hold formulas. It keeps one row in memory.
//
// It is a minimal tag scanner rather than encoding/xml: the worksheet is
// well-formed XML already parsed by excelize, only three elements matter
// (row, c, f) and two attributes (r, t), and encoding/xml's tokenizer cost
// as much as excelize's whole row iterator. Comments, CDATA, processing
// instructions and namespace prefixes are handled; a DOCTYPE is refused.
type sheetScanner struct {
	rc    io.ReadCloser
	br    *bufio.Reader
	buf   []byte
	row   int // row number whose cells are in flags, 0 when none
	last  int // last row number seen
	flags []byte
	eof   bool
}

var errSheetXML = errors.New("tabular: malformed worksheet XML")

const maxTagBytes = 64 << 10

func openSheetScanner(zr *zip.Reader, name string, limit int64) (*sheetScanner, error) {
	f := findZip(zr, name)
	if f == nil {
		return nil, fileError("a planilha .xlsx está corrompida (aba %s ausente)", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fileError("a planilha .xlsx está corrompida")
	}
	return &sheetScanner{rc: rc, br: bufio.NewReaderSize(io.LimitReader(rc, limit), 32<<10)}, nil
}

func (s *sheetScanner) close() error { return s.rc.Close() }

// flagsFor returns the cell flags of row n (nil when the row has no cells).
// Rows must be requested in increasing order.
func (s *sheetScanner) flagsFor(n int) ([]byte, error) {
	for s.row < n && !s.eof {
		if err := s.readRow(); err != nil {
			return nil, err
		}
	}
	if s.row == n {
		return s.flags, nil
	}
	return nil, nil
}

// readRow advances to the next <row> element and records its cells.
func (s *sheetScanner) readRow() error {
	for {
		end, self, name, attrs, err := s.nextTag()
		if err != nil {
			// excelize still has rows, so </sheetData> must come first.
			return noEOF(err)
		}
		switch {
		case !end && string(name) == "row":
			return s.parseRow(attrs, self)
		case end && string(name) == "sheetData":
			s.eof = true
			return nil
		}
	}
}

func (s *sheetScanner) parseRow(rowAttrs []byte, self bool) error {
	// Numbering as excelize does: the r attribute, else previous + 1.
	n := s.last + 1
	if v := xmlAttr(rowAttrs, "r"); len(v) > 0 {
		if r, err := strconv.Atoi(string(v)); err == nil && r > 0 {
			n = r
		}
	}
	s.last, s.row = n, n
	s.flags = s.flags[:0]
	if self {
		return nil
	}
	col, cur := 0, -1
	for {
		end, self, name, attrs, err := s.nextTag()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch {
		case !end && string(name) == "c":
			col++
			if ref := xmlAttr(attrs, "r"); len(ref) > 0 {
				if c := refColumn(ref); c > 0 {
					col = c
				}
			}
			cur = -1
			if col > maxXLSXColumns {
				continue
			}
			for len(s.flags) < col {
				s.flags = append(s.flags, 0)
			}
			if ty := xmlAttr(attrs, "t"); len(ty) == 0 || string(ty) == "n" {
				s.flags[col-1] = flagNumber
			}
			if !self {
				cur = col - 1
			}
		case !end && string(name) == "f":
			if cur >= 0 {
				s.flags[cur] |= flagFormula
			}
		case end && string(name) == "c":
			cur = -1
		case end && string(name) == "row":
			return nil
		}
	}
}

// nextTag skips text and returns the next element tag: whether it is an end
// tag, whether it is self-closing, its local name and its raw attributes.
// The slices are valid until the next call.
func (s *sheetScanner) nextTag() (end, self bool, name, attrs []byte, err error) {
	for {
		// Skip text up to the next '<'.
		for {
			_, err = s.br.ReadSlice('<')
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil {
			return
		}
		var c byte
		if c, err = s.br.ReadByte(); err != nil {
			return false, false, nil, nil, noEOF(err)
		}
		switch c {
		case '?':
			if err = s.skipPast("?>"); err != nil {
				return
			}
			continue
		case '!':
			var p []byte
			if p, err = s.br.Peek(2); err != nil {
				return false, false, nil, nil, noEOF(err)
			}
			switch {
			case string(p) == "--":
				err = s.skipPast("-->")
			case string(p) == "[C":
				err = s.skipPast("]]>")
			default: // DOCTYPE: never in a worksheet, refuse entity tricks
				err = errSheetXML
			}
			if err != nil {
				return
			}
			continue
		case '/':
			end = true
		default:
			if err = s.br.UnreadByte(); err != nil {
				return
			}
		}
		// Read the tag up to '>' outside quoted attribute values.
		s.buf = s.buf[:0]
		var quote byte
		for {
			if c, err = s.br.ReadByte(); err != nil {
				return false, false, nil, nil, noEOF(err)
			}
			if quote != 0 {
				if c == quote {
					quote = 0
				}
			} else if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				break
			}
			if s.buf = append(s.buf, c); len(s.buf) > maxTagBytes {
				return false, false, nil, nil, errSheetXML
			}
		}
		tag := s.buf
		if n := len(tag); n > 0 && tag[n-1] == '/' {
			self, tag = true, tag[:n-1]
		}
		i := 0
		for i < len(tag) && !isXMLSpace(tag[i]) {
			i++
		}
		name, attrs = tag[:i], tag[i:]
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:] // namespace prefix
		}
		return end, self, name, attrs, nil
	}
}

// skipPast discards input up to and including term.
func (s *sheetScanner) skipPast(term string) error {
	matched := 0
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return noEOF(err)
		}
		switch {
		case c == term[matched]:
			matched++
			if matched == len(term) {
				return nil
			}
		case c == term[0]:
			matched = 1
		default:
			matched = 0
		}
	}
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlAttr returns the value of the attribute with the given local name in
// raw attribute text such as ` r="A1" s='2' x:t="n"`.
func xmlAttr(attrs []byte, local string) []byte {
	for len(attrs) > 0 {
		for len(attrs) > 0 && isXMLSpace(attrs[0]) {
			attrs = attrs[1:]
		}
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return nil
		}
		name := bytes.TrimRight(attrs[:eq], " \t\r\n")
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		rest := bytes.TrimLeft(attrs[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil
		}
		q := rest[0]
		closing := bytes.IndexByte(rest[1:], q)
		if closing < 0 {
			return nil
		}
		if string(name) == local {
			return rest[1 : 1+closing]
		}
		attrs = rest[2+closing:]
	}
	return nil
}

// refColumn returns the 1-based column of a cell reference such as "C5".
func refColumn(ref []byte) int {
	c := 0
	for _, ch := range ref {
		ch |= 0x20 // lower case
		if ch < 'a' || ch > 'z' {
			break
		}
		c = c*26 + int(ch-'a'+1)
		if c > maxXLSXColumns {
			return maxXLSXColumns + 1
		}
	}
	return c
}
