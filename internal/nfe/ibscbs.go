package nfe

import (
	"fmt"
	"strings"

	"github.com/connectparts/portal/internal/format"
)

// The tax reform's groups (IBS, the state and municipal goods-and-services
// tax, and CBS, the federal contribution; LC 214/2025), added to NF-e 4.00 by
// NT 2025.002-RTC. Element names and nesting follow the schema PL_010 v1.30
// as published in nfephp-org/sped-nfe (schemes/PL_010_V1.30):
//
//	det/imposto/IBSCBS (TTribNFe): CST, cClassTrib, then one of gIBSCBS,
//	  gIBSCBSMono, gTransfCred, gAjusteCompet (optional). gIBSCBS (TCIBS):
//	  vBC, gIBSUF{pIBSUF, gDif?, gDevTrib?, gRed?, vIBSUF},
//	  gIBSMun{pIBSMun, …, vIBSMun}, vIBS, gCBS{pCBS, …, vCBS}, …
//	total/IBSCBSTot (TIBSCBSMonoTot): vBCIBSCBS,
//	  gIBS?{gIBSUF{vDif, vDevTrib, vIBSUF}, gIBSMun{vDif, vDevTrib, vIBSMun},
//	  vIBS, vCredPres, vCredPresCondSus}, gCBS?{vDif, vDevTrib, vCBS, …},
//	  gMono?, gEstornoCred?; then total/vNFTot.
//
// Amounts are TDec1302RTC (13 integer digits, 2 places; "0" allowed), rates
// TDec_0302_04RTC (a percentage, 3 integer digits, 2 to 4 places). Only the
// regular taxation group gIBSCBS is read per item; monophasic fuel
// (gIBSCBSMono), credit transfer and the other choices are not parts a
// dropship supplier invoices, and count as zero in the sums below.
//
// These values are informative in 2026, the test year: IBS at 0,1% and CBS
// at 0,9% (LC 214/2025 arts. 343 and 346), with payment waived for whoever
// issues the documents (art. 348 §1). They are charged "por fora": they
// never enter vNF (see checkInvoiceTotal), whose rule 610 is unchanged;
// the layout's vNFTot is the total with them. From 1 January 2027 the CBS is
// charged for real and PIS/Cofins end (ADCT art. 126, EC 132/2023); IBS
// follows gradually from 2029 to 2033.

type xImposto struct {
	IBSCBS *xIBSCBS `xml:"IBSCBS"`
}

type xIBSCBS struct {
	CST        string    `xml:"CST"`
	CClassTrib string    `xml:"cClassTrib"`
	GIBSCBS    *xGIBSCBS `xml:"gIBSCBS"`
}

type xGIBSCBS struct {
	VBC    string `xml:"vBC"`
	GIBSUF *struct {
		PIBSUF string `xml:"pIBSUF"`
		VIBSUF string `xml:"vIBSUF"`
	} `xml:"gIBSUF"`
	GIBSMun *struct {
		PIBSMun string `xml:"pIBSMun"`
		VIBSMun string `xml:"vIBSMun"`
	} `xml:"gIBSMun"`
	VIBS string `xml:"vIBS"`
	GCBS *struct {
		PCBS string `xml:"pCBS"`
		VCBS string `xml:"vCBS"`
	} `xml:"gCBS"`
}

type xIBSCBSTot struct {
	VBCIBSCBS string `xml:"vBCIBSCBS"`
	GIBS      *struct {
		GIBSUF *struct {
			VIBSUF string `xml:"vIBSUF"`
		} `xml:"gIBSUF"`
		GIBSMun *struct {
			VIBSMun string `xml:"vIBSMun"`
		} `xml:"gIBSMun"`
		VIBS string `xml:"vIBS"`
	} `xml:"gIBS"`
	GCBS *struct {
		VCBS string `xml:"vCBS"`
	} `xml:"gCBS"`
}

// ItemIBSCBS is an item's imposto/IBSCBS group. The amounts are zero and the
// rates empty when the item has no gIBSCBS (HasValues false).
type ItemIBSCBS struct {
	CST       string // CST do IBS/CBS, 3 digits
	ClassTrib string // cClassTrib, 6 digits
	HasValues bool   // gIBSCBS is present

	BaseCents   int64   // vBC
	IBSUFRate   Decimal // pIBSUF, a percentage as written ("0.10")
	IBSUFCents  int64   // vIBSUF
	IBSMunRate  Decimal // pIBSMun
	IBSMunCents int64   // vIBSMun
	IBSCents    int64   // vIBS
	CBSRate     Decimal // pCBS
	CBSCents    int64   // vCBS
}

// IBSCBSTotals is total/IBSCBSTot, in centavos; absent groups are zero.
type IBSCBSTotals struct {
	BaseCents   int64 // vBCIBSCBS
	IBSUFCents  int64 // gIBS/gIBSUF/vIBSUF
	IBSMunCents int64 // gIBS/gIBSMun/vIBSMun
	IBSCents    int64 // gIBS/vIBS
	CBSCents    int64 // gCBS/vCBS
}

// rate reads a TDec_0302_04RTC percentage.
func (b *builder) rate(path, raw string) (Decimal, bool) {
	return b.decimal(path, raw, 3, 4, true)
}

// itemIBSCBS reads an item's IBSCBS group; ok is false when an amount could
// not be read, so that the totals are not compared.
func (b *builder) itemIBSCBS(n int, imp *xImposto) (g *ItemIBSCBS, ok bool) {
	if imp == nil || imp.IBSCBS == nil {
		return nil, true
	}
	x := imp.IBSCBS
	path := fmt.Sprintf("item %d: imposto/IBSCBS/", n)
	g = &ItemIBSCBS{CST: strings.TrimSpace(x.CST), ClassTrib: strings.TrimSpace(x.CClassTrib)}
	if g.CST == "" {
		b.missing(path + "CST")
	} else if len(g.CST) != 3 || !allDigits(g.CST) {
		b.ps.add(CodeInvalidField, "%sCST: %q não tem 3 dígitos", path, g.CST)
	}
	if g.ClassTrib == "" {
		b.missing(path + "cClassTrib")
	} else if len(g.ClassTrib) != 6 || !allDigits(g.ClassTrib) {
		b.ps.add(CodeInvalidField, "%scClassTrib: %q não tem 6 dígitos", path, g.ClassTrib)
	}
	v := x.GIBSCBS
	if v == nil {
		return g, true
	}
	g.HasValues = true
	path += "gIBSCBS/"
	ok = true
	amount := func(name, raw string, dst *int64) {
		_, c, aok := b.money(path+name, raw, true)
		*dst = c
		ok = ok && aok
	}
	amount("vBC", v.VBC, &g.BaseCents)
	if v.GIBSUF == nil {
		b.missing(path + "gIBSUF")
		ok = false
	} else {
		g.IBSUFRate, _ = b.rate(path+"gIBSUF/pIBSUF", v.GIBSUF.PIBSUF)
		amount("gIBSUF/vIBSUF", v.GIBSUF.VIBSUF, &g.IBSUFCents)
	}
	if v.GIBSMun == nil {
		b.missing(path + "gIBSMun")
		ok = false
	} else {
		g.IBSMunRate, _ = b.rate(path+"gIBSMun/pIBSMun", v.GIBSMun.PIBSMun)
		amount("gIBSMun/vIBSMun", v.GIBSMun.VIBSMun, &g.IBSMunCents)
	}
	amount("vIBS", v.VIBS, &g.IBSCents)
	if v.GCBS == nil {
		b.missing(path + "gCBS")
		ok = false
	} else {
		g.CBSRate, _ = b.rate(path+"gCBS/pCBS", v.GCBS.PCBS)
		amount("gCBS/vCBS", v.GCBS.VCBS, &g.CBSCents)
	}
	return g, ok
}

// totalIBSCBS reads total/IBSCBSTot and, when every item's amounts could be
// read, checks each total against the sum of the items (an item without
// gIBSCBS counts as zero). A mismatch is CodeIBSCBSTotal.
func (b *builder) totalIBSCBS(doc *Document, x *xIBSCBSTot, itemsOK bool) {
	if x == nil {
		return
	}
	const p = "total/IBSCBSTot/"
	t := &IBSCBSTotals{}
	ok := true
	amount := func(name, raw string, dst *int64) {
		_, c, aok := b.money(p+name, raw, true)
		*dst = c
		ok = ok && aok
	}
	amount("vBCIBSCBS", x.VBCIBSCBS, &t.BaseCents)
	if g := x.GIBS; g != nil {
		if g.GIBSUF == nil {
			b.missing(p + "gIBS/gIBSUF")
			ok = false
		} else {
			amount("gIBS/gIBSUF/vIBSUF", g.GIBSUF.VIBSUF, &t.IBSUFCents)
		}
		if g.GIBSMun == nil {
			b.missing(p + "gIBS/gIBSMun")
			ok = false
		} else {
			amount("gIBS/gIBSMun/vIBSMun", g.GIBSMun.VIBSMun, &t.IBSMunCents)
		}
		amount("gIBS/vIBS", g.VIBS, &t.IBSCents)
	}
	if g := x.GCBS; g != nil {
		amount("gCBS/vCBS", g.VCBS, &t.CBSCents)
	}
	doc.Totals.IBSCBS = t
	if !ok || !itemsOK {
		return
	}
	sum := doc.SumIBSCBS()
	for _, c := range []struct {
		what, path string
		total, sum int64
	}{
		{"da base de cálculo do IBS/CBS", "vBCIBSCBS", t.BaseCents, sum.BaseCents},
		{"do IBS estadual", "gIBS/gIBSUF/vIBSUF", t.IBSUFCents, sum.IBSUFCents},
		{"do IBS municipal", "gIBS/gIBSMun/vIBSMun", t.IBSMunCents, sum.IBSMunCents},
		{"do IBS", "gIBS/vIBS", t.IBSCents, sum.IBSCents},
		{"da CBS", "gCBS/vCBS", t.CBSCents, sum.CBSCents},
	} {
		if c.total != c.sum {
			b.ps.add(CodeIBSCBSTotal, "o total %s na nota (IBSCBSTot/%s) é %s, mas a soma dos itens é %s",
				c.what, c.path, format.Money(c.total), format.Money(c.sum))
		}
	}
}

// SumIBSCBS adds up the items' IBS/CBS amounts (items without gIBSCBS count
// as zero).
func (d *Document) SumIBSCBS() IBSCBSTotals {
	var s IBSCBSTotals
	for _, it := range d.Items {
		if g := it.IBSCBS; g != nil {
			s.BaseCents += g.BaseCents
			s.IBSUFCents += g.IBSUFCents
			s.IBSMunCents += g.IBSMunCents
			s.IBSCents += g.IBSCents
			s.CBSCents += g.CBSCents
		}
	}
	return s
}

// HasIBSCBS reports whether the NF-e carries the tax reform's groups (any
// item's IBSCBS or the IBSCBSTot total).
func (d *Document) HasIBSCBS() bool {
	if d.Totals.IBSCBS != nil {
		return true
	}
	for _, it := range d.Items {
		if it.IBSCBS != nil {
			return true
		}
	}
	return false
}
