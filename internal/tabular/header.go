package tabular

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeHeader is the rule used to match header cells against column keys
// and aliases: trim, NFKD-decompose and drop combining marks (accents,
// cedilla), lower-case, and turn every run of characters that are neither
// letters nor digits (spaces, "-", ".", "/", "(", ...) into a single "_",
// trimming "_" at both ends. So "Código", "CODIGO" and " codigo " give
// "codigo"; "Cód. Fornecedor" and "cod-fornecedor" give "cod_fornecedor";
// "Preço (R$)" gives "preco_r"; "Nº" gives "no".
func NormalizeHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSep := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingSep && b.Len() > 0 {
				b.WriteByte('_')
			}
			pendingSep = false
			b.WriteRune(unicode.ToLower(r))
		default:
			pendingSep = true
		}
	}
	return b.String()
}

// Column describes one column the caller wants. Key identifies it in Row.Get
// and is itself accepted as a header name; Aliases are other accepted header
// names. Key and aliases are compared after NormalizeHeader, so "preço",
// "Preco" and "PREÇO" are the same alias.
type Column struct {
	Key      string
	Aliases  []string
	Required bool
}

// schema is the immutable mapping shared by all rows of a Reader.
type schema struct {
	keys   []string       // Options.Columns order
	index  map[string]int // key -> position in keys
	col    []int          // position -> 0-based column in the file, -1 if absent
	labels []string       // position -> header text as written in the file
	width  int            // header width (CSV: fields; XLSX: last non-empty cell)
	format Format
}

// names maps normalized names to column positions; built once per Reader.
func buildNames(cols []Column) (map[string]int, error) {
	names := make(map[string]int)
	for i, c := range cols {
		if c.Key == "" {
			return nil, fmt.Errorf("tabular: Options.Columns[%d] has an empty Key", i)
		}
		for _, a := range append([]string{c.Key}, c.Aliases...) {
			n := NormalizeHeader(a)
			if n == "" {
				return nil, fmt.Errorf("tabular: alias %q of column %q normalizes to nothing", a, c.Key)
			}
			if j, ok := names[n]; ok && j != i {
				return nil, fmt.Errorf("tabular: alias %q is used by columns %q and %q", a, cols[j].Key, c.Key)
			}
			names[n] = i
		}
	}
	return names, nil
}

// mapHeader matches the header cells against the wanted columns.
func mapHeader(cells []string, line int, opts *Options, names map[string]int, format Format) (*schema, error) {
	width := len(cells)
	for width > 0 && strings.TrimSpace(cells[width-1]) == "" {
		width-- // trailing empty header cells (Excel's used range) do not count
	}
	if width > opts.MaxColumns {
		return nil, fileError("o arquivo tem %d colunas; o máximo é %d", width, opts.MaxColumns)
	}
	s := &schema{
		keys:   make([]string, len(opts.Columns)),
		index:  make(map[string]int, len(opts.Columns)),
		col:    make([]int, len(opts.Columns)),
		labels: make([]string, len(opts.Columns)),
		width:  width,
		format: format,
	}
	if format == FormatCSV {
		s.width = len(cells)
	}
	for i, c := range opts.Columns {
		s.keys[i] = c.Key
		s.index[c.Key] = i
		s.col[i] = -1
	}
	for j, cell := range cells[:width] {
		label := strings.TrimSpace(cell)
		i, ok := names[NormalizeHeader(label)]
		if !ok {
			continue
		}
		if s.col[i] >= 0 {
			return nil, &Error{Line: line, Column: label, Message: fmt.Sprintf(
				"as colunas %q e %q do cabeçalho correspondem ao mesmo campo (%s); deixe apenas uma",
				s.labels[i], label, opts.Columns[i].Key)}
		}
		s.col[i], s.labels[i] = j, label
	}
	var missing []string
	for i, c := range opts.Columns {
		if c.Required && s.col[i] < 0 {
			missing = append(missing, fmt.Sprintf("%q (nomes aceitos: %s)", c.Key, strings.Join(acceptedNames(c), ", ")))
		}
	}
	switch len(missing) {
	case 0:
		return s, nil
	case 1:
		return nil, &Error{Message: "coluna obrigatória ausente no cabeçalho (linha " + fmt.Sprint(line) + "): " + missing[0]}
	default:
		return nil, &Error{Message: "colunas obrigatórias ausentes no cabeçalho (linha " + fmt.Sprint(line) + "): " + strings.Join(missing, "; ")}
	}
}

// acceptedNames lists the key and aliases as the caller wrote them.
func acceptedNames(c Column) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range append([]string{c.Key}, c.Aliases...) {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}
