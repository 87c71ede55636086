package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// The platform page sets po_at: ready_for_handling by default, chosen on
// creation and edit, a wrong value refused on its field in Portuguese.
func TestPlatformPOAtSetting(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	res := b.Get("/platforms/new?kind=sandbox")
	if v, _ := res.Doc.Find("#f-po_at option[selected]").Attr("value"); v != string(model.POAtReadyForHandling) {
		t.Fatalf("default po_at on the form: %q", v)
	}
	res = b.Submit("/platforms", url.Values{"kind": {"sandbox"}, "name": {"Loja"}, "import_from": {"awaiting_payment"},
		"po_at": {"amanha"}, "interval": {"15"}})
	if res.Status != 422 || !strings.Contains(res.Text("#e-po_at"), "ready_for_handling") {
		t.Fatalf("bad po_at: %d %q", res.Status, res.Text("#e-po_at"))
	}
	res = b.Submit("/platforms", url.Values{"kind": {"sandbox"}, "name": {"Loja"}, "import_from": {"awaiting_payment"},
		"po_at": {"payment_approved"}, "interval": {"15"}})
	if res.Status != 303 {
		t.Fatalf("create: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	p, err := env.App.Store.FindPlatformByName(env.Ctx, "Loja")
	if err != nil || p.POAt != model.POAtPaymentApproved {
		t.Fatalf("created po_at %q %v", p.POAt, err)
	}
	pid := itoa(p.ID)
	if v, _ := b.Get("/platforms/" + pid).Doc.Find("#f-po_at option[selected]").Attr("value"); v != string(model.POAtPaymentApproved) {
		t.Fatalf("platform page shows po_at %q", v)
	}
	res = b.Submit("/platforms/"+pid, url.Values{"enabled": {"1"}, "import_from": {"awaiting_payment"}, "po_at": {"ready_for_handling"}, "interval": {"15"}})
	if res.Status != 303 {
		t.Fatalf("update: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	if p, _ = env.App.Store.FindPlatform(env.Ctx, p.ID); p.POAt != model.POAtReadyForHandling {
		t.Fatalf("after update po_at %q", p.POAt)
	}
}
