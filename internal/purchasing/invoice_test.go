package purchasing_test

import (
	"strconv"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// invoiceEnv has supplier A's price table in force; newPO makes a PO of A
// with exactly the items of nfetest.Valid (PF-100 × 2 at 89,90 and DF-200 × 3
// at 0,33, which the NF-e writes 0.3333333333).
func invoiceEnv(t *testing.T) *env {
	e := newEnv(t)
	e.table(e.a, "2026-07-10", "PF-100;89,90", "DF-200;0,33")
	return e
}

func (e *env) newPO() *model.PurchaseOrder {
	e.t.Helper()
	so := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	e.create(so)
	return e.poOf(so, e.a)
}

// nfeFor is an authorised NF-e of A for the PO, with its own number (key).
func (e *env) nfeFor(po *model.PurchaseOrder) *nfetest.Doc {
	e.seq++
	d := nfetest.Valid()
	d.Proc = true
	d.NNF = strconv.Itoa(1000 + e.seq)
	for i := range d.Items {
		d.Items[i].XPed = po.Number
	}
	return d
}

func (e *env) count(table string) int64 {
	e.t.Helper()
	var n int64
	if err := e.db.Gorm.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestInvoiceMatch(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(d *nfetest.Doc)
		codes []string // divergences; none: accepted
	}{
		{"accepted", func(d *nfetest.Doc) {}, nil},
		{"CFOP 5.102 fits a sale to ConnectParts", func(d *nfetest.Doc) { d.Items[0].CFOP, d.Items[1].CFOP = "5102", "5102" }, nil},
		{"price off by one centavo is within tolerance", func(d *nfetest.Doc) { d.Items[0].V, d.Items[0].VProd = "89.91", "179.82" }, nil},
		{"without xPed, matched by supplier code", func(d *nfetest.Doc) { d.Items[0].XPed, d.Items[1].XPed = "", "" }, nil},
		{"CFOP 5.405 does not", func(d *nfetest.Doc) { d.Items[1].CFOP = "5405" }, []string{"cfop"}},
		{"recipient is not ConnectParts", func(d *nfetest.Doc) { d.DestCNPJ = "11444777000161" }, []string{"recipient"}},
		{"quantity off", func(d *nfetest.Doc) { d.Items[1].Q, d.Items[1].VProd = "4", "1.33" }, []string{"quantity"}},
		{"price off by two centavos", func(d *nfetest.Doc) { d.Items[0].V, d.Items[0].VProd = "89.92", "179.84" }, []string{"unit_price"}},
		{"foreign item", func(d *nfetest.Doc) {
			d.Items = append(d.Items, nfetest.Item{Code: "XX-1", EAN: "SEM GTIN", Desc: "OUTRA COISA", NCM: "87083090", CFOP: "6119", Unit: "UN", Q: "1", V: "10.00", VProd: "10.00", XPed: d.Items[0].XPed})
		}, []string{"foreign_item"}},
		{"missing item", func(d *nfetest.Doc) { d.Items = d.Items[:1] }, []string{"missing_item"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := invoiceEnv(t)
			po := e.newPO()
			d := e.nfeFor(po)
			c.edit(d)
			res, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, []byte(d.XML(t)))
			if err != nil {
				t.Fatalf("upload: %v %+v", err, apperr.Details(err))
			}
			var codes []string
			for _, ch := range res.Checks {
				codes = append(codes, ch.Code)
			}
			if len(codes) != len(c.codes) || (len(codes) > 0 && codes[0] != c.codes[0]) {
				t.Fatalf("checks %v (%+v), want %v", codes, res.Checks, c.codes)
			}
			got := e.poOf(&model.SalesOrder{ID: po.SalesOrderID}, e.a)
			want, inv := model.POSupplierInvoiced, model.InvoiceAccepted
			if c.codes != nil {
				want, inv = model.POInvoiceDivergent, model.InvoiceDivergent
				if apperr.Code(res.Err()) != apperr.EINVALID || len(apperr.Details(res.Err())) != len(c.codes) {
					t.Errorf("divergence error: %v", res.Err())
				}
			}
			if got.Status != want || res.Invoice.Status != inv || res.Invoice.AccessKey != d.Key() {
				t.Fatalf("PO %s invoice %s, want %s %s", got.Status, res.Invoice.Status, want, inv)
			}
		})
	}
}

// TestInvoiceRefused: bad files and wrong uploads change nothing.
func TestInvoiceRefused(t *testing.T) {
	e := invoiceEnv(t)
	po := e.newPO()
	other := e.newPO()
	cases := []struct {
		name   string
		number string
		sup    *model.Supplier
		edit   func(d *nfetest.Doc)
		code   string
		detail string // a detail field expected
	}{
		{"NFC-e", po.Number, e.a, func(d *nfetest.Doc) { d.Mod = "65" }, apperr.EINVALID, "wrong_model"},
		{"layout 3.10", po.Number, e.a, func(d *nfetest.Doc) { d.Version = "3.10" }, apperr.EINVALID, "unsupported_version"},
		{"not authorised", po.Number, e.a, func(d *nfetest.Doc) { d.Proc = false }, apperr.EINVALID, "not_authorized"},
		{"rejected by SEFAZ", po.Number, e.a, func(d *nfetest.Doc) { d.CStat = "110" }, apperr.EINVALID, "protocol_status"},
		{"issuer is another supplier", po.Number, e.a, func(d *nfetest.Doc) { d.EmitCNPJ = e.b.CNPJ }, apperr.EINVALID, "issuer"},
		{"NF-e of another PO", po.Number, e.a, func(d *nfetest.Doc) {
			for i := range d.Items {
				d.Items[i].XPed = other.Number
			}
		}, apperr.EINVALID, "xPed"},
		{"another supplier's PO", po.Number, e.b, func(d *nfetest.Doc) {}, apperr.ENOTFOUND, ""},
		{"unknown PO", "PC-999999", e.a, func(d *nfetest.Doc) {}, apperr.ENOTFOUND, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := e.nfeFor(po)
			c.edit(d)
			_, err := e.svc.UploadInvoice(e.ctx, c.sup.ID, c.number, []byte(d.XML(t)))
			wantCode(t, err, c.code)
			if c.detail != "" && !hasDetail(err, c.detail) {
				t.Errorf("details %+v lack %s", apperr.Details(err), c.detail)
			}
			if n := e.count("supplier_invoices"); n != 0 {
				t.Fatalf("%d invoices stored", n)
			}
			if got := e.poOf(&model.SalesOrder{ID: po.SalesOrderID}, e.a); got.Status != model.POAwaitingSupplier {
				t.Fatalf("PO moved to %s", got.Status)
			}
		})
	}
}

// TestInvoiceKeyOnce: a key is taken once, by any PO; a divergent upload is
// kept and the PO takes another; an invoiced PO takes no more (409).
func TestInvoiceKeyOnce(t *testing.T) {
	e := invoiceEnv(t)
	po := e.newPO()
	d := e.nfeFor(po)
	d.Items[0].V, d.Items[0].VProd = "89.92", "179.84"
	bad := []byte(d.XML(t))
	res, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, bad)
	if err != nil || res.Accepted() {
		t.Fatalf("first upload: %v %+v", err, res)
	}
	_, err = e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, bad)
	wantCode(t, err, apperr.EINVALID)
	if !hasDetail(err, "access_key") {
		t.Fatalf("details %+v", apperr.Details(err))
	}
	good := e.nfeFor(po)
	res, err = e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, []byte(good.XML(t)))
	if err != nil || !res.Accepted() {
		t.Fatalf("corrected upload: %v %+v", err, res)
	}
	_, err = e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, []byte(e.nfeFor(po).XML(t)))
	wantCode(t, err, apperr.ECONFLICT)
	if n := e.count("supplier_invoices"); n != 2 {
		t.Fatalf("%d invoices, want the divergent and the accepted one", n)
	}
}

func hasDetail(err error, field string) bool {
	for _, d := range apperr.Details(err) {
		if d.Field == field {
			return true
		}
	}
	return false
}
