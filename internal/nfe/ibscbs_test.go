package nfe_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

// The vNF rule (rejection 610) and the exceptions the manual lists.
func TestInvoiceTotalRuleExceptions(t *testing.T) {
	vehicle := func(f *fakeNFe) {
		f.Items = f.Items[:1]
		f.Items[0].VeicTpOp = "2"
		f.VST = "10.00"
	}
	tests := []struct {
		name  string
		doc   func() *fakeNFe
		vNF   string // "" keeps the generator's (rule-abiding) vNF
		edit  func(s string) string
		valid bool
	}{
		// Import (CFOP 3.101): vProd 1.200,00, vII 168,00.
		{name: "import, vNF with vII", doc: nfetest.Import, valid: true},
		{name: "import, vNF leaving out vII", doc: nfetest.Import, vNF: "1200.00", valid: true},
		{name: "import, vNF with other import costs", doc: nfetest.Import, vNF: "1513.77", valid: true},
		{name: "import CFOP on one item of two", doc: func() *fakeNFe {
			f := nfetest.Import()
			it := validNFe().Items[0]
			f.Items = append(f.Items, it)
			return f
		}, vNF: "1379.80", valid: true},
		{name: "same items under CFOP 1.102, vNF leaving out vII", doc: func() *fakeNFe {
			f := nfetest.Import()
			f.Items[0].CFOP = "1102"
			return f
		}, vNF: "1200.00", valid: false},
		{name: "vII left out of a domestic sale", doc: func() *fakeNFe {
			f := validNFe()
			f.Items[0].VII = "5.00"
			return f
		}, vNF: "196.30", valid: false},

		// Direct billing of a new vehicle (tpOp 2): vST is not added.
		{name: "vehicle direct billing, vNF without vST", doc: func() *fakeNFe {
			f := validNFe()
			vehicle(f)
			return f
		}, valid: true},
		{name: "vehicle direct billing, vNF with vST", doc: func() *fakeNFe {
			f := validNFe()
			vehicle(f)
			return f
		}, vNF: "205.30", valid: false},
		{name: "ordinary sale with vST, vNF with vST", doc: func() *fakeNFe {
			f := validNFe()
			f.Items = f.Items[:1]
			f.VST = "10.00"
			return f
		}, valid: true},
		{name: "ordinary sale with vST, vNF without vST", doc: func() *fakeNFe {
			f := validNFe()
			f.Items = f.Items[:1]
			f.VST = "10.00"
			return f
		}, vNF: "195.30", valid: false},

		// vICMSDeson subtracted or not (NT 2013/005 v1.22; indDeduzDeson).
		{name: "vICMSDeson subtracted", doc: validNFe, vNF: "191.30", valid: true,
			edit: func(s string) string { return deson(s, "5.00") }},
		{name: "vICMSDeson not subtracted", doc: validNFe, vNF: "196.30", valid: true,
			edit: func(s string) string { return deson(s, "5.00") }},
		{name: "vICMSDeson subtracted twice", doc: validNFe, vNF: "186.30", valid: false,
			edit: func(s string) string { return deson(s, "5.00") }},

		// A complementary NF-e (finNFe 2) has no exception in the manual.
		{name: "complementary NF-e with a wrong vNF", doc: validNFe, vNF: "190.00", valid: false,
			edit: func(s string) string { return strings.Replace(s, "<finNFe>1</finNFe>", "<finNFe>2</finNFe>", 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.doc()
			if tt.vNF != "" {
				f.VNF = tt.vNF
			}
			s := f.XML(t)
			if tt.edit != nil {
				s = tt.edit(s)
			}
			_, problems := checkString(s, nfe.Options{})
			if tt.valid && len(problems) != 0 {
				t.Fatalf("refused: %q", problems)
			}
			if !tt.valid && !slices.Equal(codes(problems), []string{nfe.CodeTotalMismatch}) {
				t.Fatalf("want only total_mismatch, got %q", problems)
			}
		})
	}
}

func deson(s, v string) string {
	return strings.Replace(s, "<vICMSDeson>0.00</vICMSDeson>", "<vICMSDeson>"+v+"</vICMSDeson>", 1)
}

// The import NF-e as the issue found it: authorised, CFOP 3.101 with its
// import declaration, vNF without vII.
func TestImportNFeAuthorized(t *testing.T) {
	f := nfetest.Import()
	f.VNF = "1200.00"
	doc, problems := checkString(f.XML(t), nfe.Options{RequireProtocol: true})
	if len(problems) != 0 {
		t.Fatalf("problems: %q", problems)
	}
	if !doc.Authorized() || !doc.IsImport() || doc.Direction != 0 || doc.Totals.ImportTaxCents != 16800 ||
		doc.Totals.InvoiceCents != 120000 || doc.Recipient.Document() != "EXP0001" {
		t.Errorf("doc %+v totals %+v", doc, doc.Totals)
	}
}

func TestIBSCBSRead(t *testing.T) {
	f := nfetest.WithIBSCBS(t, validNFe())
	f.Proc = true
	f.Items[0].IBSCBS.PCBS = "0.9000" // four places, as written
	doc, problems := checkString(f.XML(t), nfe.Options{})
	if len(problems) != 0 {
		t.Fatalf("problems: %q", problems)
	}
	// 179,80 × 0,10% = 0,1798 → 0,18; × 0,90% = 1,6182 → 1,62.
	// 1,00 × 0,10% = 0,001 → 0,00; × 0,90% = 0,009 → 0,01.
	g := doc.Items[0].IBSCBS
	if g == nil || g.CST != "000" || g.ClassTrib != "000001" || !g.HasValues || g.BaseCents != 17980 ||
		g.IBSUFRate.String() != "0.10" || g.IBSUFCents != 18 || g.IBSMunRate.String() != "0.00" || g.IBSMunCents != 0 ||
		g.IBSCents != 18 || g.CBSRate.String() != "0.9000" || g.CBSCents != 162 {
		t.Errorf("item 1 %+v", g)
	}
	if g := doc.Items[1].IBSCBS; g == nil || g.IBSCents != 0 || g.CBSCents != 1 || g.BaseCents != 100 {
		t.Errorf("item 2 %+v", g)
	}
	want := nfe.IBSCBSTotals{BaseCents: 18080, IBSUFCents: 18, IBSMunCents: 0, IBSCents: 18, CBSCents: 163}
	if doc.Totals.IBSCBS == nil || *doc.Totals.IBSCBS != want || doc.SumIBSCBS() != want || !doc.HasIBSCBS() {
		t.Errorf("totals %+v, sum %+v", doc.Totals.IBSCBS, doc.SumIBSCBS())
	}
	// IBS and CBS stay out of vNF in 2026: the same invoice total as without them.
	if doc.Totals.InvoiceCents != 19630 {
		t.Errorf("vNF %d", doc.Totals.InvoiceCents)
	}

	b, err := json.Marshal(nfe.NewReport("r.xml", doc, problems))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{
		`"total_cents":17980,"order_ref":"PC-000123","ibs_cbs":{"cst":"000","class_trib":"000001","base_cents":17980,` +
			`"ibs_uf_rate":"0.10","ibs_uf_cents":18,"ibs_mun_rate":"0.00","ibs_mun_cents":0,"ibs_cents":18,"cbs_rate":"0.9000","cbs_cents":162}}`,
		`"ibs_cbs_total":{"base_cents":18080,"ibs_uf_cents":18,"ibs_mun_cents":0,"ibs_cents":18,"cbs_cents":163}}`,
		`"total_cents":19630,`,
	} {
		if !strings.Contains(string(b), part) {
			t.Errorf("report lacks %s\n%s", part, b)
		}
	}
}

func TestWithoutIBSCBS(t *testing.T) {
	doc, problems := checkString(validNFe().XML(t), nfe.Options{})
	if len(problems) != 0 || doc.HasIBSCBS() || doc.Totals.IBSCBS != nil || doc.Items[0].IBSCBS != nil {
		t.Fatalf("problems %q, groups %+v", problems, doc.Totals.IBSCBS)
	}
	// Items with the group but no IBSCBSTot, and an item with CST and
	// cClassTrib only (no gIBSCBS), are read as they are.
	f := nfetest.WithIBSCBS(t, validNFe())
	f.NoIBSCBSTot = true
	f.Items[1].IBSCBS = &nfetest.IBSCBS{CST: "410", ClassTrib: "410999", NoValues: true}
	doc, problems = checkString(f.XML(t), nfe.Options{})
	if len(problems) != 0 || doc.Totals.IBSCBS != nil || doc.Items[1].IBSCBS.HasValues || doc.Items[1].IBSCBS.CST != "410" {
		t.Fatalf("problems %q, item 2 %+v", problems, doc.Items[1].IBSCBS)
	}
	if s := doc.SumIBSCBS(); s.CBSCents != 162 || s.BaseCents != 17980 {
		t.Errorf("sum %+v", s)
	}
}

func TestIBSCBSProblems(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, f *fakeNFe)
		want []string
		msg  string
	}{
		{name: "wrong vCBS total", edit: func(t *testing.T, f *fakeNFe) {
			tot := f.SumIBSCBS(t)
			tot.VCBS = "1.60"
			f.IBSCBSTot = &tot
		}, want: []string{nfe.CodeIBSCBSTotal},
			msg: "o total da CBS na nota (IBSCBSTot/gCBS/vCBS) é R$ 1,60, mas a soma dos itens é R$ 1,63"},
		{name: "wrong IBS totals", edit: func(t *testing.T, f *fakeNFe) {
			tot := f.SumIBSCBS(t)
			tot.VIBSUF, tot.VIBS = "0.20", "0.20"
			f.IBSCBSTot = &tot
		}, want: []string{nfe.CodeIBSCBSTotal, nfe.CodeIBSCBSTotal},
			msg: "o total do IBS estadual na nota (IBSCBSTot/gIBS/gIBSUF/vIBSUF) é R$ 0,20, mas a soma dos itens é R$ 0,18"},
		{name: "wrong municipal IBS total", edit: func(t *testing.T, f *fakeNFe) {
			tot := f.SumIBSCBS(t)
			tot.VIBSMun = "0.01"
			f.IBSCBSTot = &tot
		}, want: []string{nfe.CodeIBSCBSTotal}},
		{name: "wrong base total", edit: func(t *testing.T, f *fakeNFe) {
			tot := f.SumIBSCBS(t)
			tot.VBC = "179.80"
			f.IBSCBSTot = &tot
		}, want: []string{nfe.CodeIBSCBSTotal},
			msg: "o total da base de cálculo do IBS/CBS na nota (IBSCBSTot/vBCIBSCBS) é R$ 179,80, mas a soma dos itens é R$ 180,80"},
		{name: "item vCBS changed, total not", edit: func(t *testing.T, f *fakeNFe) {
			tot := f.SumIBSCBS(t)
			f.IBSCBSTot = &tot
			f.Items[1].IBSCBS.VCBS = "0.02"
		}, want: []string{nfe.CodeIBSCBSTotal}},
		{name: "IBSCBSTot without items' groups", edit: func(t *testing.T, f *fakeNFe) {
			tot := f.SumIBSCBS(t)
			f.IBSCBSTot = &tot
			f.Items[0].IBSCBS, f.Items[1].IBSCBS = nil, nil
		}, want: []string{nfe.CodeIBSCBSTotal, nfe.CodeIBSCBSTotal, nfe.CodeIBSCBSTotal, nfe.CodeIBSCBSTotal}},
		{name: "missing CST and cClassTrib", edit: func(t *testing.T, f *fakeNFe) {
			f.Items[0].IBSCBS.CST, f.Items[0].IBSCBS.ClassTrib = "", ""
		}, want: []string{nfe.CodeMissingField, nfe.CodeMissingField}, msg: "campo obrigatório ausente: item 1: imposto/IBSCBS/CST"},
		{name: "CST of 2 digits", edit: func(t *testing.T, f *fakeNFe) { f.Items[0].IBSCBS.CST = "00" },
			want: []string{nfe.CodeInvalidField}},
		{name: "rate with 5 places", edit: func(t *testing.T, f *fakeNFe) { f.Items[0].IBSCBS.PCBS = "0.90000" },
			want: []string{nfe.CodeTooManyDecimals}},
		{name: "amount with 3 places", edit: func(t *testing.T, f *fakeNFe) {
			f.Items[0].IBSCBS.VCBS = "1.620"
			tot := f.SumIBSCBS(t)
			f.IBSCBSTot = &tot
		}, want: []string{nfe.CodeTooManyDecimals}},
		{name: "missing vCBS", edit: func(t *testing.T, f *fakeNFe) { f.Items[0].IBSCBS.VCBS = "" },
			want: []string{nfe.CodeMissingField}, msg: "campo obrigatório ausente: item 1: imposto/IBSCBS/gIBSCBS/gCBS/vCBS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := nfetest.WithIBSCBS(t, validNFe())
			tt.edit(t, f)
			doc, problems := checkString(f.XML(t), nfe.Options{})
			if !slices.Equal(codes(problems), tt.want) {
				t.Fatalf("want %v, got %q", tt.want, problems)
			}
			if tt.msg != "" && problems[0].Message != tt.msg {
				t.Errorf("message %q", problems[0].Message)
			}
			if doc == nil || doc.Totals.InvoiceCents != 19630 {
				t.Errorf("doc %+v", doc)
			}
			// Refused through the same error as every other problem.
			if err := nfe.Err(problems); err == nil || !strings.Contains(err.Error(), "A NF-e foi recusada") {
				t.Errorf("err %v", err)
			}
		})
	}
}
