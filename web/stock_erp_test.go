package web_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// A stock feed exported by an ERP: the page and the API apply it and list
// the title and the closing total as ignored lines.
func TestStockFeedERPLayout(t *testing.T) {
	f := newStockFixture(t)
	feed := "PAULISTA AUTOPEÇAS LTDA - POSIÇÃO DE ESTOQUE\n\ncodigo;quantidade\nPF-100;5\nTotal de itens: 1\n"
	b := f.env.Login("paulo@paulista.example")
	if b.Get("/stock").Doc.Find("[data-testid=feed-sheet]").Length() != 1 {
		t.Fatal("the feed form has no sheet field")
	}
	res := afterUpload(t, b, b.Do(multipartUpload(t, f.env.URL+"/stock/feed", "estoque.csv", feed)), "/stock")
	if !strings.Contains(res.Text("[data-testid=feed-ok]"), "1 linha(s) aplicada(s)") {
		t.Fatalf("upload: %d %s", res.Status, res.Text("main"))
	}
	if n := res.Doc.Find("[data-testid=ignored-line]").Length(); n != 2 ||
		!strings.Contains(res.Text("[data-testid=ignored-lines]"), "Total de itens: 1") {
		t.Errorf("%d ignored lines shown: %q", n, res.Text("[data-testid=ignored-lines]"))
	}

	api := f.env.API(f.tokPaulo, "PUT", "/api/v1/stock", strings.NewReader(strings.Replace(feed, "PF-100;5", "PF-100;7", 1)), "text/csv")
	var rep struct {
		Applied int `json:"applied"`
		Ignored []struct {
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"ignored_lines"`
	}
	if api.Status != 200 || json.Unmarshal([]byte(api.Body), &rep) != nil || rep.Applied != 1 || len(rep.Ignored) != 2 ||
		rep.Ignored[0].Line != 1 || rep.Ignored[1].Line != 5 {
		t.Fatalf("API: %d %s", api.Status, api.Body)
	}
}
