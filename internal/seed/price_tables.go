package seed

import (
	"context"
	"fmt"
	"strings"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
)

// demoPrices are the demo suppliers' prices in centavos, by supplier code;
// a demo product missing here costs R$ 100,00.
var demoPrices = map[string]int64{
	"PAU-PF-01": 8990, "PAU-PF-02": 7650, "PAU-AM-11": 32900, "PAU-FO-21": 1890, "PAU-VE-31": 11490,
	"FC-DF-500": 21900, "FC-DF-501": 15400, "FC-PF-502": 18990, "FC-FL-503": 3290, "FC-SE-504": 24500,
}

// demoPriceTables gives every demo supplier a price table in force (its
// first, effective at once); Paulista also gets a second one scheduled with
// the notice, so the preview and the lifecycle have something to show. A
// supplier that already has any table is left alone.
func demoPriceTables(ctx context.Context, d Deps, supplierIDs []int64) error {
	if d.PriceTables == nil {
		return nil
	}
	for i, sid := range supplierIDs {
		existing, _, err := d.Store.ListPriceTables(ctx, store.PriceTableFilter{SupplierID: &sid, IncludeDrafts: true}, store.Page{Size: 1}, d.Store.Now())
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			continue
		}
		first, next := demoTable(i, 0), demoTable(i, 1)
		if first == "" {
			continue
		}
		today := format.Day(d.Store.Now())
		if _, err := d.PriceTables.SubmitFile(ctx, sid, pricetable.File{Name: "tabela-demo.csv", Size: int64(len(first)), Body: strings.NewReader(first)},
			today.Format("2006-01-02")); err != nil {
			return fmt.Errorf("tabela de preços de demonstração: %w", err)
		}
		if i != 0 {
			continue
		}
		date := today.AddDate(0, 0, 20).Format("2006-01-02")
		if _, err := d.PriceTables.SubmitFile(ctx, sid, pricetable.File{Name: "tabela-demo-reajuste.csv", Size: int64(len(next)), Body: strings.NewReader(next)}, date); err != nil {
			return fmt.Errorf("tabela de preços de demonstração: %w", err)
		}
	}
	return nil
}

// demoUnpriced are demo products missing from their supplier's table in
// force (version 0): a newly listed product whose price comes only with the
// next table, so the demo orders for it make POs without price, in the
// purchasing exception queue.
var demoUnpriced = map[string]bool{"PAU-VE-31": true}

// demoTable is the CSV of a demo supplier's table: version 0 at the demo
// prices without the demoUnpriced products, version 1 with increases of 4 to
// 18 %, the demoUnpriced products added and version 0's last product dropped.
func demoTable(supplier, version int) string {
	var rows []string
	last := -1 // version 0's last product
	for _, dp := range demoProducts {
		if dp.supplier != supplier || (version == 0 && demoUnpriced[dp.code]) {
			continue
		}
		if !demoUnpriced[dp.code] {
			last = len(rows)
		}
		rows = append(rows, dp.code+";"+dp.name)
	}
	if len(rows) == 0 {
		return ""
	}
	if version == 1 && last >= 0 {
		rows = append(rows[:last], rows[last+1:]...)
	}
	var b strings.Builder
	b.WriteString("Código;Descrição;Preço\r\n")
	for i, r := range rows {
		code := r[:strings.IndexByte(r, ';')]
		cents, ok := demoPrices[code]
		if !ok {
			cents = 10000
		}
		if version == 1 {
			cents += cents * int64(4+i*7%15) / 100
		}
		b.WriteString(r + ";" + tabular.FormatCentavos(cents) + "\r\n")
	}
	return b.String()
}
