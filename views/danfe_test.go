package views

import (
	"testing"

	"github.com/connectparts/portal/internal/nfe"
)

func TestDanfeFormatting(t *testing.T) {
	for _, c := range []struct {
		in   string
		min  int
		want string
	}{
		{"2.0000", 0, "2"}, {"1.5000", 0, "1,5"}, {"1234.5", 2, "1.234,50"}, {"89.9000000000", 2, "89,90"},
		{"0.3333333333", 2, "0,3333333333"}, {"1000000", 2, "1.000.000,00"},
	} {
		if got := danfeDecimal(nfe.MustDecimal(c.in), c.min); got != c.want {
			t.Errorf("danfeDecimal(%s, %d) = %q, want %q", c.in, c.min, got, c.want)
		}
	}
	if got := danfeKey("35260706929383000163550010000012341123456780"); got != "3526 0706 9293 8300 0163 5500 1000 0012 3411 2345 6780" {
		t.Errorf("key %q", got)
	}
	if got := danfeDocument(nfe.Party{CPF: "52998224725"}); got != "529.982.247-25" {
		t.Errorf("CPF %q", got)
	}
	if got := danfeDocument(nfe.Party{CNPJ: "58716523000119"}); got != "58.716.523/0001-19" {
		t.Errorf("CNPJ %q", got)
	}
	if got := danfeNumber(1234) + " " + danfeSeries(1) + " " + danfeCEP("01001000"); got != "000.001.234 001 01001-000" {
		t.Errorf("number, series, CEP: %q", got)
	}
}
