package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// Staff upload a catalog: the page sends it with XMLHttpRequest, shows the
// progress bar, and swaps in the report without leaving the page; a file
// with bad lines shows every line and applies nothing.
func TestBrowserCatalogImport(t *testing.T) {
	env := apptest.New(t)
	env.User("compras@cp.example", model.RolePurchasing, nil)
	env.Supplier("11222333000181", "Paulista Autopeças")
	b := newBrowser(t, env)
	dir := t.TempDir()

	var sb strings.Builder
	sb.WriteString("Código;Descrição;Marca;NCM;CNPJ Fornecedor;Código Fornecedor;Dropship\r\n")
	const rows = 3000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&sb, "CP-%05d;Peça de reposição nº %d;Marca Ç;87083090;11.222.333/0001-81;F-%d;sim\r\n", i, i, i)
	}
	good, err := charmap.Windows1252.NewEncoder().String(sb.String())
	if err != nil {
		t.Fatal(err)
	}
	goodPath := filepath.Join(dir, "catálogo.csv")
	badPath := filepath.Join(dir, "ruim.csv")
	if err := os.WriteFile(goodPath, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(badPath, []byte("sku;name;ean\nX-1;Bom;\nX-2;Ruim;123\nX-3;;\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	b.login("compras@cp.example", apptest.Password)
	b.visit("/products")
	b.run(chromedp.Click(chromedp.CSS("[data-testid=import-products]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-form]")))
	// Remember this document, and every state the progress bar goes through.
	watch := `(() => {
		window.__samePage = true; window.__bar = [];
		const bar = document.querySelector("[data-upload-progress]");
		new MutationObserver(ms => ms.forEach(m => window.__bar.push(m.attributeName + "=" + bar.getAttribute(m.attributeName))))
			.observe(bar, {attributes: true});
		return true })()`
	b.run(
		chromedp.Evaluate[chromedp.Void](watch),
		chromedp.SetUploadFiles(chromedp.CSS("[data-testid=import-file]"), []string{goodPath}),
		chromedp.Click(chromedp.CSS("[data-testid=import-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-report]")),
	)
	if got := b.text("[data-testid=import-applied]"); got != "3.000" {
		t.Fatalf("applied: %q (%s)", got, b.text("#import-result"))
	}
	b.shot("import-applied")
	state, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify({same: window.__samePage === true, bar: window.__bar, path: location.pathname})`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(state, `"same":true`) || !strings.Contains(state, `"hidden=null"`) || !strings.Contains(state, `"path":"/products/import"`) {
		t.Fatalf("upload did not go through the progress script: %s", state)
	}
	if p, err := env.App.Store.FindProductBySKU(env.Ctx, "CP-02999"); err != nil || p.Brand != "Marca Ç" {
		t.Fatalf("imported product: %+v %v", p, err)
	}

	b.run(
		chromedp.SetUploadFiles(chromedp.CSS("[data-testid=import-file]"), []string{badPath}),
		chromedp.Click(chromedp.CSS("[data-testid=import-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-problems]")),
	)
	if got := b.text("[data-testid=import-problems]"); !strings.Contains(got, "3") || !strings.Contains(got, "EAN/GTIN inválido") || !strings.Contains(got, "Informe o nome") {
		t.Fatalf("problems: %q", got)
	}
	if got := b.text("[data-testid=import-summary]"); !strings.Contains(got, "Nenhuma linha foi aplicada") {
		t.Fatalf("summary: %q", got)
	}
	b.shot("import-rejected")
	if _, err := env.App.Store.FindProductBySKU(env.Ctx, "X-1"); err == nil {
		t.Fatal("good line of a rejected file applied")
	}

	// The list finds an imported product; its page refuses a wrong EAN next to the field.
	b.visit("/products")
	b.run(fill("[data-testid=products-search]", "nº 2999"))
	b.submit("[data-testid=products-filters] button[type=submit]")
	if got := b.text("[data-testid=products-table] tbody"); !strings.Contains(got, "CP-02999") || strings.Contains(got, "CP-00001") {
		t.Fatalf("search: %q", got)
	}
	b.shot("products-search")
	b.submit("[data-testid=product-sku]")
	b.run(fill("#f-ean", "7891000000015"))
	b.submit("[data-testid=product-save]")
	if got := b.text("#e-ean"); !strings.Contains(got, "dígito verificador") {
		t.Fatalf("EAN error: %q", got)
	}
	b.shot("product-ean-error")
	if p, _ := env.App.Store.FindProductBySKU(env.Ctx, "CP-02999"); p.EAN != "" {
		t.Fatalf("refused EAN saved: %q", p.EAN)
	}
}
