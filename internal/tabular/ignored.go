package tabular

import (
	"strings"
	"unicode/utf8"
)

// DefaultHeaderSearchLines is how far down the header is looked for when
// Options.HeaderSearchLines is zero: ERPs put a title, the supplier's name or
// the date above it.
const DefaultHeaderSearchLines = 10

// Ignored is a non-blank line the Reader left out of the data: a line above
// the header (a title) or a summary line after the data ("Total de itens:
// 4"). Callers show them, so that nothing is dropped silently.
type Ignored struct {
	Line   int    `json:"line"`
	Text   string `json:"text"`   // the line's non-empty cells, joined by " | ", shortened
	Reason string `json:"reason"` // Portuguese, e.g. "acima do cabeçalho"
}

// Reasons of Ignored lines.
const (
	ReasonAboveHeader = "acima do cabeçalho"
	ReasonSummary     = "linha de resumo após os dados"
)

const maxIgnoredText = 120

// lineText joins the non-empty cells of a line, for Ignored.Text.
func lineText(cells []string) string {
	var parts []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	s := strings.Join(parts, " | ")
	if len(s) > maxIgnoredText {
		cut := maxIgnoredText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// summaryWords start the first cell of the summary lines ERPs write below a
// table (after NormalizeHeader).
var summaryWords = []string{"total", "totais", "subtotal", "soma", "quantidade_de_itens", "qtd_de_itens", "qtde_de_itens",
	"qtd_itens", "numero_de_itens", "n_de_itens", "itens", "registros", "gerado_em", "emitido_em", "impresso_em", "pagina", "fim"}

// looksLikeSummary reports whether a data row may be a summary line: its
// first non-empty cell is one of summaryWords ("Total"), or starts with one
// and holds a ":" or a space ("Total de itens: 4", "Total geral"), or the row
// leaves a required column empty. A product code "TOTAL-FLEX-10" with its
// price is data. Only summary-looking
// rows at the very end of the data are ignored (see Reader.Next); elsewhere
// they are data, and the caller's validation refuses them.
func (r *Reader) looksLikeSummary(cells []string) bool {
	first := ""
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			first = c
			break
		}
	}
	if first == "" {
		return false
	}
	n := NormalizeHeader(first)
	match := false
	for _, w := range summaryWords {
		if n == w {
			return true // "Total", "Itens": never a product code
		}
		if strings.HasPrefix(n, w+"_") {
			match = true
			break
		}
	}
	if !match {
		return false
	}
	if strings.ContainsAny(first, ": \t") { // "Total de itens: 4", "Total geral"
		return true
	}
	for i, c := range r.opts.Columns {
		col := r.s.col[i]
		if c.Required && col >= 0 && (col >= len(cells) || strings.TrimSpace(cells[col]) == "") {
			return true
		}
	}
	return false
}

// Ignored lists the lines left out of the data so far: those above the
// header once NewReader returned, and the summary lines after the data once
// Next returned io.EOF.
func (r *Reader) Ignored() []Ignored { return r.ignored }

// HeaderLine is the line of the header (1 unless lines above it were ignored).
func (r *Reader) HeaderLine() int { return r.headerLine }
