package shipping

import (
	"archive/zip"
	"bytes"
	"strconv"
	"strings"
	"testing"
)

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDetectLabel(t *testing.T) {
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	zpl := []byte("^XA\n^FO50,50^ADN,36,20^FDAA473124829BR^FS\n^XZ\n")
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	mz := append([]byte("MZ\x90\x00"), make([]byte, 64)...)
	big := append([]byte("%PDF-1.4\n"), make([]byte, MaxLabelSize)...)

	cases := []struct {
		name    string
		in      []byte
		want    string
		wantErr string
	}{
		{"pdf", pdf, KindPDF, ""},
		{"zpl", zpl, KindZPL, ""},
		{"zpl after whitespace", append([]byte("\r\n  "), zpl...), KindZPL, ""},
		{"zip of pdfs", zipOf(t, map[string][]byte{"etiqueta1.pdf": pdf, "etiqueta2.pdf": pdf}), KindZIP, ""},
		{"zip of pdf and zpl", zipOf(t, map[string][]byte{"a.pdf": pdf, "b.zpl": zpl}), KindZIP, ""},
		{"elf renamed .pdf", elf, "", "executável"},
		{"windows exe", mz, "", "executável"},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), "", "executável"},
		{"zip with an exe", zipOf(t, map[string][]byte{"etiqueta.pdf": pdf, "setup.exe": mz}), "", "executável"},
		{"zip with an elf named .pdf", zipOf(t, map[string][]byte{"etiqueta.pdf": elf}), "", "executável"},
		{"nested zip", zipOf(t, map[string][]byte{"inner.zip": zipOf(t, map[string][]byte{"a.pdf": pdf})}), "", "outro ZIP"},
		{"zip with text", zipOf(t, map[string][]byte{"leia.txt": []byte("olá")}), "", "não é uma etiqueta"},
		{"empty zip", zipOf(t, map[string][]byte{}), "", "não tem arquivos"},
		{"broken zip", []byte("PK\x03\x04garbage"), "", "corrompido"},
		{"empty", nil, "", "vazia"},
		{"too big", big, "", "passa de 10 MiB"},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), "", "não é PDF"},
		{"html", []byte("<html><body>label</body></html>"), "", "não é PDF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DetectLabel(c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("DetectLabel = %q, %v; want error containing %q", got, err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("DetectLabel = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// s10 builds a Correios code with the right check digit for serial.
func s10(t *testing.T, prefix, serial, suffix string) string {
	t.Helper()
	d, err := S10CheckDigit(serial)
	if err != nil {
		t.Fatal(err)
	}
	return prefix + serial + strconv.Itoa(d) + suffix
}

// wrongDigit replaces the check digit of a valid S10 code with another one.
func wrongDigit(code string) string {
	d := (int(code[10]-'0') + 1) % 10
	return code[:10] + strconv.Itoa(d) + code[11:]
}

func TestS10CheckDigit(t *testing.T) {
	cases := []struct {
		serial string
		want   int
	}{
		{"47312482", 9}, // UPU S10 worked example: S = 200, 200 mod 11 = 2, C = 9
		{"00000000", 5}, // S = 0 → C = 11 → 5
		{"00000001", 4}, // S = 7 → C = 4
		{"00000002", 8}, // S = 14, 14 mod 11 = 3 → C = 8
		{"00000010", 2}, // the 1 has weight 9: S = 9 → C = 2
		{"00300000", 0}, // S = 12, 12 mod 11 = 1 → C = 10 → 0
	}
	for _, c := range cases {
		got, err := S10CheckDigit(c.serial)
		if err != nil || got != c.want {
			t.Errorf("S10CheckDigit(%s) = %d, %v; want %d", c.serial, got, err, c.want)
		}
	}
	for _, bad := range []string{"4731248", "4731248A", ""} {
		if _, err := S10CheckDigit(bad); err == nil {
			t.Errorf("S10CheckDigit(%q) accepted", bad)
		}
	}
}

func TestValidTracking(t *testing.T) {
	good := s10(t, "AA", "47312482", "BR")
	if good != "AA473124829BR" {
		t.Fatalf("s10 = %s", good)
	}
	others := []string{
		s10(t, "QB", "12345678", "BR"),
		s10(t, "OJ", "90817263", "BR"),
		s10(t, "LB", "00000000", "BR"),
	}
	cases := []struct {
		carrier, code string
		ok            bool
	}{
		{"correios", good, true},
		{"Correios", others[0], true},
		{"correios", others[1], true},
		{"correios", others[2], true},
		{"correios", wrongDigit(good), false},
		{"correios", wrongDigit(others[0]), false},
		{"correios", "AA47312482BR", false},   // serial too short
		{"correios", "A1473124829BR", false},  // digit in the prefix
		{"correios", "AA473124829B", false},   // one-letter suffix
		{"correios", "aa473124829br", false},  // not normalised
		{"outras", "JD014600006281359", true}, // typical private carrier code
		{"outras", "12345678", true},
		{"outras", "1234567", false},
		{"outras", strings.Repeat("A", 31), false},
		{"outras", "ABC-12345", false},
		{"dhl", good, false},
		{"", good, false},
	}
	for _, c := range cases {
		err := ValidTracking(c.carrier, c.code)
		if (err == nil) != c.ok {
			t.Errorf("ValidTracking(%q, %q) = %v; want ok=%v", c.carrier, c.code, err, c.ok)
		}
	}
	if got := NormalizeTracking(" aa 473124829 br "); got != good {
		t.Errorf("NormalizeTracking = %q", got)
	}
	if got := TrackingURL("correios", good); got != "https://rastreamento.correios.com.br/app/index.php?objeto="+good {
		t.Errorf("TrackingURL = %q", got)
	}
	if got := TrackingURL("outras", "12345678"); got != "" {
		t.Errorf("TrackingURL(outras) = %q", got)
	}
}
