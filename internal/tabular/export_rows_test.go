package tabular

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Both export formats write the same cells, with formula starters
// neutralised and plain numbers left as numbers.
func TestRowWriterBothFormats(t *testing.T) {
	// Empty cells (the XLSX leaves them out and names the cell after one),
	// text with edge spaces and XML's special characters.
	rows := [][]string{{"Número", "Cliente", "Total"}, {"PC-000001", "=HYPERLINK(\"x\")", "-12,30"}, {"PC-000002", "@SUM(A1)", "+5"},
		{"", " espaço nas bordas ", "", "a < b & \"c\""}, {"PC-000004", "", "", "", "fim"}}
	want := [][]string{{"Número", "Cliente", "Total"}, {"PC-000001", "'=HYPERLINK(\"x\")", "-12,30"}, {"PC-000002", "'@SUM(A1)", "'+5"},
		{"", " espaço nas bordas ", "", "a < b & \"c\""}, {"PC-000004", "", "", "", "fim"}}
	for _, f := range []Format{FormatCSV, FormatXLSX} {
		var buf bytes.Buffer
		w, err := NewRowWriter(&buf, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var got [][]string
		if f == FormatCSV {
			if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
				t.Fatal("CSV without BOM")
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
			r.Comma = ';'
			r.FieldsPerRecord = -1
			if got, err = r.ReadAll(); err != nil {
				t.Fatal(err)
			}
		} else {
			x, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if got, err = x.GetRows(x.GetSheetName(0)); err != nil {
				t.Fatal(err)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", f, len(got), len(want))
		}
		for i := range want {
			if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("%s row %d: %q, want %q", f, i, got[i], want[i])
			}
		}
	}
}
