package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

func renderDanfe(t *testing.T, f *nfetest.Doc) *goquery.Document {
	t.Helper()
	doc, problems := nfe.Parse([]byte(f.XML(t)), nfe.Options{})
	if len(problems) != 0 {
		t.Fatalf("problems %q", problems)
	}
	var buf bytes.Buffer
	if err := danfeDocumentView(DanfeProps{PONumber: "PC-1", Kind: "supplier", Doc: doc}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	g, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The DANFE shows the IBS and CBS totals (and each item's) of an NF-e that
// carries them, and nothing of the kind for one that does not.
func TestDanfeIBSCBS(t *testing.T) {
	g := renderDanfe(t, nfetest.WithIBSCBS(t, nfetest.Valid()))
	text := func(id string) string { return strings.TrimSpace(g.Find("[data-testid=" + id + "]").Text()) }
	for id, want := range map[string]string{
		"danfe-ibscbs-base":   "180,80",
		"danfe-ibs-uf-total":  "0,18",
		"danfe-ibs-mun-total": "0,00",
		"danfe-ibs-total":     "0,18",
		"danfe-cbs-total":     "1,63",
		"danfe-total":         "R$ 196,30", // vNF, without IBS and CBS
	} {
		if got := text(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	var ibs, cbs []string
	g.Find("[data-testid=danfe-item-ibs]").Each(func(_ int, s *goquery.Selection) { ibs = append(ibs, s.Text()) })
	g.Find("[data-testid=danfe-item-cbs]").Each(func(_ int, s *goquery.Selection) { cbs = append(cbs, s.Text()) })
	if strings.Join(ibs, " ") != "0,18 0,00" || strings.Join(cbs, " ") != "1,62 0,01" {
		t.Errorf("items IBS %q CBS %q", ibs, cbs)
	}
	if !strings.Contains(text("danfe-ibscbs-note"), "não compõem o valor total") {
		t.Error("the note on vNF is missing")
	}

	// Items with the group but no IBSCBSTot: the panel shows the items' sum.
	f := nfetest.WithIBSCBS(t, nfetest.Valid())
	f.NoIBSCBSTot = true
	g = renderDanfe(t, f)
	if got := strings.TrimSpace(g.Find("[data-testid=danfe-cbs-total]").Text()); got != "1,63" {
		t.Errorf("CBS from the items %q", got)
	}

	g = renderDanfe(t, nfetest.Valid())
	if n := g.Find("[data-testid=danfe-ibscbs], [data-testid=danfe-item-ibs]").Length(); n != 0 || g.Find("[data-testid=danfe-items] th").Length() != 8 {
		t.Errorf("an NF-e without the groups shows %d IBS/CBS elements", n)
	}
}
