package apptest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
)

// Dropship is a portal ready for the whole dropship flow: ConnectParts'
// CNPJ is nfetest.BuyerCNPJ, one supplier (nfetest.IssuerCNPJ, "Freios &
// Cia") has three products in stock with a price table in force, and a
// sandbox platform sells them. Import brings its paid orders in as purchase
// orders through the real import path (after their cancellation window).
type Dropship struct {
	*Env
	Supplier *model.Supplier
	Platform *model.Platform
	Sandbox  *sandbox.Platform
	nnf      int
}

// DropshipSKUs are the catalog of NewDropship; supplier codes are "F-" + SKU.
var DropshipSKUs = []string{"CP-001", "CP-002", "CP-003"}

// NewDropship starts a portal with the supplier, its catalog and the
// sandbox platform (seed 2, 12 orders; its shipping methods mapped).
func NewDropship(tb testing.TB) *Dropship {
	tb.Helper()
	env := New(tb, Options{Config: func(c *config.Config) { c.CompanyCNPJ = nfetest.BuyerCNPJ }})
	d := &Dropship{Env: env, Supplier: env.Supplier(nfetest.IssuerCNPJ, "Freios & Cia")}
	var lines []string
	for i, sku := range DropshipSKUs {
		p := &model.Product{SKU: sku, Name: "Pastilha de freio " + sku, SupplierID: &d.Supplier.ID, SupplierCode: "F-" + sku,
			NCM: "87083090", Dropship: true, Active: true}
		if err := env.App.Store.CreateProduct(env.Ctx, p); err != nil {
			tb.Fatal(err)
		}
		loc, err := env.App.Stock.LocationFor(env.Ctx, p)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := env.App.Stock.Count(env.Ctx, p.ID, loc.ID, 200, model.SourceInventory, "inv:dropship", ""); err != nil {
			tb.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("F-%s;%d,50", sku, 40+i*10))
	}
	csv := "codigo;preco\r\n" + strings.Join(lines, "\r\n") + "\r\n"
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := env.App.PriceTables.SubmitFile(env.Ctx, d.Supplier.ID, pricetable.File{Name: "t.csv", Size: int64(len(csv)), Body: strings.NewReader(csv)}, today); err != nil {
		tb.Fatal(err)
	}
	p, err := env.App.SyncEngine.AddPlatform(env.Ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: "Loja Demo",
		Settings: map[string]string{"seed": "2", "orders": "12"}})
	if err != nil {
		tb.Fatal(err)
	}
	for m, c := range map[string]string{"Normal": "Correios", "Econômica": "Loggi", "Expressa": "Jadlog"} {
		if _, err := env.App.SyncEngine.MapCarrier(env.Ctx, p.Name, m, c); err != nil {
			tb.Fatal(err)
		}
	}
	ad, err := env.App.SyncEngine.Registry().Adapter(env.Ctx, p)
	if err != nil {
		tb.Fatal(err)
	}
	d.Platform, d.Sandbox = p, ad.(*sandbox.Platform)
	return d
}

// Import runs the platform's import and returns the supplier's purchase
// orders awaiting it, oldest first; it fails the test when there is none.
// POs are raised at ready for handling (po_at default): the sandbox's paid
// orders are first imported (stock reserved), then their cancellation
// window passes (ready for handling on the sandbox) and a second import
// raises their POs.
func (d *Dropship) Import() []model.PurchaseOrder {
	d.T.Helper()
	if _, err := d.App.SyncEngine.RunImport(d.Ctx, d.Platform.ID); err != nil {
		d.T.Fatal(err)
	}
	for _, o := range d.Sandbox.Orders() {
		if o.Status == model.SOPaymentApproved {
			if err := d.Sandbox.SetStatus(o.ExternalID, model.SOReadyForHandling); err != nil {
				d.T.Fatal(err)
			}
		}
	}
	if _, err := d.App.SyncEngine.RunImport(d.Ctx, d.Platform.ID); err != nil {
		d.T.Fatal(err)
	}
	pos, _, err := d.App.Store.ListPurchaseOrders(d.Ctx, store.PurchaseOrderFilter{SupplierID: &d.Supplier.ID, Status: model.POAwaitingSupplier}, store.Page{Size: 50})
	if err != nil || len(pos) == 0 {
		d.T.Fatalf("no purchase order after the import: %v", err)
	}
	// Oldest first, with items loaded.
	out := make([]model.PurchaseOrder, 0, len(pos))
	for i := len(pos) - 1; i >= 0; i-- {
		po, err := d.App.Store.FindPurchaseOrderByNumber(d.Ctx, pos[i].Number)
		if err != nil {
			d.T.Fatal(err)
		}
		out = append(out, *po)
	}
	return out
}

// ImportOne runs the import and returns one new purchase order of the
// supplier: the first whose order ships by Correios, so that the tracking
// code the supplier sends matches the carrier, or else the first.
func (d *Dropship) ImportOne() model.PurchaseOrder {
	d.T.Helper()
	pos := d.Import()
	for _, po := range pos {
		if po.CarrierName == "Correios" {
			return po
		}
	}
	return pos[0]
}

// SupplierInvoiceXML is the supplier's authorised NF-e of the PO to
// ConnectParts (CFOP 6.119, xPed the PO number, the PO's codes, quantities
// and prices); edit changes it before it is written.
func (d *Dropship) SupplierInvoiceXML(tb testing.TB, po model.PurchaseOrder, edit func(doc *nfetest.Doc)) []byte {
	tb.Helper()
	d.nnf++
	doc := nfetest.Valid()
	doc.Proc, doc.NNF, doc.Items = true, strconv.Itoa(7000+d.nnf), nil
	for _, it := range po.Items {
		if it.UnitPriceCents == nil {
			tb.Fatalf("PO %s line %d has no price", po.Number, it.Line)
		}
		unit := *it.UnitPriceCents
		doc.Items = append(doc.Items, nfetest.Item{Code: it.SupplierCode, EAN: "SEM GTIN", Desc: strings.ToUpper(it.Name), NCM: "87083090", CFOP: "6119",
			Unit: "UN", Q: strconv.FormatInt(it.Quantity, 10), V: money(unit), VProd: money(unit * it.Quantity), XPed: po.Number})
	}
	if edit != nil {
		edit(doc)
	}
	return []byte(doc.XML(tb))
}

// BillingXML is ConnectParts' authorised billing NF-e of the PO to its
// customer (CFOP 6.120, cProd the SKU, the order's quantities, infCpl
// naming the PO); edit changes it before it is written.
func (d *Dropship) BillingXML(tb testing.TB, po model.PurchaseOrder, edit func(doc *nfetest.Doc)) []byte {
	tb.Helper()
	d.nnf++
	doc := nfetest.Valid()
	doc.Proc, doc.NNF, doc.Items = true, strconv.Itoa(9000+d.nnf), nil
	doc.EmitCNPJ, doc.EmitName, doc.DestName = nfetest.BuyerCNPJ, "CONNECTPARTS COMERCIO LTDA", strings.ToUpper(po.CustomerName)
	doc.DestCNPJ, doc.DestCPF = "", ""
	if len(po.CustomerDocument) == 14 {
		doc.DestCNPJ = po.CustomerDocument
	} else {
		doc.DestCPF = po.CustomerDocument
	}
	for _, it := range po.Items {
		unit := int64(12990)
		doc.Items = append(doc.Items, nfetest.Item{Code: it.SKU, EAN: "SEM GTIN", Desc: strings.ToUpper(it.Name), NCM: "87083090", CFOP: "6120",
			Unit: "UN", Q: strconv.FormatInt(it.Quantity, 10), V: money(unit), VProd: money(unit * it.Quantity)})
	}
	doc.ExtraInf = "<infAdic><infCpl>Venda a ordem: mercadoria remetida por FREIOS &amp; CIA LTDA, pedido de compra " + po.Number +
		", pedido de venda " + po.OrderNumber + ".</infCpl></infAdic>"
	if edit != nil {
		edit(doc)
	}
	return []byte(doc.XML(tb))
}

func money(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }
