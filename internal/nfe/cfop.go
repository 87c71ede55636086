package nfe

import "strings"

// CFOPKind classifies the CFOPs that matter to the dropship flow
// ("venda à ordem"); every other CFOP is CFOPOther.
type CFOPKind int

const (
	CFOPOther CFOPKind = iota
	// CFOPSaleOnOrder: the supplier sells to ConnectParts, goods delivered to
	// the customer on ConnectParts' behalf (5.118/6.118 own production,
	// 5.119/6.119 resale).
	CFOPSaleOnOrder
	// CFOPResale: ordinary resale from the supplier to ConnectParts
	// (5.102/6.102; 5.403/6.403 and 5.405 with ICMS-ST).
	CFOPResale
	// CFOPBilling: ConnectParts bills the customer for goods the supplier
	// delivers (5.120/6.120).
	CFOPBilling
	// CFOPShipmentOnOrder: the supplier's shipment invoice to the customer,
	// "remessa por conta e ordem de terceiros" (5.923/6.923).
	CFOPShipmentOnOrder
)

var cfopKinds = map[string]CFOPKind{
	"5118": CFOPSaleOnOrder, "6118": CFOPSaleOnOrder, "5119": CFOPSaleOnOrder, "6119": CFOPSaleOnOrder,
	"5102": CFOPResale, "6102": CFOPResale, "5403": CFOPResale, "6403": CFOPResale, "5405": CFOPResale,
	"5120": CFOPBilling, "6120": CFOPBilling,
	"5923": CFOPShipmentOnOrder, "6923": CFOPShipmentOnOrder,
}

// String names the kind in Portuguese, for messages.
func (k CFOPKind) String() string {
	switch k {
	case CFOPSaleOnOrder:
		return "venda à ordem (fornecedor → ConnectParts)"
	case CFOPResale:
		return "venda para revenda (fornecedor → ConnectParts)"
	case CFOPBilling:
		return "faturamento da venda à ordem (ConnectParts → cliente)"
	case CFOPShipmentOnOrder:
		return "remessa por conta e ordem (fornecedor → cliente)"
	}
	return "outra operação"
}

// NormalizeCFOP removes the dot people write in CFOPs ("5.119" → "5119").
func NormalizeCFOP(code string) string {
	return strings.ReplaceAll(strings.TrimSpace(code), ".", "")
}

// FormatCFOP writes a 4-digit CFOP with its dot ("6120" → "6.120"); other
// input is returned as is.
func FormatCFOP(code string) string {
	if len(code) == 4 {
		return code[:1] + "." + code[1:]
	}
	return code
}

// ClassifyCFOP returns the kind of a CFOP, written with or without the dot.
func ClassifyCFOP(code string) CFOPKind {
	return cfopKinds[NormalizeCFOP(code)]
}

// IsSupplierSale reports whether the CFOP fits a supplier's sale invoice to
// ConnectParts: a sale on order (5/6.118, 5/6.119) or an ordinary resale
// (5/6.102, 5/6.403, 5.405).
func IsSupplierSale(code string) bool {
	k := ClassifyCFOP(code)
	return k == CFOPSaleOnOrder || k == CFOPResale
}

// IsBilling reports whether the CFOP fits ConnectParts' billing invoice to
// the customer (5.120/6.120).
func IsBilling(code string) bool { return ClassifyCFOP(code) == CFOPBilling }

// IsShipmentOnOrder reports whether the CFOP fits the supplier's shipment
// invoice to the customer (5.923/6.923).
func IsShipmentOnOrder(code string) bool { return ClassifyCFOP(code) == CFOPShipmentOnOrder }

// Interstate reports whether a CFOP is an interstate operation (first digit 2 or 6).
func Interstate(code string) bool {
	c := NormalizeCFOP(code)
	return c != "" && (c[0] == '2' || c[0] == '6')
}

func validCFOP(code string) bool {
	return len(code) == 4 && allDigits(code) && strings.ContainsRune("123567", rune(code[0]))
}
