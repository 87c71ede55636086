package purchasing_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/internal/testdb"
)

// env is a migrated database with the purchasing service, two suppliers
// (A is the issuer of nfetest.Valid), their dropship products and a clock
// the test moves.
type env struct {
	t      testing.TB
	ctx    context.Context
	db     *database.DB
	st     *store.Store
	tables *pricetable.Service
	svc    *purchasing.Service
	stock  *stock.Service
	now    time.Time
	plat   *model.Platform
	a, b   *model.Supplier
	seq    int
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	db := testdb.MustOpen(tb)
	e := &env{t: tb, db: db, st: store.New(db)}
	e.ctx = model.WithActor(context.Background(), model.Actor{Label: "test"})
	e.now = at("2026-07-10 09:00")
	e.st.SetClock(func() time.Time { return e.now.UTC() })
	e.tables = pricetable.NewService(e.st, tb.TempDir())
	e.svc = purchasing.New(purchasing.Options{Store: e.st, Prices: e.tables, CompanyCNPJ: nfetest.BuyerCNPJ})
	e.stock = stock.New(e.st)
	e.a = e.supplier(nfetest.IssuerCNPJ, "Freios & Cia")
	e.b = e.supplier("11222333000181", "Paulista Autopeças")
	e.plat = &model.Platform{Kind: model.PlatformSandbox, Name: "Loja", SettingsSealed: "x", Enabled: true,
		ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
	if err := e.st.CreatePlatform(e.ctx, e.plat); err != nil {
		tb.Fatal(err)
	}
	e.product(e.a, "SKU-PF", "PF-100", true)
	e.product(e.a, "SKU-DF", "DF-200", true)
	e.product(e.b, "SKU-B1", "B-1", true)
	e.product(e.a, "SKU-CD", "CD-9", false) // kept in ConnectParts' own stock: no PO
	return e
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, format.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func (e *env) supplier(cnpj, name string) *model.Supplier {
	e.t.Helper()
	s := &model.Supplier{CNPJ: cnpj, LegalName: name, DispatchHours: 24, PriceNoticeDays: model.DefaultPriceNoticeDays, Active: true}
	if err := e.st.CreateSupplier(e.ctx, s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) product(sup *model.Supplier, sku, code string, dropship bool) {
	e.t.Helper()
	p := &model.Product{SKU: sku, Name: "Produto " + code, SupplierID: &sup.ID, SupplierCode: code, Dropship: dropship, Active: true}
	if err := e.st.CreateProduct(e.ctx, p); err != nil {
		e.t.Fatal(err)
	}
}

// table submits a price table of the supplier taking effect on date.
func (e *env) table(sup *model.Supplier, date string, lines ...string) *model.PriceTable {
	e.t.Helper()
	body, err := charmap.Windows1252.NewEncoder().Bytes([]byte("codigo;preco\r\n" + strings.Join(lines, "\r\n") + "\r\n"))
	if err != nil {
		e.t.Fatal(err)
	}
	t, err := e.tables.SubmitFile(e.ctx, sup.ID, pricetable.File{Name: "tabela.csv", Size: int64(len(body)), Body: bytes.NewReader(body)}, date)
	if err != nil {
		e.t.Fatalf("price table: %v %v", err, apperr.Details(err))
	}
	return t
}

// order stores a sales order with the given SKU × quantity lines.
func (e *env) order(status model.SOStatus, lines ...any) *model.SalesOrder {
	e.t.Helper()
	e.seq++
	so := &model.SalesOrder{
		PlatformID: e.plat.ID, ExternalID: fmt.Sprintf("ext-%d", e.seq), Number: fmt.Sprintf("V-%04d", e.seq), Status: status,
		CustomerName: "Maria da Silva", CustomerType: model.PersonIndividual, CustomerDocument: "52998224725",
		CustomerEmail: "maria@example.com", CustomerPhones: "11 99999-0000",
		DeliveryRecipient: "Maria da Silva", DeliveryStreet: "Rua das Flores", DeliveryNumber: "10", DeliveryDistrict: "Centro",
		DeliveryCEP: "01001000", DeliveryCity: "São Paulo", DeliveryState: "SP", DeliveryCountry: "BR", DeliveryIBGECode: "3550308",
		ShippingMethod: "Normal", PlacedAt: e.now.UTC(),
	}
	for i := 0; i < len(lines); i += 2 {
		sku, qty := lines[i].(string), int64(lines[i+1].(int))
		p, err := e.st.FindProductBySKU(e.ctx, sku)
		if err != nil {
			e.t.Fatal(err)
		}
		loc, err := e.stock.LocationFor(e.ctx, p)
		if err != nil {
			e.t.Fatal(err)
		}
		so.Items = append(so.Items, model.SalesOrderItem{ProductID: p.ID, LocationID: loc.ID, SKU: sku, Name: p.Name, Quantity: qty, UnitPriceCents: 100, TotalCents: 100 * qty})
	}
	if err := e.st.CreateSalesOrder(e.ctx, so); err != nil {
		e.t.Fatal(err)
	}
	return so
}

func (e *env) create(so *model.SalesOrder) []model.PurchaseOrder {
	e.t.Helper()
	pos, err := e.svc.CreateForOrder(e.ctx, so.ID)
	if err != nil {
		e.t.Fatalf("create POs: %v", err)
	}
	return pos
}

func (e *env) pos(so *model.SalesOrder) []model.PurchaseOrder {
	e.t.Helper()
	pos, err := e.st.ListPurchaseOrdersOfSalesOrder(e.ctx, so.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return pos
}

func (e *env) poOf(so *model.SalesOrder, sup *model.Supplier) *model.PurchaseOrder {
	e.t.Helper()
	for _, po := range e.pos(so) {
		if po.SupplierID == sup.ID {
			return &po
		}
	}
	e.t.Fatalf("no PO of %s for order %s", sup.LegalName, so.Number)
	return nil
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("got %v (%s), want %s", err, apperr.Code(err), code)
	}
}

type ctxT = context.Context

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func storeAwaitingDispatch() store.PurchaseOrderFilter {
	return store.PurchaseOrderFilter{AwaitingDispatch: true}
}

func pageAll() store.Page { return store.Page{Size: 100} }

func storeCancelExceptions() store.PurchaseOrderFilter {
	return store.PurchaseOrderFilter{CancelException: true}
}

// withSalesOrders rebuilds the service with the sales-order steps (as the
// application wires it): booking, billing, dispatch and cancellation work.
func (e *env) withSalesOrders() {
	e.svc = purchasing.New(purchasing.Options{Store: e.st, Prices: e.tables, CompanyCNPJ: nfetest.BuyerCNPJ,
		SalesOrders: syncengine.NewSalesOrders(e.st, e.stock, nil)})
}
