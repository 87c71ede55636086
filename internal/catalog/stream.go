package catalog

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// MaxRows caps the lines of a catalog import, whatever its format: the cap
// of stock feeds and price tables. A bigger catalog is sent in parts.
const MaxRows = 200_000

// importBatch is how many rows are validated and written at a time: memory
// follows it, not the size of the file.
const importBatch = 2_000

// errRejected rolls back an import in which some line has a problem; the
// report says which.
var errRejected = errors.New("catalog: import rejected")

type pairKey struct {
	supplier int64
	code     string
}

type firstSeen struct {
	line int
	sku  string
}

// deferred is a valid product whose supplier code is held, in the database,
// by another product: it is written at the end, once that product's line
// (if the file has it) has released the code.
type deferred struct {
	line   int
	holder string
	p      model.Product
}

// importer streams the rows of one import: it validates them a batch at a
// time and writes each batch at once, in the transaction of ctx, until a
// line has a problem; from then on it only validates, to report every
// problem, and the transaction is rolled back. What it keeps for the whole
// file is what the checks across lines need: the SKUs and supplier codes
// seen, and the products deferred by a supplier code taken.
type importer struct {
	s         *Service
	rep       *Report
	batch     []inputRow
	suppliers map[string]supplierRef
	seenSKU   map[string]int
	seenPair  map[pairKey]firstSeen
	deferred  []deferred
	problems  []Problem // at most MaxProblems; the rest are counted
	badLines  map[int]bool
	res       store.ProductUpsertResult
}

// importRows runs read, which hands every input row to add in line order,
// and applies the rows in one transaction when every one is valid.
func (s *Service) importRows(ctx context.Context, rep *Report, read func(add func(inputRow) error) error) error {
	im := &importer{
		s: s, rep: rep, suppliers: map[string]supplierRef{}, seenSKU: map[string]int{},
		seenPair: map[pairKey]firstSeen{}, badLines: map[int]bool{},
	}
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		if err := read(func(row inputRow) error { return im.add(ctx, row) }); err != nil {
			return err
		}
		return im.finish(ctx)
	})
	if errors.Is(err, errRejected) {
		return nil
	}
	return err
}

func (im *importer) add(ctx context.Context, row inputRow) error {
	im.rep.Rows++
	im.batch = append(im.batch, row)
	if len(im.batch) < importBatch {
		return nil
	}
	return im.flush(ctx)
}

func (im *importer) problem(line int, msg string) {
	im.badLines[line] = true
	if len(im.problems) >= MaxProblems {
		im.rep.Omitted++
		return
	}
	im.problems = append(im.problems, Problem{Line: line, Message: msg})
}

// flush validates the batch and, while no line of the import has a
// problem, writes its products.
func (im *importer) flush(ctx context.Context) error {
	rows := im.batch
	im.batch = im.batch[:0]
	if len(rows) == 0 {
		return nil
	}
	existing, err := im.s.store.ProductsBySKU(ctx, distinctSKUs(rows))
	if err != nil {
		return err
	}
	products := make([]model.Product, 0, len(rows))
	lines := make([]int, 0, len(rows))
	for i := range rows {
		row := &rows[i]
		msgs := append([]string(nil), row.Problems...)
		p, supplierFailed, more, err := im.s.buildProduct(ctx, row, existing, im.suppliers)
		if err != nil {
			return err
		}
		msgs = append(msgs, more...)
		for _, d := range p.Problems() {
			if supplierFailed && d.Field == "supplier_id" {
				continue // the CNPJ problem already says it
			}
			msgs = append(msgs, d.Message)
		}
		if p.SKU != "" {
			if first, dup := im.seenSKU[p.SKU]; dup {
				msgs = append(msgs, fmt.Sprintf("SKU %s repetido no arquivo: já aparece na linha %d.", p.SKU, first))
			} else {
				im.seenSKU[strings.Clone(p.SKU)] = row.Line
			}
		}
		if p.SupplierID != nil && p.SupplierCode != "" {
			k := pairKey{*p.SupplierID, p.SupplierCode}
			if first, dup := im.seenPair[k]; dup {
				msgs = append(msgs, fmt.Sprintf("Código do fornecedor %s repetido para o mesmo fornecedor: já usado na linha %d (SKU %s).",
					p.SupplierCode, first.line, first.sku))
			} else {
				im.seenPair[pairKey{k.supplier, strings.Clone(k.code)}] = firstSeen{row.Line, strings.Clone(p.SKU)}
			}
		}
		for _, m := range msgs {
			im.problem(row.Line, m)
		}
		if len(msgs) == 0 {
			products = append(products, p)
			lines = append(lines, row.Line)
		}
	}

	// A supplier code held by a product of the database is free only when
	// that product is in the input (its own line releases it): such
	// products wait for the end of the input, when it is known.
	bySupplier := map[int64][]string{}
	for _, p := range products {
		if p.SupplierID != nil && p.SupplierCode != "" {
			bySupplier[*p.SupplierID] = append(bySupplier[*p.SupplierID], p.SupplierCode)
		}
	}
	holders := map[pairKey]string{}
	for sup, codes := range bySupplier {
		found, err := im.s.store.ProductsBySupplierCode(ctx, sup, codes)
		if err != nil {
			return err
		}
		for code, holder := range found {
			holders[pairKey{sup, code}] = holder.SKU
		}
	}
	write := products[:0]
	for i, p := range products {
		if p.SupplierID != nil && p.SupplierCode != "" {
			if holder, ok := holders[pairKey{*p.SupplierID, p.SupplierCode}]; ok && holder != p.SKU {
				im.deferred = append(im.deferred, deferred{line: lines[i], holder: holder, p: p})
				continue
			}
		}
		write = append(write, p)
	}
	if len(im.badLines) > 0 {
		return nil
	}
	return im.s.store.UpsertProductBatch(ctx, write, &im.res)
}

// finish checks the deferred products, writes them with the last batch and
// records the import, or rolls it back with errRejected.
func (im *importer) finish(ctx context.Context) error {
	if err := im.flush(ctx); err != nil {
		return err
	}
	var late []Problem
	products := make([]model.Product, 0, len(im.deferred))
	for _, d := range im.deferred {
		if _, inFile := im.seenSKU[d.holder]; !inFile {
			late = append(late, Problem{Line: d.line, Message: fmt.Sprintf(
				"O fornecedor já usa o código %s para o produto de SKU %s, que não está no arquivo.", d.p.SupplierCode, d.holder)})
			continue
		}
		products = append(products, d.p)
	}
	im.deferred = nil
	for _, p := range late {
		im.problem(p.Line, p.Message)
	}
	rep := im.rep
	if len(im.badLines) > 0 {
		// Every problem but the late ones came in line order.
		sort.SliceStable(im.problems, func(i, j int) bool { return im.problems[i].Line < im.problems[j].Line })
		rep.Problems = im.problems
		rep.Rejected = len(im.badLines)
		return errRejected
	}
	if err := im.s.store.UpsertProductBatch(ctx, products, &im.res); err != nil {
		return err
	}
	if err := im.s.store.FinishProductImport(ctx, store.ProductImport{Source: rep.Source, Format: rep.Format}, rep.Rows, &im.res); err != nil {
		return err
	}
	rep.Applied = im.res.Created + im.res.Updated + im.res.Unchanged
	rep.Created, rep.Updated, rep.Unchanged = im.res.Created, im.res.Updated, im.res.Unchanged
	return nil
}
