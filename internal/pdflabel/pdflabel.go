// Package pdflabel writes the smallest valid PDF a label printer or browser
// opens: one 10 × 15 cm page of Helvetica text lines. The demo's supplier
// labels and the Mercado Livre double's labels are drawn with it.
package pdflabel

import (
	"fmt"
	"strings"
)

// TextPage is a one-page PDF showing lines from the top, 28 pt apart. The
// lines must not contain parentheses or backslashes (PDF string syntax).
func TextPage(lines ...string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 14 Tf 20 380 Td")
	for i, l := range lines {
		if i > 0 {
			text.WriteString(" 0 -28 Td")
		}
		text.WriteString(" (" + l + ") Tj")
	}
	text.WriteString(" ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 283 425] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.String()),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}
