package store

import "time"

// The steps of a bulk load, in the order they run.
const (
	BulkStepRows        = "rows"              // rows generated and written (COPY / INSERT)
	BulkStepIndexes     = "indexes"           // secondary indexes built again
	BulkStepForeignKeys = "foreign_keys"      // foreign keys added again and checked (PostgreSQL)
	BulkStepKeyCheck    = "foreign_key_check" // foreign keys checked over the loaded tables (SQLite)
	BulkStepTriggers    = "triggers"          // triggers enabled or created again
	BulkStepSequences   = "sequences"         // id sequences moved past the loaded ids
	BulkStepCommit      = "commit"
)

// BulkPhase is one step of a bulk load, for one table or ("") for all.
type BulkPhase struct {
	Step  string
	Table string
	Took  time.Duration
}

// BulkTableStats is what a bulk load wrote to one table.
type BulkTableStats struct {
	Name string
	Rows int64
	// Write is the time spent sending the table's rows (COPY on
	// PostgreSQL, INSERTs on SQLite), overlapping the caller's generation.
	Write time.Duration
}

// BulkReport says where the time of a bulk load went.
type BulkReport struct {
	Phases []BulkPhase // BulkStepRows first, then one per step and table
	Tables []BulkTableStats
	// Waited is the part of BulkStepRows the caller spent waiting for the
	// database instead of generating rows.
	Waited time.Duration
}

// Step sums the phases of one step.
func (r *BulkReport) Step(step string) time.Duration {
	var d time.Duration
	for _, p := range r.Phases {
		if p.Step == step {
			d += p.Took
		}
	}
	return d
}

// Rows is the number of rows written to every table.
func (r *BulkReport) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// BulkOptions tune a bulk load's reporting.
type BulkOptions struct {
	// Step, when set, is told when each step begins (a step may last
	// minutes on a large load: the command prints it).
	Step func(step string)
}

// phase times one step from start and records it.
func (l *BulkLoader) phase(step, table string, start time.Time) {
	l.report.Phases = append(l.report.Phases, BulkPhase{Step: step, Table: table, Took: time.Since(start)})
}

// begin tells the caller a step begins, once per step.
func (l *BulkLoader) begin(step string) {
	if l.opts.Step != nil && l.lastStep != step {
		l.opts.Step(step)
	}
	l.lastStep = step
}
