// Package benchreport records the figures of the Go benchmarks that are
// measured against a ceiling taken in the same run (importing orders against
// fetching them, loading a price table against the database's bulk load) in
// test-output/bench-ingest.json, from which scripts/benchsections adds the
// "## Import" and "## Price table" sections to the bench report
// (test-output/bench.md and bench.json). Standard library only: benchmarks of
// any layer may use it.
package benchreport

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// File is the name of the records file under test-output.
const File = "bench-ingest.json"

// Record is one measurement of a scenario on one database: Value took
// Seconds, its Ceiling (what the database or the double does at best with the
// same data) CeilingSeconds; Ratio = Seconds / CeilingSeconds, against Target.
type Record struct {
	Section        string    `json:"section"`  // "import" or "price_table"
	Scenario       string    `json:"scenario"` // what was measured
	Database       string    `json:"database"` // "SQLite" or "PostgreSQL"
	Rows           int       `json:"rows"`     // orders or lines
	Seconds        float64   `json:"seconds"`
	Ceiling        string    `json:"ceiling"` // what the ceiling is
	CeilingSeconds float64   `json:"ceiling_seconds"`
	Ratio          float64   `json:"ratio"`
	Target         float64   `json:"target_ratio"`
	Met            bool      `json:"met"`
	Note           string    `json:"note,omitempty"`
	At             time.Time `json:"at"`
}

// Doc is the records file.
type Doc struct {
	Records []Record `json:"records"`
}

var mu sync.Mutex

// Add fills in Ratio and Met and stores r in dir/File, replacing an earlier
// record of the same section, scenario and database.
func Add(dir string, r Record) error {
	if r.CeilingSeconds > 0 {
		r.Ratio = r.Seconds / r.CeilingSeconds
	}
	r.Met = r.CeilingSeconds > 0 && r.Ratio <= r.Target
	if r.At.IsZero() {
		r.At = time.Now().UTC().Truncate(time.Second)
	}
	mu.Lock()
	defer mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, File)
	doc, err := Read(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	kept := doc.Records[:0]
	for _, old := range doc.Records {
		if old.Section != r.Section || old.Scenario != r.Scenario || old.Database != r.Database {
			kept = append(kept, old)
		}
	}
	doc.Records = append(kept, r)
	sort.SliceStable(doc.Records, func(i, j int) bool {
		a, b := doc.Records[i], doc.Records[j]
		if a.Section != b.Section {
			return a.Section < b.Section
		}
		return a.Scenario < b.Scenario
	})
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Read loads a records file.
func Read(path string) (Doc, error) {
	var doc Doc
	b, err := os.ReadFile(path)
	if err != nil {
		return doc, err
	}
	err = json.Unmarshal(b, &doc)
	return doc, err
}

// OutDir is the repository's test-output directory, found from the working
// directory (a package's tests run in the package's folder), or
// $BENCH_OUT when set.
func OutDir() string {
	if d := os.Getenv("BENCH_OUT"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return "test-output"
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "test-output")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "test-output")
		}
	}
}
