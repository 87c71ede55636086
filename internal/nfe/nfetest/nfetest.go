// Package nfetest writes NF-e 4.00 documents for tests: a valid document
// with a computed access key, which each test changes in one place.
package nfetest

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/nfe"
)

// Item is one det of a generated NF-e.
type Item struct {
	NItem                                                         string // "" means its position
	Code, EAN, Desc, NCM, CFOP, Unit, Q, V, VProd, XPed, NItemPed string
	// VII is the item's import tax (imposto/II/vII); with it, the item also
	// carries an import declaration (prod/DI). ICMSTot/vII is their sum.
	VII string
	// VeicTpOp writes prod/veicProd with this tpOp ("2": direct billing of a
	// new vehicle).
	VeicTpOp string
	// IBSCBS writes imposto/IBSCBS (tax reform, NT 2025.002); nil for none.
	IBSCBS *IBSCBS
}

// IBSCBS is an item's imposto/IBSCBS group. Rates are percentages as
// written ("0.90"); NoValues leaves gIBSCBS out (CST and cClassTrib only).
type IBSCBS struct {
	CST, ClassTrib                                          string
	NoValues                                                bool
	VBC, PIBSUF, VIBSUF, PIBSMun, VIBSMun, VIBS, PCBS, VCBS string
}

// IBSCBSTot is total/IBSCBSTot.
type IBSCBSTot struct {
	VBC, VIBSUF, VIBSMun, VIBS, VCBS string
}

// Doc describes an NF-e 4.00 that a test writes out. Valid returns one
// that passes every check; each test changes one thing.
type Doc struct {
	Proc                                bool   // <nfeProc> with protNFe instead of a bare <NFe>
	NoProt                              bool   // with Proc: leave protNFe out
	NS                                  string // namespace of the root element ("" for none)
	Version                             string // infNFe, nfeProc and protNFe versao
	CUF, DhEmi, Mod, Serie, NNF, TpEmis string
	CNF                                 string
	EmitCNPJ, EmitCPF, EmitName         string
	DestCNPJ, DestCPF, DestName         string
	Items                               []Item
	VFrete, VDesc, VIPI, VST            string // ICMSTot amounts that enter vNF
	TpNF                                string // ide/tpNF; "" is "1" (saída)
	ForeignDest                         bool   // dest abroad: idEstrangeiro, UF EX (imports)
	// IBSCBSTot is written as given; nil computes it from the items when
	// any carries IBSCBS (NoIBSCBSTot leaves it out).
	IBSCBSTot                      *IBSCBSTot
	NoIBSCBSTot                    bool
	VProd, VNF                     string              // override the computed totals
	KeyParts                       func(*nfe.KeyParts) // edits the key before its check digit is computed
	EditKey                        func(string) string // edits the finished key
	CDV                            string              // overrides ide/cDV (default: the key's)
	ProtKey, CStat                 string              // override protNFe/infProt chNFe and cStat
	ExtraInf, ExtraDet, ExtraTotal string              // raw XML added inside infNFe, each det, total
}

// Documents and parties of Valid.
const (
	Namespace  = "http://www.portalfiscal.inf.br/nfe"
	IssuerCNPJ = "06929383000163"
	AlphaCNPJ  = "12ABC34501DE35"
	BuyerCNPJ  = "58716523000119"
	ValidCPF   = "52998224725"
)

// Valid is an NF-e from IssuerCNPJ to BuyerCNPJ with two items of order
// PC-000123, bare (set Proc for an authorised nfeProc).
func Valid() *Doc {
	return &Doc{
		NS: Namespace, Version: "4.00", CUF: "35", DhEmi: "2026-07-10T10:30:00-03:00", Mod: "55", Serie: "1",
		NNF: "1234", TpEmis: "1", CNF: "12345678",
		EmitCNPJ: IssuerCNPJ, EmitName: "FREIOS & CIA LTDA", DestCNPJ: BuyerCNPJ, DestName: "CONNECTPARTS COMERCIO LTDA",
		Items: []Item{
			{Code: "PF-100", EAN: "7891234567895", Desc: "PASTILHA DE FREIO DIANTEIRA", NCM: "87083090", CFOP: "6119",
				Unit: "JG", Q: "2.0000", V: "89.9000000000", VProd: "179.80", XPed: "PC-000123", NItemPed: "1"},
			// 3 × 0.3333333333 = 0.9999999999, rounded to 1.00.
			{Code: "DF-200", EAN: "SEM GTIN", Desc: "DISCO DE FREIO", NCM: "87083090", CFOP: "6119",
				Unit: "UN", Q: "3", V: "0.3333333333", VProd: "1.00", XPed: "PC-000123", NItemPed: "2"},
		},
		VFrete: "15.50",
	}
}

// TaxRate2026 are the test-year rates of the tax reform (LC 214/2025 arts.
// 343 and 346): IBS 0,1% (state only), CBS 0,9%.
const (
	IBSUFRate2026  = "0.10"
	IBSMunRate2026 = "0.00"
	CBSRate2026    = "0.90"
)

// WithIBSCBS gives every item of f the tax reform's group with the 2026
// rates over vProd (CST 000, cClassTrib 000001, regular taxation) and
// returns f; IBSCBSTot is then computed from the items.
func WithIBSCBS(t TB, f *Doc) *Doc {
	t.Helper()
	for i := range f.Items {
		it := &f.Items[i]
		uf, mun, cbs := percentOf(t, it.VProd, IBSUFRate2026), percentOf(t, it.VProd, IBSMunRate2026), percentOf(t, it.VProd, CBSRate2026)
		it.IBSCBS = &IBSCBS{CST: "000", ClassTrib: "000001", VBC: it.VProd,
			PIBSUF: IBSUFRate2026, VIBSUF: money(uf), PIBSMun: IBSMunRate2026, VIBSMun: money(mun), VIBS: money(uf + mun),
			PCBS: CBSRate2026, VCBS: money(cbs)}
	}
	return f
}

// percentOf is amount × rate% in centavos, rounded half up.
func percentOf(t TB, amount, rate string) int64 {
	t.Helper()
	a, err1 := nfe.ParseDecimal(amount)
	r, err2 := nfe.ParseDecimal(rate)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad amount %q or rate %q in a test NF-e", amount, rate)
	}
	c, _ := a.Mul(r).Mul(nfe.MustDecimal("0.01")).RoundCents()
	return c
}

// SumIBSCBS is the IBSCBSTot the items add up to.
func (f *Doc) SumIBSCBS(t TB) IBSCBSTot {
	t.Helper()
	var bc, uf, mun, ibs, cbs int64
	for _, it := range f.Items {
		if g := it.IBSCBS; g != nil && !g.NoValues {
			bc += cents(t, g.VBC)
			uf += cents(t, g.VIBSUF)
			mun += cents(t, g.VIBSMun)
			ibs += cents(t, g.VIBS)
			cbs += cents(t, g.VCBS)
		}
	}
	return IBSCBSTot{VBC: money(bc), VIBSUF: money(uf), VIBSMun: money(mun), VIBS: money(ibs), VCBS: money(cbs)}
}

// Import is an import NF-e: the importer (IssuerCNPJ) enters goods bought
// from abroad (tpNF 0, CFOP 3.101, an import declaration and the import tax
// vII on the item), authorised (nfeProc, cStat 100). Its vNF includes vII
// unless a test overrides VNF.
func Import() *Doc {
	f := Valid()
	f.Proc, f.TpNF, f.ForeignDest = true, "0", true
	f.DestCNPJ, f.DestName = "", "AUTO PARTS EXPORT CO LTD"
	f.VFrete = ""
	f.Items = []Item{{Code: "IMP-300", EAN: "SEM GTIN", Desc: "AMORTECEDOR DIANTEIRO IMPORTADO", NCM: "87088000",
		CFOP: "3101", Unit: "UN", Q: "10.0000", V: "120.0000000000", VProd: "1200.00", VII: "168.00"}}
	return f
}

func pad(s string, n int) string {
	if len(s) < n && allDigits(s) {
		return strings.Repeat("0", n-len(s)) + s
	}
	return s
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Key is the access key the document will carry.
func (f *Doc) Key() string {
	t, err := time.Parse(time.RFC3339, f.DhEmi)
	if err != nil {
		panic(err)
	}
	issuer := f.EmitCNPJ
	if issuer == "" && f.EmitCPF != "" {
		issuer = "000" + f.EmitCPF
	}
	if issuer == "" {
		issuer = IssuerCNPJ
	}
	p := nfe.KeyParts{UF: f.CUF, YearMonth: t.Format("0601"), Issuer: issuer, Model: pad(f.Mod, 2),
		Series: pad(f.Serie, 3), Number: pad(f.NNF, 9), EmissionType: f.TpEmis, Code: pad(f.CNF, 8)}
	if f.KeyParts != nil {
		f.KeyParts(&p)
	}
	k := p.UF + p.YearMonth + p.Issuer + p.Model + p.Series + p.Number + p.EmissionType + p.Code
	k += strconv.Itoa(nfe.KeyCheckDigit(k))
	if f.EditKey != nil {
		k = f.EditKey(k)
	}
	return k
}

// TB is the part of testing.TB the generator uses to fail: a test passes
// its *testing.T; the demo seed passes its own, so the portal binary does not
// link the testing package.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

func cents(t TB, s string) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	d, err := nfe.ParseDecimal(s)
	if err != nil {
		t.Fatalf("bad amount %q in a test NF-e: %v", s, err)
	}
	c, ok := d.Cents()
	if !ok {
		return 0 // the test wants a bad amount; totals do not matter then
	}
	return c
}

func money(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// el writes <name>value</name>, or nothing when value is empty.
func el(b *strings.Builder, name, value string) {
	if value == "" {
		return
	}
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("</" + name + ">")
}

// XML writes the document out.
func (f *Doc) XML(t TB) string {
	t.Helper()
	key := f.Key()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	xmlns := ""
	if f.NS != "" {
		xmlns = ` xmlns="` + f.NS + `"`
	}
	if f.Proc {
		b.WriteString(`<nfeProc versao="` + f.Version + `"` + xmlns + `><NFe>`)
	} else {
		b.WriteString(`<NFe` + xmlns + `>`)
	}
	fmt.Fprintf(&b, `<infNFe Id="NFe%s" versao="%s">`, key, f.Version)

	cdv := f.CDV
	if cdv == "" {
		cdv = key[len(key)-1:]
	}
	b.WriteString("<ide>")
	for _, kv := range [][2]string{{"cUF", f.CUF}, {"cNF", f.CNF}, {"natOp", "VENDA A ORDEM"}, {"mod", f.Mod},
		{"serie", f.Serie}, {"nNF", f.NNF}, {"dhEmi", f.DhEmi}, {"tpNF", or(f.TpNF, "1")}, {"idDest", "2"}, {"cMunFG", "3550308"},
		{"tpImp", "1"}, {"tpEmis", f.TpEmis}, {"cDV", cdv}, {"tpAmb", "2"}, {"finNFe", "1"}, {"indFinal", "0"},
		{"indPres", "9"}, {"procEmi", "0"}, {"verProc", "teste 1.0"}} {
		el(&b, kv[0], kv[1])
	}
	b.WriteString("</ide><emit>")
	el(&b, "CNPJ", f.EmitCNPJ)
	el(&b, "CPF", f.EmitCPF)
	el(&b, "xNome", f.EmitName)
	b.WriteString("<enderEmit><xLgr>Rua dos Testes</xLgr><nro>10</nro><xBairro>Centro</xBairro><cMun>3550308</cMun>" +
		"<xMun>SAO PAULO</xMun><UF>SP</UF><CEP>01001000</CEP><cPais>1058</cPais><xPais>BRASIL</xPais></enderEmit>" +
		"<IE>111111111111</IE><CRT>3</CRT></emit><dest>")
	el(&b, "CNPJ", f.DestCNPJ)
	el(&b, "CPF", f.DestCPF)
	if f.ForeignDest {
		b.WriteString("<idEstrangeiro>EXP0001</idEstrangeiro>")
	}
	el(&b, "xNome", f.DestName)
	if f.ForeignDest {
		b.WriteString("<enderDest><xLgr>Harbour Road</xLgr><nro>1</nro><xBairro>Port</xBairro><cMun>9999999</cMun>" +
			"<xMun>EXTERIOR</xMun><UF>EX</UF><cPais>1600</cPais><xPais>CHINA</xPais></enderDest>" +
			"<indIEDest>9</indIEDest></dest>")
	} else {
		b.WriteString("<enderDest><xLgr>Av. Brasil</xLgr><nro>2040</nro><xBairro>Centro</xBairro><cMun>3304557</cMun>" +
			"<xMun>RIO DE JANEIRO</xMun><UF>RJ</UF><CEP>20040002</CEP><cPais>1058</cPais><xPais>BRASIL</xPais></enderDest>" +
			"<indIEDest>1</indIEDest><IE>86500000</IE></dest>")
	}

	var sum, sumII int64
	anyIBSCBS := false
	for i, it := range f.Items {
		n := it.NItem
		if n == "" {
			n = strconv.Itoa(i + 1)
		}
		fmt.Fprintf(&b, `<det nItem="%s"><prod>`, n)
		for _, kv := range [][2]string{{"cProd", it.Code}, {"cEAN", it.EAN}, {"xProd", it.Desc}, {"NCM", it.NCM},
			{"CFOP", it.CFOP}, {"uCom", it.Unit}, {"qCom", it.Q}, {"vUnCom", it.V}, {"vProd", it.VProd},
			{"cEANTrib", it.EAN}, {"uTrib", it.Unit}, {"qTrib", it.Q}, {"vUnTrib", it.V}, {"indTot", "1"}} {
			el(&b, kv[0], kv[1])
		}
		if it.VII != "" {
			b.WriteString("<DI><nDI>2601234567</nDI><dDI>2026-07-01</dDI><xLocDesemb>SANTOS</xLocDesemb>" +
				"<UFDesemb>SP</UFDesemb><dDesemb>2026-07-05</dDesemb><tpViaTransp>1</tpViaTransp><vAFRMM>0.00</vAFRMM>" +
				"<tpIntermedio>1</tpIntermedio><cExportador>EXP0001</cExportador><adi><nAdicao>1</nAdicao>" +
				"<nSeqAdic>1</nSeqAdic><cFabricante>FAB0001</cFabricante></adi></DI>")
		}
		el(&b, "xPed", it.XPed)
		el(&b, "nItemPed", it.NItemPed)
		if it.VeicTpOp != "" {
			b.WriteString("<veicProd><tpOp>" + it.VeicTpOp + "</tpOp><chassi>9BWZZZ377VT004251</chassi></veicProd>")
		}
		b.WriteString("</prod><imposto><ICMS><ICMS00><orig>0</orig><CST>00</CST><modBC>3</modBC><vBC>0.00</vBC>" +
			"<pICMS>0.00</pICMS><vICMS>0.00</vICMS></ICMS00></ICMS>")
		if it.VII != "" {
			b.WriteString("<II><vBC>" + it.VProd + "</vBC><vDespAdu>0.00</vDespAdu><vII>" + it.VII + "</vII><vIOF>0.00</vIOF></II>")
			sumII += cents(t, it.VII)
		}
		if g := it.IBSCBS; g != nil {
			anyIBSCBS = true
			b.WriteString("<IBSCBS>")
			el(&b, "CST", g.CST)
			el(&b, "cClassTrib", g.ClassTrib)
			if !g.NoValues {
				b.WriteString("<gIBSCBS>")
				el(&b, "vBC", g.VBC)
				b.WriteString("<gIBSUF>")
				el(&b, "pIBSUF", g.PIBSUF)
				el(&b, "vIBSUF", g.VIBSUF)
				b.WriteString("</gIBSUF><gIBSMun>")
				el(&b, "pIBSMun", g.PIBSMun)
				el(&b, "vIBSMun", g.VIBSMun)
				b.WriteString("</gIBSMun>")
				el(&b, "vIBS", g.VIBS)
				b.WriteString("<gCBS>")
				el(&b, "pCBS", g.PCBS)
				el(&b, "vCBS", g.VCBS)
				b.WriteString("</gCBS></gIBSCBS>")
			}
			b.WriteString("</IBSCBS>")
		}
		b.WriteString("</imposto>" + f.ExtraDet + "</det>")
		sum += cents(t, it.VProd)
	}

	vProd := f.VProd
	if vProd == "" {
		vProd = money(sum)
	}
	vNF := f.VNF
	if vNF == "" { // rule 610 (W16-10); a new vehicle's direct billing leaves vST out
		vST := cents(t, f.VST)
		for _, it := range f.Items {
			if it.VeicTpOp == "2" {
				vST = 0
			}
		}
		vNF = money(cents(t, vProd) + cents(t, f.VFrete) + cents(t, f.VIPI) - cents(t, f.VDesc) + sumII + vST)
	}
	orZero := func(s string) string {
		if s == "" {
			return "0.00"
		}
		return s
	}
	fmt.Fprintf(&b, "<total><ICMSTot><vBC>0.00</vBC><vICMS>0.00</vICMS><vICMSDeson>0.00</vICMSDeson><vFCP>0.00</vFCP>"+
		"<vBCST>0.00</vBCST><vST>%s</vST><vFCPST>0.00</vFCPST><vFCPSTRet>0.00</vFCPSTRet><vProd>%s</vProd>"+
		"<vFrete>%s</vFrete><vSeg>0.00</vSeg><vDesc>%s</vDesc><vII>%s</vII><vIPI>%s</vIPI><vIPIDevol>0.00</vIPIDevol>"+
		"<vPIS>0.00</vPIS><vCOFINS>0.00</vCOFINS><vOutro>0.00</vOutro><vNF>%s</vNF></ICMSTot>%s",
		orZero(f.VST), vProd, orZero(f.VFrete), orZero(f.VDesc), money(sumII), orZero(f.VIPI), vNF, f.ExtraTotal)
	if tot := f.IBSCBSTot; tot != nil || (anyIBSCBS && !f.NoIBSCBSTot) {
		if tot == nil {
			s := f.SumIBSCBS(t)
			tot = &s
		}
		b.WriteString("<IBSCBSTot>")
		el(&b, "vBCIBSCBS", tot.VBC)
		b.WriteString("<gIBS><gIBSUF><vDif>0.00</vDif><vDevTrib>0.00</vDevTrib>")
		el(&b, "vIBSUF", tot.VIBSUF)
		b.WriteString("</gIBSUF><gIBSMun><vDif>0.00</vDif><vDevTrib>0.00</vDevTrib>")
		el(&b, "vIBSMun", tot.VIBSMun)
		b.WriteString("</gIBSMun>")
		el(&b, "vIBS", tot.VIBS)
		b.WriteString("<vCredPres>0.00</vCredPres><vCredPresCondSus>0.00</vCredPresCondSus></gIBS>" +
			"<gCBS><vDif>0.00</vDif><vDevTrib>0.00</vDevTrib>")
		el(&b, "vCBS", tot.VCBS)
		b.WriteString("<vCredPres>0.00</vCredPres><vCredPresCondSus>0.00</vCredPresCondSus></gCBS></IBSCBSTot>")
		// vNFTot is required with IBSCBSTot; in 2026 IBS and CBS are not
		// added to it (the portal does not check it).
		el(&b, "vNFTot", vNF)
	}
	b.WriteString("</total>")
	b.WriteString("<transp><modFrete>0</modFrete></transp>" +
		"<pag><detPag><tPag>15</tPag><vPag>" + vNF + "</vPag></detPag></pag>")
	b.WriteString(f.ExtraInf)
	b.WriteString("</infNFe>")
	b.WriteString(`<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><Reference URI="#NFe` + key +
		`"><DigestValue>AAAA</DigestValue></Reference></SignedInfo><SignatureValue>AAAA</SignatureValue></Signature>`)
	b.WriteString("</NFe>")
	if f.Proc {
		if !f.NoProt {
			ch, st := key, "100"
			if f.ProtKey != "" {
				ch = f.ProtKey
			}
			if f.CStat != "" {
				st = f.CStat
			}
			fmt.Fprintf(&b, `<protNFe versao="%s"><infProt><tpAmb>2</tpAmb><verAplic>SP_NFE_PL</verAplic>`+
				`<chNFe>%s</chNFe><dhRecbto>2026-07-10T10:31:02-03:00</dhRecbto><nProt>135260000000001</nProt>`+
				`<digVal>AAAA</digVal><cStat>%s</cStat><xMotivo>%s</xMotivo></infProt></protNFe>`,
				f.Version, ch, st, reason(st))
		}
		b.WriteString("</nfeProc>")
	}
	return b.String()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func reason(cStat string) string {
	switch cStat {
	case "100":
		return "Autorizado o uso da NF-e"
	case "150":
		return "Autorizado o uso da NF-e, autorização fora de prazo"
	case "110":
		return "Uso Denegado"
	}
	return "Rejeição"
}
