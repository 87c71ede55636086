// Package gtin validates GTIN (EAN/UPC) codes as used in Brazilian product
// catalogs and NF-e (fields cEAN/cEANTrib).
package gtin

import "strings"

// None is the placeholder NF-e requires in cEAN/cEANTrib for products without
// a GTIN.
const None = "SEM GTIN"

// Normalize trims surrounding white space (including the non-breaking spaces
// that spreadsheets leave behind). It does not remove inner characters: a
// code with spaces or dashes inside is not a valid GTIN.
func Normalize(code string) string {
	return strings.TrimSpace(code)
}

// IsNone reports whether code is the NF-e placeholder "SEM GTIN", ignoring
// case and surrounding or repeated spaces ("sem gtin", " SEM  GTIN ").
// An empty code is not the placeholder: it is a missing value.
func IsNone(code string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(code), " "), None)
}

// Valid reports whether code, after Normalize, is a GTIN-8, GTIN-12 (UPC-A),
// GTIN-13 (EAN-13) or GTIN-14 made only of ASCII digits whose last digit is
// the GS1 mod-10 check digit. A code of only zeros is rejected: its check
// digit matches but it is never a real product.
func Valid(code string) bool {
	code = Normalize(code)
	switch len(code) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	sum, nonZero := 0, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		if c < '0' || c > '9' {
			return false
		}
		nonZero = nonZero || c != '0'
		if i == len(code)-1 {
			break
		}
		d := int(c - '0')
		// Weights 3,1,3,1,... counted from the digit next to the check digit.
		if (len(code)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return nonZero && int(code[len(code)-1]-'0') == (10-sum%10)%10
}
