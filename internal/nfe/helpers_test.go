package nfe_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		in     string
		str    string
		places int
		cents  int64
		exact  bool // Cents is exact
		round  int64
	}{
		{"0", "0", 0, 0, true, 0},
		{"50", "50", 0, 5000, true, 5000},
		{" 10.0000 ", "10.0000", 4, 1000, true, 1000},
		{"179.80", "179.80", 2, 17980, true, 17980},
		{"0.3333333333", "0.3333333333", 10, 0, false, 33},
		{"0.005", "0.005", 3, 0, false, 1},
		{"0.0049999999", "0.0049999999", 10, 0, false, 0},
		{"49.9200000000", "49.9200000000", 10, 4992, true, 4992},
		{"99999999999.9999999999", "99999999999.9999999999", 10, 0, false, 10000000000000},
		{"0001.5", "0001.5", 1, 150, true, 150},
	} {
		d, err := nfe.ParseDecimal(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		c, ok := d.Cents()
		r, rok := d.RoundCents()
		if d.String() != tt.str || d.Places() != tt.places || ok != tt.exact || (ok && c != tt.cents) || !rok || r != tt.round {
			t.Errorf("%q: %s places %d cents %d %v round %d", tt.in, d, d.Places(), c, ok, r)
		}
	}
	for _, bad := range []string{"", " ", "-1", "+1", "1e3", "1,5", ".5", "5.", "1.2.3", "1 000", "0x10", "١٢", "NaN",
		strings.Repeat("9", 41)} {
		if d, err := nfe.ParseDecimal(bad); err == nil {
			t.Errorf("%q accepted as %s", bad, d)
		}
	}

	a, b := nfe.MustDecimal("3"), nfe.MustDecimal("0.3333333333")
	if p := a.Mul(b); p.String() != "0.9999999999" || p.Places() != 10 {
		t.Errorf("3 × 0.3333333333 = %s", p)
	}
	if s := nfe.MustDecimal("1.05").Add(nfe.MustDecimal("2")); s.String() != "3.05" {
		t.Errorf("1.05 + 2 = %s", s)
	}
	if nfe.MustDecimal("1.50").Cmp(nfe.MustDecimal("1.5")) != 0 || nfe.MustDecimal("1.49").Cmp(nfe.MustDecimal("1.5")) != -1 ||
		nfe.MustDecimal("10").Cmp(nfe.MustDecimal("9.9999999999")) != 1 {
		t.Error("Cmp")
	}
	if n, ok := nfe.MustDecimal("10.0000").Int64(); !ok || n != 10 {
		t.Errorf("Int64 10.0000 = %d %v", n, ok)
	}
	if _, ok := nfe.MustDecimal("1.5").Int64(); ok {
		t.Error("1.5 is not an integer")
	}
	if !nfe.MustDecimal("0.000").IsZero() || nfe.MustDecimal("0.001").IsZero() || !(nfe.Decimal{}).IsZero() {
		t.Error("IsZero")
	}
	if (nfe.Decimal{}).String() != "0" {
		t.Error("zero value text")
	}
}

func TestKeyCheckDigit(t *testing.T) {
	for key, want := range map[string]int{
		"43180906929383000163550010000000261000010301": 1, // fixture nfe_layout4
		"35170358716523000119550010000000301000000300": 0, // fixture 2017protocoled
		"32191107670813000825550010059062251133037938": 3, // fixture nfe_4.0: written 8, DOMAIN.md says 3
	} {
		if got := nfe.KeyCheckDigit(key[:43]); got != want {
			t.Errorf("%s: %d, want %d", key, got, want)
		}
	}
	// Letters of an alphanumeric CNPJ count ASCII−48 (A = 17).
	first43 := "3526071" + "2ABC34501DE35" + "550010000012341123456780"[:23]
	if len(first43) != 43 {
		t.Fatalf("test key has %d characters", len(first43))
	}
	sum, w := 0, 2
	for i := 42; i >= 0; i-- {
		sum += (int(first43[i]) - 48) * w
		if w++; w > 9 {
			w = 2
		}
	}
	want := 11 - sum%11
	if sum%11 < 2 {
		want = 0
	}
	if got := nfe.KeyCheckDigit(first43); got != want {
		t.Errorf("alphanumeric key: %d, want %d", got, want)
	}
	if nfe.KeyCheckDigit("123") != -1 {
		t.Error("short input")
	}
	if msg := nfe.CheckKey("32191107670813000825550010059062251133037938"); msg != "dígito verificador da chave é 8, esperado 3" {
		t.Errorf("CheckKey: %q", msg)
	}
	if msg := nfe.CheckKey("43180906929383000163550010000000261000010301"); msg != "" {
		t.Errorf("CheckKey valid: %q", msg)
	}
}

func TestSplitKey(t *testing.T) {
	p, ok := nfe.SplitKey("43180906929383000163550010000000261000010301")
	want := nfe.KeyParts{UF: "43", YearMonth: "1809", Issuer: "06929383000163", Model: "55", Series: "001",
		Number: "000000026", EmissionType: "1", Code: "00001030", CheckDigit: "1"}
	if !ok || p != want {
		t.Errorf("%+v", p)
	}
	for _, bad := range []string{
		"4318090692938300016355001000000026100001030",   // 43
		"431809069293830001635500100000002610000103011", // 45
		"4318090692938300016355001000000026100001030X",  // letter outside the CNPJ
		"431809069293830001A3550010000000261000010301",  // letter in the CNPJ's check digits
		"43180906a29383000163550010000000261000010301",  // lower case
	} {
		if _, ok := nfe.SplitKey(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, ok := nfe.SplitKey("3526071" + "2ABC34501DE35" + "550010000012341123456789"); !ok {
		t.Error("alphanumeric CNPJ in key refused")
	}
}

func TestCFOP(t *testing.T) {
	for code, want := range map[string]nfe.CFOPKind{
		"5119": nfe.CFOPSaleOnOrder, "6.119": nfe.CFOPSaleOnOrder, "5118": nfe.CFOPSaleOnOrder, "6118": nfe.CFOPSaleOnOrder,
		"5102": nfe.CFOPResale, "6102": nfe.CFOPResale, "5.405": nfe.CFOPResale, "5403": nfe.CFOPResale, "6403": nfe.CFOPResale,
		"5120": nfe.CFOPBilling, "6.120": nfe.CFOPBilling,
		"5923": nfe.CFOPShipmentOnOrder, "6923": nfe.CFOPShipmentOnOrder,
		"6101": nfe.CFOPOther, "6405": nfe.CFOPOther, "": nfe.CFOPOther,
	} {
		if got := nfe.ClassifyCFOP(code); got != want {
			t.Errorf("%s: %v, want %v", code, got, want)
		}
	}
	if !nfe.IsSupplierSale("6.119") || !nfe.IsSupplierSale("5405") || nfe.IsSupplierSale("5120") ||
		!nfe.IsBilling("6120") || nfe.IsBilling("6119") || !nfe.IsShipmentOnOrder("5.923") || nfe.IsShipmentOnOrder("5102") {
		t.Error("IsSupplierSale/IsBilling/IsShipmentOnOrder")
	}
	if !nfe.Interstate("6119") || nfe.Interstate("5119") {
		t.Error("Interstate")
	}
}

func TestValidCPF(t *testing.T) {
	for cpf, want := range map[string]bool{
		"52998224725": true, "52998224726": false, "11111111111": false, "5299822472": false,
		"529.982.247-25": false, // an NF-e carries digits only
		"014345733812":   false,
	} {
		if nfe.ValidCPF(cpf) != want {
			t.Errorf("%s: %v", cpf, !want)
		}
	}
}

// FuzzCheck: no input may panic or produce an unexplained invalid result.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe" versao="4.00"/></NFe>`))
	f.Add([]byte(nfetest.WithIBSCBS(f, nfetest.Valid()).XML(f))) // the tax reform's groups
	f.Add([]byte(nfetest.Import().XML(f)))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, problems := nfe.Parse(data, nfe.Options{})
		if doc == nil && len(problems) == 0 {
			t.Fatal("no document and no problem")
		}
		for _, p := range problems {
			if p.Code == "" || p.Message == "" {
				t.Fatalf("empty problem %+v", p)
			}
		}
		_ = nfe.NewReport("f", doc, problems)
	})
}

func TestDecimalBrazilian(t *testing.T) {
	for _, c := range []struct {
		in   string
		min  int
		want string
	}{
		{"2.0000", 0, "2"}, {"1.5000", 0, "1,5"}, {"1234.5", 2, "1.234,50"}, {"89.9000000000", 2, "89,90"},
		{"0.3333333333", 2, "0,3333333333"}, {"1000000", 2, "1.000.000,00"}, {"1234.5678", 2, "1.234,5678"},
	} {
		if got := nfe.MustDecimal(c.in).Brazilian(c.min); got != c.want {
			t.Errorf("Brazilian(%s, %d) = %q, want %q", c.in, c.min, got, c.want)
		}
	}
}
