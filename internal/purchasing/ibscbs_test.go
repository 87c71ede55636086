package purchasing_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// The tax reform's IBS/CBS groups change nothing in the supplier invoice
// match: the same invoice with and without them gives the same checks, the
// same invoice record and the same PO status.
func TestInvoiceMatchWithIBSCBS(t *testing.T) {
	cases := []struct {
		name string
		edit func(d *nfetest.Doc)
	}{
		{"accepted", func(d *nfetest.Doc) {}},
		{"quantity off", func(d *nfetest.Doc) { d.Items[1].Q, d.Items[1].VProd = "4", "1.33" }},
		{"price off by two centavos", func(d *nfetest.Doc) { d.Items[0].V, d.Items[0].VProd = "89.92", "179.84" }},
	}
	type outcome struct {
		Checks    []model.InvoiceCheck
		PO        model.POStatus
		Invoice   model.SupplierInvoice
		Divergent bool
	}
	run := func(t *testing.T, edit func(*nfetest.Doc), groups bool) outcome {
		e := invoiceEnv(t)
		po := e.newPO()
		d := e.nfeFor(po)
		edit(d)
		if groups {
			nfetest.WithIBSCBS(t, d)
		}
		xml := d.XML(t)
		if strings.Contains(xml, "<IBSCBSTot>") != groups {
			t.Fatalf("groups %v not as asked", groups)
		}
		res, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, []byte(xml))
		if err != nil {
			t.Fatalf("upload: %v", err)
		}
		inv := *res.Invoice
		inv.ID, inv.XML, inv.UploadedAt, inv.UploadedBy = 0, "", inv.UploadedAt.Truncate(0), nil
		return outcome{Checks: res.Checks, PO: e.poOf(&model.SalesOrder{ID: po.SalesOrderID}, e.a).Status, Invoice: inv,
			Divergent: !res.Accepted()}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			without, with := run(t, c.edit, false), run(t, c.edit, true)
			if !reflect.DeepEqual(without, with) {
				t.Errorf("with the IBS/CBS groups\n%+v\nwithout\n%+v", with, without)
			}
		})
	}
}

// Billing with an NF-e carrying IBS/CBS stores the same invoice and queues
// the same platform push as without: number, series, key, issue time, value
// (vNF, IBS/CBS left out) and recipient come out equal; only the XML itself,
// sent as authorised, holds the groups.
func TestBillingInvoiceWithIBSCBS(t *testing.T) {
	type outcome struct {
		Invoice model.BillingInvoice
		PO      model.POStatus
		SO      model.SOStatus
		Pushes  int64
	}
	run := func(t *testing.T, groups bool) outcome {
		e, po := fiscalEnv(t)
		if _, err := e.svc.BookSupplierInvoice(e.ctx, po.Number); err != nil {
			t.Fatal(err)
		}
		d := e.billingFor(po)
		if groups {
			nfetest.WithIBSCBS(t, d)
		}
		xml := d.XML(t)
		res, err := e.svc.UploadBillingInvoice(e.ctx, po.Number, []byte(xml))
		if err != nil {
			t.Fatalf("billing (groups %v): %v", groups, err)
		}
		stored, err := e.st.FindBillingInvoice(e.ctx, po.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.XML != xml {
			t.Error("the XML is not kept as sent")
		}
		inv := *stored
		inv.ID, inv.XML, inv.UploadedAt, inv.UploadedBy = 0, "", inv.UploadedAt.UTC(), nil
		inv.IssuedAt = inv.IssuedAt.UTC()
		return outcome{Invoice: inv, PO: res.PO.Status, SO: e.salesStatus(po),
			Pushes: e.count("status_pushes WHERE action = 'invoice'")}
	}
	without, with := run(t, false), run(t, true)
	if !reflect.DeepEqual(without, with) {
		t.Errorf("with the IBS/CBS groups\n%+v\nwithout\n%+v", with, without)
	}
	if with.Invoice.TotalCents != 19630 || with.PO != model.POBilled || with.Pushes != 1 {
		t.Errorf("billed %+v", with)
	}
}
