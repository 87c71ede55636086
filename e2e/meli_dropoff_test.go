package e2e_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
)

// A Mercado Livre drop-off order shipped through the portal in Chromium:
// imported from melifake ready for handling with its PO; the supplier sees
// that Mercado Envios ships it (no label or tracking of its own asked),
// accepts it and sends its NF-e; fiscal books it and uploads the billing
// NF-e, which invoice_data accepts; Mercado Livre's label is fetched and
// the supplier downloads it (the bytes are Mercado Livre's PDF); Mercado
// Livre reports the package dropped off and the PO is shipped with its
// tracking.
func TestBrowserMercadoLivreDropOff(t *testing.T) {
	m := apptest.NewMeliDropship(t)
	po := m.ImportMeli()
	m.User("fornecedor@freios.example", model.RoleSupplier, m.Supplier)
	m.User("fiscal@connectparts.example", model.RoleFiscal, nil)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	supplierXML := write("nfe-fornecedor.xml", m.SupplierInvoiceXML(t, po, nil))
	billing := write("nfe-faturamento.xml", m.BillingXML(t, po, nil))

	bs := newBrowsers(t, m.Env, "fornecedor", "fiscal")
	sup, fiscal := bs[0], bs[1]
	sup.login("fornecedor@freios.example", apptest.Password)
	fiscal.login("fiscal@connectparts.example", apptest.Password)
	page := "/purchase-orders/" + po.Number
	status := func(b *browser, want model.POStatus) {
		t.Helper()
		if got := b.text("[data-testid=po-status]"); got != want.Label() {
			b.shot("unexpected-status")
			t.Fatalf("%s sees %q, want %q", b.label, got, want.Label())
		}
	}

	sup.visit(page)
	status(sup, model.POAwaitingSupplier)
	if got := sup.text("[data-testid=platform-shipping]"); !strings.Contains(got, "Mercado Envios") || !strings.Contains(got, "Não é preciso enviar etiqueta") {
		t.Fatalf("Mercado Envios block: %q", got)
	}
	sup.shot("ml-po")
	sup.submit("[data-testid=ack-submit]")
	status(sup, model.POAcknowledged)
	sup.run(chromedp.SetUploadFiles(chromedp.CSS("#f-xml"), []string{supplierXML}))
	sup.submit("[data-testid=invoice-submit]")
	status(sup, model.POSupplierInvoiced)

	fiscal.visit("/purchase-orders?status=" + string(model.POSupplierInvoiced))
	fiscal.submit(fmt.Sprintf("form[action=%q] [data-testid=book-submit]", page+"/book"))
	fiscal.visit(page)
	status(fiscal, model.POInvoiceBooked)
	fiscal.run(chromedp.SetUploadFiles(chromedp.CSS("#f-billing-xml"), []string{billing}))
	fiscal.submit("[data-testid=billing-submit]")
	status(fiscal, model.POBilled)
	fiscal.shot("ml-billed")

	// The invoice push (the River job in production) sends the NF-e to
	// invoice_data and fetches the label Mercado Livre released.
	if _, err := m.App.SyncEngine.PushStatuses(m.Ctx, 0, po.SalesOrderID); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Fake.Invoices(m.ShipmentID)); n != 1 {
		t.Fatalf("invoice_data received %d NF-e", n)
	}

	sup.visit(page)
	status(sup, model.POBilled)
	if sup.exists("[data-testid=shipment-form]") {
		t.Fatal("the supplier is asked for its own label and tracking on a Mercado Envios shipment")
	}
	sup.shot("ml-label")
	if got := sup.download("[data-testid=platform-label-pdf]"); !bytes.Equal(got, melifake.LabelPDF(m.ShipmentID)) {
		t.Fatalf("downloaded label (%d bytes) is not Mercado Livre's PDF", len(got))
	}
	if got := sup.download("[data-testid=platform-label-zpl]"); !bytes.HasPrefix(got, []byte("PK")) {
		t.Fatalf("ZPL download is not Mercado Livre's ZIP (%d bytes)", len(got))
	}

	// Mercado Livre reports the drop-off (on the shipment only).
	m.Fake.SetShipmentState(m.ShipmentID, "ready_to_ship", "dropped_off")
	m.SyncMeli()
	sup.visit(page)
	status(sup, model.POShipped)
	if got := sup.text("[data-testid=tracking-code]"); got != "ME"+m.ShipmentID {
		t.Fatalf("tracking %q, want Mercado Livre's", got)
	}
	sup.shot("ml-shipped")
}
