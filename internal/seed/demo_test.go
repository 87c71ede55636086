package seed_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/shipping"
	"github.com/connectparts/portal/internal/store"
)

// snapshot is what a second run of the demo must leave as it was.
type snapshot struct {
	status     map[string]model.POStatus
	dispatched map[string]bool
	poEvents   int
	poAudit    int64 // the POs' audit entries
	audit      int64 // all audit entries
}

func takeSnapshot(t *testing.T, env *apptest.Env) snapshot {
	t.Helper()
	st := env.App.Store
	pos, total, err := st.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{}, store.Page{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if int(total) != len(pos) {
		t.Fatalf("%d POs, listed %d", total, len(pos))
	}
	s := snapshot{status: map[string]model.POStatus{}, dispatched: map[string]bool{}}
	for _, po := range pos {
		s.status[po.Number] = po.Status
		s.dispatched[po.Number] = po.DispatchedAt != nil
		ev, err := st.ListPurchaseOrderEvents(env.Ctx, po.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.poEvents += len(ev)
	}
	if _, s.poAudit, err = st.ListAudit(env.Ctx, store.AuditFilter{Entity: "purchase_order"}, store.Page{Size: 1}); err != nil {
		t.Fatal(err)
	}
	if _, s.audit, err = st.ListAudit(env.Ctx, store.AuditFilter{}, store.Page{Size: 1}); err != nil {
		t.Fatal(err)
	}
	return s
}

// The demo seed leaves a purchase order in every interesting status, gone
// through the real services (valid NF-e, a stored label, a Correios code),
// and a second run changes nothing.
func TestDemoPurchaseOrdersAcrossTheFlow(t *testing.T) {
	dataDir := t.TempDir()
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.DataDir = dataDir }})
	a := env.App
	deps := seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, PriceTables: a.PriceTables, Orders: a.SyncEngine, Purchasing: a.Purchasing}
	if _, err := seed.Demo(env.Ctx, deps); err != nil {
		t.Fatal(err)
	}
	first := takeSnapshot(t, env)

	byStatus := map[model.POStatus][]string{}
	for n, s := range first.status {
		byStatus[s] = append(byStatus[s], n)
	}
	for _, s := range []model.POStatus{model.POAcknowledged, model.POBackordered, model.POSupplierInvoiced,
		model.POInvoiceBooked, model.POShipped} {
		if len(byStatus[s]) != 1 {
			t.Errorf("status %s: POs %v, want exactly one", s, byStatus[s])
		}
	}
	var billedWaiting, billedDispatched []string
	for _, n := range byStatus[model.POBilled] {
		if first.dispatched[n] {
			billedDispatched = append(billedDispatched, n)
		} else {
			billedWaiting = append(billedWaiting, n)
		}
	}
	if len(billedWaiting) != 1 || len(billedDispatched) != 1 {
		t.Fatalf("billed POs waiting for the despacho %v and despachado %v, want one each", billedWaiting, billedDispatched)
	}
	if len(byStatus[model.PONoPrice]) == 0 {
		t.Error("no PO without price: a demo product left out of its table in force should make one")
	}
	if n := len(byStatus[model.POAwaitingSupplier]); n*2 <= len(first.status) {
		t.Errorf("%d of %d POs awaiting the supplier: most should stay there", n, len(first.status))
	}

	// The exception queue holds the backordered PO, with its date and
	// reason, and the POs without price.
	exc, _, err := a.Store.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{Exceptions: true}, store.Page{Size: 50})
	if err != nil || len(exc) != 1+len(byStatus[model.PONoPrice]) {
		t.Fatalf("exception queue: %d POs, %v", len(exc), err)
	}
	for _, po := range exc {
		if po.Status == model.POBackordered && (po.BackorderAvailableOn == "" || po.BackorderReason == "") {
			t.Errorf("backordered %s without date or reason: %q %q", po.Number, po.BackorderAvailableOn, po.BackorderReason)
		}
	}

	// The billed PO's supplier downloads the billing NF-e, which passes the
	// real checks, and opens its DANFE page.
	billed, err := a.Purchasing.Find(env.Ctx, nil, billedWaiting[0])
	if err != nil {
		t.Fatal(err)
	}
	email := map[string]string{"11222333000181": "fornecedor@paulista.example", "12ABC34501DE35": "fornecedor@freioscia.example"}[billed.Supplier.CNPJ]
	b := env.Browser()
	if res := b.Submit("/login", url.Values{"email": {email}, "password": {seed.DemoPassword}}); res.Status != http.StatusSeeOther {
		t.Fatalf("demo supplier login: %d", res.Status)
	}
	xml := b.Get("/purchase-orders/" + billed.Number + "/billing-invoice.xml")
	if xml.Status != http.StatusOK {
		t.Fatalf("billing XML: %d", xml.Status)
	}
	doc, problems := nfe.Check(strings.NewReader(xml.Body), nfe.Options{RequireProtocol: true})
	if len(problems) > 0 || !doc.Authorized() || doc.Issuer.CNPJ != seed.DemoCompanyCNPJ {
		t.Fatalf("billing NF-e: %+v %+v", problems, doc)
	}
	if danfe := b.Get("/purchase-orders/" + billed.Number + "/billing-invoice"); danfe.Status != http.StatusOK || !strings.Contains(danfe.Body, doc.Key[:4]) {
		t.Fatalf("DANFE page: %d", danfe.Status)
	}

	// The shipped PO has a PDF label in the document store and a valid
	// Correios code.
	sh, file, err := a.Purchasing.Label(env.Ctx, nil, byStatus[model.POShipped][0])
	if err != nil {
		t.Fatal(err)
	}
	if err := shipping.ValidTracking(shipping.CarrierCorreios, sh.TrackingCode); err != nil || sh.Carrier != shipping.CarrierCorreios {
		t.Errorf("tracking %s %q: %v", sh.Carrier, sh.TrackingCode, err)
	}
	label, err := io.ReadAll(file)
	file.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(label)
	if kind, err := shipping.DetectLabel(label); err != nil || kind != shipping.KindPDF || hex.EncodeToString(sum[:]) != sh.LabelSHA256 {
		t.Errorf("label: kind %q %v, sha256 %x vs %s", kind, err, sum, sh.LabelSHA256)
	}

	// Running it again changes nothing (compared after the checks above,
	// whose login is audited).
	first = takeSnapshot(t, env)
	if _, err := seed.Demo(env.Ctx, deps); err != nil {
		t.Fatal(err)
	}
	second := takeSnapshot(t, env)
	if len(second.status) != len(first.status) {
		t.Fatalf("second run: %d POs, first %d", len(second.status), len(first.status))
	}
	for n, s := range first.status {
		if second.status[n] != s || second.dispatched[n] != first.dispatched[n] {
			t.Errorf("second run moved %s: %s → %s", n, s, second.status[n])
		}
	}
	if second.poEvents != first.poEvents || second.poAudit != first.poAudit {
		t.Errorf("second run: %d PO events and %d PO audit entries, first %d and %d", second.poEvents, second.poAudit, first.poEvents, first.poAudit)
	}
	if second.audit != first.audit {
		entries, _, _ := a.Store.ListAudit(env.Ctx, store.AuditFilter{}, store.Page{Size: int(second.audit - first.audit)})
		for _, e := range entries {
			t.Logf("new audit entry: %s %s %s", e.Action, e.Entity, e.EntityID)
		}
		t.Errorf("second run: %d audit entries, first %d", second.audit, first.audit)
	}
}
