package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/gtin"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
)

// Service imports catalogs into the store.
type Service struct {
	store *store.Store
}

// New builds the service.
func New(st *store.Store) *Service { return &Service{store: st} }

// Column keys of a catalog file (CONTRACT.md); they are also the JSON keys.
const (
	colSKU          = "sku"
	colName         = "name"
	colBrand        = "brand"
	colEAN          = "ean"
	colNCM          = "ncm"
	colSupplierCNPJ = "supplier_cnpj"
	colSupplierCode = "supplier_code"
	colDropship     = "dropship"
	colActive       = "active"
)

// columns are the catalog columns with the header names people also use.
// Header cells are compared after tabular.NormalizeHeader: any case, accents
// optional. "active" is an addition to the contract's columns.
var columns = []tabular.Column{
	{Key: colSKU, Required: true, Aliases: []string{"código", "codigo connectparts", "sku connectparts", "ref id", "referência", "ref"}},
	{Key: colName, Aliases: []string{"nome", "descrição", "produto", "nome do produto", "descrição do produto"}},
	{Key: colBrand, Aliases: []string{"marca", "fabricante"}},
	{Key: colEAN, Aliases: []string{"gtin", "ean/gtin", "ean13", "código de barras", "cod barras", "cean"}},
	{Key: colNCM, Aliases: []string{"classificação fiscal"}},
	{Key: colSupplierCNPJ, Aliases: []string{"cnpj", "cnpj fornecedor", "cnpj do fornecedor", "fornecedor cnpj"}},
	{Key: colSupplierCode, Aliases: []string{"código fornecedor", "código do fornecedor", "cód fornecedor", "cod fornecedor", "código no fornecedor", "referência fornecedor"}},
	{Key: colDropship, Aliases: []string{"drop", "drop shipping", "dropshipping"}},
	{Key: colActive, Aliases: []string{"ativo"}},
}

// inputCell is one value of an input row.
type inputCell struct {
	Value   string
	Present bool // false: no such column or JSON key (keep the current value)
	Number  bool // an XLSX numeric cell or a JSON number: leading zeros may be lost
}

// inputRow is one catalog line before validation.
type inputRow struct {
	Line                                 int
	SKU, Name, Brand, EAN, NCM           inputCell
	SupplierCNPJ, SupplierCode, Dropship inputCell
	Active                               inputCell
	Problems                             []string // found while reading (cell too long, formula, broken line)
}

func (r *inputRow) cell(key string) *inputCell {
	switch key {
	case colSKU:
		return &r.SKU
	case colName:
		return &r.Name
	case colBrand:
		return &r.Brand
	case colEAN:
		return &r.EAN
	case colNCM:
		return &r.NCM
	case colSupplierCNPJ:
		return &r.SupplierCNPJ
	case colSupplierCode:
		return &r.SupplierCode
	case colDropship:
		return &r.Dropship
	case colActive:
		return &r.Active
	}
	return nil
}

// ImportFile reads a CSV or XLSX catalog (the format is decided by content)
// and applies it when every line is valid. A file that cannot be read at all
// (not a spreadsheet, no SKU column…) is an EINVALID error; problems of
// lines are in the report, and then nothing was applied.
func (s *Service) ImportFile(ctx context.Context, r io.ReaderAt, size int64, source string) (*Report, error) {
	return s.ImportSheet(ctx, r, size, source, "")
}

// ImportSheet is ImportFile reading the named XLSX worksheet ("" for the
// first one with a recognisable header).
func (s *Service) ImportSheet(ctx context.Context, r io.ReaderAt, size int64, source, sheet string) (*Report, error) {
	rd, err := tabular.NewReader(r, size, tabular.Options{Columns: columns, Sheet: sheet, MaxRows: MaxRows})
	if err != nil {
		return nil, fileError(err)
	}
	defer rd.Close()
	rep := &Report{Source: source, Format: describeFormat(rd)}
	err = s.importRows(ctx, rep, func(add func(inputRow) error) error {
		for {
			tr, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fileError(err)
			}
			row := inputRow{Line: tr.Line}
			for _, c := range columns {
				if rd.Has(c.Key) {
					*row.cell(c.Key) = inputCell{Value: tr.Get(c.Key), Present: true, Number: tr.IsNumber(c.Key)}
				}
			}
			for _, p := range tr.Problems {
				row.Problems = append(row.Problems, problemText(p))
			}
			if e := tr.RaggedError(); e != nil {
				row.Problems = append(row.Problems, sentence(e.Message))
			}
			if err := add(row); err != nil {
				return err
			}
		}
		if rep.Rows == 0 {
			return apperr.Invalid("O arquivo não tem nenhuma linha de produto abaixo do cabeçalho.")
		}
		rep.Sheet = rd.Sheet()
		for _, ig := range rd.Ignored() {
			rep.Ignored = append(rep.Ignored, model.IgnoredLine{Line: ig.Line, Text: ig.Text, Reason: ig.Reason})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func describeFormat(rd *tabular.Reader) string {
	if rd.Format() != tabular.FormatCSV {
		return rd.Format().String()
	}
	delim := string(rd.Delimiter())
	if rd.Delimiter() == '\t' {
		delim = "tabulação"
	}
	return fmt.Sprintf("CSV (%s, separador %s)", rd.Encoding(), delim)
}

// problemText renders a tabular row problem without repeating the line number.
func problemText(e *tabular.Error) string {
	if e.Column != "" {
		return sentence(fmt.Sprintf("coluna %q: %s", e.Column, e.Message))
	}
	return sentence(e.Message)
}

// fileError turns a problem with the whole file into an EINVALID error.
func fileError(err error) error {
	var te *tabular.Error
	if !errors.As(err, &te) {
		return err
	}
	e := apperr.Invalid("Arquivo recusado: " + te.Error() + ". Nenhuma linha foi aplicada.")
	if te.Line > 0 {
		e.Details = []apperr.Detail{{Line: te.Line, Message: sentence(te.Message)}}
	}
	return e
}

// supplierRef is the outcome of looking up one CNPJ of the input.
type supplierRef struct {
	id      int64
	problem string
}

func distinctSKUs(rows []inputRow) []string {
	seen := make(map[string]bool, len(rows))
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		sku := strings.TrimSpace(r.SKU.Value)
		if sku != "" && !seen[sku] {
			seen[sku] = true
			out = append(out, sku)
		}
	}
	return out
}

// buildProduct merges a row into the existing product of its SKU (or a new
// one). It returns problems the product's own validation cannot see, and
// whether the supplier CNPJ could not be resolved.
func (s *Service) buildProduct(ctx context.Context, row *inputRow, existing map[string]model.Product, suppliers map[string]supplierRef) (model.Product, bool, []string, error) {
	var msgs []string
	sku := strings.TrimSpace(row.SKU.Value)
	p, found := existing[sku]
	if !found {
		p = model.Product{SKU: sku, Active: true}
	}
	p.Supplier = nil
	set := func(c inputCell, dst *string) {
		if c.Present {
			*dst = c.Value
		}
	}
	set(row.Name, &p.Name)
	set(row.Brand, &p.Brand)
	set(row.SupplierCode, &p.SupplierCode)
	if row.EAN.Present {
		p.EAN = numericEAN(row.EAN)
	}
	if row.NCM.Present {
		p.NCM = numericNCM(row.NCM)
	}
	supplierFailed := false
	if row.SupplierCNPJ.Present {
		p.SupplierID = nil
		if doc := numericCNPJ(row.SupplierCNPJ); doc != "" {
			ref, err := s.lookupSupplier(ctx, doc, suppliers)
			if err != nil {
				return p, false, nil, err
			}
			if ref.problem != "" {
				msgs = append(msgs, ref.problem)
				supplierFailed = true
			} else {
				id := ref.id
				p.SupplierID = &id
			}
		}
	}
	if v, ok, msg := parseFlag(row.Dropship, "dropship"); msg != "" {
		msgs = append(msgs, msg)
	} else if ok {
		p.Dropship = v
	} else if !found {
		// The column's default: a product with a supplier is sold by dropship.
		p.Dropship = p.SupplierID != nil || supplierFailed
	}
	if v, ok, msg := parseFlag(row.Active, "ativo"); msg != "" {
		msgs = append(msgs, msg)
	} else if ok {
		p.Active = v
	}
	p.Normalize()
	return p, supplierFailed, msgs, nil
}

// lookupSupplier resolves a normalized CNPJ once per import.
func (s *Service) lookupSupplier(ctx context.Context, doc string, cache map[string]supplierRef) (supplierRef, error) {
	if ref, ok := cache[doc]; ok {
		return ref, nil
	}
	var ref supplierRef
	if msg := cnpj.Check(doc); msg != "" {
		ref.problem = sentence(fmt.Sprintf("CNPJ do fornecedor %q inválido: %s", doc, msg))
	} else if sup, err := s.store.FindSupplierByCNPJ(ctx, doc); err == nil {
		ref.id = sup.ID
	} else if apperr.Is(err, apperr.ENOTFOUND) {
		ref.problem = fmt.Sprintf("Fornecedor com CNPJ %s não cadastrado no portal.", cnpj.Format(doc))
	} else {
		return ref, err
	}
	cache[doc] = ref
	return ref, nil
}

// parseFlag reads sim/não, true/false, 1/0 (and s/n, yes/no, x). ok is false
// when the cell is absent or empty.
func parseFlag(c inputCell, name string) (v, ok bool, problem string) {
	if !c.Present || strings.TrimSpace(c.Value) == "" {
		return false, false, ""
	}
	switch tabular.NormalizeHeader(c.Value) {
	case "sim", "s", "true", "t", "1", "yes", "y", "verdadeiro", "v", "x":
		return true, true, ""
	case "nao", "n", "false", "f", "0", "no", "falso":
		return false, true, ""
	}
	return false, false, fmt.Sprintf("Valor de %s inválido: %q (use sim ou não, true ou false, 1 ou 0).", name, c.Value)
}

// numericDigits returns the integer written by a spreadsheet number cell or
// a JSON number ("7891234567895", "7.891234567895E12"), or "" when the text
// is not an integer.
func numericDigits(c inputCell) string {
	if !c.Number {
		return ""
	}
	n, err := tabular.ParseQuantityNumber(c.Value)
	if err != nil {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// numericEAN restores the leading zeros a spreadsheet drops from an EAN typed
// as a number, when the code is only valid with them.
func numericEAN(c inputCell) string {
	d := numericDigits(c)
	if d == "" || gtin.Valid(d) {
		if d != "" {
			return d
		}
		return c.Value
	}
	if padded := leftPad(d, 13); len(d) < 13 && gtin.Valid(padded) {
		return padded
	}
	return d
}

// numericNCM restores the leading zero of chapters 01 to 09 ("4011010" is
// 0401.10.10) when the NCM was typed as a number.
func numericNCM(c inputCell) string {
	d := numericDigits(c)
	switch {
	case d == "":
		return c.Value
	case len(d) == 7:
		return "0" + d
	}
	return d
}

// numericCNPJ normalizes a CNPJ, restoring the leading zeros of one typed as
// a number.
func numericCNPJ(c inputCell) string {
	if d := numericDigits(c); d != "" && len(d) < 14 {
		return leftPad(d, 14)
	} else if d != "" {
		return d
	}
	return cnpj.Normalize(c.Value)
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}
