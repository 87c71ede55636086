package catalog_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/catalog"
)

// bigCatalog is a CSV of n products SKU-00001…, each with its own supplier
// code C-00001… of supplier A, plus the extra lines at the end.
func bigCatalog(n int, extra ...string) string {
	var b strings.Builder
	b.WriteString("sku;name;supplier_cnpj;supplier_code\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "SKU-%05d;Produto %d;11222333000181;C-%05d\n", i, i, i)
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// The import is written a batch at a time: codes swapped between lines of
// different batches, and a code held by a product of a later batch, still
// work, and a bad line after batches were written applies nothing.
func TestImportStreamsAcrossBatches(t *testing.T) {
	f := newFixture(t)
	const n = 5_000 // more than two batches
	if rep := f.importCSV(t, bigCatalog(n)); !rep.OK() || rep.Created != n || rep.Applied != n {
		t.Fatalf("first import: %+v", rep)
	}

	// SKU-00001 (first batch) takes the code of SKU-04999 (last batch) and
	// the other way round; SKU-00002 takes the code of SKU-05000, which moves
	// to a new code. A last, bad line rejects the whole file.
	lines := strings.Split(strings.TrimSuffix(bigCatalog(n), "\n"), "\n")
	lines[1] = "SKU-00001;Produto 1;11222333000181;C-04999"
	lines[2] = "SKU-00002;Produto 2;11222333000181;C-05000"
	lines[4999] = "SKU-04999;Produto 4999;11222333000181;C-00001"
	lines[5000] = "SKU-05000;Produto 5000;11222333000181;C-NOVO"
	lines[3000] = "SKU-03000;Renomeado;11222333000181;C-03000"
	bad := strings.Join(lines, "\n") + "\nSKU-99999;;11222333000181;C-99999\n"
	rep := f.importCSV(t, bad)
	if rep.OK() || rep.Rejected != 1 || len(rep.Problems) != 1 || rep.Problems[0].Line != n+2 || rep.Applied != 0 {
		t.Fatalf("bad import: rejected %d applied %d, problems %.300v", rep.Rejected, rep.Applied, rep.Problems)
	}
	if p := f.product(t, "SKU-03000"); p.Name != "Produto 3000" || f.product(t, "SKU-00001").SupplierCode != "C-00001" {
		t.Fatalf("a rejected import changed products written by its first batches: %+v", p)
	}

	rep = f.importCSV(t, strings.Join(lines, "\n")+"\n")
	if !rep.OK() || rep.Updated != 5 || rep.Unchanged != n-5 {
		t.Fatalf("good import: %+v", rep)
	}
	for sku, code := range map[string]string{"SKU-00001": "C-04999", "SKU-04999": "C-00001", "SKU-00002": "C-05000", "SKU-05000": "C-NOVO"} {
		if got := f.product(t, sku).SupplierCode; got != code {
			t.Errorf("%s: supplier code %q, want %q", sku, got, code)
		}
	}
	if f.imports(t) != 2 {
		t.Errorf("%d audit entries of imports, want one per applied import (2)", f.imports(t))
	}

	// A code held by a product left out of the file is refused, whichever
	// batch its line is in.
	rep = f.importCSV(t, "sku;name;supplier_cnpj;supplier_code\n"+bigLinesWithout(2_500)+"NOVO-1;Novo;11222333000181;C-04000\n")
	if rep.OK() || rep.Rejected != 1 || rep.Problems[0].Line != 2_502 || !strings.Contains(rep.Problems[0].Message, "SKU-04000") {
		t.Fatalf("held code: rejected %d, problems %.300v", rep.Rejected, rep.Problems)
	}
}

// bigLinesWithout is n lines of new products without supplier codes.
func bigLinesWithout(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "NOVO-%05d;Novo;;\n", i+1000)
	}
	return b.String()
}

func TestImportRowCap(t *testing.T) {
	f := newFixture(t)
	var b strings.Builder
	b.WriteString("sku;name\n")
	for i := 0; i <= catalog.MaxRows; i++ {
		fmt.Fprintf(&b, "S%d;P\n", i)
	}
	text := b.String()
	_, err := f.svc.ImportFile(f.ctx, strings.NewReader(text), int64(len(text)), "grande.csv")
	if err == nil || !strings.Contains(err.Error(), "200000") {
		t.Fatalf("want the row cap, got %v", err)
	}
	if got := f.count(t); got != 0 {
		t.Fatalf("%d products written by a refused import", got)
	}
}
