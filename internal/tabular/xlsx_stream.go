package tabular

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
)

// xlsxStream writes an XLSX export straight to its writer as the rows come:
// the package's fixed parts first, then the sheet's XML row by row inside a
// zip entry (archive/zip streams an entry's data and writes its sizes
// after it), every cell an inline string. The first bytes leave with the
// first rows and nothing but the current row is held, so a million-row
// export starts at once and keeps no temporary file (excelize's
// StreamWriter spilled the sheet to a file and wrote the whole package only
// at Close: the download started when the last row was read).
type xlsxStream struct {
	zw    *zip.Writer
	sheet *bufio.Writer
	row   int
	ref   []byte
}

// The package's fixed parts: one workbook with one sheet named "Planilha1".
var xlsxParts = []struct{ name, body string }{
	{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`</Types>`},
	{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{"xl/workbook.xml", xml.Header + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="Planilha1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`</Relationships>`},
}

func newXLSXStream(w io.Writer) (*xlsxStream, error) {
	zw := zip.NewWriter(w)
	for _, p := range xlsxParts {
		f, err := zw.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return nil, err
		}
	}
	f, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	s := &xlsxStream{zw: zw, sheet: bufio.NewWriterSize(f, 32<<10)}
	_, err = s.sheet.WriteString(xml.Header + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	return s, err
}

// Write adds one row; formula starters are neutralised as in the CSV.
func (s *xlsxStream) Write(record []string) error {
	s.row++
	r := strconv.Itoa(s.row)
	s.sheet.WriteString(`<row r="` + r + `">`)
	for i, v := range record {
		if !plainNumber(v) {
			v = SafeCell(v)
		}
		if v == "" {
			continue
		}
		s.ref = appendColumn(s.ref[:0], i)
		s.sheet.WriteString(`<c r="`)
		s.sheet.Write(s.ref)
		s.sheet.WriteString(r + `" t="inlineStr"><is><t xml:space="preserve">`)
		if err := xml.EscapeText(s.sheet, []byte(v)); err != nil {
			return err
		}
		s.sheet.WriteString(`</t></is></c>`)
	}
	_, err := s.sheet.WriteString(`</row>`)
	return err
}

// Close ends the sheet and the package.
func (s *xlsxStream) Close() error {
	if _, err := s.sheet.WriteString(`</sheetData></worksheet>`); err != nil {
		return err
	}
	if err := s.sheet.Flush(); err != nil {
		return err
	}
	return s.zw.Close()
}

// appendColumn appends the spreadsheet name of the zero-based column i (A,
// …, Z, AA, …).
func appendColumn(b []byte, i int) []byte {
	if i >= 26 {
		b = appendColumn(b, i/26-1)
	}
	return append(b, byte('A'+i%26))
}
