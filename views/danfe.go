package views

import (
	"strconv"
	"strings"

	"github.com/connectparts/portal/internal/barcode"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/nfe"
)

// DanfeProps is one NF-e of a PO printed DANFE-style, from its stored XML.
type DanfeProps struct {
	PONumber string
	Kind     string // "billing" or "supplier"
	Doc      *nfe.Document
	XMLURL   string // download link of the XML; "" when there is none
	Barcode  *barcode.Code128
}

// danfeTitle names the invoice the page shows.
func danfeTitle(p DanfeProps) string {
	if p.Kind == "billing" {
		return "NF-e de faturamento do pedido " + p.PONumber
	}
	return "NF-e do fornecedor do pedido " + p.PONumber
}

// danfeKey writes the access key in groups of four characters.
func danfeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(key[i:min(i+4, len(key))])
	}
	return b.String()
}

// danfeDocument formats a party's CNPJ (00.000.000/0000-00), CPF
// (000.000.000-00) or foreign id as written.
func danfeDocument(p nfe.Party) string {
	switch {
	case p.CNPJ != "":
		return fmtDocument(p.CNPJ)
	case p.CPF != "":
		return fmtDocument(p.CPF)
	}
	return orDash(p.ForeignID)
}

func danfeDocumentLabel(p nfe.Party) string {
	switch {
	case p.CNPJ != "":
		return "CNPJ"
	case p.CPF != "":
		return "CPF"
	}
	return "Documento"
}

func danfeCEP(s string) string { return orDash(fmtCEP(s)) }

// danfeStreet is "Rua X, 10 – complemento".
func danfeStreet(a nfe.Address) string {
	s := a.Street
	if a.Number != "" {
		s += ", " + a.Number
	}
	if a.Complement != "" {
		s += " – " + a.Complement
	}
	return orDash(s)
}

// danfeDecimal writes an XML decimal the Brazilian way: thousands with a
// dot, decimal comma, trailing zeros dropped down to minPlaces.
func danfeDecimal(d nfe.Decimal, minPlaces int) string { return d.Brazilian(minPlaces) }

func danfeMoney(c int64) string { return format.Decimal(c) }

func danfeDirection(d int) string {
	if d == 0 {
		return "0 – Entrada"
	}
	return "1 – Saída"
}

// danfeNumber is the invoice number as printed, 000.001.234.
func danfeNumber(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 9 {
		s = strings.Repeat("0", 9-len(s)) + s
	}
	return s[0:3] + "." + s[3:6] + "." + s[6:9]
}

func danfeSeries(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 3 {
		s = strings.Repeat("0", 3-len(s)) + s
	}
	return s
}

// danfeCFOPs lists the distinct CFOPs of the items, "6.120".
func danfeCFOPs(d *nfe.Document) string {
	var out []string
	seen := map[string]bool{}
	for _, it := range d.Items {
		if c := nfe.FormatCFOP(it.CFOP); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return orDash(strings.Join(out, ", "))
}

func joinRefs(refs []string) string { return strings.Join(refs, ", ") }
