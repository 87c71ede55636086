package tabular

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
)

// Format is the container format of an input file.
type Format int

const (
	FormatCSV  Format = iota + 1 // delimited text
	FormatXLSX                   // Office Open XML workbook
)

func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "CSV"
	case FormatXLSX:
		return "XLSX"
	}
	return "desconhecido"
}

const sniffLen = 8 << 10

const askFormat = "envie a planilha em .xlsx ou .csv"

// Sniff decides the format by content, never by file name: a ZIP archive
// holding xl/workbook.xml is XLSX, text is CSV. Anything else (empty file,
// PDF, executables, images, other archives, old .xls, HTML disguised as .xls,
// binary data) is an *Error whose message tells the user what to send.
func Sniff(r io.ReaderAt, size int64) (Format, error) {
	if size <= 0 {
		return 0, fileError("o arquivo está vazio")
	}
	head := make([]byte, min(size, sniffLen))
	n, err := r.ReadAt(head, 0)
	if n < len(head) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return 0, fileError("não foi possível ler o arquivo: %v", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return sniffZip(r, size)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return 0, fileError("o arquivo está no formato antigo .xls (Excel 97-2003) ou é uma planilha protegida por senha; abra no Excel e use \"Salvar como\" .xlsx (sem senha) ou CSV")
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return 0, fileError("o arquivo é um PDF, não uma planilha; " + askFormat)
	case bytes.HasPrefix(head, []byte("\x7FELF")),
		bytes.HasPrefix(head, []byte("MZ")) && bytes.IndexByte(head, 0) >= 0:
		return 0, fileError("o arquivo é um programa executável, não uma planilha; " + askFormat)
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")),
		bytes.HasPrefix(head, []byte("GIF8")), bytes.HasPrefix(head, []byte("BM")) && bytes.IndexByte(head, 0) >= 0,
		bytes.HasPrefix(head, []byte("RIFF")) && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return 0, fileError("o arquivo é uma imagem, não uma planilha; " + askFormat)
	case bytes.HasPrefix(head, []byte("\x1F\x8B")), bytes.HasPrefix(head, []byte("Rar!")),
		bytes.HasPrefix(head, []byte("7z\xBC\xAF\x27\x1C")):
		return 0, fileError("o arquivo é um arquivo compactado, não uma planilha; " + askFormat)
	}

	// Text. Strip a BOM to look at the content.
	text := head
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		if size == 2 {
			return 0, fileError("o arquivo está vazio")
		}
		return FormatCSV, nil // UTF-16 with BOM ("Texto Unicode" of Excel)
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		text = head[3:]
	}
	if int64(len(head)) == size && len(bytes.TrimSpace(text)) == 0 {
		return 0, fileError("o arquivo está vazio")
	}
	lower := strings.ToLower(string(bytes.TrimSpace(text[:min(len(text), 512)])))
	switch {
	case strings.HasPrefix(lower, "<!doctype html"), strings.HasPrefix(lower, "<html"),
		strings.HasPrefix(lower, "<table"):
		return 0, fileError("o arquivo é uma página HTML (algumas exportações \".xls\" são HTML); abra no Excel e use \"Salvar como\" .xlsx ou CSV")
	case strings.HasPrefix(lower, "<?xml") && strings.Contains(lower, "urn:schemas-microsoft-com:office:spreadsheet"),
		strings.HasPrefix(lower, "<?xml") && strings.Contains(lower, "<workbook"):
		return 0, fileError("o arquivo é uma planilha XML do Excel 2003; abra no Excel e use \"Salvar como\" .xlsx ou CSV")
	}
	if isBinary(text) {
		return 0, fileError("o arquivo não é uma planilha nem um texto CSV (conteúdo binário); " + askFormat)
	}
	return FormatCSV, nil
}

// isBinary reports whether b holds NUL bytes or too many control
// characters to be text.
func isBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1A {
			ctl++
		}
	}
	return ctl > 0 && ctl*100 >= len(b) // 1% or more
}

func sniffZip(r io.ReaderAt, size int64) (Format, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return 0, fileError("o arquivo parece ser um ZIP, mas está corrompido ou incompleto; " + askFormat)
	}
	var mimetype *zip.File
	for _, f := range zr.File {
		switch strings.ReplaceAll(f.Name, "\\", "/") {
		case "xl/workbook.xml":
			return FormatXLSX, nil
		case "mimetype":
			mimetype = f
		}
	}
	if mimetype != nil && mimetype.UncompressedSize64 < 256 {
		if rc, err := mimetype.Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 256))
			rc.Close()
			if strings.Contains(string(b), "opendocument.spreadsheet") {
				return 0, fileError("o arquivo é uma planilha do LibreOffice (.ods); use \"Salvar como\" .xlsx ou CSV")
			}
		}
	}
	return 0, fileError("o arquivo é um ZIP, mas não é uma planilha .xlsx; " + askFormat)
}
