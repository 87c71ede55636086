package barcode

import (
	"strings"
	"testing"
)

func TestPatternsAreElevenModules(t *testing.T) {
	for v, p := range patterns {
		sum, want := 0, 11
		if v == stop {
			want = 13
		}
		for _, r := range p {
			sum += int(r - '0')
		}
		if sum != want {
			t.Errorf("symbol %d: %s is %d modules", v, p, sum)
		}
	}
	seen := map[string]int{}
	for v, p := range patterns {
		if w, ok := seen[p]; ok {
			t.Errorf("symbols %d and %d share %s", w, v, p)
		}
		seen[p] = v
	}
}

func TestEncodeAccessKeyInCodeSetC(t *testing.T) {
	key := "35260706929383000163550010000012341123456780"
	b, err := Encode(key)
	if err != nil {
		t.Fatal(err)
	}
	// Start C, 22 digit pairs, check, stop.
	if len(b.Symbols) != 25 || b.Symbols[0] != startC || b.Symbols[1] != 35 || b.Symbols[22] != 80 || b.Symbols[24] != stop {
		t.Fatalf("symbols %v", b.Symbols)
	}
	sum := startC
	for i := 1; i <= 22; i++ {
		sum += b.Symbols[i] * i
	}
	if b.Symbols[23] != sum%103 {
		t.Fatalf("check symbol %d, want %d", b.Symbols[23], sum%103)
	}
	if b.Width != 2*Quiet+24*11+13 {
		t.Fatalf("width %d", b.Width)
	}
	if b.Bars[0].X != Quiet || b.Bars[0].W != 2 { // start C begins with a 2-module bar
		t.Fatalf("first bar %+v", b.Bars[0])
	}
	if last := b.Bars[len(b.Bars)-1]; last.X+last.W != b.Width-Quiet {
		t.Fatalf("last bar %+v ends before the quiet zone", last)
	}
}

// The classic worked example: "PJJ123C" in code set B: 104 + 48·1 + 42·2 +
// 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879, and 879 mod 103 = 55.
func TestEncodeCodeSetB(t *testing.T) {
	b, err := Encode("PJJ123C")
	if err != nil {
		t.Fatal(err)
	}
	if b.Symbols[0] != startB || b.Symbols[len(b.Symbols)-2] != 55 {
		t.Fatalf("symbols %v", b.Symbols)
	}
	// An odd number of digits or letters (an alphanumeric CNPJ key) is set B too.
	if b, _ := Encode("123"); b.Symbols[0] != startB {
		t.Fatalf("odd digits: %v", b.Symbols)
	}
	if _, err := Encode("chave\n"); err == nil || !strings.Contains(err.Error(), "cannot be encoded") {
		t.Fatalf("control character: %v", err)
	}
}
