package tabular_test

import (
	"errors"
	"testing"

	"github.com/connectparts/portal/internal/tabular"
)

type valueCase struct {
	in   string
	want int64
	kind error  // nil for success
	msg  string // exact message when kind != nil and msg != ""
}

func runValueCases(t *testing.T, name string, parse func(string) (int64, error), cases []valueCase) {
	t.Helper()
	for _, c := range cases {
		got, err := parse(c.in)
		switch {
		case c.kind == nil && (err != nil || got != c.want):
			t.Errorf("%s(%q) = %d, %v; want %d", name, c.in, got, err, c.want)
		case c.kind != nil && !errors.Is(err, c.kind):
			t.Errorf("%s(%q) = %d, %v; want error %v", name, c.in, got, err, c.kind)
		case c.kind != nil && c.msg != "" && err.Error() != c.msg:
			t.Errorf("%s(%q) message %q; want %q", name, c.in, err.Error(), c.msg)
		}
	}
}

func TestParseCentavos(t *testing.T) {
	runValueCases(t, "ParseCentavos", tabular.ParseCentavos, []valueCase{
		{in: "1.234,56", want: 123456},
		{in: "1234,56", want: 123456},
		{in: "1234.56", want: 123456},
		{in: "1,234.56", want: 123456},
		{in: "R$ 12,30", want: 1230},
		{in: "R$12,30", want: 1230},
		{in: "r$ 1.000", want: 100000},
		{in: " 12 ", want: 1200},
		{in: "\u00A012\u00A0", want: 1200}, // non-breaking spaces from Excel
		{in: "12", want: 1200},
		{in: "12.5", want: 1250},
		{in: "12,5", want: 1250},
		{in: "0,99", want: 99},
		{in: ",50", want: 50},
		{in: "0", want: 0},
		{in: "0,00", want: 0},
		{in: "-0,00", want: 0},
		{in: "1.234", want: 123400},     // single dot + 3 digits = thousands
		{in: "12.345", want: 1234500},   // idem
		{in: "123.456", want: 12345600}, // idem
		{in: "1.23", want: 123},         // single dot, 2 digits = decimal
		{in: "1234.5", want: 123450},    // 4 digits before the dot: decimal
		{in: "1.234.567", want: 123456700},
		{in: "1,234,567", want: 123456700},
		{in: "1.234.567,89", want: 123456789},
		{in: "1,234,567.89", want: 123456789},
		{in: "12,5000", want: 1250}, // ERP exports with 4 zero decimals
		{in: "1,500", want: 150},    // comma is always decimal in Brazil
		{in: "92233720368547758,07", want: 9223372036854775807},

		{in: "", kind: tabular.ErrEmpty, msg: "preço ausente"},
		{in: "   ", kind: tabular.ErrEmpty, msg: "preço ausente"},
		{in: "R$", kind: tabular.ErrInvalid, msg: `preço inválido: "R$"`},
		{in: "abc", kind: tabular.ErrInvalid, msg: `preço inválido: "abc"`},
		{in: "12,3a", kind: tabular.ErrInvalid},
		{in: "1 234,56", kind: tabular.ErrInvalid},
		{in: "+12", kind: tabular.ErrInvalid},
		{in: "1e3", kind: tabular.ErrInvalid},
		{in: "12,", kind: tabular.ErrInvalid},
		{in: ".", kind: tabular.ErrInvalid},
		{in: "1.23.4", kind: tabular.ErrInvalid},
		{in: "12,34,56", kind: tabular.ErrInvalid},
		{in: "1.234,56,7", kind: tabular.ErrInvalid},
		{in: "1,23.456,7", kind: tabular.ErrInvalid},
		{in: "1234.567,89", kind: tabular.ErrInvalid}, // bad thousands group
		{in: "-12,30", kind: tabular.ErrNegative, msg: "preço negativo"},
		{in: "R$ -12,30", kind: tabular.ErrNegative},
		{in: "- R$ 1", kind: tabular.ErrNegative},
		{in: "1,234", kind: tabular.ErrPrecision, msg: `preço com mais de duas casas decimais: "1,234"`},
		{in: "0.125", kind: tabular.ErrPrecision},     // leading zero: not thousands
		{in: "1234.567", kind: tabular.ErrPrecision},  // 4 digits before: not thousands
		{in: "1.234,567", kind: tabular.ErrPrecision}, // both separators
		{in: "1234.5600000000001", kind: tabular.ErrPrecision},
		{in: "92233720368547758,08", kind: tabular.ErrOverflow, msg: `preço grande demais: "92233720368547758,08"`},
		{in: "99999999999999999999999", kind: tabular.ErrOverflow},
	})
}

func TestParseCentavosNumber(t *testing.T) {
	runValueCases(t, "ParseCentavosNumber", tabular.ParseCentavosNumber, []valueCase{
		{in: "12.5", want: 1250},
		{in: "12", want: 1200},
		{in: "0", want: 0},
		{in: "0.99", want: 99},
		{in: "1234.5600000000001", want: 123456},
		{in: "0.30000000000000004", want: 30},
		{in: "12.299999999999999", want: 1230},
		{in: "1.1499999999999999", want: 115},
		{in: "99.999999999999986", want: 10000},
		{in: "1.5E-1", want: 15},
		{in: "1E3", want: 100000},
		{in: "1.23e+2", want: 12300},
		{in: "123456789.12000001", want: 12345678912}, // beyond 15 significant digits
		{in: "-0", want: 0},

		{in: "", kind: tabular.ErrEmpty},
		{in: "1.234", kind: tabular.ErrPrecision, msg: `preço com mais de duas casas decimais: "1.234"`},
		{in: "0.125", kind: tabular.ErrPrecision},
		{in: "0.12500001", kind: tabular.ErrPrecision},
		{in: "1.5E-2", kind: tabular.ErrPrecision},
		{in: "1,5", kind: tabular.ErrInvalid},
		{in: "12.5.1", kind: tabular.ErrInvalid},
		{in: "1e", kind: tabular.ErrInvalid},
		{in: "1e999999", kind: tabular.ErrInvalid},
		{in: "NaN", kind: tabular.ErrInvalid},
		{in: "-12.5", kind: tabular.ErrNegative},
		{in: "1E17", kind: tabular.ErrOverflow},
	})
}

func TestParseQuantity(t *testing.T) {
	runValueCases(t, "ParseQuantity", tabular.ParseQuantity, []valueCase{
		{in: "10", want: 10},
		{in: " 10 ", want: 10},
		{in: "0", want: 0},
		{in: "1.000", want: 1000},
		{in: "1.000.000", want: 1000000},
		{in: "10,0", want: 10},
		{in: "10,00", want: 10},
		{in: "1,000", want: 1}, // Brazilian ERP quantity with 3 decimals
		{in: "1.000,000", want: 1000},
		{in: "10.0", want: 10},
		{in: "007", want: 7},

		{in: "", kind: tabular.ErrEmpty, msg: "quantidade ausente"},
		{in: "dez", kind: tabular.ErrInvalid, msg: `quantidade inválida: "dez"`},
		{in: "R$ 10", kind: tabular.ErrInvalid},
		{in: "-1", kind: tabular.ErrNegative, msg: "quantidade negativa"},
		{in: "1,5", kind: tabular.ErrFraction, msg: `quantidade fracionada não é permitida: "1,5"`},
		{in: "2.25", kind: tabular.ErrFraction},
		{in: "0,001", kind: tabular.ErrFraction},
		{in: "9223372036854775808", kind: tabular.ErrOverflow, msg: `quantidade grande demais: "9223372036854775808"`},
	})
}

func TestParseQuantityNumber(t *testing.T) {
	runValueCases(t, "ParseQuantityNumber", tabular.ParseQuantityNumber, []valueCase{
		{in: "10", want: 10},
		{in: "1000", want: 1000},
		{in: "9.9999999999999982", want: 10},
		{in: "3.0000000000000004", want: 3},
		{in: "1E3", want: 1000},
		{in: "1.5", kind: tabular.ErrFraction, msg: `quantidade fracionada não é permitida: "1.5"`},
		{in: "1.000001", kind: tabular.ErrFraction},
		{in: "-2", kind: tabular.ErrNegative},
		{in: "x", kind: tabular.ErrInvalid},
	})
}

func TestFormatCentavos(t *testing.T) {
	for in, want := range map[int64]string{0: "0,00", 5: "0,05", 1230: "12,30", 123456: "1234,56", -5: "-0,05", -123456: "-1234,56"} {
		if got := tabular.FormatCentavos(in); got != want {
			t.Errorf("FormatCentavos(%d) = %q, want %q", in, got, want)
		}
		if in >= 0 {
			if back, err := tabular.ParseCentavos(want); err != nil || back != in {
				t.Errorf("ParseCentavos(FormatCentavos(%d)) = %d, %v", in, back, err)
			}
		}
	}
}
