package gtin_test

import (
	"testing"

	"github.com/connectparts/portal/internal/gtin"
)

func TestValid(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"7891000315507", true},  // EAN-13, Brazilian prefix 789
		{"7891000315508", false}, // wrong check digit
		{"4006381333931", true},  // EAN-13
		{"96385074", true},       // GTIN-8 (EAN-8)
		{"96385075", false},
		{"036000291452", true}, // GTIN-12 (UPC-A)
		{"036000291453", false},
		{"10012345678902", true},  // GTIN-14
		{"00036000291452", true},  // UPC-A padded to 14
		{"0036000291452", true},   // UPC-A padded to 13
		{" 7891000315507 ", true}, // Normalize trims
		{"\u00A07891000315507", true},
		{"789100031550", false},   // 12 digits, check digit does not match
		{"78910003155070", false}, // 14 digits
		{"789100031550a", false},
		{"789-1000315507", false},
		{"7891 000315507", false},
		{"1234567", false}, // 7 digits
		{"123456789", false},
		{"00000000", false}, // all zeros: check digit matches, but not a product
		{"0000000000000", false},
		{"", false},
		{"SEM GTIN", false},
		{"７８９１０００３１５５０７", false}, // full-width digits
	}
	for _, tt := range tests {
		if got := gtin.Valid(tt.code); got != tt.want {
			t.Errorf("Valid(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		" 7891000315507\t": "7891000315507",
		"\u00A0SEM GTIN ":  "SEM GTIN",
		"789 100":          "789 100",
		"":                 "",
	} {
		if got := gtin.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsNone(t *testing.T) {
	for in, want := range map[string]bool{
		gtin.None:         true,
		"sem gtin":        true,
		" Sem  GTIN ":     true,
		"SEMGTIN":         false,
		"":                false,
		"7891000315507":   false,
		"SEM GTIN 123":    false,
		"SEM EAN":         false,
		"\tSEM\u00A0GTIN": true,
	} {
		if got := gtin.IsNone(in); got != want {
			t.Errorf("IsNone(%q) = %v, want %v", in, got, want)
		}
	}
}
