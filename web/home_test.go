package web_test

import (
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// The home pages count the purchase orders that wait on the user: the
// supplier's own (never another's), and every supplier's for staff.
func TestHomeCountsPurchaseOrderWork(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	e.User("fiscal@connectparts.test", model.RoleFiscal, nil)
	e.User("log@connectparts.test", model.RoleLogistics, nil)

	sa := e.Login("a@freios.test")
	a := sa.Get("/")
	if got := a.Text("[data-testid=work-awaiting]"); got != "2" {
		t.Fatalf("supplier A awaiting: %q", got)
	}
	b := e.Login("b@paulista.test").Get("/")
	if got := b.Text("[data-testid=work-awaiting]"); got != "0" {
		t.Fatalf("supplier B sees another supplier's POs: %q", got)
	}
	if res := sa.Submit("/purchase-orders/"+f.po1+"/acknowledge", nil); res.Status != 303 {
		t.Fatalf("ack: %d", res.Status)
	}
	a = sa.Get("/")
	if aw, inv := a.Text("[data-testid=work-awaiting]"), a.Text("[data-testid=work-to-invoice]"); aw != "1" || inv != "1" {
		t.Fatalf("after ack: awaiting %q, to invoice %q", aw, inv)
	}
	staff := e.Login("fiscal@connectparts.test").Get("/")
	if got := staff.Text("[data-testid=work-awaiting]"); got != "1" {
		t.Fatalf("staff awaiting: %q", got)
	}
	if n := staff.Doc.Find("[data-testid=work-to-dispatch]").Length(); n != 0 {
		t.Fatal("fiscal sees the dispatch queue's card, which it cannot open")
	}
	if got := e.Login("log@connectparts.test").Get("/").Text("[data-testid=work-to-dispatch]"); got != "0" {
		t.Fatalf("logistics to dispatch: %q", got)
	}

	// A PO billed two days ago and not shipped is late: counted for its
	// supplier and for staff, not for the other supplier.
	po := mustPO(t, f, f.po2)
	// A test shortcut past the fiscal steps: the bill change from the PO's current status.
	billed := model.POChange{POTransition: model.POLifecycle[model.POActBill], At: time.Now().UTC().Add(-48 * time.Hour)}
	billed.From = []model.POStatus{po.Status}
	if err := e.App.Store.ApplyPOChange(e.Ctx, po, billed, "faturado (teste)", nil); err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]string{"a@freios.test": "1", "b@paulista.test": "0", "log@connectparts.test": "1"} {
		if got := e.Login(user).Get("/").Text("[data-testid=work-late]"); got != want {
			t.Errorf("%s late: %q, want %s", user, got, want)
		}
	}
}

// Every role's home links only to pages that role may open (the cards used
// to send compras, fiscal, logística and consulta to "Acesso negado").
func TestHomeLinksOpenForEveryRole(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista Autopeças")
	roles := map[string]model.Role{
		"adm@cp.example": model.RoleAdmin, "compras@cp.example": model.RolePurchasing, "fiscal@cp.example": model.RoleFiscal,
		"log@cp.example": model.RoleLogistics, "consulta@cp.example": model.RoleViewer,
	}
	for email, role := range roles {
		env.User(email, role, nil)
	}
	env.User("forn@paulista.example", model.RoleSupplier, sup)
	roles["forn@paulista.example"] = model.RoleSupplier
	for email, role := range roles {
		b := env.Login(email)
		home := b.Get("/")
		links := map[string]bool{}
		home.Doc.Find("main .cards a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			links[href] = true
		})
		if len(links) == 0 {
			t.Errorf("%s: a home with no card links", role)
		}
		for href := range links {
			if res := b.Get(href); res.Status != 200 {
				t.Errorf("%s: home links to %s, which answers %d", role, href, res.Status)
			}
		}
	}
}
