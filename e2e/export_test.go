package e2e_test

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/seed"
)

// openExport fetches href in the page (the browser's session) and opens the
// file back: CSV (UTF-8 with BOM, ';') or XLSX, the rows header first.
func (b *browser) openExport(href string) [][]string {
	b.t.Helper()
	// The file's bytes as they are (a text decoder would drop the BOM),
	// handed back in base64.
	js := fmt.Sprintf(`fetch(%q).then(async r => {
		if (r.status !== 200) return "status " + r.status;
		const a = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
		return "ok:" + btoa(s) })`, href)
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("download %s: %v", href, err)
	}
	if !strings.HasPrefix(out, "ok:") {
		b.t.Fatalf("download %s: %s", href, out)
	}
	body, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(out, "ok:"))
	if err != nil {
		b.t.Fatal(err)
	}
	if strings.Contains(href, "format=xlsx") {
		x, err := excelize.OpenReader(strings.NewReader(string(body)))
		if err != nil {
			b.t.Fatalf("download %s: not an XLSX: %v", href, err)
		}
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			b.t.Fatal(err)
		}
		return rows
	}
	s := string(body)
	if !strings.HasPrefix(s, "\uFEFF") {
		b.t.Fatalf("download %s: CSV without BOM: % x", href, body[:min(len(body), 16)])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		b.t.Fatalf("download %s: %v", href, err)
	}
	return rows
}

// In Chromium on the demo data, staff and a supplier sort the PO list by a
// column header, follow its CSV and XLSX links and open both files back:
// the same POs in the same order as the list (the page's rows are the
// file's first rows, and the file holds every row the list counts).
func TestBrowserExportMatchesList(t *testing.T) {
	dataDir := t.TempDir()
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.DataDir = dataDir }})
	a := env.App
	if _, err := seed.Demo(env.Ctx, seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, PriceTables: a.PriceTables,
		Orders: a.SyncEngine, Purchasing: a.Purchasing}); err != nil {
		t.Fatal(err)
	}
	bs := newBrowsers(t, env, "admin", "fornecedor")
	staff, sup := bs[0], bs[1]
	staff.login("admin@connectparts.example", seed.DemoPassword)
	sup.login("fornecedor@paulista.example", seed.DemoPassword)

	for _, b := range bs {
		b.visit("/purchase-orders")
		b.submit("[data-testid=sort-customer]")
		waitFor(t, b, func() bool { return strings.Contains(b.location(), "sort=customer") })
		b.submit("[data-testid=sort-customer]") // again: descending
		waitFor(t, b, func() bool { return strings.Contains(b.location(), "dir=desc") })
		b.shot("po-list-sorted")
		shown := strings.Split(b.evalString(`[...document.querySelectorAll("[data-testid=po-row]")].map(r => r.querySelector("td").innerText.trim()).join("\n")`), "\n")
		if len(shown) < 2 {
			t.Fatalf("%s: %d POs on the list", b.location(), len(shown))
		}
		more := b.exists("a[rel=next]")
		for _, fm := range []string{"csv", "xlsx"} {
			href := b.evalString(`document.querySelector("[data-testid=export-` + fm + `]").getAttribute("href")`)
			if !strings.Contains(href, "sort=customer") || !strings.Contains(href, "dir=desc") {
				t.Errorf("%s export link drops the sort: %s", fm, href)
			}
			rows := b.openExport(href)
			if rows[0][0] != "Pedido de compra" || len(rows) < len(shown)+1 {
				t.Fatalf("%s: %q", fm, rows[0])
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[0])
			}
			if strings.Join(got[:len(shown)], ",") != strings.Join(shown, ",") {
				t.Errorf("%s %s: file %v, list %v", b.location(), fm, got[:len(shown)], shown)
			}
			if !more && len(got) != len(shown) {
				t.Errorf("%s %s: file has %d rows, list %d", b.location(), fm, len(got), len(shown))
			}
		}
	}
}

// waitFor polls cond for a few seconds.
func waitFor(t *testing.T, b *browser, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.shot("wait-failure")
			t.Fatalf("timed out at %s", b.location())
		}
	}
}
