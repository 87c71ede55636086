package cnpj_test

import (
	"testing"

	"github.com/connectparts/portal/internal/cnpj"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		in    string
		valid bool
	}{
		{"11.222.333/0001-81", true},
		{"11222333000181", true},
		{"11222333000182", false},
		{"12ABC34501DE35", true}, // alphanumeric example from the Receita Federal
		{"12.ABC.345/01DE-35", true},
		{"12abc34501de35", true}, // lower case is normalized, letters kept
		{"12ABC34501DE36", false},
		{"12ABC34501DE3X", false},
		{"00000000000000", false},
		{"1122233300018", false},
		{"", false},
		{"07670813000823", false}, // from an anonymised NF-e fixture, wrong check digits
		{"06929383000163", true},
	}
	for _, tt := range tests {
		if got := cnpj.Valid(tt.in); got != tt.valid {
			t.Errorf("Valid(%q) = %v, want %v (%s)", tt.in, got, tt.valid, cnpj.Check(tt.in))
		}
	}
}

func TestFormat(t *testing.T) {
	if got := cnpj.Format("12abc34501de35"); got != "12.ABC.345/01DE-35" {
		t.Fatalf("Format = %q", got)
	}
	if got := cnpj.Normalize(" 11.222.333/0001-81 "); got != "11222333000181" {
		t.Fatalf("Normalize = %q", got)
	}
}
