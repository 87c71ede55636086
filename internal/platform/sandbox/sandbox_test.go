package sandbox_test

import (
	"context"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/sandbox"
)

var products = []sandbox.Product{
	{SKU: "CP-FILTRO-OLEO-01", Name: "Filtro de óleo", PriceCents: 3990},
	{SKU: "CP-PASTILHA-FREIO-02", Name: "Pastilha de freio dianteira", PriceCents: 12990},
	{SKU: "CP-VELA-IGNICAO-03", Name: "Vela de ignição"},
	{SKU: "CP-PALHETA-04", Name: "Palheta do limpador", PriceCents: 4590},
}

func newSandbox(t *testing.T, seed uint64, n int) *sandbox.Platform {
	t.Helper()
	p, err := sandbox.New(sandbox.Config{Seed: seed, Products: products, Orders: n})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDeterministicForASeed(t *testing.T) {
	a, b := newSandbox(t, 42, 50), newSandbox(t, 42, 50)
	if !reflect.DeepEqual(a.Orders(), b.Orders()) {
		t.Fatal("same seed, different orders")
	}
	// Generating in two steps gives the same orders as in one.
	c := newSandbox(t, 42, 20)
	c.Generate(30)
	if !reflect.DeepEqual(a.Orders(), c.Orders()) {
		t.Error("Generate(20)+Generate(30) differs from Generate(50)")
	}
	d := newSandbox(t, 43, 50)
	if reflect.DeepEqual(a.Orders()[0].Customer, d.Orders()[0].Customer) {
		t.Error("different seeds, same first customer")
	}
}

// validCPF is written independently of the generator.
func validCPF(s string) bool {
	if !regexp.MustCompile(`^\d{11}$`).MatchString(s) {
		return false
	}
	same := true
	for i := 1; i < 11; i++ {
		same = same && s[i] == s[0]
	}
	if same {
		return false
	}
	for _, n := range []int{9, 10} {
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(s[i]-'0') * (n + 1 - i)
		}
		d := 11 - sum%11
		if d >= 10 {
			d = 0
		}
		if int(s[n]-'0') != d {
			return false
		}
	}
	return true
}

var ibge = map[string]string{ // municipality → IBGE code, for the cities the sandbox uses
	"São Paulo": "3550308", "Rio de Janeiro": "3304557", "Belo Horizonte": "3106200", "Curitiba": "4106902",
	"Porto Alegre": "4314902", "Salvador": "2927408", "Recife": "2611606", "Fortaleza": "2304400",
	"Brasília": "5300108", "Campinas": "3509502", "Goiânia": "5208707", "Manaus": "1302603",
	"Florianópolis": "4205407",
}

func TestGeneratedOrdersAreValid(t *testing.T) {
	p := newSandbox(t, 7, 300)
	orders := p.Orders()
	var pf, pj, methods = 0, 0, map[string]bool{}
	for _, o := range orders {
		switch o.Customer.Type {
		case model.PersonIndividual:
			pf++
			if !validCPF(o.Customer.Document) {
				t.Errorf("%s: invalid CPF %s", o.ExternalID, o.Customer.Document)
			}
		case model.PersonCompany:
			pj++
			if !cnpj.Valid(o.Customer.Document) {
				t.Errorf("%s: invalid CNPJ %s", o.ExternalID, o.Customer.Document)
			}
			if o.Customer.ICMSContributor == (o.Customer.StateRegistration == "ISENTO") {
				t.Errorf("%s: IE %q but contributor %v", o.ExternalID, o.Customer.StateRegistration, o.Customer.ICMSContributor)
			}
		default:
			t.Errorf("%s: person type %q", o.ExternalID, o.Customer.Type)
		}
		a := o.Address
		if ibge[a.City] != a.IBGECityCode || len(a.CEP) != 8 || len(a.State) != 2 || a.Country != "BR" || a.Street == "" {
			t.Errorf("%s: address %+v", o.ExternalID, a)
		}
		if a.IBGECityCode[:2] != map[string]string{"SP": "35", "RJ": "33", "MG": "31", "PR": "41", "RS": "43", "BA": "29",
			"PE": "26", "CE": "23", "DF": "53", "GO": "52", "AM": "13", "SC": "42"}[a.State] {
			t.Errorf("%s: IBGE %s not in state %s", o.ExternalID, a.IBGECityCode, a.State)
		}
		methods[o.ShippingMethod] = true
		var sum int64
		for _, it := range o.Items {
			if it.Quantity < 1 || it.UnitCents <= 0 || it.TotalCents != it.UnitCents*it.Quantity {
				t.Errorf("%s: item %+v", o.ExternalID, it)
			}
			sum += it.TotalCents
		}
		if len(o.Items) == 0 || sum != o.ItemsCents || o.TotalCents != o.ItemsCents+o.ShippingCents {
			t.Errorf("%s: totals items %d shipping %d total %d (lines %d)", o.ExternalID, o.ItemsCents, o.ShippingCents, o.TotalCents, sum)
		}
		wantReserve := o.Status != model.SOAwaitingPayment && o.Status != model.SOCancelled
		if o.Reserve != wantReserve || o.ChannelStatus != string(o.Status) || (o.PaidAt != nil) != wantReserve {
			t.Errorf("%s: status %s reserve %v paid %v", o.ExternalID, o.Status, o.Reserve, o.PaidAt)
		}
	}
	if pf == 0 || pj == 0 || !reflect.DeepEqual(methods, map[string]bool{"Normal": true, "Expressa": true, "Econômica": true}) {
		t.Errorf("pf %d pj %d methods %v", pf, pj, methods)
	}
}

func TestAdapterBehaviour(t *testing.T) {
	ctx := context.Background()
	p := newSandbox(t, 3, 5)
	b, err := p.Changes(ctx, "")
	if err != nil || len(b.Changes) != 5 {
		t.Fatalf("changes = %+v, %v", b, err)
	}
	// Unacknowledged events come back; acknowledged ones do not.
	again, _ := p.Changes(ctx, "")
	if !reflect.DeepEqual(again, b) {
		t.Errorf("re-delivery differs")
	}
	if err := p.Ack(ctx, b.Changes); err != nil {
		t.Fatal(err)
	}
	if got := p.Acked(); !reflect.DeepEqual(got, []string{"sbx-evt-1", "sbx-evt-2", "sbx-evt-3", "sbx-evt-4", "sbx-evt-5"}) {
		t.Errorf("acked = %v", got)
	}
	if empty, _ := p.Changes(ctx, ""); len(empty.Changes) != 0 {
		t.Errorf("after ack: %+v", empty)
	}

	var ready string
	for _, o := range p.Orders() {
		if o.Status == model.SOReadyForHandling {
			ready = o.ExternalID
			break
		}
	}
	if ready == "" {
		t.Fatal("no ready order in the sample")
	}
	steps := []struct {
		name string
		do   func() error
		want model.SOStatus
	}{
		{"start handling", func() error { return p.StartHandling(ctx, ready) }, model.SOHandling},
		{"start handling again", func() error { return p.StartHandling(ctx, ready) }, model.SOHandling},
		{"invoice", func() error {
			return p.SendInvoice(ctx, ready, platform.Invoice{Number: "1001", Series: "1", ValueCents: 5000, XML: []byte("<nfeProc/>")})
		}, model.SOInvoiced},
		{"same invoice again", func() error {
			return p.SendInvoice(ctx, ready, platform.Invoice{Number: "1001", Series: "1", ValueCents: 5000})
		}, model.SOInvoiced},
		{"tracking", func() error {
			return p.SendTracking(ctx, ready, platform.Tracking{InvoiceNumber: "1001", Carrier: "Correios", Code: "AA123456785BR"})
		}, model.SODispatched},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if o, _ := p.GetOrder(ctx, ready); o.Status != s.want {
			t.Errorf("%s: status %s, want %s", s.name, o.Status, s.want)
		}
	}
	if len(p.Invoices(ready)) != 1 || len(p.Trackings(ready)) != 1 {
		t.Errorf("invoices %d trackings %d", len(p.Invoices(ready)), len(p.Trackings(ready)))
	}
	if err := p.Cancel(ctx, ready, "x"); platform.KindOf(err) != platform.ErrRejected {
		t.Errorf("cancel after invoicing: %v", err)
	}
	if err := p.SendTracking(ctx, ready, platform.Tracking{InvoiceNumber: "999"}); platform.KindOf(err) != platform.ErrNotFound {
		t.Errorf("tracking of an unknown invoice: %v", err)
	}
	if _, err := p.GetOrder(ctx, "SBX-999999"); platform.KindOf(err) != platform.ErrNotFound {
		t.Errorf("unknown order: %v", err)
	}

	for _, q := range []int64{10, -4} {
		if err := p.SetStock(ctx, "CP-FILTRO-OLEO-01", q); err != nil {
			t.Fatal(err)
		}
	}
	if q, ok := p.Stock("CP-FILTRO-OLEO-01"); !ok || q != 0 {
		t.Errorf("stock = %d, %v; want 0 (clamped)", q, ok)
	}
	if got := p.StockWrites(); !reflect.DeepEqual(got, []sandbox.StockWrite{{"CP-FILTRO-OLEO-01", 10}, {"CP-FILTRO-OLEO-01", 0}}) {
		t.Errorf("stock writes = %v", got)
	}

	// Our own actions emit events too, merged per order.
	b, _ = p.Changes(ctx, "")
	if len(b.Changes) != 1 || b.Changes[0].ExternalID != ready || b.Changes[0].ChannelStatus != "dispatched" || len(b.Changes[0].AckTokens) != 3 {
		t.Errorf("changes after actions = %+v", b.Changes)
	}
}

func TestCancelAndSetStatus(t *testing.T) {
	ctx := context.Background()
	p := newSandbox(t, 11, 40)
	var waiting string
	for _, o := range p.Orders() {
		if o.Status == model.SOAwaitingPayment {
			waiting = o.ExternalID
			break
		}
	}
	if waiting == "" {
		t.Fatal("no order awaiting payment in the sample")
	}
	if err := p.StartHandling(ctx, waiting); platform.KindOf(err) != platform.ErrRejected {
		t.Errorf("start handling an unpaid order: %v", err)
	}
	if err := p.SetStatus(waiting, model.SOReadyForHandling); err != nil {
		t.Fatal(err)
	}
	o, _ := p.GetOrder(ctx, waiting)
	if !o.Reserve || o.PaidAt == nil {
		t.Errorf("after payment: %+v", o)
	}
	if err := p.Cancel(ctx, waiting, "Fornecedor sem estoque"); err != nil {
		t.Fatal(err)
	}
	o, _ = p.GetOrder(ctx, waiting)
	if o.Status != model.SOCancelled || o.Reserve || o.CancelReason != "Fornecedor sem estoque" ||
		!reflect.DeepEqual(p.Cancellations(waiting), []string{"Fornecedor sem estoque"}) {
		t.Errorf("after cancel: %+v", o)
	}
}

func TestDefaultStartAndSettings(t *testing.T) {
	p := newSandbox(t, 1, 1)
	o := p.Orders()[0]
	start := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	if o.CreatedAt.Before(start) || o.CreatedAt.After(start.Add(10*time.Minute)) {
		t.Errorf("created at %v", o.CreatedAt)
	}
	cfg, err := sandbox.ParseSettings(map[string]string{"seed": "9", "orders": "3", "import_from": "payment_confirmed"}, products)
	if err != nil || cfg.Seed != 9 || cfg.Orders != 3 {
		t.Errorf("ParseSettings = %+v, %v", cfg, err)
	}
	if _, err := sandbox.ParseSettings(map[string]string{"seed": "-1"}, products); err == nil {
		t.Error("negative seed accepted")
	}
	_, err = sandbox.ParseSettings(map[string]string{"seeds": "2", "orders": "x", "cor": "azul"}, products)
	var got []string
	for _, d := range apperr.Details(err) {
		got = append(got, d.Field+": "+d.Message)
	}
	if want := []string{
		"cor: Configuração desconhecida para a plataforma de demonstração.",
		"orders: O número de pedidos deve ficar entre 0 e 100000.",
		"seeds: Configuração desconhecida para a plataforma de demonstração.",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSettings details = %q, want %q", got, want)
	}
	if _, err := sandbox.New(sandbox.Config{}); err == nil {
		t.Error("sandbox without products accepted")
	}
}
