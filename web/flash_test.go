package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// Confirmations nobody reads used to pile up in the session cookie until it
// overflowed: the 65th POST answered 500. They are now capped.
func TestUnreadFlashesNeverOverflowTheCookie(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	b.Get("/notifications")
	for i := 1; i <= 70; i++ {
		if res := b.Submit("/notifications/read", url.Values{}); res.Status != http.StatusSeeOther {
			t.Fatalf("POST %d: %d", i, res.Status)
		}
	}
	res := b.Get("/notifications")
	if res.Status != http.StatusOK {
		t.Fatalf("page after 70 unread confirmations: %d", res.Status)
	}
	if n := res.Doc.Find("[data-testid=flash-success]").Length(); n != 1 {
		t.Fatalf("a repeated confirmation shows %d times, want once", n)
	}
	if res := b.Get("/notifications"); res.Doc.Find("[data-testid=flash-success]").Length() != 0 {
		t.Fatal("flash shown twice")
	}
}
