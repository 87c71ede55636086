package nfe

import "time"

// Report is the stable JSON shape of one checked file (CONTRACT.md,
// `portal nfe check`). Every key is always present: strings are "" and
// numbers 0 when the file did not say, items and problems are [] when empty.
type Report struct {
	File       string          `json:"file"`
	Valid      bool            `json:"valid"`      // no problems
	Authorized bool            `json:"authorized"` // carries a protocol with cStat 100/150 for this key
	Key        string          `json:"key"`
	Model      int             `json:"model"`
	Version    string          `json:"version"`
	Series     int             `json:"series"`
	Number     int             `json:"number"`
	IssuedAt   string          `json:"issued_at"` // RFC 3339 with the offset written in dhEmi
	Issuer     ReportIssuer    `json:"issuer"`
	Recipient  ReportRecipient `json:"recipient"`
	TotalCents int64           `json:"total_cents"` // vNF
	Items      []ReportItem    `json:"items"`
	Problems   []Problem       `json:"problems"`
	// Added with the tax reform (not in CONTRACT.md's list, which stays as
	// it is): total/IBSCBSTot, null when the NF-e has none.
	IBSCBSTotal *ReportIBSCBSTotal `json:"ibs_cbs_total"`
}

// ReportIBSCBSTotal is total/IBSCBSTot in centavos.
type ReportIBSCBSTotal struct {
	BaseCents   int64 `json:"base_cents"`    // vBCIBSCBS
	IBSUFCents  int64 `json:"ibs_uf_cents"`  // gIBS/gIBSUF/vIBSUF
	IBSMunCents int64 `json:"ibs_mun_cents"` // gIBS/gIBSMun/vIBSMun
	IBSCents    int64 `json:"ibs_cents"`     // gIBS/vIBS
	CBSCents    int64 `json:"cbs_cents"`     // gCBS/vCBS
}

// ReportItemIBSCBS is an item's imposto/IBSCBS: rates are exact decimal
// strings (percentages as written, "" without gIBSCBS), amounts centavos.
type ReportItemIBSCBS struct {
	CST         string `json:"cst"`
	ClassTrib   string `json:"class_trib"` // cClassTrib
	BaseCents   int64  `json:"base_cents"` // vBC
	IBSUFRate   string `json:"ibs_uf_rate"`
	IBSUFCents  int64  `json:"ibs_uf_cents"`
	IBSMunRate  string `json:"ibs_mun_rate"`
	IBSMunCents int64  `json:"ibs_mun_cents"`
	IBSCents    int64  `json:"ibs_cents"`
	CBSRate     string `json:"cbs_rate"`
	CBSCents    int64  `json:"cbs_cents"`
}

// ReportIssuer is the issuer in a Report; CNPJ holds the CPF for an individual issuer.
type ReportIssuer struct {
	CNPJ string `json:"cnpj"`
	Name string `json:"name"`
}

// ReportRecipient is the recipient in a Report: CNPJ, CPF or foreign id.
type ReportRecipient struct {
	Document string `json:"document"`
	Name     string `json:"name"`
}

// ReportItem is one det in a Report.
type ReportItem struct {
	N           int    `json:"n"`
	Code        string `json:"code"`
	EAN         string `json:"ean"` // "" for "SEM GTIN"
	Description string `json:"description"`
	NCM         string `json:"ncm"`
	CFOP        string `json:"cfop"`
	Quantity    string `json:"quantity"`   // qCom exactly as written
	UnitPrice   string `json:"unit_price"` // vUnCom exactly as written
	TotalCents  int64  `json:"total_cents"`
	OrderRef    string `json:"order_ref"` // xPed of the item, else compra/xPed
	// Added with the tax reform: imposto/IBSCBS, null when absent.
	IBSCBS *ReportItemIBSCBS `json:"ibs_cbs"`
}

// NewReport builds the report of one file from what Check returned.
func NewReport(file string, doc *Document, problems []Problem) Report {
	r := Report{File: file, Valid: len(problems) == 0, Items: []ReportItem{}, Problems: []Problem{}}
	r.Problems = append(r.Problems, problems...)
	if doc == nil {
		return r
	}
	r.Authorized = doc.Authorized()
	r.Key, r.Model, r.Version, r.Series, r.Number = doc.Key, doc.Model, doc.Version, doc.Series, doc.Number
	if !doc.IssuedAt.IsZero() {
		r.IssuedAt = doc.IssuedAt.Format(time.RFC3339)
	}
	r.Issuer = ReportIssuer{CNPJ: doc.Issuer.Document(), Name: doc.Issuer.Name}
	r.Recipient = ReportRecipient{Document: doc.Recipient.Document(), Name: doc.Recipient.Name}
	r.TotalCents = doc.Totals.InvoiceCents
	for _, it := range doc.Items {
		ri := ReportItem{N: it.N, Code: it.Code, EAN: it.GTIN(), Description: it.Description,
			NCM: it.NCM, CFOP: it.CFOP, Quantity: rawDecimal(it.Quantity), UnitPrice: rawDecimal(it.UnitPrice),
			TotalCents: it.TotalCents, OrderRef: doc.ItemOrderRef(it)}
		if g := it.IBSCBS; g != nil {
			ri.IBSCBS = &ReportItemIBSCBS{CST: g.CST, ClassTrib: g.ClassTrib, BaseCents: g.BaseCents,
				IBSUFRate: rawDecimal(g.IBSUFRate), IBSUFCents: g.IBSUFCents, IBSMunRate: rawDecimal(g.IBSMunRate),
				IBSMunCents: g.IBSMunCents, IBSCents: g.IBSCents, CBSRate: rawDecimal(g.CBSRate), CBSCents: g.CBSCents}
		}
		r.Items = append(r.Items, ri)
	}
	if t := doc.Totals.IBSCBS; t != nil {
		r.IBSCBSTotal = &ReportIBSCBSTotal{BaseCents: t.BaseCents, IBSUFCents: t.IBSUFCents,
			IBSMunCents: t.IBSMunCents, IBSCents: t.IBSCents, CBSCents: t.CBSCents}
	}
	return r
}

// rawDecimal shows a decimal as written, "" when it was absent or invalid.
func rawDecimal(d Decimal) string {
	return d.text
}
