package tabular_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/tabular"
)

// xlsxBytes builds a workbook; fill receives the first sheet's name.
func xlsxBytes(t testing.TB, fill func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f, "Sheet1")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

func priceWorkbook(t testing.TB) []byte {
	return xlsxBytes(t, func(f *excelize.File, sh string) {
		set(t, f, sh, "A1", "Código")
		set(t, f, sh, "B1", "Descrição")
		set(t, f, sh, "C1", "Preço")
		set(t, f, sh, "A2", "A1")
		set(t, f, sh, "B2", "Peça Ç")
		set(t, f, sh, "C2", 12.5) // number
		set(t, f, sh, "A3", 7891234567895)
		set(t, f, sh, "B3", "Texto")
		set(t, f, sh, "C3", "1.234,56") // text typed by a person
		// row 4 left empty
		set(t, f, sh, "A5", "A5")
		set(t, f, sh, "C5", 0.3) // patched below to what Excel writes for =0.1+0.2
		set(t, f, sh, "A6", "A6")
		set(t, f, sh, "C6", 1.234) // a number with 3 decimals: not 1234!
	})
}

// excelArtefacts makes the workbook hold the float artefacts Excel writes
// (excelize itself rounds to 15 digits).
func excelArtefacts(t testing.TB, b []byte) []byte {
	return patchZip(t, b, "xl/worksheets/sheet1.xml", "<v>0.3</v>", "<v>0.30000000000000004</v>")
}

// patchZip rewrites one entry of a zip archive, replacing old by new once.
func patchZip(t testing.TB, b []byte, name, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			if !bytes.Contains(data, []byte(old)) {
				t.Fatalf("%s does not contain %q", name, old)
			}
			data, found = bytes.Replace(data, []byte(old), []byte(new), 1), true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil || !found {
		t.Fatalf("patchZip %s: %v found=%v", name, err, found)
	}
	return out.Bytes()
}

func TestXLSX(t *testing.T) {
	for _, name := range []string{"precos.xlsx", "renomeado.csv", "sem_extensao"} {
		t.Run(name, func(t *testing.T) {
			rd := mustOpen(t, writeFile(t, name, excelArtefacts(t, priceWorkbook(t))), tabular.Options{Columns: priceColumns})
			if rd.Format() != tabular.FormatXLSX || rd.Encoding() != "" || rd.Delimiter() != 0 {
				t.Fatalf("format %v encoding %q delimiter %q", rd.Format(), rd.Encoding(), rd.Delimiter())
			}
			rows := readAll(t, rd)
			checkRows(t, rows[:3], []wantRow{
				{2, "A1", "Peça Ç", "12.5", 1250},
				{3, "7891234567895", "Texto", "1.234,56", 123456},
				{5, "A5", "", "0.30000000000000004", 30},
			})
			if !rows[0].IsNumber("preco") || rows[0].IsNumber("descricao") || rows[1].IsNumber("preco") || !rows[1].IsNumber("codigo") {
				t.Errorf("IsNumber flags wrong")
			}
			last := rows[3]
			if last.Line != 6 || last.Get("preco") != "1.234" {
				t.Fatalf("last row line %d preco %q", last.Line, last.Get("preco"))
			}
			if _, err := last.Centavos("preco"); !errors.Is(err, tabular.ErrPrecision) ||
				err.Error() != `linha 6, coluna "Preço": preço com mais de duas casas decimais: "1.234"` {
				t.Errorf("numeric 1.234: %v", err)
			}
		})
	}
}

func TestXLSXFormula(t *testing.T) {
	b := xlsxBytes(t, func(f *excelize.File, sh string) {
		set(t, f, sh, "A1", "Código")
		set(t, f, sh, "B1", "Quantidade")
		set(t, f, sh, "C1", "Preço")
		set(t, f, sh, "D1", "Total")
		for r, v := range []string{"2", "3", "4"} {
			set(t, f, sh, "A"+v, "P"+v)
			set(t, f, sh, "B"+v, r+1)
			set(t, f, sh, "C"+v, 10)
			// A formula in a column the import does not use is harmless.
			if err := f.SetCellFormula(sh, "D"+v, "B"+v+"*C"+v); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetCellFormula(sh, "C3", "10*2"); err != nil {
			t.Fatal(err)
		}
	})
	cols := append([]tabular.Column{{Key: "quantidade", Aliases: []string{"qtd"}}}, priceColumns...)
	rd := mustOpen(t, writeFile(t, "formula.xlsx", b), tabular.Options{Columns: cols})
	rows := readAll(t, rd)
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if len(rows[0].Problems) != 0 || len(rows[2].Problems) != 0 {
		t.Errorf("unexpected problems: %v / %v", rows[0].Problems, rows[2].Problems)
	}
	p := rows[1].Problems
	if len(p) != 1 || p[0].Error() != `linha 3, coluna "Preço": a célula C3 contém fórmula; envie apenas valores` {
		t.Fatalf("problems of line 3: %v", p)
	}
	if q, err := rows[2].Quantity("quantidade"); err != nil || q != 3 {
		t.Errorf("quantity %d %v", q, err)
	}
}

func TestXLSXHiddenFirstSheetAndSparseRows(t *testing.T) {
	b := xlsxBytes(t, func(f *excelize.File, sh string) {
		set(t, f, sh, "A1", "instruções, não é a tabela")
		idx, err := f.NewSheet("Tabela")
		if err != nil {
			t.Fatal(err)
		}
		f.SetActiveSheet(idx)
		if err := f.SetSheetVisible(sh, false); err != nil {
			t.Fatal(err)
		}
		set(t, f, "Tabela", "B3", "SKU") // header on row 3, starting at column B
		set(t, f, "Tabela", "D3", "Valor")
		set(t, f, "Tabela", "B4", "X1")
		set(t, f, "Tabela", "D4", 99.9)
		set(t, f, "Tabela", "B10", "X2")
		set(t, f, "Tabela", "D10", "5")
		set(t, f, "Tabela", "F10", "nota fora do cabeçalho")
	})
	rd := mustOpen(t, writeFile(t, "abas.xlsx", b), tabular.Options{Columns: priceColumns})
	rows := readAll(t, rd)
	if len(rows) != 2 || rows[0].Line != 4 || rows[1].Line != 10 {
		t.Fatalf("rows %+v", rows)
	}
	if c, err := rows[0].Centavos("preco"); err != nil || c != 9990 {
		t.Errorf("centavos %d %v", c, err)
	}
	if rows[0].RaggedError() != nil {
		t.Errorf("row 4 ragged: %v", rows[0].RaggedError())
	}
	if e := rows[1].RaggedError(); e == nil || e.Error() != "linha 10: há valores na coluna F, à direita da última coluna do cabeçalho (D)" {
		t.Errorf("row 10 ragged: %v", e)
	}
}

func TestXLSXLimits(t *testing.T) {
	b := xlsxBytes(t, func(f *excelize.File, sh string) {
		set(t, f, sh, "A1", "codigo")
		set(t, f, sh, "B1", "preco")
		for i := 2; i < 2000; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i)
			set(t, f, sh, cell, strings.Repeat("z", 1000)+cell)
		}
	})
	openErr(t, writeFile(t, "bomba.xlsx", b), tabular.Options{Columns: priceColumns, MaxUnzipBytes: 1 << 20},
		"grande demais depois de descompactada")

	wide := xlsxBytes(t, func(f *excelize.File, sh string) {
		for c := 1; c <= 150; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, 1)
			set(t, f, sh, cell, cell)
		}
	})
	openErr(t, writeFile(t, "largo.xlsx", wide), tabular.Options{Columns: priceColumns}, "tem 150 colunas; o máximo é 100")
}

func TestSniff(t *testing.T) {
	var zipNotXLSX bytes.Buffer
	zw := zip.NewWriter(&zipNotXLSX)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	zw.Close()

	var ods bytes.Buffer
	zw = zip.NewWriter(&ods)
	w, _ = zw.Create("mimetype")
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	zw.Close()

	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i/3)
	}

	tests := []struct {
		name    string
		content []byte
		want    tabular.Format
		message string // fragment of the error message
	}{
		{"csv", []byte("a;b\n1;2\n"), tabular.FormatCSV, ""},
		{"xlsx", priceWorkbook(t), tabular.FormatXLSX, ""},
		{"empty", nil, 0, "o arquivo está vazio"},
		{"spaces", []byte(" \r\n\t\n"), 0, "o arquivo está vazio"},
		{"bom only", []byte("\xEF\xBB\xBF"), 0, "o arquivo está vazio"},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), 0, "é um PDF"},
		{"elf", []byte("\x7FELF\x02\x01\x01\x00\x00\x00"), 0, "programa executável"},
		{"exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 64)...), 0, "programa executável"},
		{"png", []byte("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"), 0, "é uma imagem"},
		{"jpeg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), 0, "é uma imagem"},
		{"garbage", garbage, 0, "conteúdo binário"},
		{"zip not xlsx", zipNotXLSX.Bytes(), 0, "é um ZIP, mas não é uma planilha .xlsx"},
		{"ods", ods.Bytes(), 0, "LibreOffice (.ods)"},
		{"truncated zip", priceWorkbook(t)[:300], 0, "corrompido"},
		{"xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), 0, "formato antigo .xls"},
		{"html as xls", []byte("<html><body><table><tr><td>1</td></tr></table>"), 0, "página HTML"},
		{"gzip", []byte("\x1F\x8B\x08\x00\x00\x00"), 0, "compactado"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tabular.Sniff(bytes.NewReader(tt.content), int64(len(tt.content)))
			if tt.message == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Sniff = %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			var te *tabular.Error
			if !errors.As(err, &te) || te.Line != 0 || !strings.Contains(te.Message, tt.message) {
				t.Fatalf("Sniff = %v, %v; want error containing %q", got, err, tt.message)
			}
			// NewReader reports the same problem.
			openErr(t, writeFile(t, "f.csv", tt.content), tabular.Options{Columns: priceColumns}, tt.message)
		})
	}
}

func TestBinaryAfterSniffWindow(t *testing.T) {
	content := append([]byte("codigo;preco\n"+strings.Repeat("A;1\n", 5000)), 0, 0, 0)
	openErr(t, writeFile(t, "nul.csv", content), tabular.Options{Columns: priceColumns}, "bytes nulos")
}
