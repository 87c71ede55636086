package pdflabel_test

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"

	"github.com/connectparts/portal/internal/pdflabel"
)

// The cross-reference table points at each object and startxref at the
// table, so a strict reader opens the page; the text is in the stream.
func TestTextPageIsAWellFormedPDF(t *testing.T) {
	pdf := pdflabel.TextPage("MERCADO ENVIOS", "Envio 4000", "Rastreio ME4000")
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("header or trailer missing:\n%s", pdf)
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	at, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[at:], []byte("xref\n0 6\n")) {
		t.Fatalf("startxref %d does not point at the xref table", at)
	}
	offsets := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf, -1)
	if len(offsets) != 5 {
		t.Fatalf("%d objects in the xref table, want 5", len(offsets))
	}
	for i, o := range offsets {
		off, _ := strconv.Atoi(string(o[1]))
		if want := strconv.Itoa(i+1) + " 0 obj\n"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("object %d: offset %d points at %q", i+1, off, pdf[off:off+10])
		}
	}
	stream := regexp.MustCompile(`<< /Length (\d+) >>\nstream\n(.*)\nendstream`).FindSubmatch(pdf)
	if stream == nil || strconv.Itoa(len(stream[2])) != string(stream[1]) {
		t.Fatalf("content stream length wrong: %q", stream)
	}
	if want := "BT /F1 14 Tf 20 380 Td (MERCADO ENVIOS) Tj 0 -28 Td (Envio 4000) Tj 0 -28 Td (Rastreio ME4000) Tj ET"; string(stream[2]) != want {
		t.Fatalf("text %q, want %q", stream[2], want)
	}
}

// A sheet of two labels has two pages, each with its own text.
func TestTextPagesHasOnePagePerLabel(t *testing.T) {
	pdf := pdflabel.TextPages([]string{"Envio 1"}, []string{"Envio 2"})
	if !bytes.Contains(pdf, []byte("/Kids [4 0 R 6 0 R] /Count 2")) {
		t.Fatalf("page tree:\n%s", pdf)
	}
	for _, want := range []string{"(Envio 1) Tj", "(Envio 2) Tj"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("no %q in the PDF", want)
		}
	}
	offsets := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf, -1)
	for i, o := range offsets {
		off, _ := strconv.Atoi(string(o[1]))
		if want := strconv.Itoa(i+1) + " 0 obj\n"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("object %d: offset %d points at %q", i+1, off, pdf[off:off+10])
		}
	}
}
