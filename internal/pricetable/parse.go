package pricetable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/gtin"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/tabular"
)

// Limits of an uploaded price table.
const (
	MaxFileBytes = 20 << 20 // a 100,000-line CSV is about 5 MB
	MaxLines     = 200_000
	MaxProblems  = 10_000 // problems listed in one report; the total is always given
	MaxPrice     = 100_000_000_00
)

// Column keys of a price table file.
const (
	colCode        = "codigo"
	colPrice       = "preco"
	colEAN         = "ean"
	colDescription = "descricao"
	colMinQty      = "qtd_minima"
)

// Columns are the accepted header names (any case, accents optional; see
// tabular.NormalizeHeader). Code and price are required.
var Columns = []tabular.Column{
	{Key: colCode, Required: true, Aliases: []string{
		"código", "cod", "cód", "cod fornecedor", "cód. fornecedor", "codigo fornecedor", "código do fornecedor",
		"codigo do fornecedor", "cod produto", "codigo produto", "código do produto", "cod prod", "referência",
		"referencia", "ref", "supplier_code", "código interno", "cod item", "codigo item",
	}},
	{Key: colPrice, Required: true, Aliases: []string{
		"preço", "valor", "valor unitário", "preço unitário", "preço de venda", "preço venda", "preço de custo",
		"custo", "price", "unit_price", "vl unitário", "vlr unitário", "valor (R$)", "preço (R$)", "preço líquido",
		"novo preço", "preço tabela", "preço de tabela",
	}},
	{Key: colEAN, Aliases: []string{"gtin", "ean13", "ean 13", "código de barras", "cod barras", "cód barras"}},
	{Key: colDescription, Aliases: []string{
		"descrição", "desc", "produto", "nome", "nome do produto", "description", "descrição do produto", "nome produto",
	}},
	{Key: colMinQty, Aliases: []string{
		"quantidade mínima", "qtd mínima", "qtde mínima", "qtd min", "qtde min", "min_qty", "mínimo",
		"lote mínimo", "pedido mínimo", "quantidade minima de compra",
	}},
}

// allowedExtensions are the file names accepted; the format itself is always
// decided by content (an .xlsx renamed .csv is read as XLSX).
var allowedExtensions = map[string]bool{".csv": true, ".txt": true, ".xlsx": true, ".xls": true, "": true}

func checkFileName(name string) error {
	ext := strings.ToLower(filepath.Ext(name))
	if allowedExtensions[ext] {
		return nil
	}
	msg := fmt.Sprintf("Arquivo %q recusado: a extensão %s não é aceita; envie a tabela em .csv ou .xlsx.", name, ext)
	return apperr.Invalid(msg, apperr.Detail{Field: "file", Message: msg})
}

// fileProblem turns a problem with the whole file into an EINVALID error.
func fileProblem(err error) error {
	var te *tabular.Error
	if errors.As(err, &te) {
		msg := "Arquivo recusado: " + te.Error() + "."
		return apperr.Invalid(msg, apperr.Detail{Field: "file", Line: te.Line, Message: capitalize(te.Error()) + "."})
	}
	return err
}

// report collects every problem of a file.
type report struct {
	details []apperr.Detail
	total   int
}

func (r *report) add(line int, msg string) {
	r.total++
	if len(r.details) < MaxProblems {
		r.details = append(r.details, apperr.Detail{Line: line, Message: capitalize(msg) + "."})
	}
}

// err is the EINVALID error listing the problems of a file of `lines` data
// lines, `bad` of which have a problem; nil when there is none.
func (r *report) err(lines, bad int) error {
	if r.total == 0 {
		return nil
	}
	msg := fmt.Sprintf("A tabela não foi aceita: %s de %s com problema. Corrija e envie o arquivo novamente; nada foi gravado.",
		format.Plural(bad, "linha", "linhas"), format.Int(int64(lines)))
	if r.total > len(r.details) {
		msg += fmt.Sprintf(" Mostrando os primeiros %s de %s problemas.", format.Int(int64(len(r.details))), format.Int(int64(r.total)))
	}
	return apperr.Invalid(msg, r.details...)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:40]) + "…"
	}
	return strconv.Quote(s)
}

// validator checks the lines of one file against one supplier's catalog.
type validator struct {
	codes    map[string]int64 // supplier_code → product id, this supplier only
	seen     map[int64]int    // product id → line where its code appeared
	rep      report
	badLines int
}

func newValidator(codes map[string]int64) *validator {
	return &validator{codes: codes, seen: make(map[int64]int, len(codes))} // sized by the catalog, not the file
}

// check validates one row and fills it; it returns false when the row has a problem.
func (v *validator) check(row tabular.Row, it *model.PriceTableItem) bool {
	before := v.rep.total
	for _, p := range row.Problems {
		v.rep.add(row.Line, cellMessage(p))
	}
	if len(row.Problems) > 0 && row.Fields == 0 {
		v.badLines++ // a CSV record that could not be read at all: its values are empty
		return false
	}
	if e := row.RaggedError(); e != nil {
		v.rep.add(row.Line, e.Message)
	}
	code := row.Get(colCode)
	switch id, ok := v.codes[code]; {
	case code == "":
		v.rep.add(row.Line, "código do produto ausente")
	case !ok:
		v.rep.add(row.Line, fmt.Sprintf("código %s não pertence ao seu catálogo", quote(code)))
	case v.seen[id] != 0:
		v.rep.add(row.Line, fmt.Sprintf("código %s repetido: já aparece na linha %d", quote(code), v.seen[id]))
	default:
		v.seen[id] = row.Line
		it.ProductID = id
	}
	price, err := row.Centavos(colPrice)
	switch {
	case err != nil:
		v.rep.add(row.Line, valueMessage(err))
	case price == 0:
		v.rep.add(row.Line, "preço zero não é permitido")
	case price > MaxPrice:
		v.rep.add(row.Line, "preço acima do limite de "+format.Money(MaxPrice))
	}
	it.MinQty = 1
	if row.Get(colMinQty) != "" {
		q, err := row.Quantity(colMinQty)
		switch {
		case err != nil:
			v.rep.add(row.Line, valueMessage(err))
		case q < 1:
			v.rep.add(row.Line, "quantidade mínima deve ser pelo menos 1")
		case q > 1_000_000:
			v.rep.add(row.Line, "quantidade mínima acima de 1.000.000")
		default:
			it.MinQty = int(q)
		}
	}
	if v.rep.total != before {
		v.badLines++
		return false
	}
	it.Line = row.Line
	it.SupplierCode = code
	it.PriceCents = price
	it.Description = row.Get(colDescription)
	it.EAN = row.Get(colEAN)
	if gtin.IsNone(it.EAN) {
		it.EAN = ""
	}
	return true
}

func cellMessage(e *tabular.Error) string {
	if e.Column != "" {
		return fmt.Sprintf("coluna %q: %s", e.Column, e.Message)
	}
	return e.Message
}

// valueMessage keeps the Portuguese message of a cell value error without
// repeating the line number (the report has its own line column).
func valueMessage(err error) string {
	var te *tabular.Error
	if errors.As(err, &te) {
		return te.Message
	}
	return err.Error()
}

// scan reads every row of rd, writing the valid ones with add while no line
// has failed yet; it returns the number of data lines and every problem.
func scan(ctx context.Context, rd *tabular.Reader, v *validator, add func(*model.PriceTableItem) error) (int, error) {
	lines := 0
	var it model.PriceTableItem
	for {
		if lines%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return lines, err
			}
		}
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			// The rest of the file cannot be read: report what was found so far too.
			return lines, merge(fileProblem(err), v.rep.err(lines, v.badLines))
		}
		lines++
		it = model.PriceTableItem{}
		if v.check(row, &it) && v.rep.total == 0 {
			if err := add(&it); err != nil {
				return lines, err
			}
		}
	}
	if err := v.rep.err(lines, v.badLines); err != nil {
		return lines, err
	}
	if lines == 0 {
		msg := "Arquivo recusado: a tabela não tem nenhuma linha de preço abaixo do cabeçalho."
		return 0, apperr.Invalid(msg, apperr.Detail{Field: "file", Message: msg})
	}
	return lines, nil
}

func readerOptions() tabular.Options {
	return tabular.Options{Columns: Columns, MaxRows: MaxLines}
}
