package tabular

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The XLSX export leaves as it is written: most of a 20,000-row sheet has
// reached the writer before Close (the file is not built at the end), and
// the package opens back with every cell in place, columns past Z too.
func TestXLSXStreamsRows(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewRowWriter(&buf, FormatXLSX)
	if err != nil {
		t.Fatal(err)
	}
	wide := make([]string, 30)
	for i := range wide {
		wide[i] = "c" + strconv.Itoa(i)
	}
	if err := w.Write(wide); err != nil {
		t.Fatal(err)
	}
	const n = 20000
	for i := 1; i <= n; i++ {
		if err := w.Write([]string{"PC-" + strconv.Itoa(i), "Cliente <" + strconv.Itoa(i*7919) + "> & filhos", "=1+1", strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	before := buf.Len()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if before < buf.Len()/2 {
		t.Errorf("only %d of %d bytes written before Close: the export is not streamed", before, buf.Len())
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 || len(rows[0]) != 30 || rows[0][29] != "c29" {
		t.Fatalf("%d rows, first %q", len(rows), rows[0])
	}
	if got := rows[n]; got[0] != "PC-20000" || got[1] != "Cliente <158380000> & filhos" || got[2] != "'=1+1" || got[3] != "20000" {
		t.Errorf("last row %q", got)
	}
}
