// Command benchsections adds the "## Seed", "## Import", "## Price table"
// and "## Payment → PO" sections to the bench report: it reads the records
// the Go benchmarks BenchmarkImportVsFetch10k, BenchmarkPriceTableVsBulkLoad100k
// and BenchmarkPaymentApprovalToInbox left in test-output/bench-ingest.json
// (internal/benchreport) and writes them into test-output/bench.json (keys
// "import", "price_table" and "payment", the other keys kept as they are)
// and test-output/bench.md (those sections replaced or appended, the rest
// kept). `make bench` runs it last, after the scale bench
// has written its part. The seed section ("seed" in bench.json) comes from
// test-output/bench-seed.tsv, one line per database that scripts/bench-scale.sh
// seeded: database, orders, rows, seconds.
//
//	BENCH_OUT=dir   the report's directory (default test-output)
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectparts/portal/internal/benchreport"
)

type section struct {
	key, title, intro, what, ceiling string
}

var sections = []section{
	{"import", "Import", "Importing orders from the VTEX double against fetching the same orders from the same double with no database (issue 11 item 4: at most 3×).",
		"import", "raw fetch"},
	{"price_table", "Price table", "Submitting a price table (read, validated, stored with its file) against the database's bulk load of the very rows it stored (issue 11 item 4: at most 3×).",
		"submission", "bulk load"},
	{"payment", "Payment → PO", "From the engine seeing a payment approval on the VTEX double to the PO in the supplier's inbox, read through the supplier's API (issue 10: p99 at most 10 s; the ratio is the share of the target used).",
		"p99", "target"},
}

func main() {
	dir := os.Getenv("BENCH_OUT")
	if dir == "" {
		dir = "test-output"
	}
	// the seed's timing, written by scripts/bench-scale.sh
	seeds, err := readSeeds(filepath.Join(dir, seedFile))
	if err != nil {
		fail(err)
	}
	if seeds != nil {
		if err := writeSeedSection(dir, seeds); err != nil {
			fail(err)
		}
		fmt.Printf("benchsections: wrote the seed section to %s/bench.md and bench.json\n", dir)
	}
	doc, err := benchreport.Read(filepath.Join(dir, benchreport.File))
	if errors.Is(err, os.ErrNotExist) {
		fmt.Println("benchsections: no " + benchreport.File + " (the import and price-table benchmarks did not run)")
		return
	}
	if err != nil {
		fail(err)
	}
	bySection := map[string][]benchreport.Record{}
	for _, r := range doc.Records {
		bySection[r.Section] = append(bySection[r.Section], r)
	}
	if err := writeJSON(filepath.Join(dir, "bench.json"), bySection); err != nil {
		fail(err)
	}
	if err := writeMD(filepath.Join(dir, "bench.md"), bySection); err != nil {
		fail(err)
	}
	fmt.Printf("benchsections: wrote the import and price-table sections to %s/bench.md and bench.json\n", dir)
}

func writeJSON(path string, bySection map[string][]benchreport.Record) error {
	keys := map[string]any{}
	for _, s := range sections {
		keys[s.key] = bySection[s.key]
	}
	return mergeJSON(path, keys)
}

// mergeJSON sets keys in the JSON object of path (created when missing),
// keeping its other keys as they are.
func mergeJSON(path string, keys map[string]any) error {
	doc := map[string]json.RawMessage{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	for k, v := range keys {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		doc[k] = b
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeMD(path string, bySection map[string][]benchreport.Record) error {
	old := ""
	if b, err := os.ReadFile(path); err == nil {
		old = string(b)
	} else {
		old = "# Bench report\n"
	}
	for _, s := range sections {
		old = dropSection(old, "## "+s.title)
	}
	var md strings.Builder
	md.WriteString(strings.TrimRight(old, "\n") + "\n")
	for _, s := range sections {
		fmt.Fprintf(&md, "\n## %s\n\n%s Measured on this machine in the same run, one after the other.\n\n", s.title, s.intro)
		fmt.Fprintf(&md, "| database | scenario | rows | %s s | %s s | ratio | target | ceiling |\n|---|---|---|---|---|---|---|---|\n", s.what, s.ceiling)
		for _, r := range bySection[s.key] {
			verdict := "met"
			if !r.Met {
				verdict = "MISSED"
			}
			fmt.Fprintf(&md, "| %s | %s | %d | %.2f | %.2f | %.2f× | ≤ %.0f× (%s) | %s |\n",
				r.Database, r.Scenario, r.Rows, r.Seconds, r.CeilingSeconds, r.Ratio, r.Target, verdict, r.Ceiling)
		}
		if len(bySection[s.key]) == 0 {
			md.WriteString("| — | not measured in this run | | | | | | |\n")
		}
	}
	return os.WriteFile(path, []byte(md.String()), 0o644)
}

// dropSection removes the section headed by title (up to the next "## "
// heading or the end).
func dropSection(md, title string) string {
	lines := strings.Split(md, "\n")
	var out []string
	skipping := false
	for _, l := range lines {
		if strings.HasPrefix(l, "## ") {
			skipping = strings.TrimSpace(l) == title
		}
		if !skipping {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchsections:", err)
	os.Exit(1)
}
