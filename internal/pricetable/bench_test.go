package pricetable_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// The benchmarks run on SQLite, or on PostgreSQL when PORTAL_TEST_DATABASE_URL
// is set (scripts/bench.sh runs both). Targets (issue 3), on 2 cores: a
// 100,000-line CSV parsed, validated and stored in ≤ 3 s; its difference
// against a 100,000-line table in force in ≤ 1 s.

const benchCatalog = 100_000

// writeTable writes an n-line price table as Excel on Brazilian Windows saves
// it (Windows-1252, ";", decimal comma, thousands dot). Version 0 is the base
// price of each code; a later version moves each price by -20 % to +20 % and
// leaves out every 50th code.
func writeTable(tb testing.TB, n, version int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), fmt.Sprintf("tabela-%d-%d.csv", n, version))
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(transform.NewWriter(f, charmap.Windows1252.NewEncoder()))
	fmt.Fprint(w, "Código;Descrição;EAN;Preço;Qtd. mínima\r\n")
	for i := 1; i <= n; i++ {
		cents := 1000 + (i*7919)%500000
		if version > 0 {
			if i%50 == 0 {
				continue
			}
			cents += cents * ((i*7+version)%41 - 20) / 100
		}
		fmt.Fprintf(w, "B%04d;Pastilha de freio dianteira peça nº %d;;%s;%d\r\n", i, i, brl(cents), 1+i%5)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// brl writes centavos as "1.234,56".
func brl(c int) string {
	r := c / 100
	s := fmt.Sprintf("%d", r)
	if r >= 1000 {
		s = fmt.Sprintf("%d.%03d", r/1000, r%1000)
	}
	return fmt.Sprintf("%s,%02d", s, c%100)
}

func openFile(tb testing.TB, p string) pricetable.File {
	f, err := os.Open(p)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	return pricetable.File{Name: filepath.Base(p), Size: st.Size(), Body: f}
}

// peakHeap samples the live heap while fn runs and returns the peak in MiB.
func peakHeap(fn func()) float64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	return float64(peak.Load()) / (1 << 20)
}

func benchSubmit(b *testing.B, lines int) {
	e := newEnv(b)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "B", benchCatalog)
	path := writeTable(b, lines, 0)
	// A table in force, so that every iteration is a normal change (notice applies).
	if _, err := e.svc.SubmitFile(e.ctx, sup.ID, openFile(b, writeTable(b, 10, 1)), "2026-11-05"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var peak float64
	for i := 0; i < b.N; i++ {
		f := openFile(b, path)
		peak = max(peak, peakHeap(func() {
			t, err := e.svc.SubmitFile(e.ctx, sup.ID, f, "2026-12-01")
			if err != nil {
				b.Fatal(err)
			}
			if t.LineCount != lines {
				b.Fatalf("stored %d lines, want %d", t.LineCount, lines)
			}
		}))
	}
	b.ReportMetric(peak, "peak-heap-MiB")
	b.ReportMetric(float64(lines), "lines")
	b.Logf("%s: %d lines", dialect(), lines)
}

// BenchmarkSubmit100k: a 100,000-line CSV parsed, validated and stored.
func BenchmarkSubmit100k(b *testing.B) { benchSubmit(b, 100_000) }

// BenchmarkSubmit10k is the same against the same 100,000-product catalog:
// its peak heap beside BenchmarkSubmit100k's shows memory does not grow with
// the file (what remains is the catalog's code map).
func BenchmarkSubmit10k(b *testing.B) { benchSubmit(b, 10_000) }

// BenchmarkDiff100k: the preview of a 100,000-line draft against a
// 100,000-line table in force: the counts and the first page of changes,
// biggest increases first.
func BenchmarkDiff100k(b *testing.B) {
	e := newEnv(b)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "B", benchCatalog+2000)
	if _, err := e.svc.SubmitFile(e.ctx, sup.ID, openFile(b, writeTable(b, benchCatalog, 0)), "2026-11-05"); err != nil {
		b.Fatal(err)
	}
	// The draft: prices moved by -20 % to +20 %, 2,000 codes left out and
	// 1,000 added (the catalog goes beyond the table in force).
	p := writeTable(b, benchCatalog+1000, 3)
	draft, err := e.svc.Upload(e.ctx, sup.ID, openFile(b, p))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmp, err := e.svc.Compare(e.ctx, draft)
		if err != nil {
			b.Fatal(err)
		}
		rows, total, err := e.svc.DiffRows(e.ctx, cmp, store.PriceDiffFilter{Sort: store.SortIncrease}, store.Page{Number: 1, Size: 50})
		if err != nil {
			b.Fatal(err)
		}
		if cmp.Summary.Added != 980 || cmp.Summary.Removed != 2000 || total != cmp.Summary.Changed() || len(rows) != 50 || cmp.Summary.Highlighted == 0 {
			b.Fatalf("unexpected diff: %+v, %d rows of %d", cmp.Summary, len(rows), total)
		}
	}
	b.Logf("%s: %+v", dialect(), mustCompare(b, e, draft).Summary)
}

func mustCompare(b *testing.B, e *env, t *model.PriceTable) pricetable.Comparison {
	cmp, err := e.svc.Compare(e.ctx, t)
	if err != nil {
		b.Fatal(err)
	}
	return cmp
}

func dialect() string {
	if testdb.IsPostgres() {
		return "PostgreSQL"
	}
	return "SQLite"
}
