package web_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// walkPO is the part of the API's purchase order the walk-through reads.
type walkPO struct {
	Number     string `json:"number"`
	Status     string `json:"status"`
	SalesOrder struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
	} `json:"sales_order"`
	Customer struct {
		Name       string `json:"name"`
		PersonType string `json:"person_type"`
		Document   string `json:"document"`
	} `json:"customer"`
	Delivery struct {
		Recipient, Street, Number, District, CEP, City, State string
		IBGECode                                              string `json:"ibge_code"`
	} `json:"delivery"`
	Carrier        string  `json:"carrier"`
	FiscalNote     string  `json:"fiscal_note"`
	AcknowledgedAt *string `json:"acknowledged_at"`
	BookedAt       *string `json:"booked_at"`
	BilledAt       *string `json:"billed_at"`
	DispatchedAt   *string `json:"dispatched_at"`
	ShippedAt      *string `json:"shipped_at"`
	Items          []struct {
		SKU            string `json:"sku"`
		SupplierCode   string `json:"supplier_code"`
		Quantity       int64  `json:"quantity"`
		UnitPriceCents *int64 `json:"unit_price_cents"`
	} `json:"items"`
	History []struct {
		Kind string `json:"kind"`
	} `json:"history"`
}

func decode[T any](t *testing.T, res *apptest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("%v: %d %s", err, res.Status, res.Body)
	}
	return v
}

// One dropship order through every step with the API only, after a paid
// order came in from the sandbox platform: three tokens (supplier, fiscal,
// logistics), each step's answer, the 409s of repeating a step with nothing
// changed, the supplier's 403 on fiscal and logistics actions, the sales
// order invoiced then dispatched, and the platform told the invoice and the
// tracking.
func TestDropshipWalkthroughAPI(t *testing.T) {
	d := apptest.NewDropship(t)
	po := d.ImportOne()
	supplier := d.Token(d.User("fornecedor@freios.test", model.RoleSupplier, d.Supplier))
	fiscal := d.Token(d.User("fiscal@connectparts.test", model.RoleFiscal, nil))
	logistics := d.Token(d.User("logistica@connectparts.test", model.RoleLogistics, nil))
	path := "/api/v1/purchase-orders/" + po.Number
	get := func() (walkPO, string) {
		t.Helper()
		res := d.API(supplier, "GET", path, nil, "")
		if res.Status != 200 {
			t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
		}
		return decode[walkPO](t, res), res.Body
	}
	// repeat expects 409 from a step done already and the PO exactly as it was.
	repeat := func(step, token, method, p string, body []byte, ct string) {
		t.Helper()
		_, before := get()
		res := d.API(token, method, p, bytes.NewReader(body), ct)
		if res.Status != 409 || !strings.Contains(res.Body, `"code":"conflict"`) {
			t.Fatalf("%s twice: %d %s", step, res.Status, res.Body)
		}
		if _, after := get(); after != before {
			t.Fatalf("%s twice changed the PO:\n%s\n%s", step, before, after)
		}
	}
	orderStatus := func() (string, []string) {
		t.Helper()
		res := d.API(logistics, "GET", "/api/v1/orders/"+strconv.FormatInt(po.SalesOrderID, 10), nil, "")
		o := decode[struct {
			Status   string `json:"status"`
			Timeline []struct {
				Message string `json:"message"`
			} `json:"timeline"`
		}](t, res)
		var msgs []string
		for _, e := range o.Timeline {
			msgs = append(msgs, e.Message)
		}
		return o.Status, msgs
	}

	// The supplier finds the PO in its list and reads the customer's delivery and fiscal data.
	list := decode[struct{ Items []walkPO }](t, d.API(supplier, "GET", "/api/v1/purchase-orders?status=awaiting_supplier", nil, ""))
	found := false
	for _, it := range list.Items {
		found = found || it.Number == po.Number
	}
	if !found {
		t.Fatalf("%s not in the supplier's list", po.Number)
	}
	got, _ := get()
	if got.Status != "awaiting_supplier" || got.Customer.Document != po.CustomerDocument || got.Customer.Name == "" ||
		(got.Customer.PersonType != "PF" && got.Customer.PersonType != "PJ") || got.Delivery.Street == "" || got.Delivery.City == "" ||
		len(got.Delivery.CEP) != 8 || got.Delivery.State == "" || got.Delivery.IBGECode == "" || got.Carrier == "" ||
		!strings.Contains(got.FiscalNote, po.Number) || got.SalesOrder.ID != po.SalesOrderID || len(got.Items) != len(po.Items) {
		t.Fatalf("detail: %+v", got)
	}
	for _, it := range got.Items {
		if it.UnitPriceCents == nil || it.Quantity <= 0 || !strings.HasPrefix(it.SupplierCode, "F-") {
			t.Fatalf("item %+v", it)
		}
	}

	// Acknowledge; twice is 409.
	if res := d.API(supplier, "POST", path+"/acknowledge", nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"status":"acknowledged"`) {
		t.Fatalf("acknowledge: %d %s", res.Status, res.Body)
	}
	repeat("acknowledge", supplier, "POST", path+"/acknowledge", nil, "")

	// The supplier's NF-e.
	res := d.API(supplier, "POST", path+"/invoice", bytes.NewReader(d.SupplierInvoiceXML(t, po, nil)), "application/xml")
	if res.Status != 201 || !strings.Contains(res.Body, `"status":"supplier_invoiced"`) {
		t.Fatalf("invoice: %d %s", res.Status, res.Body)
	}

	// Fiscal actions are not the supplier's.
	billing := d.BillingXML(t, po, nil)
	if res := d.API(supplier, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 403 {
		t.Fatalf("supplier booking: %d", res.Status)
	}
	if res := d.API(supplier, "POST", path+"/billing-invoice", bytes.NewReader(billing), "application/xml"); res.Status != 403 {
		t.Fatalf("supplier billing: %d", res.Status)
	}
	if res := d.API(supplier, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(`{"numbers":["`+po.Number+`"]}`), "application/json"); res.Status != 403 {
		t.Fatalf("supplier dispatching: %d", res.Status)
	}

	// Fiscal books the supplier's NF-e; twice is 409.
	if res := d.API(fiscal, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"status":"invoice_booked"`) {
		t.Fatalf("book: %d %s", res.Status, res.Body)
	}
	repeat("book", fiscal, "POST", path+"/book-supplier-invoice", nil, "")

	// Fiscal uploads ConnectParts' billing NF-e; twice (even another, valid one) is 409.
	res = d.API(fiscal, "POST", path+"/billing-invoice", bytes.NewReader(billing), "application/xml")
	if res.Status != 201 || !strings.Contains(res.Body, `"status":"billed"`) || !strings.Contains(res.Body, `"recipient_document":"`+po.CustomerDocument+`"`) {
		t.Fatalf("billing: %d %s", res.Status, res.Body)
	}
	repeat("billing", fiscal, "POST", path+"/billing-invoice", d.BillingXML(t, po, nil), "application/xml")
	if st, _ := orderStatus(); st != "invoiced" {
		t.Fatalf("sales order after billing: %s", st)
	}

	// The supplier downloads exactly the XML uploaded.
	if res := d.API(supplier, "GET", path+"/billing-invoice", nil, ""); res.Status != 200 || res.Body != string(billing) {
		t.Fatalf("billing XML: %d, same %v", res.Status, res.Body == string(billing))
	}

	// Logistics marks it despachado; twice is 409.
	body := []byte(`{"numbers":["` + po.Number + `"]}`)
	if res := d.API(logistics, "POST", "/api/v1/purchase-orders/dispatch", bytes.NewReader(body), "application/json"); res.Status != 200 ||
		!strings.Contains(res.Body, `"dispatched_at":"`) {
		t.Fatalf("dispatch: %d %s", res.Status, res.Body)
	}
	repeat("dispatch", logistics, "POST", "/api/v1/purchase-orders/dispatch", body, "application/json")
	if st, _ := orderStatus(); st != "dispatched" {
		t.Fatalf("sales order after dispatch: %s", st)
	}

	// The supplier ships: label and Correios tracking.
	form, ct := shipmentForm{carrier: "correios", code: goodS10, label: []byte(testPDF)}.body(t, "")
	res = d.API(supplier, "POST", path+"/shipment", form, ct)
	if res.Status != 201 || !strings.Contains(res.Body, `"status":"shipped"`) || !strings.Contains(res.Body, `"tracking_code":"`+goodS10+`"`) {
		t.Fatalf("shipment: %d %s", res.Status, res.Body)
	}
	if res := d.API(supplier, "GET", path+"/shipment", nil, ""); res.Status != 200 || !strings.Contains(res.Body, correiosURL+goodS10) {
		t.Fatalf("shipment: %d %s", res.Status, res.Body)
	}
	if res := d.API(logistics, "GET", path+"/label", nil, ""); res.Status != 200 || res.Body != testPDF || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("label: %d %q", res.Status, res.Header.Get("Content-Type"))
	}

	// The end: shipped, every timestamp set, the history in the order of the flow.
	got, _ = get()
	if got.Status != "shipped" || got.AcknowledgedAt == nil || got.BookedAt == nil || got.BilledAt == nil || got.DispatchedAt == nil || got.ShippedAt == nil {
		t.Fatalf("final: %+v", got)
	}
	var kinds []string
	for _, h := range got.History {
		kinds = append(kinds, h.Kind)
	}
	want := []string{model.POEventCreated, model.POEventAcknowledged, model.POEventInvoice, model.POEventBooked, model.POEventBilled,
		model.POEventDispatched, model.POEventShipped}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("history %v, want %v", kinds, want)
	}
	st, timeline := orderStatus()
	joined := strings.Join(timeline, "\n")
	if st != "dispatched" || !strings.Contains(joined, "Faturado") || !strings.Contains(joined, "Despachado") || !strings.Contains(joined, goodS10) {
		t.Fatalf("sales order %s, timeline:\n%s", st, joined)
	}

	// The platform is told the invoice, then the tracking.
	if _, err := d.App.SyncEngine.PushStatuses(d.Ctx, 0, po.SalesOrderID); err != nil {
		t.Fatal(err)
	}
	ext := salesOrderExternalID(t, d, po.SalesOrderID)
	invs, trs := d.Sandbox.Invoices(ext), d.Sandbox.Trackings(ext)
	key := nfetestKey(t, billing)
	if len(invs) != 1 || invs[0].Key != key || !bytes.Equal(invs[0].XML, billing) {
		t.Fatalf("invoices at the platform: %d", len(invs))
	}
	if len(trs) != 1 || trs[0].Code != goodS10 || trs[0].Carrier != "Correios" || trs[0].InvoiceNumber != invs[0].Number {
		t.Fatalf("trackings at the platform: %+v", trs)
	}
}

func salesOrderExternalID(t *testing.T, d *apptest.Dropship, id int64) string {
	t.Helper()
	so, err := d.App.Store.FindSalesOrder(d.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return so.ExternalID
}

// nfetestKey is the access key written in an NF-e's infNFe Id.
func nfetestKey(t *testing.T, xml []byte) string {
	t.Helper()
	_, rest, ok := strings.Cut(string(xml), `Id="NFe`)
	if !ok || len(rest) < 44 {
		t.Fatal("no key in the XML")
	}
	return rest[:44]
}
