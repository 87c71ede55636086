package catalog

import (
	"fmt"
	"strings"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

// MaxProblems bounds the problems a report lists; further problems are only
// counted (Report.Omitted). A file that wrong is better fixed at its source.
const MaxProblems = 10_000

// Problem is one thing wrong with the input. Line is the spreadsheet row (the
// header is line 1) or, for JSON, the 1-based position of the item in the
// array; 0 concerns the whole input.
type Problem struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Report is the result of one import.
type Report struct {
	Source    string // file name, or "API"
	Format    string // "CSV (Windows-1252, separador ;)", "XLSX", "JSON"
	Rows      int    // data rows read
	Applied   int    // rows applied: Created + Updated + Unchanged, or 0 when rejected
	Created   int
	Updated   int
	Unchanged int
	Rejected  int       // rows with at least one problem
	Problems  []Problem // in line order, at most MaxProblems
	Omitted   int       // problems beyond MaxProblems
	// Sheet is the XLSX worksheet read; Ignored the lines of the file that
	// are not data (a title above the header, summary lines after the data).
	Sheet   string
	Ignored []model.IgnoredLine
}

// OK reports whether the import was applied.
func (r *Report) OK() bool { return r.Rejected == 0 && len(r.Problems) == 0 }

// Summary is one Portuguese sentence on the outcome.
func (r *Report) Summary() string {
	if r.OK() {
		return fmt.Sprintf("%s: %s, %s, %s sem alteração.",
			format.Plural(r.Applied, "linha aplicada", "linhas aplicadas"), format.Plural(r.Created, "novo", "novos"),
			format.Plural(r.Updated, "atualizado", "atualizados"), num(r.Unchanged))
	}
	word := "linhas"
	if r.Rows == 1 {
		word = "linha"
	}
	return fmt.Sprintf("Nenhuma linha foi aplicada: %s de %s %s com problema. "+
		"O catálogo só é atualizado quando todas as linhas estão corretas; corrija e envie de novo.",
		num(r.Rejected), num(r.Rows), word)
}

func num(n int) string { return format.Int(int64(n)) }

func (r *Report) add(line int, msg string) {
	if len(r.Problems) >= MaxProblems {
		r.Omitted++
		return
	}
	r.Problems = append(r.Problems, Problem{Line: line, Message: msg})
}

// sentence makes a message from internal/tabular (lower case, no period) read
// like the others.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	s = strings.ToUpper(string(r[0])) + string(r[1:])
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
