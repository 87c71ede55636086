// Package barcode draws Code 128 barcodes (the DANFE's access key) as bars
// to be rendered inline, so the page needs no image from elsewhere.
package barcode

import "fmt"

// patterns are the bar/space widths of the Code 128 symbols 0–106, in
// modules, starting with a bar; 106 is the stop symbol (with its final bar).
var patterns = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}

const (
	startB = 104
	startC = 105
	stop   = 106
	// Quiet is the blank margin on each side, in modules.
	Quiet = 10
)

// Bar is one dark bar: its left edge and width, in modules from the left
// end of the symbol (quiet zone included).
type Bar struct{ X, W int }

// Code128 is an encoded barcode.
type Code128 struct {
	Text    string
	Symbols []int // start, data, check and stop symbol values
	Bars    []Bar
	Width   int // total width in modules, both quiet zones included
}

// Encode encodes s: code set C (two digits per symbol) when s is an even
// number of digits, such as an NF-e access key, else code set B (printable
// ASCII). Characters outside ASCII 32–126 are an error.
func Encode(s string) (*Code128, error) {
	if s == "" {
		return nil, fmt.Errorf("barcode: empty text")
	}
	var syms []int
	if len(s)%2 == 0 && allDigits(s) {
		syms = append(syms, startC)
		for i := 0; i < len(s); i += 2 {
			syms = append(syms, int(s[i]-'0')*10+int(s[i+1]-'0'))
		}
	} else {
		syms = append(syms, startB)
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < 32 || c > 126 {
				return nil, fmt.Errorf("barcode: character %q cannot be encoded", c)
			}
			syms = append(syms, int(c)-32)
		}
	}
	sum := syms[0]
	for i, v := range syms[1:] {
		sum += v * (i + 1)
	}
	syms = append(syms, sum%103, stop)

	b := &Code128{Text: s, Symbols: syms}
	x := Quiet
	for _, v := range syms {
		for i, r := range patterns[v] {
			w := int(r - '0')
			if i%2 == 0 {
				b.Bars = append(b.Bars, Bar{X: x, W: w})
			}
			x += w
		}
	}
	b.Width = x + Quiet
	return b, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
