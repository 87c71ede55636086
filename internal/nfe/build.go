package nfe

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/gtin"
)

// builder turns the raw XML shapes into a Document, collecting problems.
type builder struct {
	ps   problems
	opts Options
}

// unset marks an ide number that is absent or invalid (already reported).
const unset = -1

// ideNums holds the ide numbers the key is checked against.
type ideNums struct {
	cUF, cNF, mod, serie, nNF, tpEmis, cDV int
	issued                                 bool
}

func (b *builder) build(inf *xInfNFe, prot *xProt, procVersion string, isProc bool) *Document {
	doc := &Document{Version: strings.TrimSpace(inf.Versao)}
	b.version(doc.Version, procVersion, prot)
	ide := b.ide(doc, inf.Ide)
	b.key(doc, strings.TrimSpace(inf.ID), ide, inf.Emit)
	b.issuer(doc, inf.Emit)
	b.recipient(doc, inf.Dest)
	itemsOK, ibscbsOK := b.items(doc, inf.Det)
	b.totals(doc, inf.Total, itemsOK)
	if inf.Total != nil {
		b.totalIBSCBS(doc, inf.Total.IBSCBSTot, ibscbsOK)
	}
	if inf.Compra != nil {
		doc.OrderRef = strings.TrimSpace(inf.Compra.XPed)
	}
	if inf.InfAd != nil {
		doc.Notes = strings.TrimSpace(inf.InfAd.InfCpl)
	}
	b.protocol(doc, prot, isProc)
	return doc
}

func (b *builder) missing(path string) {
	b.ps.add(CodeMissingField, "campo obrigatório ausente: %s", path)
}

// digits reads an unsigned integer of at most maxDigits digits. Absent
// values are reported when required; either way ok is false for them.
func (b *builder) digits(path, raw string, maxDigits int, required bool) (int, bool) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if required {
			b.missing(path)
		}
		return unset, false
	}
	if len(v) > maxDigits || !allDigits(v) {
		b.ps.add(CodeInvalidField, "%s: %q não é um número de até %d dígitos", path, v, maxDigits)
		return unset, false
	}
	n, _ := strconv.Atoi(v)
	return n, true
}

// decimal reads a TDec value with at most intDigits integer digits and
// maxPlaces decimal places. An absent optional value is zero and ok.
func (b *builder) decimal(path, raw string, intDigits, maxPlaces int, required bool) (Decimal, bool) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if required {
			b.missing(path)
			return Decimal{}, false
		}
		return Decimal{}, true
	}
	d, err := ParseDecimal(v)
	if err != nil {
		b.ps.add(CodeInvalidField, "%s: %q não é um número decimal (use ponto, ex.: 1234.56)", path, v)
		return Decimal{}, false
	}
	intPart, _, _ := strings.Cut(v, ".")
	if len(strings.TrimLeft(intPart, "0")) > intDigits {
		b.ps.add(CodeInvalidField, "%s: %q tem mais de %d dígitos antes do ponto", path, v, intDigits)
		return Decimal{}, false
	}
	if d.Places() > maxPlaces {
		b.ps.add(CodeTooManyDecimals, "%s: %q tem %d casas decimais; o máximo é %d", path, v, d.Places(), maxPlaces)
		return Decimal{}, false
	}
	return d, true
}

// money reads an amount in reais with up to 13 integer digits and 2 places
// (TDec_1302) and returns it with its value in centavos.
func (b *builder) money(path, raw string, required bool) (Decimal, int64, bool) {
	d, ok := b.decimal(path, raw, 13, 2, required)
	if !ok {
		return d, 0, false
	}
	cents, _ := d.Cents() // exact: at most 2 places and 15 digits
	return d, cents, true
}

func (b *builder) dateTime(path, raw string, required bool) (time.Time, bool) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if required {
			b.missing(path)
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		b.ps.add(CodeInvalidField, "%s: %q não é data e hora com fuso horário (ex.: 2026-07-01T10:30:00-03:00)", path, v)
		return time.Time{}, false
	}
	return t, true
}

func (b *builder) version(infVersion, procVersion string, prot *xProt) {
	bad := func(v string) {
		b.ps.add(CodeUnsupportedVersion, "versão %s do leiaute da NF-e não é aceita; só a 4.00", v)
	}
	switch {
	case infVersion == "":
		b.missing("infNFe/@versao")
	case infVersion != "4.00":
		bad(infVersion)
	case procVersion != "" && strings.TrimSpace(procVersion) != "4.00":
		bad(strings.TrimSpace(procVersion))
	case prot != nil && prot.Versao != "" && strings.TrimSpace(prot.Versao) != "4.00":
		bad(strings.TrimSpace(prot.Versao))
	}
}

func (b *builder) ide(doc *Document, x xIde) ideNums {
	var n ideNums
	n.cUF, _ = b.digits("ide/cUF", x.CUF, 2, true)
	n.cNF, _ = b.digits("ide/cNF", x.CNF, 8, true)
	doc.Code = strings.TrimSpace(x.CNF)
	doc.Operation = strings.TrimSpace(x.NatOp)
	var ok bool
	if n.mod, ok = b.digits("ide/mod", x.Mod, 2, true); ok {
		doc.Model = n.mod
		switch n.mod {
		case 55:
		case 65:
			b.ps.add(CodeWrongModel, "modelo 65 (NFC-e) não é aceito; envie NF-e modelo 55")
		default:
			b.ps.add(CodeWrongModel, "modelo %d não é aceito; envie NF-e modelo 55", n.mod)
		}
	}
	if n.serie, ok = b.digits("ide/serie", x.Serie, 3, true); ok {
		doc.Series = n.serie
	}
	if n.nNF, ok = b.digits("ide/nNF", x.NNF, 9, true); ok {
		doc.Number = n.nNF
	}
	doc.IssuedAt, n.issued = b.dateTime("ide/dhEmi", x.DhEmi, true)
	if n.tpEmis, ok = b.digits("ide/tpEmis", x.TpEmis, 1, true); ok {
		doc.EmissionType = n.tpEmis
	}
	n.cDV, _ = b.digits("ide/cDV", x.CDV, 1, true)
	doc.Environment, _ = b.digits("ide/tpAmb", x.TpAmb, 1, false)
	doc.Direction, _ = b.digits("ide/tpNF", x.TpNF, 1, false)
	doc.Purpose, _ = b.digits("ide/finNFe", x.FinNFe, 1, false)
	doc.Environment, doc.Direction, doc.Purpose = max(doc.Environment, 0), max(doc.Direction, 0), max(doc.Purpose, 0)
	return n
}

// key checks infNFe@Id and every part of the key against the fields it
// repeats.
func (b *builder) key(doc *Document, id string, ide ideNums, emit *xEmit) {
	if id == "" {
		b.missing("infNFe/@Id (chave de acesso)")
		return
	}
	key, prefixed := strings.CutPrefix(id, "NFe")
	doc.Key = key
	parts, ok := SplitKey(key)
	if !prefixed || !ok {
		b.ps.add(CodeKeyFormat, "infNFe/@Id %q não é \"NFe\" seguido da chave de acesso de 44 caracteres (números; letras maiúsculas só no CNPJ)", id)
		return
	}
	if want := KeyCheckDigit(key[:KeyLen-1]); int(key[KeyLen-1]-'0') != want {
		b.ps.add(CodeKeyCheckDigit, "dígito verificador da chave é %c, esperado %d", key[KeyLen-1], want)
	}
	num := func(code, label string, got string, field int, width int, path string) {
		if field == unset {
			return
		}
		if want := fmt.Sprintf("%0*d", width, field); got != want {
			b.ps.add(code, "a chave de acesso traz %s %s, mas %s é %d", label, got, path, field)
		}
	}
	num(CodeKeyMismatchUF, "cUF", parts.UF, ide.cUF, 2, "ide/cUF")
	if ide.issued {
		if want := doc.IssuedAt.Format("0601"); parts.YearMonth != want {
			b.ps.add(CodeKeyMismatchAAMM, "a chave de acesso traz o ano e mês (AAMM) %s, mas ide/dhEmi é de %s", parts.YearMonth, doc.IssuedAt.Format("01/2006"))
		}
	}
	if emit != nil {
		c, p := strings.TrimSpace(emit.CNPJ), strings.TrimSpace(emit.CPF)
		switch {
		case c != "" && parts.Issuer != c:
			b.ps.add(CodeKeyMismatchCNPJ, "a chave de acesso traz o CNPJ %s, mas o emitente (emit/CNPJ) é %s", parts.Issuer, c)
		case c == "" && p != "" && parts.Issuer != "000"+p:
			b.ps.add(CodeKeyMismatchCNPJ, "a chave de acesso traz o documento %s, mas o emitente (emit/CPF) é %s", parts.Issuer, p)
		}
	}
	num(CodeKeyMismatchModel, "o modelo", parts.Model, ide.mod, 2, "ide/mod")
	num(CodeKeyMismatchSerie, "a série", parts.Series, ide.serie, 3, "ide/serie")
	num(CodeKeyMismatchNNF, "o número", parts.Number, ide.nNF, 9, "ide/nNF")
	num(CodeKeyMismatchTpEm, "o tipo de emissão", parts.EmissionType, ide.tpEmis, 1, "ide/tpEmis")
	num(CodeKeyMismatchCNF, "o código numérico", parts.Code, ide.cNF, 8, "ide/cNF")
	num(CodeKeyMismatchCDV, "o dígito verificador", parts.CheckDigit, ide.cDV, 1, "ide/cDV")
}

func address(x xEnder) Address {
	t := strings.TrimSpace
	return Address{Street: t(x.XLgr), Number: t(x.Nro), Complement: t(x.XCpl), District: t(x.XBairro),
		CityCode: t(x.CMun), City: t(x.XMun), UF: t(x.UF), CEP: t(x.CEP),
		CountryCode: t(x.CPais), Country: t(x.XPais), Phone: t(x.Fone)}
}

// checkCNPJ is cnpj.Check, refusing also what Normalize would silently fix:
// a CNPJ in an NF-e is exactly 14 characters, upper case, no punctuation.
func checkCNPJ(s string) string {
	if s != cnpj.Normalize(s) {
		return "o CNPJ deve ter 14 caracteres, letras maiúsculas e números, sem pontuação"
	}
	return cnpj.Check(s)
}

func (b *builder) issuer(doc *Document, x *xEmit) {
	if x == nil {
		b.missing("emit (emitente)")
		return
	}
	t := strings.TrimSpace
	doc.Issuer = Party{CNPJ: t(x.CNPJ), CPF: t(x.CPF), Name: t(x.XNome), TradeName: t(x.XFant), IE: t(x.IE), Address: address(x.Ender)}
	p := &doc.Issuer
	switch {
	case p.CNPJ != "":
		if msg := checkCNPJ(p.CNPJ); msg != "" {
			b.ps.add(CodeIssuerCNPJ, "CNPJ do emitente %s inválido: %s", p.CNPJ, msg)
		}
	case p.CPF != "":
		if !ValidCPF(p.CPF) {
			b.ps.add(CodeIssuerCPF, "CPF do emitente %s inválido", p.CPF)
		}
	default:
		b.missing("emit/CNPJ (ou emit/CPF)")
	}
	if p.Name == "" {
		b.missing("emit/xNome")
	}
	if p.Address.UF == "" {
		b.missing("emit/enderEmit/UF")
	}
}

func (b *builder) recipient(doc *Document, x *xDest) {
	if x == nil {
		if doc.Model != 65 { // only NFC-e may omit the recipient, and it is refused anyway
			b.missing("dest (destinatário)")
		}
		return
	}
	t := strings.TrimSpace
	doc.Recipient = Party{CNPJ: t(x.CNPJ), CPF: t(x.CPF), Name: t(x.XNome), IE: t(x.IE), SUFRAMA: t(x.ISUF),
		Email: t(x.Email), Address: address(x.Ender)}
	p := &doc.Recipient
	if x.IDEstrangeiro != nil {
		p.ForeignID = t(*x.IDEstrangeiro)
	}
	switch {
	case p.CNPJ != "":
		if msg := checkCNPJ(p.CNPJ); msg != "" {
			b.ps.add(CodeRecipientDocument, "CNPJ do destinatário %s inválido: %s", p.CNPJ, msg)
		}
	case p.CPF != "":
		if !ValidCPF(p.CPF) {
			b.ps.add(CodeRecipientDocument, "CPF do destinatário %s inválido", p.CPF)
		}
	case x.IDEstrangeiro != nil:
	default:
		b.missing("dest/CNPJ (ou dest/CPF, dest/idEstrangeiro)")
	}
	if p.Name == "" {
		b.missing("dest/xNome")
	}
	if ind, ok := b.digits("dest/indIEDest", x.IndIEDest, 1, false); ok {
		p.IEIndicator = ind
	}
}

// items reads every det; ok is false when some vProd could not be read, so
// that the sum is not compared; ibscbsOK likewise for the IBS/CBS amounts.
func (b *builder) items(doc *Document, dets []xDet) (ok, ibscbsOK bool) {
	if len(dets) == 0 {
		b.missing("det (a NF-e não tem itens)")
		return false, false
	}
	ok, ibscbsOK = true, true
	seen := make(map[int]bool, len(dets))
	doc.Items = make([]Item, 0, len(dets))
	t := strings.TrimSpace
	for i, x := range dets {
		n, nOK := b.digits(fmt.Sprintf("det[%d]/@nItem", i+1), x.NItem, 3, true)
		if nOK && (n < 1 || n > DefaultMaxItems || seen[n]) {
			b.ps.add(CodeItemNumber, "det[%d]: nItem %d inválido ou repetido (os itens são numerados de 1 a 990, sem repetir)", i+1, n)
		}
		if !nOK {
			n = i + 1
		}
		seen[n] = true
		x := x.Prod
		it := Item{N: n, Code: t(x.CProd), EAN: t(x.CEAN), Description: t(x.XProd), NCM: t(x.NCM), CEST: t(x.CEST),
			CFOP: t(x.CFOP), Unit: t(x.UCom), OrderRef: t(x.XPed), OrderItem: t(x.NItemPed), InTotal: true}
		path := fmt.Sprintf("item %d: prod/", n)
		for _, f := range []struct{ name, v string }{{"cProd", it.Code}, {"xProd", it.Description}, {"NCM", it.NCM}, {"CFOP", it.CFOP}, {"uCom", it.Unit}} {
			if f.v == "" {
				b.missing(path + f.name)
			}
		}
		if it.NCM != "" && !((len(it.NCM) == 8 || len(it.NCM) == 2) && allDigits(it.NCM)) {
			b.ps.add(CodeInvalidField, "%sNCM: %q não tem 8 dígitos", path, it.NCM)
		}
		if it.CFOP != "" && !validCFOP(it.CFOP) {
			b.ps.add(CodeInvalidField, "%sCFOP: %q não é um CFOP de 4 dígitos", path, it.CFOP)
		}
		var qOK, vOK, totOK bool
		var total Decimal
		it.Quantity, qOK = b.decimal(path+"qCom", x.QCom, 11, 4, true)
		it.UnitPrice, vOK = b.decimal(path+"vUnCom", x.VUnCom, 11, 10, true)
		total, it.TotalCents, totOK = b.money(path+"vProd", x.VProd, true)
		_, it.FreightCents, _ = b.money(path+"vFrete", x.VFrete, false)
		_, it.InsuranceCents, _ = b.money(path+"vSeg", x.VSeg, false)
		_, it.DiscountCents, _ = b.money(path+"vDesc", x.VDesc, false)
		_, it.OtherCents, _ = b.money(path+"vOutro", x.VOutro, false)
		switch t(x.IndTot) {
		case "", "1":
		case "0":
			it.InTotal = false
		default:
			b.ps.add(CodeInvalidField, "%sindTot: %q deve ser 0 ou 1", path, t(x.IndTot))
		}
		if qOK && vOK && totOK {
			// vProd is qCom × vUnCom rounded to centavos; SEFAZ tolerates R$ 0,01 either way.
			if p := it.Quantity.Mul(it.UnitPrice); !WithinCent(p, total) {
				rounded, _ := p.RoundCents()
				b.ps.add(CodeItemTotal, "item %d: vProd é %s, mas qCom × vUnCom = %s × %s = %s (tolerância de R$ 0,01)",
					n, format.Money(it.TotalCents), it.Quantity, it.UnitPrice, format.Money(rounded))
			}
		}
		if x.VeicProd != nil && t(x.VeicProd.TpOp) == "2" {
			it.DirectVehicleBilling = true
		}
		var gOK bool
		it.IBSCBS, gOK = b.itemIBSCBS(n, dets[i].Imposto)
		ok = ok && totOK
		ibscbsOK = ibscbsOK && gOK
		doc.Items = append(doc.Items, it)
	}
	return ok, ibscbsOK
}

func (b *builder) totals(doc *Document, x *xTotal, itemsOK bool) {
	if x == nil || x.ICMSTot == nil {
		b.missing("total/ICMSTot")
		return
	}
	m := x.ICMSTot
	const p = "total/ICMSTot/"
	tt := &doc.Totals
	allOK := true
	read := func(name, raw string, required bool, dst *int64) {
		_, c, ok := b.money(p+name, raw, required)
		*dst = c
		allOK = allOK && ok
	}
	read("vProd", m.VProd, true, &tt.ProductsCents)
	productsOK := allOK
	read("vNF", m.VNF, true, &tt.InvoiceCents)
	read("vDesc", m.VDesc, false, &tt.DiscountCents)
	read("vFrete", m.VFrete, false, &tt.FreightCents)
	read("vSeg", m.VSeg, false, &tt.InsuranceCents)
	read("vOutro", m.VOutro, false, &tt.OtherCents)
	read("vIPI", m.VIPI, false, &tt.IPICents)
	read("vIPIDevol", m.VIPIDevol, false, &tt.IPIReturnedCents)
	read("vST", m.VST, false, &tt.STCents)
	read("vFCPST", m.VFCPST, false, &tt.FCPSTCents)
	read("vII", m.VII, false, &tt.ImportTaxCents)
	read("vICMSDeson", m.VICMSDeson, false, &tt.ICMSExemptCents)
	read("vICMS", m.VICMS, false, &tt.ICMSCents)
	if x.ISSQNtot != nil {
		read("total/ISSQNtot/vServ", x.ISSQNtot.VServ, false, &tt.ServicesCents)
	}

	if itemsOK && productsOK {
		var sum int64
		for _, it := range doc.Items {
			if it.InTotal {
				sum += it.TotalCents
			}
		}
		if sum != tt.ProductsCents {
			b.ps.add(CodeTotalMismatch, "a soma dos itens (vProd) é %s, mas o total dos produtos (ICMSTot/vProd) é %s",
				format.Money(sum), format.Money(tt.ProductsCents))
		}
	}
	if !allOK {
		return
	}
	b.checkInvoiceTotal(doc)
}

func (b *builder) protocol(doc *Document, x *xProt, isProc bool) {
	if x == nil {
		switch {
		case isProc:
			b.missing("protNFe (protocolo de autorização)")
		case b.opts.RequireProtocol:
			b.ps.add(CodeNotAuthorized, "a NF-e não traz o protocolo de autorização da SEFAZ; envie o XML autorizado (nfeProc)")
		}
		return
	}
	if x.Inf == nil {
		b.missing("protNFe/infProt")
		return
	}
	t := strings.TrimSpace
	p := &Protocol{Key: t(x.Inf.ChNFe), Reason: t(x.Inf.XMotivo), Number: t(x.Inf.NProt)}
	doc.Protocol = p
	if p.Key == "" {
		b.missing("protNFe/infProt/chNFe")
	} else if doc.Key != "" && p.Key != doc.Key {
		b.ps.add(CodeProtocolKey, "o protocolo de autorização é da chave %s, não da chave desta NF-e (%s)", p.Key, doc.Key)
	}
	if st, ok := b.digits("protNFe/infProt/cStat", x.Inf.CStat, 3, true); ok {
		p.Status = st
		if !p.Authorizes() {
			msg := fmt.Sprintf("a NF-e não está autorizada: a SEFAZ respondeu %d", st)
			if p.Reason != "" {
				msg += " (" + p.Reason + ")"
			}
			b.ps.add(CodeProtocolStatus, "%s", msg)
		}
	}
	p.ReceivedAt, _ = b.dateTime("protNFe/infProt/dhRecbto", x.Inf.DhRecbto, false)
	if env, ok := b.digits("protNFe/infProt/tpAmb", x.Inf.TpAmb, 1, false); ok {
		p.Environment = env
	}
}

func isNoGTIN(s string) bool { return gtin.IsNone(s) }
