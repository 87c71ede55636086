package purchasing_test

import (
	"strconv"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/syncengine"
)

// fiscalEnv is invoiceEnv with the sales orders connected, and a PO of A
// whose supplier invoice was accepted; stock 10 of each product, the sales
// order holding its reservation.
func fiscalEnv(t *testing.T) (*env, *model.PurchaseOrder) {
	e := invoiceEnv(t)
	e.withSalesOrders()
	so := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	for _, it := range so.Items {
		if _, err := e.stock.Adjust(e.ctx, it.ProductID, it.LocationID, 10, model.SourceManual, "test", "estoque inicial do teste"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.stock.Reserve(e.ctx, it.ProductID, it.LocationID, it.Quantity, "order:test"); err != nil {
			t.Fatal(err)
		}
	}
	so.Reserved = true
	if err := e.st.UpdateSalesOrderSync(e.ctx, so); err != nil {
		t.Fatal(err)
	}
	e.create(so)
	po := e.poOf(so, e.a)
	res, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, []byte(e.nfeFor(po).XML(t)))
	if err != nil || !res.Accepted() {
		t.Fatalf("supplier invoice: %v %v", err, res)
	}
	return e, po
}

// billingFor is ConnectParts' authorised billing NF-e for the PO: issuer the
// company, recipient the customer (CPF), CFOP 5.120, cProd our SKU.
func (e *env) billingFor(po *model.PurchaseOrder) *nfetest.Doc {
	e.seq++
	d := nfetest.Valid()
	d.Proc = true
	d.NNF = strconv.Itoa(5000 + e.seq)
	d.EmitCNPJ, d.EmitName = nfetest.BuyerCNPJ, "CONNECTPARTS COMERCIO LTDA"
	d.DestCNPJ, d.DestCPF, d.DestName = "", po.CustomerDocument, "Maria da Silva"
	d.Items[0].Code, d.Items[1].Code = "SKU-PF", "SKU-DF"
	d.Items[0].CFOP, d.Items[1].CFOP = "5120", "5120"
	return d
}

func (e *env) stockTotals(sku string) (int64, int64) {
	e.t.Helper()
	p, err := e.st.FindProductBySKU(e.ctx, sku)
	if err != nil {
		e.t.Fatal(err)
	}
	tot, err := e.stock.Of(e.ctx, p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return tot.Physical, tot.Reserved
}

func TestBookSupplierInvoice(t *testing.T) {
	e, po := fiscalEnv(t)
	movements := e.count("stock_movements")
	got, err := e.svc.BookSupplierInvoice(e.ctx, po.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != model.POInvoiceBooked || got.BookedAt == nil {
		t.Fatalf("booked: %s %v", got.Status, got.BookedAt)
	}
	// The booking is the stock movement: the PO's units leave the supplier's
	// location once, as an invoice entry referring to the NF-e.
	if n := e.count("stock_movements"); n != movements+int64(len(po.Items)) {
		t.Errorf("booking moved stock %d times, want one per PO line (%d)", n-movements, len(po.Items))
	}
	if n := e.count("stock_movements WHERE source = 'invoice_entry' AND reference LIKE 'nfe:%'"); n != int64(len(po.Items)) {
		t.Errorf("%d invoice-entry movements referring to the NF-e, want %d", n, len(po.Items))
	}
	if ph, res := e.stockTotals("SKU-PF"); ph != 8 || res != 0 {
		t.Errorf("after booking SKU-PF physical %d reserved %d, want 8 0", ph, res)
	}
	if so, err := e.st.FindSalesOrder(e.ctx, po.SalesOrderID); err != nil || !so.StockConsumed || so.Reserved {
		t.Errorf("sales order after booking: %v", err)
	}
	_, err = e.svc.BookSupplierInvoice(e.ctx, po.Number)
	wantCode(t, err, apperr.ECONFLICT)
	if !contains(apperr.Message(err), "escriturada") {
		t.Errorf("message %q", apperr.Message(err))
	}
	// Before the supplier invoice: conflict too.
	other := e.newPO()
	_, err = e.svc.BookSupplierInvoice(e.ctx, other.Number)
	wantCode(t, err, apperr.ECONFLICT)
}

func TestBillingInvoiceAccepted(t *testing.T) {
	e, po := fiscalEnv(t)
	// Billing before booking: 409.
	_, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(e.billingFor(po).XML(t)))
	wantCode(t, err, apperr.ECONFLICT)
	if _, err := e.svc.BookSupplierInvoice(e.ctx, po.Number); err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateUser(e.ctx, &model.User{Email: "a@freios.example", Name: "Fornecedor A", Role: model.RoleSupplier,
		SupplierID: &e.a.ID, PasswordHash: "x", Active: true}); err != nil {
		t.Fatal(err)
	}
	notes := e.count("notifications WHERE kind = 'purchase_order.billed'")
	doc := e.billingFor(po)
	xml := doc.XML(t)
	res, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(xml))
	if err != nil {
		t.Fatalf("billing: %v %v", err, apperr.Details(err))
	}
	if res.PO.Status != model.POBilled || res.PO.BilledAt == nil || res.Invoice.AccessKey != doc.Key() {
		t.Fatalf("billed: %+v", res.PO.Status)
	}
	if dl := res.PO.ShipDeadline(); dl == nil || !dl.Equal(res.PO.BilledAt.Add(24*3600e9)) {
		t.Errorf("deadline %v", dl)
	}
	// The 24 h clock starts at billing: not overdue at 23 h, overdue at 25 h.
	if purchasing.Overdue(res.PO, res.PO.BilledAt.Add(23*3600e9)) || !purchasing.Overdue(res.PO, res.PO.BilledAt.Add(25*3600e9)) {
		t.Error("ship clock")
	}
	so, err := e.st.FindSalesOrder(e.ctx, po.SalesOrderID)
	if err != nil {
		t.Fatal(err)
	}
	if so.Status != model.SOInvoiced || !so.StockConsumed || so.Reserved {
		t.Errorf("sales order %s consumed %v reserved %v", so.Status, so.StockConsumed, so.Reserved)
	}
	if ph, res := e.stockTotals("SKU-PF"); ph != 8 || res != 0 {
		t.Errorf("SKU-PF physical %d reserved %d, want 8 0", ph, res)
	}
	if ph, res := e.stockTotals("SKU-DF"); ph != 7 || res != 0 {
		t.Errorf("SKU-DF physical %d reserved %d, want 7 0", ph, res)
	}
	// The orders rule consumes once: invoicing again moves nothing, and the
	// same invoice is not queued twice.
	billing, err := e.st.FindBillingInvoice(e.ctx, po.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := syncengine.NewSalesOrders(e.st, e.stock, nil).MarkInvoiced(e.ctx, so.ID, billing.ID, "again"); err != nil {
		t.Fatal(err)
	}
	if ph, _ := e.stockTotals("SKU-PF"); ph != 8 {
		t.Errorf("consumed twice: physical %d", ph)
	}
	if n := e.count("status_pushes WHERE action = 'invoice'"); n != 1 {
		t.Errorf("%d invoice pushes queued, want 1", n)
	}
	if n := e.count("notifications WHERE kind = 'purchase_order.billed'"); n != notes+1 {
		t.Error("supplier not notified")
	}
	// The supplier downloads the XML; another supplier gets 404.
	inv, err := e.svc.BillingInvoice(e.ctx, &e.a.ID, po.Number)
	if err != nil || inv.XML != xml {
		t.Fatalf("download: %v", err)
	}
	_, err = e.svc.BillingInvoice(e.ctx, &e.b.ID, po.Number)
	wantCode(t, err, apperr.ENOTFOUND)
	// Billing twice: 409.
	_, err = e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(e.billingFor(po).XML(t)))
	wantCode(t, err, apperr.ECONFLICT)
}

func TestBillingInvoiceDivergences(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(d *nfetest.Doc)
		fields []string
	}{
		{"wrong issuer", func(d *nfetest.Doc) { d.EmitCNPJ = nfetest.IssuerCNPJ }, []string{"issuer"}},
		{"wrong recipient", func(d *nfetest.Doc) { d.DestCPF, d.DestCNPJ = "", "11222333000181" }, []string{"recipient"}},
		{"CFOP 5.102", func(d *nfetest.Doc) { d.Items[0].CFOP = "5102" }, []string{"cfop"}},
		{"quantity", func(d *nfetest.Doc) { d.Items[1].Q, d.Items[1].VProd = "4", "1.33" }, []string{"quantity"}},
		{"supplier code instead of SKU", func(d *nfetest.Doc) { d.Items[0].Code = "PF-100" }, []string{"item", "item"}},
		{"everything at once", func(d *nfetest.Doc) {
			d.EmitCNPJ = nfetest.IssuerCNPJ
			d.DestCPF, d.DestCNPJ = "", "11222333000181"
			d.Items[0].CFOP = "6102"
		}, []string{"issuer", "recipient", "cfop"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, po := fiscalEnv(t)
			if _, err := e.svc.BookSupplierInvoice(e.ctx, po.Number); err != nil {
				t.Fatal(err)
			}
			d := e.billingFor(po)
			c.edit(d)
			_, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(d.XML(t)))
			wantCode(t, err, apperr.EINVALID)
			var fields []string
			for _, dt := range apperr.Details(err) {
				fields = append(fields, dt.Field)
			}
			if len(fields) != len(c.fields) {
				t.Fatalf("problems %v, want %v", apperr.Details(err), c.fields)
			}
			for i := range fields {
				if fields[i] != c.fields[i] {
					t.Fatalf("problems %v, want %v", apperr.Details(err), c.fields)
				}
			}
			got, _ := e.svc.Find(e.ctx, nil, po.Number)
			if got.Status != model.POInvoiceBooked || e.count("billing_invoices") != 0 {
				t.Errorf("changed: %s", got.Status)
			}
		})
	}
}

func TestBillingInvoiceKeyOnce(t *testing.T) {
	e, po := fiscalEnv(t)
	if _, err := e.svc.BookSupplierInvoice(e.ctx, po.Number); err != nil {
		t.Fatal(err)
	}
	d := e.billingFor(po)
	if _, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(d.XML(t))); err != nil {
		t.Fatal(err)
	}
	// A second PO billed with the same key is refused.
	so := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	e.create(so)
	po2 := e.poOf(so, e.a)
	if _, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po2.Number, []byte(e.nfeFor(po2).XML(t))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.BookSupplierInvoice(e.ctx, po2.Number); err != nil {
		t.Fatal(err)
	}
	d2 := *d
	d2.DestCPF = po2.CustomerDocument
	_, err := e.svc.UploadBillingInvoice(e.ctx, po2.Number, []byte(d2.XML(t)))
	wantCode(t, err, apperr.EINVALID)
	if ds := apperr.Details(err); len(ds) != 1 || ds[0].Field != "access_key" {
		t.Errorf("problems %v", ds)
	}
}

func TestBillingCancelledPO(t *testing.T) {
	e, po := fiscalEnv(t)
	if err := e.db.Gorm.Exec("UPDATE purchase_orders SET status = 'cancelled' WHERE id = ?", po.ID).Error; err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(e.billingFor(po).XML(t)))
	wantCode(t, err, apperr.ECONFLICT)
	if !contains(apperr.Message(err), "cancelado") {
		t.Errorf("message %q", apperr.Message(err))
	}
}

func (e *env) bill(po *model.PurchaseOrder) {
	e.t.Helper()
	if _, err := e.svc.BookSupplierInvoice(e.ctx, po.Number); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(e.billingFor(po).XML(e.t))); err != nil {
		e.t.Fatalf("billing: %v %v", err, apperr.Details(err))
	}
}

func (e *env) salesStatus(po *model.PurchaseOrder) model.SOStatus {
	e.t.Helper()
	so, err := e.st.FindSalesOrder(e.ctx, po.SalesOrderID)
	if err != nil {
		e.t.Fatal(err)
	}
	return so.Status
}

func TestDispatch(t *testing.T) {
	e, po := fiscalEnv(t)
	// Not billed yet: 409.
	_, err := e.svc.Dispatch(e.ctx, []string{po.Number})
	wantCode(t, err, apperr.ECONFLICT)
	e.bill(po)
	so := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	e.create(so)
	po2 := e.poOf(so, e.a)
	if _, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po2.Number, []byte(e.nfeFor(po2).XML(t))); err != nil {
		t.Fatal(err)
	}
	e.bill(po2)

	// Single.
	got, err := e.svc.Dispatch(e.ctx, []string{po.Number})
	if err != nil || got[0].DispatchedAt == nil {
		t.Fatalf("dispatch: %v", err)
	}
	if st := e.salesStatus(po); st != model.SODispatched {
		t.Errorf("sales order %s, want dispatched", st)
	}
	// Twice: 409, and a bulk including it changes nothing.
	_, err = e.svc.Dispatch(e.ctx, []string{po.Number})
	wantCode(t, err, apperr.ECONFLICT)
	_, err = e.svc.Dispatch(e.ctx, []string{po2.Number, po.Number})
	wantCode(t, err, apperr.ECONFLICT)
	if st := e.salesStatus(po2); st != model.SOInvoiced {
		t.Errorf("bulk with a conflict dispatched %s", st)
	}
	list, _, err := e.st.ListPurchaseOrders(e.ctx, storeAwaitingDispatch(), pageAll())
	if err != nil || len(list) != 1 || list[0].ID != po2.ID {
		t.Fatalf("queue: %v %v", list, err)
	}
	if _, err := e.svc.Dispatch(e.ctx, []string{po2.Number}); err != nil {
		t.Fatal(err)
	}
}

func TestDispatchBulkAndAuto(t *testing.T) {
	e, po := fiscalEnv(t)
	e.bill(po)
	so := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	e.create(so)
	po2 := e.poOf(so, e.a)
	if _, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po2.Number, []byte(e.nfeFor(po2).XML(t))); err != nil {
		t.Fatal(err)
	}
	e.bill(po2)
	if _, err := e.svc.Dispatch(e.ctx, []string{po.Number, po2.Number}); err != nil {
		t.Fatal(err)
	}
	if e.salesStatus(po) != model.SODispatched || e.salesStatus(po2) != model.SODispatched {
		t.Error("bulk dispatch")
	}

	// The setting dispatches on billing.
	if err := e.st.SetSetting(e.ctx, purchasing.SettingAutoDispatch, "true"); err != nil {
		t.Fatal(err)
	}
	so3 := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	e.create(so3)
	po3 := e.poOf(so3, e.a)
	if _, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po3.Number, []byte(e.nfeFor(po3).XML(t))); err != nil {
		t.Fatal(err)
	}
	e.bill(po3)
	if st := e.salesStatus(po3); st != model.SODispatched {
		t.Errorf("auto dispatch: %s", st)
	}
}
