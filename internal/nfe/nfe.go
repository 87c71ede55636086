// Package nfe reads and validates Brazilian electronic invoices (NF-e,
// modelo 55, layout 4.00): a bare <NFe> or an authorised <nfeProc> with its
// protNFe. Supplier invoice upload, billing and the `portal nfe check`
// command all go through Check.
//
// Input is distrusted: size, nesting depth and item count are bounded before
// anything is decoded, and DOCTYPE/ENTITY declarations are refused. Money and
// quantities are parsed exactly (Decimal, int64 centavos), never as float64.
// Validation collects every problem it finds, each with a stable code.
package nfe

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// Document is what an NF-e says, as far as the portal cares. Values are
// taken as written; whether they are coherent is what the problems say.
type Document struct {
	Key          string    // access key, 44 characters (infNFe@Id without "NFe")
	Version      string    // infNFe@versao, "4.00"
	Model        int       // mod: 55 (NF-e)
	Series       int       // serie
	Number       int       // nNF
	Code         string    // cNF, the issuer's random code inside the key
	IssuedAt     time.Time // dhEmi, with the offset it was written with
	EmissionType int       // tpEmis: 1 normal, others contingency
	Environment  int       // tpAmb: 1 production, 2 homologation (no fiscal value)
	Operation    string    // natOp, e.g. "VENDA DE MERCADORIA"
	Direction    int       // tpNF: 0 entrada, 1 saída
	Purpose      int       // finNFe: 1 normal, 2 complementar, 3 ajuste, 4 devolução

	Issuer    Party // emit
	Recipient Party // dest
	Items     []Item
	Totals    Totals
	OrderRef  string // compra/xPed: the buyer's order number for the whole invoice
	Notes     string // infAdic/infCpl

	Protocol *Protocol // protNFe/infProt; nil for a bare NFe
}

// Party is the issuer (emit) or the recipient (dest).
type Party struct {
	CNPJ        string // 14 characters, alphanumeric allowed; empty when CPF or ForeignID is used
	CPF         string
	ForeignID   string // dest/idEstrangeiro (may be empty even for foreigners)
	Name        string // xNome
	TradeName   string // xFant (issuer only)
	IE          string // state registration, or "ISENTO"
	IEIndicator int    // dest/indIEDest: 1 contributor, 2 exempt, 9 non-contributor; 0 when absent
	SUFRAMA     string // dest/ISUF
	Email       string
	Address     Address
}

// Document returns the party's CNPJ, or its CPF, or its foreign id.
func (p Party) Document() string {
	switch {
	case p.CNPJ != "":
		return p.CNPJ
	case p.CPF != "":
		return p.CPF
	}
	return p.ForeignID
}

// Address is enderEmit or enderDest.
type Address struct {
	Street, Number, Complement, District string
	CityCode                             string // cMun, IBGE 7-digit code
	City, UF, CEP                        string
	CountryCode, Country, Phone          string
}

// Item is one det.
type Item struct {
	N           int    // det@nItem, 1-based
	Code        string // cProd, the supplier's product code
	EAN         string // cEAN as written: a GTIN, "SEM GTIN" or empty
	Description string // xProd
	NCM         string
	CEST        string
	CFOP        string // 4 digits, no dot
	Unit        string // uCom
	Quantity    Decimal
	UnitPrice   Decimal
	TotalCents  int64 // vProd
	// Per-item amounts that compose the invoice total.
	FreightCents, InsuranceCents, DiscountCents, OtherCents int64
	InTotal                                                 bool   // indTot = 1: vProd is part of ICMSTot/vProd
	OrderRef                                                string // xPed: the buyer's order number
	OrderItem                                               string // nItemPed: the item of that order
	// DirectVehicleBilling: veicProd/tpOp = 2, "faturamento direto" of a new
	// vehicle (an exception of the vNF rule).
	DirectVehicleBilling bool
	IBSCBS               *ItemIBSCBS // imposto/IBSCBS (tax reform); nil when absent
}

// GTIN returns the item's EAN, or "" when it is the "SEM GTIN" placeholder.
func (it Item) GTIN() string {
	if isNoGTIN(it.EAN) {
		return ""
	}
	return it.EAN
}

// Totals is total/ICMSTot (plus ISSQNtot/vServ), in centavos.
type Totals struct {
	ProductsCents    int64 // vProd
	DiscountCents    int64 // vDesc
	FreightCents     int64 // vFrete
	InsuranceCents   int64 // vSeg
	OtherCents       int64 // vOutro
	IPICents         int64 // vIPI
	IPIReturnedCents int64 // vIPIDevol
	ICMSCents        int64 // vICMS
	ICMSExemptCents  int64 // vICMSDeson
	STCents          int64 // vST
	FCPSTCents       int64 // vFCPST
	ImportTaxCents   int64 // vII
	ServicesCents    int64 // ISSQNtot/vServ
	InvoiceCents     int64 // vNF, the amount of the invoice

	IBSCBS *IBSCBSTotals // total/IBSCBSTot (tax reform); nil when absent
}

// Protocol is the SEFAZ answer carried in protNFe/infProt.
type Protocol struct {
	Key         string    // chNFe
	Status      int       // cStat: 100 authorised, 150 authorised late
	Reason      string    // xMotivo
	Number      string    // nProt
	ReceivedAt  time.Time // dhRecbto
	Environment int       // tpAmb
}

// Authorizes reports whether the protocol authorises use of the NF-e (cStat 100 or 150).
func (p *Protocol) Authorizes() bool {
	return p != nil && (p.Status == 100 || p.Status == 150)
}

// Authorized reports whether the document carries a protocol authorising it:
// cStat 100 or 150 for exactly the document's key, and that key well formed
// with a correct check digit (SEFAZ never authorises any other, so such a
// protocol proves nothing).
func (d *Document) Authorized() bool {
	return d != nil && d.Protocol.Authorizes() && d.Protocol.Key == d.Key && CheckKey(d.Key) == ""
}

// ItemOrderRef is the buyer's order number for an item: its own xPed, or
// else the invoice's compra/xPed.
func (d *Document) ItemOrderRef(it Item) string {
	if it.OrderRef != "" {
		return it.OrderRef
	}
	return d.OrderRef
}

// OrderRefs lists the distinct order numbers the invoice refers to, in
// order of appearance (compra/xPed first).
func (d *Document) OrderRefs() []string {
	var refs []string
	seen := map[string]bool{}
	add := func(r string) {
		if r != "" && !seen[r] {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	add(d.OrderRef)
	for _, it := range d.Items {
		add(it.OrderRef)
	}
	return refs
}

// Check reads an NF-e from r and validates it. The document is nil when the
// input could not be read as an NF-e at all (too large, not XML, hostile…);
// otherwise it holds whatever could be extracted, even when there are
// problems. The document is valid when there are no problems.
func Check(r io.Reader, opts Options) (*Document, []Problem) {
	o := opts.withDefaults()
	data, p := read(r, o)
	if p != nil {
		return nil, []Problem{*p}
	}
	return parse(data, o)
}

// Parse is Check for an NF-e already in memory.
func Parse(data []byte, opts Options) (*Document, []Problem) {
	o := opts.withDefaults()
	if int64(len(data)) > o.MaxBytes {
		return nil, []Problem{{CodeTooLarge, fmt.Sprintf("o arquivo passa do limite de %s", byteSize(o.MaxBytes))}}
	}
	return parse(data, o)
}

func parse(data []byte, o Options) (*Document, []Problem) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []Problem{{CodeEmptyFile, "o arquivo está vazio"}}
	}
	info, p := scan(data, o)
	if p != nil {
		return nil, []Problem{*p}
	}
	var ps problems
	if info.wrongNS != "" {
		ps.add(CodeWrongNamespace, "%s", info.wrongNS)
	}

	d := newDecoder(data)
	var start xml.StartElement
	for {
		tok, err := d.Token()
		if err != nil { // cannot happen after a successful scan
			return nil, append(ps, *malformed(err))
		}
		if se, ok := tok.(xml.StartElement); ok {
			start = se
			break
		}
	}
	var (
		inf         *xInfNFe
		prot        *xProt
		procVersion string
		isProc      bool
	)
	switch start.Name.Local {
	case "nfeProc":
		var x xNFeProc
		if err := d.DecodeElement(&x, &start); err != nil {
			return nil, append(ps, *malformed(err))
		}
		if x.NFe != nil {
			inf = x.NFe.Inf
		}
		prot, procVersion, isProc = x.Prot, x.Versao, true
	case "NFe":
		var x xNFe
		if err := d.DecodeElement(&x, &start); err != nil {
			return nil, append(ps, *malformed(err))
		}
		inf = x.Inf
	default:
		return nil, append(ps, Problem{CodeNotNFe, fmt.Sprintf("o arquivo não é uma NF-e: o elemento raiz é <%s>; esperado <NFe> ou <nfeProc>", start.Name.Local)})
	}
	if inf == nil {
		return nil, append(ps, Problem{CodeNotNFe, "o arquivo não é uma NF-e: falta o grupo infNFe"})
	}
	b := builder{ps: ps, opts: o}
	doc := b.build(inf, prot, procVersion, isProc)
	return doc, b.ps
}
