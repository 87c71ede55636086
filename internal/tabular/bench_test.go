package tabular_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/connectparts/portal/internal/tabular"
)

// writeBigCSV writes a price table as Excel on Brazilian Windows saves it:
// Windows-1252, ";" and decimal comma.
func writeBigCSV(tb testing.TB, lines int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "tabela.csv")
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(transform.NewWriter(f, charmap.Windows1252.NewEncoder()))
	fmt.Fprint(w, "Código;Descrição;Marca;Preço;Estoque\r\n")
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(w, "CP-%06d;Pastilha de freio dianteira Peça nº %d;Cobreq;%d,%02d;%d\r\n", i, i, 10+i%5000, i%100, i%300)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

var benchColumns = []tabular.Column{
	{Key: "codigo", Aliases: []string{"código", "sku"}, Required: true},
	{Key: "descricao", Aliases: []string{"descrição"}},
	{Key: "preco", Aliases: []string{"preço", "valor"}, Required: true},
	{Key: "estoque", Aliases: []string{"quantidade", "qtd"}},
}

func consume(tb testing.TB, rd *tabular.Reader) (rows int, total int64) {
	for {
		row, err := rd.Next()
		if err == io.EOF {
			return rows, total
		}
		if err != nil {
			tb.Fatal(err)
		}
		c, err := row.Centavos("preco")
		if err != nil {
			tb.Fatal(err)
		}
		q, err := row.Quantity("estoque")
		if err != nil {
			tb.Fatal(err)
		}
		rows++
		total += c + q
	}
}

func BenchmarkReadCSV100k(b *testing.B) {
	path := writeBigCSV(b, 100_000)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		rd, err := tabular.OpenFile(path, tabular.Options{Columns: benchColumns})
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := consume(b, rd); n != 100_000 {
			b.Fatalf("%d rows", n)
		}
		rd.Close()
	}
}

// TestCSVStreamingMemory checks that the live heap does not grow with the
// number of lines read.
func TestCSVStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 15 MB file")
	}
	const lines = 250_000
	rd := mustOpen(t, writeBigCSV(t, lines), tabular.Options{Columns: benchColumns, MaxRows: lines})
	live := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var first, peak uint64
	for n := 1; ; n++ {
		row, err := rd.Next()
		if err == io.EOF {
			if n-1 != lines {
				t.Fatalf("%d rows", n-1)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Line != n+1 {
			t.Fatalf("row %d has line %d", n, row.Line)
		}
		if n%25_000 == 0 {
			h := live()
			if first == 0 {
				first = h
			}
			peak = max(peak, h)
		}
	}
	t.Logf("live heap: %d KiB after 25k rows, peak %d KiB up to %d rows", first>>10, peak>>10, lines)
	if peak > first+1<<20 {
		t.Errorf("live heap grew from %d to %d bytes while streaming", first, peak)
	}
}

func bigXLSX(tb testing.TB, rows int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	sw.SetRow("A1", []any{"Código", "Descrição", "Marca", "Preço", "Estoque"})
	for i := 2; i <= rows+1; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{fmt.Sprintf("CP-%06d", i), "Pastilha de freio dianteira", "Cobreq", float64(i%5000) + 0.5, i % 300})
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadXLSX10k reads a 10,000-row workbook through Reader (excelize
// Rows plus the formula/number-type scanner); BenchmarkExcelizeRows10k is the
// excelize Rows loop alone, to measure the scanner's cost.
func BenchmarkReadXLSX10k(b *testing.B) {
	data := bigXLSX(b, 10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := tabular.NewReader(bytes.NewReader(data), int64(len(data)), tabular.Options{Columns: benchColumns})
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := consume(b, rd); n != 10_000 {
			b.Fatalf("%d rows", n)
		}
		rd.Close()
	}
}

func BenchmarkExcelizeRows10k(b *testing.B) {
	data := bigXLSX(b, 10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
		if n != 10_001 {
			b.Fatalf("%d rows", n)
		}
	}
}
