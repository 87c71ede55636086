package stock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
)

// A supplier's stock feed (planilha) reports how many units of each of its
// products it has. Like price tables and catalog imports, a feed is all or
// nothing: every line is validated first, and the quantities are applied, in
// one transaction, only when no line has a problem. Each applied line becomes
// a "spreadsheet" movement that sets the physical quantity at the supplier's
// location (reservations are kept), all of them in a few batched statements.

// FeedColumns are the columns of a stock feed, with the names people use.
var FeedColumns = []tabular.Column{
	{Key: "supplier_code", Required: true, Aliases: []string{"código", "codigo fornecedor", "código do fornecedor", "cod fornecedor", "cod_fornecedor", "sku fornecedor", "referência", "referencia", "ref"}},
	{Key: "quantity", Required: true, Aliases: []string{"quantidade", "qtd", "qtde", "estoque", "saldo", "disponível", "disponivel"}},
}

// FeedMaxRows caps the lines of a feed, whatever its format.
const FeedMaxRows = 200_000

// FeedLine is one line of a feed.
type FeedLine struct {
	Line         int    `json:"line"`
	SupplierCode string `json:"supplier_code"`
	Quantity     int64  `json:"quantity"`
}

// FeedProblem is one bad line.
type FeedProblem struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// FeedReport is the outcome of a feed.
type FeedReport struct {
	Rows      int           `json:"rows"`
	Applied   int           `json:"applied"`   // lines applied (0 when rejected)
	Changed   int           `json:"changed"`   // lines whose quantity actually changed
	Rejected  []FeedProblem `json:"rejected"`  // every problem, in line order
	Reference string        `json:"reference"` // the movements' reference
	// Sheet is the XLSX worksheet read; Ignored the lines of the file that
	// are not data (title above the header, summary after the data).
	Sheet   string              `json:"sheet,omitempty"`
	Ignored []model.IgnoredLine `json:"ignored_lines,omitempty"`
}

// OK reports whether the feed was applied.
func (r *FeedReport) OK() bool { return len(r.Rejected) == 0 }

// Summary is one Portuguese sentence on the outcome.
func (r *FeedReport) Summary() string {
	if r.OK() {
		return fmt.Sprintf("Estoque atualizado: %s linha(s) aplicada(s), %s com quantidade alterada.", format.Int(int64(r.Applied)), format.Int(int64(r.Changed)))
	}
	return fmt.Sprintf("Nenhuma linha foi aplicada: %s problema(s) em %s linha(s) lida(s). Corrija o arquivo e envie-o novamente.", format.Int(int64(len(r.Rejected))), format.Int(int64(r.Rows)))
}

// ReadFeedFile reads a CSV or XLSX feed (format decided by content).
func ReadFeedFile(r io.ReaderAt, size int64) ([]FeedLine, []FeedProblem, error) {
	ff, err := ReadFeedSheet(r, size, "")
	if err != nil {
		return nil, nil, err
	}
	return ff.Lines, ff.Problems, nil
}

// FeedFile is a feed read from a spreadsheet: its lines, the bad ones, and
// what was not data (FeedReport.Ignored shows it to the supplier).
type FeedFile struct {
	Lines    []FeedLine
	Problems []FeedProblem
	Sheet    string
	Ignored  []model.IgnoredLine
}

// Report copies the sheet and the ignored lines into the feed's report.
func (ff *FeedFile) Report(rep *FeedReport) {
	rep.Sheet, rep.Ignored = ff.Sheet, ff.Ignored
}

// ReadFeedSheet reads a CSV or XLSX feed; sheet names the XLSX worksheet
// ("" for the first one with a recognisable header).
func ReadFeedSheet(r io.ReaderAt, size int64, sheet string) (*FeedFile, error) {
	lines, problems, rd, err := readFeed(r, size, sheet)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	ff := &FeedFile{Lines: lines, Problems: problems, Sheet: rd.Sheet()}
	for _, ig := range rd.Ignored() {
		ff.Ignored = append(ff.Ignored, model.IgnoredLine{Line: ig.Line, Text: ig.Text, Reason: ig.Reason})
	}
	return ff, nil
}

// readFeed reads every line; the reader is returned open (for its ignored
// lines) when err is nil.
func readFeed(r io.ReaderAt, size int64, sheet string) ([]FeedLine, []FeedProblem, *tabular.Reader, error) {
	rd, err := tabular.NewReader(r, size, tabular.Options{Columns: FeedColumns, MaxRows: FeedMaxRows, Sheet: sheet})
	if err != nil {
		return nil, nil, nil, feedFileError(err)
	}
	var lines []FeedLine
	var problems []FeedProblem
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rd.Close()
			return nil, nil, nil, feedFileError(err)
		}
		bad := false
		for _, p := range row.Problems {
			problems = append(problems, FeedProblem{Line: row.Line, Message: p.Message})
			bad = true
		}
		if re := row.RaggedError(); re != nil {
			problems = append(problems, FeedProblem{Line: row.Line, Message: re.Message})
			bad = true
		}
		if bad {
			continue
		}
		code := strings.TrimSpace(row.Get("supplier_code"))
		qty, qerr := row.Quantity("quantity")
		if code == "" {
			problems = append(problems, FeedProblem{Line: row.Line, Message: "código do fornecedor ausente"})
		}
		if qerr != nil {
			var te *tabular.Error
			msg := qerr.Error()
			if errors.As(qerr, &te) {
				msg = te.Message
			}
			problems = append(problems, FeedProblem{Line: row.Line, Message: msg})
		}
		if code != "" && qerr == nil {
			lines = append(lines, FeedLine{Line: row.Line, SupplierCode: code, Quantity: qty})
		}
	}
	return lines, problems, rd, nil
}

func feedFileError(err error) error {
	var te *tabular.Error
	if errors.As(err, &te) {
		return apperr.Invalid(te.Message)
	}
	return apperr.Wrap(err, apperr.EINTERNAL, "")
}

// ReadFeedJSON reads `[{"supplier_code": "X", "quantity": 3}, …]` one item at
// a time, so memory follows the FeedMaxRows cap, never the body's size.
func ReadFeedJSON(r io.Reader) ([]FeedLine, []FeedProblem, error) {
	malformed := func(item int) error {
		return apperr.Errorf(apperr.EMALFORMED, "JSON inválido no item %d: envie um array de objetos {\"supplier_code\", \"quantity\"}.", item)
	}
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, nil, apperr.Errorf(apperr.EMALFORMED, "JSON inválido: envie um array de objetos {\"supplier_code\", \"quantity\"}.")
	}
	var lines []FeedLine
	var problems []FeedProblem
	for n := 1; dec.More(); n++ {
		if n > FeedMaxRows {
			return nil, nil, apperr.Invalid(fmt.Sprintf("O estoque tem mais de %s linhas; divida-o em envios menores. Nenhuma linha foi aplicada.", format.Int(FeedMaxRows)))
		}
		var obj struct {
			SupplierCode json.RawMessage `json:"supplier_code"`
			Quantity     json.RawMessage `json:"quantity"`
		}
		if err := dec.Decode(&obj); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return nil, nil, malformed(n)
			}
			problems = append(problems, FeedProblem{Line: n, Message: "o item deve ser um objeto {\"supplier_code\", \"quantity\"}"})
			continue
		}
		var code string
		if obj.SupplierCode == nil || json.Unmarshal(obj.SupplierCode, &code) != nil || strings.TrimSpace(code) == "" {
			problems = append(problems, FeedProblem{Line: n, Message: "supplier_code ausente ou não é texto"})
			continue
		}
		if obj.Quantity == nil {
			problems = append(problems, FeedProblem{Line: n, Message: "quantity ausente"})
			continue
		}
		v := strings.TrimSpace(string(obj.Quantity))
		qty, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			problems = append(problems, FeedProblem{Line: n, Message: "quantity deve ser um número inteiro: " + truncateValue(v)})
			continue
		}
		if qty < 0 {
			problems = append(problems, FeedProblem{Line: n, Message: "quantidade negativa"})
			continue
		}
		lines = append(lines, FeedLine{Line: n, SupplierCode: strings.TrimSpace(code), Quantity: qty})
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, malformed(len(lines) + len(problems) + 1)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, apperr.Errorf(apperr.EMALFORMED, "JSON inválido: há conteúdo depois do fim do array.")
	}
	return lines, problems, nil
}

func truncateValue(v string) string {
	if len(v) > 40 {
		return v[:40] + "…"
	}
	return v
}

// ApplyFeed validates the lines against the supplier's catalog and, when every
// line is good, sets each product's physical stock at the supplier location.
func (s *Service) ApplyFeed(ctx context.Context, sup *model.Supplier, lines []FeedLine, problems []FeedProblem, reference string) (*FeedReport, error) {
	rep := &FeedReport{Rows: len(lines) + countLines(problems), Reference: reference}
	codes := make([]string, 0, len(lines))
	seen := map[string]int{}
	for _, l := range lines {
		if first, dup := seen[l.SupplierCode]; dup {
			problems = append(problems, FeedProblem{Line: l.Line, Message: fmt.Sprintf("código %s repetido (já informado na linha %d)", l.SupplierCode, first)})
			continue
		}
		seen[l.SupplierCode] = l.Line
		codes = append(codes, l.SupplierCode)
	}
	products, err := s.store.ProductsBySupplierCode(ctx, sup.ID, codes)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if _, ok := products[l.SupplierCode]; !ok {
			problems = append(problems, FeedProblem{Line: l.Line, Message: fmt.Sprintf("código %s não pertence ao catálogo do fornecedor", l.SupplierCode)})
		}
		if l.Quantity < 0 {
			problems = append(problems, FeedProblem{Line: l.Line, Message: "quantidade negativa"})
		}
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		rep.Rejected = problems
		return rep, nil
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		loc, err := s.SupplierLocation(ctx, sup)
		if err != nil {
			return err
		}
		changes := make([]store.StockChange, len(lines))
		for i, l := range lines {
			changes[i] = store.StockChange{ProductID: products[l.SupplierCode].ID, LocationID: loc.ID, Source: model.SourceSpreadsheet, Set: &l.Quantity, Reference: reference}
		}
		mvs, err := s.store.ApplyStockChanges(ctx, changes)
		if err != nil {
			return err
		}
		for _, mv := range mvs {
			if mv != nil {
				rep.Changed++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Applied = len(lines)
	rep.Rejected = []FeedProblem{}
	return rep, nil
}

func countLines(ps []FeedProblem) int {
	seen := map[int]bool{}
	for _, p := range ps {
		seen[p.Line] = true
	}
	return len(seen)
}
