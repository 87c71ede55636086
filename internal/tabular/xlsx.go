package tabular

import (
	"archive/zip"
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

func openXLSX(r io.ReaderAt, size int64, opts *Options) (*xlsxSource, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fileError("a planilha .xlsx está corrompida ou incompleta")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(opts.MaxUnzipBytes) {
		return nil, fileError("a planilha .xlsx é grande demais depois de descompactada (mais de %d MB); divida-a em arquivos menores", opts.MaxUnzipBytes>>20)
	}
	sheet, sheetPath, err := firstWorksheet(zr)
	if err != nil {
		return nil, err
	}
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
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fileError("não foi possível ler a aba %q da planilha", sheet)
	}
	side, err := openSheetScanner(zr, sheetPath, opts.MaxUnzipBytes)
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

// firstWorksheet returns the name and zip path of the first visible
// worksheet, in the order of the workbook's tabs.
func firstWorksheet(zr *zip.Reader) (name, sheetPath string, err error) {
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
		return "", "", corrupt
	}
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
			return s.Name, target, nil
		}
	}
	return "", "", fileError("a planilha .xlsx não tem nenhuma aba visível com dados")
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
type sheetScanner struct {
	rc    io.ReadCloser
	dec   *xml.Decoder
	row   int // row number whose cells are in flags, 0 when none
	last  int // last row number seen
	flags []byte
	eof   bool
}

func openSheetScanner(zr *zip.Reader, name string, limit int64) (*sheetScanner, error) {
	f := findZip(zr, name)
	if f == nil {
		return nil, fileError("a planilha .xlsx está corrompida (aba %s ausente)", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fileError("a planilha .xlsx está corrompida")
	}
	dec := xml.NewDecoder(io.LimitReader(rc, limit))
	return &sheetScanner{rc: rc, dec: dec}, nil
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
		tok, err := s.dec.RawToken()
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				return s.parseRow(t)
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				s.eof = true
				return nil
			}
		}
	}
}

func (s *sheetScanner) parseRow(start xml.StartElement) error {
	// Numbering as excelize does: the r attribute, else previous + 1.
	n := s.last + 1
	if v := attr(start, "r"); v != "" {
		if r, err := strconv.Atoi(v); err == nil && r > 0 {
			n = r
		}
	}
	s.last, s.row = n, n
	s.flags = s.flags[:0]
	col, cur := 0, -1
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				col++
				if ref := attr(t, "r"); ref != "" {
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
				cur = col - 1
				if ty := attr(t, "t"); ty == "" || ty == "n" {
					s.flags[cur] = flagNumber
				}
			case "f":
				if cur >= 0 {
					s.flags[cur] |= flagFormula
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "c":
				cur = -1
			case "row":
				return nil
			}
		}
	}
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// refColumn returns the 1-based column of a cell reference such as "C5".
func refColumn(ref string) int {
	c := 0
	for i := 0; i < len(ref); i++ {
		ch := ref[i] | 0x20 // lower case
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
