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
	VFrete, VDesc, VIPI                 string              // ICMSTot amounts that enter vNF
	VProd, VNF                          string              // override the computed totals
	KeyParts                            func(*nfe.KeyParts) // edits the key before its check digit is computed
	EditKey                             func(string) string // edits the finished key
	CDV                                 string              // overrides ide/cDV (default: the key's)
	ProtKey, CStat                      string              // override protNFe/infProt chNFe and cStat
	ExtraInf, ExtraDet, ExtraTotal      string              // raw XML added inside infNFe, each det, total
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
		{"serie", f.Serie}, {"nNF", f.NNF}, {"dhEmi", f.DhEmi}, {"tpNF", "1"}, {"idDest", "2"}, {"cMunFG", "3550308"},
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
	el(&b, "xNome", f.DestName)
	b.WriteString("<enderDest><xLgr>Av. Brasil</xLgr><nro>2040</nro><xBairro>Centro</xBairro><cMun>3304557</cMun>" +
		"<xMun>RIO DE JANEIRO</xMun><UF>RJ</UF><CEP>20040002</CEP><cPais>1058</cPais><xPais>BRASIL</xPais></enderDest>" +
		"<indIEDest>1</indIEDest><IE>86500000</IE></dest>")

	var sum int64
	for i, it := range f.Items {
		n := it.NItem
		if n == "" {
			n = strconv.Itoa(i + 1)
		}
		fmt.Fprintf(&b, `<det nItem="%s"><prod>`, n)
		for _, kv := range [][2]string{{"cProd", it.Code}, {"cEAN", it.EAN}, {"xProd", it.Desc}, {"NCM", it.NCM},
			{"CFOP", it.CFOP}, {"uCom", it.Unit}, {"qCom", it.Q}, {"vUnCom", it.V}, {"vProd", it.VProd},
			{"cEANTrib", it.EAN}, {"uTrib", it.Unit}, {"qTrib", it.Q}, {"vUnTrib", it.V}, {"indTot", "1"},
			{"xPed", it.XPed}, {"nItemPed", it.NItemPed}} {
			el(&b, kv[0], kv[1])
		}
		b.WriteString("</prod><imposto><ICMS><ICMS00><orig>0</orig><CST>00</CST><modBC>3</modBC><vBC>0.00</vBC>" +
			"<pICMS>0.00</pICMS><vICMS>0.00</vICMS></ICMS00></ICMS></imposto>" + f.ExtraDet + "</det>")
		sum += cents(t, it.VProd)
	}

	vProd := f.VProd
	if vProd == "" {
		vProd = money(sum)
	}
	vNF := f.VNF
	if vNF == "" {
		vNF = money(cents(t, vProd) + cents(t, f.VFrete) + cents(t, f.VIPI) - cents(t, f.VDesc))
	}
	orZero := func(s string) string {
		if s == "" {
			return "0.00"
		}
		return s
	}
	fmt.Fprintf(&b, "<total><ICMSTot><vBC>0.00</vBC><vICMS>0.00</vICMS><vICMSDeson>0.00</vICMSDeson><vFCP>0.00</vFCP>"+
		"<vBCST>0.00</vBCST><vST>0.00</vST><vFCPST>0.00</vFCPST><vFCPSTRet>0.00</vFCPSTRet><vProd>%s</vProd>"+
		"<vFrete>%s</vFrete><vSeg>0.00</vSeg><vDesc>%s</vDesc><vII>0.00</vII><vIPI>%s</vIPI><vIPIDevol>0.00</vIPIDevol>"+
		"<vPIS>0.00</vPIS><vCOFINS>0.00</vCOFINS><vOutro>0.00</vOutro><vNF>%s</vNF></ICMSTot>%s</total>",
		vProd, orZero(f.VFrete), orZero(f.VDesc), orZero(f.VIPI), vNF, f.ExtraTotal)
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
