package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/seed"
)

// trackingS10 is a Correios code with a valid check digit (serial 47312482, digit 9).
const trackingS10 = "AA473124829BR"

// One order paid on the sandbox platform walks through every step in
// Chromium with three users, each in their own browser context: the
// supplier accepts the PO and sends its NF-e (a divergent one first, then
// the right one), fiscal books it and uploads the billing NF-e, the
// supplier downloads the billing XML and opens the DANFE, logistics marks it
// despachado, the supplier sends the label and the tracking, and the sales
// order shows it all; the platform is told the invoice and the tracking.
func TestBrowserDropshipWalkthrough(t *testing.T) {
	d := apptest.NewDropship(t)
	po := d.ImportOne()
	d.User("fornecedor@freios.example", model.RoleSupplier, d.Supplier)
	d.User("fiscal@connectparts.example", model.RoleFiscal, nil)
	d.User("logistica@connectparts.example", model.RoleLogistics, nil)

	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := po.Items[0]
	wrong := write("nfe-quantidade-errada.xml", d.SupplierInvoiceXML(t, po, func(doc *nfetest.Doc) {
		q := first.Quantity + 1
		doc.Items[0].Q, doc.Items[0].VProd = fmt.Sprint(q), fmt.Sprintf("%d.%02d", *first.UnitPriceCents*q/100, *first.UnitPriceCents*q%100)
	}))
	right := write("nfe-fornecedor.xml", d.SupplierInvoiceXML(t, po, nil))
	billingXML := d.BillingXML(t, po, nil)
	billing := write("nfe-faturamento.xml", billingXML)
	label := write("etiqueta.pdf", seed.DemoLabelPDF(po.Number, trackingS10))

	bs := newBrowsers(t, d.Env, "fornecedor", "fiscal", "logistica")
	sup, fiscal, logistics := bs[0], bs[1], bs[2]
	sup.login("fornecedor@freios.example", apptest.Password)
	fiscal.login("fiscal@connectparts.example", apptest.Password)
	logistics.login("logistica@connectparts.example", apptest.Password)
	page := "/purchase-orders/" + po.Number
	status := func(b *browser, want model.POStatus) {
		t.Helper()
		if got := b.text("[data-testid=po-status]"); got != want.Label() {
			b.shot("unexpected-status")
			t.Fatalf("%s sees %q, want %q", b.label, got, want.Label())
		}
	}

	// The supplier finds the PO in its inbox and opens it.
	sup.visit("/purchase-orders")
	if got := sup.text("[data-testid=po-table]"); !strings.Contains(got, po.Number) || !strings.Contains(got, model.POAwaitingSupplier.Label()) {
		t.Fatalf("inbox: %q", got)
	}
	sup.shot("inbox")
	sup.submit(fmt.Sprintf("[data-testid=po-table] a[href=%q]", page))
	if sup.location() != page {
		t.Fatalf("opened %s", sup.location())
	}
	status(sup, model.POAwaitingSupplier)
	if got := sup.text("[data-testid=po-customer]"); !strings.Contains(got, po.CustomerName) {
		t.Fatalf("customer block: %q", got)
	}
	sup.submit("[data-testid=ack-submit]")
	status(sup, model.POAcknowledged)

	// A divergent NF-e (one more unit on the first line) is reported line by line; then the right one.
	sup.run(chromedp.SetUploadFiles(chromedp.CSS("#f-xml"), []string{wrong}))
	sup.submit("[data-testid=invoice-submit]")
	checks := sup.text("[data-testid=invoice-result] [data-testid=invoice-checks]")
	if want := fmt.Sprintf("quantidade %d na NF-e, %d no pedido", first.Quantity+1, first.Quantity); !strings.Contains(checks, want) {
		t.Fatalf("divergence report %q, want %q", checks, want)
	}
	status(sup, model.POInvoiceDivergent)
	sup.shot("invoice-divergent")
	sup.run(chromedp.SetUploadFiles(chromedp.CSS("#f-xml"), []string{right}))
	sup.submit("[data-testid=invoice-submit]")
	if got := sup.text("[data-testid=flash-success]"); !strings.Contains(got, "conferida") {
		t.Fatalf("accepted: %q", got)
	}
	status(sup, model.POSupplierInvoiced)
	sup.shot("invoice-accepted")

	// Fiscal books it from the queue, then bills the customer.
	fiscal.visit("/purchase-orders?status=" + string(model.POSupplierInvoiced))
	if got := fiscal.text("[data-testid=po-table]"); !strings.Contains(got, po.Number) {
		t.Fatalf("fiscal queue: %q", got)
	}
	fiscal.shot("fiscal-queue")
	fiscal.submit(fmt.Sprintf("form[action=%q] [data-testid=book-submit]", page+"/book"))
	if got := fiscal.text("[data-testid=flash-success]"); !strings.Contains(got, "Entrada da NF-e") || !strings.Contains(got, po.Number) {
		t.Fatalf("booked: %q", got)
	}
	fiscal.shot("booked")
	fiscal.visit(page)
	status(fiscal, model.POInvoiceBooked)
	fiscal.run(chromedp.SetUploadFiles(chromedp.CSS("#f-billing-xml"), []string{billing}))
	fiscal.submit("[data-testid=billing-submit]")
	if got := fiscal.text("[data-testid=flash-success]"); !strings.Contains(got, "Pedido faturado") {
		t.Fatalf("billing: %q", got)
	}
	status(fiscal, model.POBilled)
	fiscal.shot("billed")

	// The supplier is told, downloads the billing XML and opens the DANFE.
	sup.visit(page)
	status(sup, model.POBilled)
	if !sup.exists("[data-testid=notification-count]") {
		t.Fatal("the supplier has no unread notification of the billing")
	}
	if got := sup.text("[data-testid=po-billing]"); !strings.Contains(got, "Baixar XML") || !strings.Contains(got, "Imprimir DANFE") {
		t.Fatalf("billing block: %q", got)
	}
	if got := sup.download("[data-testid=billing-download]"); !bytes.Equal(got, billingXML) {
		t.Fatalf("downloaded XML differs from the uploaded one (%d bytes)", len(got))
	}
	sup.submit("[data-testid=billing-danfe]")
	key := nfeKey(t, billingXML)
	if got := strings.ReplaceAll(sup.text("[data-testid=danfe-key]"), " ", ""); got != key {
		t.Fatalf("DANFE key %q, want %s", got, key)
	}
	if got := sup.text("[data-testid=danfe-recipient-document]"); strings.Map(digitsOnly, got) != po.CustomerDocument {
		t.Fatalf("DANFE recipient %q, want %s", got, po.CustomerDocument)
	}
	if !sup.exists("[data-testid=danfe-barcode] rect") {
		t.Fatal("DANFE without its barcode")
	}
	sup.shot("danfe")
	// On paper: the document alone (no navigation, no buttons), on one A4 page.
	pdf := sup.printed()
	if got := sup.eval(`[".topbar", "[data-testid=danfe-print]", "[data-testid=danfe]"].map(s => document.querySelector(s).getClientRects().length ? "shown" : "hidden").join(" ")`); got != "hidden hidden shown" {
		t.Fatalf("printed page shows navigation or buttons: %q", got)
	}
	sup.shot("danfe-print")
	sup.media("")
	if pages := bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages")); pages != 1 {
		t.Errorf("the DANFE prints on %d A4 pages", pages)
	}
	if err := os.WriteFile(filepath.Join(sup.dir(), "danfe.pdf"), pdf, 0o644); err != nil {
		t.Log(err)
	}

	// Logistics marks it despachado from the dispatch queue.
	logistics.visit("/logistics/dispatch")
	if got := logistics.text("[data-testid=dispatch-table]"); !strings.Contains(got, po.Number) {
		t.Fatalf("dispatch queue: %q", got)
	}
	logistics.shot("dispatch-queue")
	logistics.submit(fmt.Sprintf("[data-testid=dispatch-one][formaction=%q]", "/logistics/dispatch?number="+po.Number))
	if got := logistics.text("[data-testid=flash-success]"); !strings.Contains(got, "despachado") {
		t.Fatalf("dispatched: %q", got)
	}
	if got := logistics.text("[data-testid=dispatch-table]"); strings.Contains(got, po.Number) {
		t.Fatalf("still in the queue: %q", got)
	}
	logistics.shot("dispatched")

	// The supplier sends the label and the Correios tracking code.
	sup.visit(page)
	if got := sup.text("[data-testid=po-dispatched]"); !strings.Contains(got, "Despachado em") {
		t.Fatalf("dispatched on the supplier's page: %q", got)
	}
	sup.run(choose("#f-carrier", "correios"), fill("#f-tracking_code", strings.ToLower(trackingS10)),
		chromedp.SetUploadFiles(chromedp.CSS("#f-label"), []string{label}))
	sup.submit("[data-testid=shipment-submit]")
	status(sup, model.POShipped)
	if got := sup.text("[data-testid=tracking-code]"); got != trackingS10 {
		t.Fatalf("tracking %q", got)
	}
	sup.shot("shipped")

	// The sales order: despachado, with the invoice, the dispatch and the tracking on its timeline.
	logistics.visit(fmt.Sprintf("/orders/%d", po.SalesOrderID))
	if got := logistics.text("[data-testid=order-status]"); got != "Despachado" {
		t.Fatalf("sales order status %q", got)
	}
	timeline := logistics.text("[data-testid=order-timeline]")
	for _, want := range []string{"para Faturado", "para Despachado", po.Number, trackingS10} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q:\n%s", want, timeline)
		}
	}
	logistics.shot("sales-order")

	// The platform side: the invoice and the tracking pushes reach the sandbox.
	if _, err := d.App.SyncEngine.PushStatuses(d.Ctx, 0, po.SalesOrderID); err != nil {
		t.Fatal(err)
	}
	so, err := d.App.Store.FindSalesOrder(d.Ctx, po.SalesOrderID)
	if err != nil {
		t.Fatal(err)
	}
	invs, trs := d.Sandbox.Invoices(so.ExternalID), d.Sandbox.Trackings(so.ExternalID)
	if len(invs) != 1 || invs[0].Key != key || !bytes.Equal(invs[0].XML, billingXML) {
		t.Fatalf("invoices at the platform: %+v", invs)
	}
	if len(trs) != 1 || trs[0].Code != trackingS10 || trs[0].Carrier != "Correios" || trs[0].InvoiceNumber != invs[0].Number {
		t.Fatalf("trackings at the platform: %+v", trs)
	}
	if so.Status != "dispatched" || !so.StockConsumed {
		t.Fatalf("sales order %s, stock consumed %v", so.Status, so.StockConsumed)
	}
}

// download clicks a link whose answer is a file and returns the file's bytes.
func (b *browser) download(sel string) []byte {
	b.t.Helper()
	dir := b.t.TempDir()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	progress := chromedp.BrowserEvents(ctx, cdpbrowser.DownloadProgress)
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(sel)),
	)
	if err != nil {
		b.shot("failure")
		b.t.Fatalf("download %s: %v", sel, err)
	}
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("download %s: %v", sel, err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				b.t.Fatal(err)
			}
			return data
		case cdpbrowser.DownloadProgressStateCanceled:
			b.t.Fatalf("download %s cancelled", sel)
		}
	}
	b.t.Fatalf("download %s: no file", sel)
	return nil
}

func ptr[T any](v T) *T { return &v }

// eval evaluates a JavaScript expression that yields a string.
func (b *browser) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("eval: %v", err)
	}
	return s
}

// media emulates a CSS media type ("print"; "" goes back to the screen).
func (b *browser) media(m string) {
	b.t.Helper()
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	}))
}

// printed prints the page to PDF with its own page size (@page) and leaves
// the print media emulated, so that a screenshot shows what was printed.
func (b *browser) printed() []byte {
	b.t.Helper()
	b.media("print")
	var pdf []byte
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(true)})
		pdf = res.Data
		return err
	}))
	return pdf
}

func digitsOnly(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// nfeKey is the access key in an NF-e's infNFe Id.
func nfeKey(t *testing.T, xml []byte) string {
	t.Helper()
	_, rest, ok := bytes.Cut(xml, []byte(`Id="NFe`))
	if !ok || len(rest) < 44 {
		t.Fatal("no key in the XML")
	}
	return string(rest[:44])
}
