package web_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

const (
	testPDF     = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
	goodS10     = "AA473124829BR" // serial 47312482, check digit 9
	wrongS10    = "AA473124828BR"
	correiosURL = "https://rastreamento.correios.com.br/app/index.php?objeto="
)

// bill takes a fixture PO through the supplier invoice, booking and
// ConnectParts' billing invoice.
func (f *poFixture) bill(t *testing.T, number string) {
	t.Helper()
	e := f.env
	fiscal := e.Token(e.User("fiscal-"+number+"@connectparts.test", model.RoleFiscal, nil))
	path := "/api/v1/purchase-orders/" + number
	if res := e.API(f.tokA, "POST", path+"/invoice", strings.NewReader(f.xml(t, number, nil)), "application/xml"); res.Status != 201 {
		t.Fatalf("supplier invoice: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscal, "POST", path+"/book-supplier-invoice", nil, ""); res.Status != 200 {
		t.Fatalf("book: %d %s", res.Status, res.Body)
	}
	if res := e.API(fiscal, "POST", path+"/billing-invoice", strings.NewReader(f.billingXML(t, nil)), "application/xml"); res.Status != 201 {
		t.Fatalf("billing: %d %s", res.Status, res.Body)
	}
}

// shipmentXML is the supplier's shipment NF-e (NF de remessa) to the
// fixture's customer, CFOP 6.923.
func (f *poFixture) shipmentXML(t *testing.T, edit func(d *nfetest.Doc)) []byte {
	f.nnf++
	d := nfetest.Valid()
	d.Proc, d.NNF = true, strconv.Itoa(7000+f.nnf)
	d.EmitCNPJ, d.DestCNPJ, d.DestCPF = nfetest.IssuerCNPJ, "", "52998224725"
	d.Items[0].CFOP, d.Items[1].CFOP = "6923", "6923"
	if edit != nil {
		edit(d)
	}
	return []byte(d.XML(t))
}

type shipmentForm struct {
	carrier, code string
	label         []byte
	invoice       []byte
}

func (s shipmentForm) body(t *testing.T, csrf string) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		_ = w.WriteField("_csrf", csrf)
	}
	_ = w.WriteField("carrier", s.carrier)
	_ = w.WriteField("tracking_code", s.code)
	if s.label != nil {
		fw, _ := w.CreateFormFile("label", "etiqueta.pdf")
		_, _ = fw.Write(s.label)
	}
	if s.invoice != nil {
		fw, _ := w.CreateFormFile("shipment_invoice", "remessa.xml")
		_, _ = fw.Write(s.invoice)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &body, w.FormDataContentType()
}

func (f *poFixture) shipAPI(t *testing.T, token, number string, s shipmentForm) *apptest.Response {
	t.Helper()
	body, ct := s.body(t, "")
	return f.env.API(token, "POST", "/api/v1/purchase-orders/"+number+"/shipment", body, ct)
}

func TestPurchaseOrderShipmentAPI(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	ok := shipmentForm{carrier: "correios", code: goodS10, label: []byte(testPDF)}

	// Before billing: 409 in Portuguese.
	res := f.shipAPI(t, f.tokA, f.po1, ok)
	if res.Status != 409 || !strings.Contains(res.Body, "Não é possível") {
		t.Fatalf("ship before billing: %d %s", res.Status, res.Body)
	}
	f.bill(t, f.po1)
	path := "/api/v1/purchase-orders/" + f.po1

	// Another supplier: 404; staff cannot ship.
	if res := f.shipAPI(t, f.tokB, f.po1, ok); res.Status != 404 {
		t.Fatalf("another supplier: %d %s", res.Status, res.Body)
	}
	// Bad tracking (wrong check digit) and an executable label: 422 listing both.
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	res = f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "correios", code: wrongS10, label: elf})
	code, fields := errorDetails(t, res.Body)
	if res.Status != 422 || !slicesContains(fields, "tracking_code") || !slicesContains(fields, "label") {
		t.Fatalf("bad tracking and label: %d %s %v %s", res.Status, code, fields, res.Body)
	}
	// No label file at all: asked for the file, in Portuguese.
	res = f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "correios", code: goodS10})
	if res.Status != 422 || !strings.Contains(res.Body, "Escolha o arquivo da etiqueta") {
		t.Fatalf("no label: %d %s", res.Status, res.Body)
	}
	// Shipment invoice with the resale CFOP and another recipient: 422, every problem.
	res = f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "correios", code: goodS10, label: []byte(testPDF),
		invoice: f.shipmentXML(t, func(d *nfetest.Doc) {
			d.Items[0].CFOP = "5102"
			d.DestCPF = "11144477735"
		})})
	code, fields = errorDetails(t, res.Body)
	if res.Status != 422 || !slicesContains(fields, "shipment_invoice.cfop") || !slicesContains(fields, "shipment_invoice.recipient") {
		t.Fatalf("divergent shipment invoice: %d %s %v %s", res.Status, code, fields, res.Body)
	}
	// Issued by another company: 422.
	res = f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "correios", code: goodS10, label: []byte(testPDF),
		invoice: f.shipmentXML(t, func(d *nfetest.Doc) { d.EmitCNPJ = nfetest.BuyerCNPJ })})
	if _, fields = errorDetails(t, res.Body); res.Status != 422 || !slicesContains(fields, "shipment_invoice.issuer") {
		t.Fatalf("foreign issuer: %d %v", res.Status, fields)
	}
	// Nothing was stored by the refusals.
	if res := e.API(f.tokA, "GET", path+"/label", nil, ""); res.Status != 404 {
		t.Fatalf("label after refusals: %d", res.Status)
	}
	if po := mustPO(t, f, f.po1); po.Status != model.POBilled || po.ShippedAt != nil {
		t.Fatalf("po after refusals: %s", po.Status)
	}

	// Happy path: a ZIP of PDFs, the shipment invoice, lower-case code.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, n := range []string{"vol1.pdf", "vol2.pdf"} {
		w, _ := zw.Create(n)
		_, _ = w.Write([]byte(testPDF))
	}
	_ = zw.Close()
	label := zbuf.Bytes()
	res = f.shipAPI(t, f.tokA, f.po1, shipmentForm{carrier: "Correios", code: strings.ToLower(goodS10), label: label, invoice: f.shipmentXML(t, nil)})
	if res.Status != 201 || !strings.Contains(res.Body, `"status":"shipped"`) || !strings.Contains(res.Body, `"tracking_code":"`+goodS10+`"`) ||
		!strings.Contains(res.Body, `"label_kind":"zip"`) || !strings.Contains(res.Body, correiosURL+goodS10) || !strings.Contains(res.Body, `"shipped_at":"`) {
		t.Fatalf("ship: %d %s", res.Status, res.Body)
	}
	if res := f.shipAPI(t, f.tokA, f.po1, ok); res.Status != 409 {
		t.Fatalf("ship twice: %d %s", res.Status, res.Body)
	}
	// The label is stored in the shared document store with its sha256,
	// nothing under this instance's data directory.
	shipped, err := e.App.Store.FindPOShipment(e.Ctx, mustPO(t, f, f.po1).ID)
	if err != nil {
		t.Fatal(err)
	}
	rc, size, err := e.App.Docs.Open(e.Ctx, shipped.LabelPath)
	if err != nil {
		t.Fatalf("label %q: %v", shipped.LabelPath, err)
	}
	stored, _ := io.ReadAll(rc)
	rc.Close()
	sum := sha256.Sum256(label)
	if !bytes.Equal(stored, label) || size != int64(len(label)) || shipped.LabelSHA256 != hex.EncodeToString(sum[:]) {
		t.Fatal("stored label differs")
	}
	if matches, _ := filepath.Glob(filepath.Join(e.App.Config.DataDir, "po-labels", "*", "*")); len(matches) != 0 {
		t.Fatalf("label written to the local data directory: %v", matches)
	}
	// Downloads: the supplier and staff, another supplier 404.
	res = e.API(f.tokA, "GET", path+"/label", nil, "")
	if res.Status != 200 || res.Body != string(label) || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("supplier label: %d %q", res.Status, res.Header.Get("Content-Type"))
	}
	staff := e.Token(e.User("log@connectparts.test", model.RoleLogistics, nil))
	if res := e.API(staff, "GET", path+"/label", nil, ""); res.Status != 200 {
		t.Fatalf("staff label: %d", res.Status)
	}
	if res := e.API(f.tokB, "GET", path+"/label", nil, ""); res.Status != 404 {
		t.Fatalf("another supplier label: %d", res.Status)
	}
	if res := e.API(f.tokB, "GET", path+"/shipment", nil, ""); res.Status != 404 {
		t.Fatalf("another supplier shipment: %d", res.Status)
	}
	if res := e.API(staff, "GET", path+"/shipment", nil, ""); res.Status != 200 || !strings.Contains(res.Body, `"shipment_invoice_key":"`) {
		t.Fatalf("staff shipment: %d %s", res.Status, res.Body)
	}
	// History, the sales order's timeline and the tracking push to the platform.
	po := mustPO(t, f, f.po1)
	events, _ := e.App.Store.ListPurchaseOrderEvents(e.Ctx, po.ID)
	if last := events[len(events)-1]; last.Kind != model.POEventShipped || !strings.Contains(last.Message, goodS10) {
		t.Fatalf("last PO event %+v", last)
	}
	soEvents, err := e.App.Store.ListSalesOrderEvents(e.Ctx, po.SalesOrderID)
	if err != nil {
		t.Fatal(err)
	}
	timeline := false
	for _, ev := range soEvents {
		timeline = timeline || (strings.Contains(ev.Message, f.po1) && strings.Contains(ev.Message, goodS10))
	}
	if !timeline {
		t.Fatalf("no shipment event on the sales order's timeline: %+v", soEvents)
	}
	pending, err := e.App.Store.PendingStatusPushes(e.Ctx, 0, po.SalesOrderID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sp := range pending {
		found = found || sp.Action == model.ActionTracking
	}
	if !found {
		t.Fatalf("no tracking push queued: %+v", pending)
	}
	// The supplier shipped before logistics marked the sale despachado: logistics still can, once.
	body := `{"numbers":["` + f.po1 + `"]}`
	if res := e.API(staff, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(body), "application/json"); res.Status != 200 {
		t.Fatalf("dispatch after shipment: %d %s", res.Status, res.Body)
	}
	if res := e.API(staff, "POST", "/api/v1/purchase-orders/dispatch", strings.NewReader(body), "application/json"); res.Status != 409 {
		t.Fatalf("dispatch twice: %d %s", res.Status, res.Body)
	}
}

func TestPurchaseOrderShipmentPageAndLateList(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	f.bill(t, f.po1)
	f.bill(t, f.po2)
	a := e.Login("a@freios.test")
	page := "/purchase-orders/" + f.po1
	res := a.Get(page)
	if res.Status != 200 || res.Doc.Find("[data-testid=shipment-form]").Length() != 1 {
		t.Fatalf("billed page without the shipment form: %d", res.Status)
	}
	csrf, _ := res.Doc.Find("[data-testid=shipment-form] input[name=_csrf]").Attr("value")
	post := func(s shipmentForm) *apptest.Response {
		body, ct := s.body(t, csrf)
		req, _ := http.NewRequest("POST", e.URL+page+"/shipment", body)
		req.Header.Set("Content-Type", ct)
		return a.Do(req)
	}
	res = afterUpload(t, a, post(shipmentForm{carrier: "correios", code: wrongS10, label: []byte(testPDF)}), page)
	if v, _ := res.Doc.Find("[data-testid=shipment-form] input[name=tracking_code]").Attr("value"); v != wrongS10 {
		t.Errorf("the tracking code typed is not kept after the redirect: %q", v)
	}
	if res.Doc.Find("[data-testid=invoice-problems] li").Length() != 1 {
		t.Fatalf("bad tracking on the page: %d %s", res.Status, res.Text("[data-testid=invoice-result]"))
	}
	res = post(shipmentForm{carrier: "correios", code: goodS10, label: []byte("^XA^FDteste^FS^XZ")})
	if res.Status != 303 {
		t.Fatalf("ship on the page: %d %.2000s", res.Status, res.Body)
	}
	res = a.Get(page)
	if res.Text("[data-testid=po-status]") != model.POShipped.Label() || res.Text("[data-testid=tracking-code]") != goodS10 ||
		res.Doc.Find("[data-testid=label-download]").Length() != 1 {
		t.Fatalf("shipped page: %q %q", res.Text("[data-testid=po-status]"), res.Text("[data-testid=tracking-code]"))
	}
	if href, _ := res.Doc.Find("[data-testid=tracking-code]").Attr("href"); href != correiosURL+goodS10 {
		t.Errorf("tracking link %q", href)
	}
	dl := a.Get(page + "/label")
	if dl.Status != 200 || !strings.HasPrefix(dl.Body, "^XA") {
		t.Fatalf("label download: %d", dl.Status)
	}
	b := e.Login("b@paulista.test")
	if res := b.Get(page + "/label"); res.Status != 404 {
		t.Fatalf("another supplier's label: %d", res.Status)
	}

	// Late list: 25 h later po2 (billed, not shipped) is overdue, po1 shipped is not.
	e.User("logistica@connectparts.test", model.RoleLogistics, nil)
	logistics := e.Login("logistica@connectparts.test")
	if res := logistics.Get("/logistics/late"); res.Status != 200 || res.Doc.Find("[data-testid=late-row]").Length() != 0 {
		t.Fatalf("late list before the deadline: %d %d", res.Status, res.Doc.Find("[data-testid=late-row]").Length())
	}
	later := time.Now().Add(25 * time.Hour)
	e.App.Store.SetClock(func() time.Time { return later })
	logistics = e.Login("logistica@connectparts.test") // the earlier session expired
	res = logistics.Get("/logistics/late")
	rows := res.Doc.Find("[data-testid=late-row]")
	if res.Status != 200 || rows.Length() != 1 || !strings.Contains(rows.Text(), f.po2) || !rows.HasClass("late") ||
		rows.Find(".negative").Length() != 1 {
		t.Fatalf("late list: %d %d %q", res.Status, rows.Length(), rows.Text())
	}
	if res := logistics.Get("/logistics/dispatch"); res.Doc.Find("[data-testid=late-link]").Length() != 1 {
		t.Fatal("dispatch page without the late link")
	}
	if res := e.Login("a@freios.test").Get("/logistics/late"); res.Status != 403 && res.Status != 404 {
		t.Fatalf("supplier on the late list: %d", res.Status)
	}
}
