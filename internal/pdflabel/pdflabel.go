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
func TextPage(lines ...string) []byte { return TextPages(lines) }

// TextPages is a PDF of one page per element of pages, each drawn as
// TextPage draws its lines (a sheet of several labels).
func TextPages(pages ...[]string) []byte {
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	for i, lines := range pages {
		var text strings.Builder
		text.WriteString("BT /F1 14 Tf 20 380 Td")
		for j, l := range lines {
			if j > 0 {
				text.WriteString(" 0 -28 Td")
			}
			text.WriteString(" (" + l + ") Tj")
		}
		text.WriteString(" ET")
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 283 425] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.String()))
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
