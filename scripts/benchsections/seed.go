package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// seedFile is where scripts/bench-scale.sh records each seed it ran.
const seedFile = "bench-seed.tsv"

// seedRecord is one `portal seed --scale N` of the bench.
type seedRecord struct {
	Database   string  `json:"database"`
	Orders     int64   `json:"orders"`
	Rows       int64   `json:"rows"`
	Seconds    float64 `json:"seconds"`
	RowsPerSec float64 `json:"rows_per_second"`
	Note       string  `json:"note,omitempty"`
}

// readSeeds reads the seed records; nil when the scale bench wrote none.
func readSeeds(path string) ([]seedRecord, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []seedRecord
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || f[0] == "" {
			continue
		}
		f = append(f, "", "")
		r := seedRecord{Database: f[0]}
		orders, err1 := strconv.ParseInt(f[1], 10, 64)
		rows, err2 := strconv.ParseInt(f[2], 10, 64)
		secs, err3 := strconv.ParseFloat(f[3], 64)
		if err1 != nil || err2 != nil || err3 != nil || secs <= 0 {
			r.Note = f[1] // e.g. "already seeded: not measured"
			out = append(out, r)
			continue
		}
		r.Orders, r.Rows, r.Seconds, r.RowsPerSec = orders, rows, secs, float64(rows)/secs
		out = append(out, r)
	}
	return out, nil
}

// writeSeedSection puts the seed records under "seed" in bench.json and in
// a "## Seed" section of bench.md, replacing earlier ones.
func writeSeedSection(dir string, seeds []seedRecord) error {
	if err := mergeJSON(filepath.Join(dir, "bench.json"), map[string]any{"seed": seeds}); err != nil {
		return err
	}
	mdPath := filepath.Join(dir, "bench.md")
	old := "# Bench report\n"
	if b, err := os.ReadFile(mdPath); err == nil {
		old = string(b)
	}
	old = dropSection(old, "## Seed")
	var md strings.Builder
	md.WriteString(strings.TrimRight(old, "\n") + "\n")
	md.WriteString("\n## Seed\n\n`portal seed --scale N` on a fresh database of this run, timed by the bench (issue 11: a million orders in minutes). The seed's own output prints where its time went (per step and table).\n\n")
	md.WriteString("| database | orders | rows | seconds | rows/s |\n|---|---|---|---|---|\n")
	for _, r := range seeds {
		if r.Note != "" {
			fmt.Fprintf(&md, "| %s | %s | | | |\n", r.Database, r.Note)
			continue
		}
		fmt.Fprintf(&md, "| %s | %d | %d | %.1f | %.0f |\n", r.Database, r.Orders, r.Rows, r.Seconds, r.RowsPerSec)
	}
	return os.WriteFile(mdPath, []byte(md.String()), 0o644)
}
