package nfe

import (
	"strings"

	"github.com/connectparts/portal/internal/format"
)

// checkInvoiceTotal applies the vNF rule: validation rule W16-10 of the NF-e
// taxpayer manual (Manual de Orientação do Contribuinte, NT 2011/005 and
// later), SEFAZ rejection 610 "Total da NF difere do somatório dos Valores
// compõe o valor Total da NF":
//
//	vNF = vProd − vDesc − vICMSDeson + vST + vFCPST + vFrete + vSeg + vOutro
//	      + vII + vIPI + vIPIDevol + vServ
//
// with the exceptions the rule itself lists, and only those (as quoted from
// the manual by, e.g., https://novooobj.xyz/bc/rejeicao-610-como-resolver and
// https://gruposkill.com.br/skillconsulting/knowledge-base/hlp041-nf-e-rejeicao-total-da-nf-difere-do-somatorio-dos-valores-que-compoe-o-valor-total-da-nf/):
//
//   - Exceção 1, faturamento direto de veículos novos (det/prod/veicProd/tpOp
//     = 2): vST, vFCPST and vIPIDevol are left out of the sum.
//   - Exceção 2, operações de importação (CFOP starting with 3, entry from
//     abroad): the rule does not apply at all, so vNF may leave out vII (and
//     the import's other costs) as the importer's ERP computes it. An NF-e
//     is taken as an import when any of its items has such a CFOP.
//   - NT 2013/005 v1.22: no rejection when vICMSDeson was not subtracted;
//     since NT 2023.004 ide/indDeduzDeson says which form the issuer used,
//     and both are accepted here.
//
// The manual names no exception for complementary or adjustment NF-e
// (finNFe 2 or 3) or for returns (finNFe 4, which is why vIPIDevol is in the
// sum), so none is made.
//
// The tax reform's IBS and CBS (ibscbs.go) are not part of vNF: they are
// charged "por fora" and add up in the layout's separate vNFTot. In 2026
// they are informative (the test year, payment waived: LC 214/2025 art. 348
// §1); from 1 January 2027 the CBS is charged for real (ADCT art. 126), yet
// vNF keeps this rule.
func (b *builder) checkInvoiceTotal(doc *Document) {
	if doc.IsImport() {
		return // Exceção 2
	}
	tt := &doc.Totals
	vehicle := doc.DirectVehicleBilling()
	type term struct {
		name  string
		cents int64
		sign  int64
	}
	terms := []term{{"vProd", tt.ProductsCents, 1}, {"vDesc", tt.DiscountCents, -1}}
	if !vehicle { // Exceção 1
		terms = append(terms, term{"vST", tt.STCents, 1}, term{"vFCPST", tt.FCPSTCents, 1})
	}
	terms = append(terms, term{"vFrete", tt.FreightCents, 1}, term{"vSeg", tt.InsuranceCents, 1},
		term{"vOutro", tt.OtherCents, 1}, term{"vII", tt.ImportTaxCents, 1}, term{"vIPI", tt.IPICents, 1})
	if !vehicle {
		terms = append(terms, term{"vIPIDevol", tt.IPIReturnedCents, 1})
	}
	terms = append(terms, term{"vServ", tt.ServicesCents, 1})

	var want int64
	var formula strings.Builder
	for i, t := range terms {
		want += t.sign * t.cents
		if i == 0 || t.cents != 0 {
			if i > 0 {
				formula.WriteString(map[int64]string{1: " + ", -1: " − "}[t.sign])
			}
			formula.WriteString(t.name)
		}
	}
	if tt.InvoiceCents != want && tt.InvoiceCents != want-tt.ICMSExemptCents {
		msg := "o valor total da nota (vNF) é %s, mas %s = %s"
		if vehicle {
			msg += " (faturamento direto de veículo novo: sem vST, vFCPST e vIPIDevol)"
		}
		b.ps.add(CodeTotalMismatch, msg, format.Money(tt.InvoiceCents), formula.String(), format.Money(want))
	}
}

// IsImport reports whether the NF-e is an import (some item's CFOP starts
// with 3, entry from abroad), to which the vNF rule does not apply.
func (d *Document) IsImport() bool {
	for _, it := range d.Items {
		if strings.HasPrefix(NormalizeCFOP(it.CFOP), "3") {
			return true
		}
	}
	return false
}

// DirectVehicleBilling reports whether some item is the direct billing of a
// new vehicle (veicProd/tpOp = 2).
func (d *Document) DirectVehicleBilling() bool {
	for _, it := range d.Items {
		if it.DirectVehicleBilling {
			return true
		}
	}
	return false
}
