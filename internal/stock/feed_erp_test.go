package stock_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/stock"
)

// A stock feed as an ERP exports it: title above the header, quantities,
// a closing total; the ignored lines are reported, the lines read.
func TestReadFeedERPLayout(t *testing.T) {
	text := "PAULISTA AUTOPEÇAS LTDA - POSIÇÃO DE ESTOQUE 07/12/2026\n\ncodigo;quantidade\nPA-1;5\nPA-2;0\nTotal de itens: 2\n"
	ff, err := stock.ReadFeedSheet(strings.NewReader(text), int64(len(text)), "")
	if err != nil {
		t.Fatal(err)
	}
	wantLines := []stock.FeedLine{{Line: 4, SupplierCode: "PA-1", Quantity: 5}, {Line: 5, SupplierCode: "PA-2", Quantity: 0}}
	wantIgnored := []model.IgnoredLine{
		{Line: 1, Text: "PAULISTA AUTOPEÇAS LTDA - POSIÇÃO DE ESTOQUE 07/12/2026", Reason: "acima do cabeçalho"},
		{Line: 6, Text: "Total de itens: 2", Reason: "linha de resumo após os dados"},
	}
	if !reflect.DeepEqual(ff.Lines, wantLines) || len(ff.Problems) != 0 || !reflect.DeepEqual(ff.Ignored, wantIgnored) {
		t.Errorf("lines %+v problems %+v ignored %+v", ff.Lines, ff.Problems, ff.Ignored)
	}
	var rep stock.FeedReport
	ff.Report(&rep)
	if !reflect.DeepEqual(rep.Ignored, wantIgnored) {
		t.Errorf("report ignored %+v", rep.Ignored)
	}

	// A bad quantity is still a problem line, not an ignored one.
	text = strings.Replace(text, "PA-2;0", "PA-2;muitos", 1)
	ff, err = stock.ReadFeedSheet(strings.NewReader(text), int64(len(text)), "")
	if err != nil || len(ff.Problems) != 1 || ff.Problems[0].Line != 5 || len(ff.Ignored) != 2 {
		t.Fatalf("%v %+v", err, ff)
	}
}
