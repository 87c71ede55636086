// Package shipping holds the checks on what a supplier sends when it ships a
// purchase order: the label file (detected by content, never by name) and the
// carrier's tracking code.
package shipping

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// MaxLabelSize is the largest label file accepted (10 MiB), also the cap on
// the total uncompressed size of a ZIP's entries.
const MaxLabelSize = 10 << 20

// maxZipEntries bounds how many labels one ZIP may hold.
const maxZipEntries = 200

// Label kinds returned by DetectLabel.
const (
	KindPDF = "pdf"
	KindZPL = "zpl"
	KindZIP = "zip"
)

// Errors returned by DetectLabel; messages are in Portuguese because they are
// shown to suppliers as they are.
var (
	ErrLabelEmpty      = errors.New("a etiqueta está vazia")
	ErrLabelTooBig     = fmt.Errorf("a etiqueta passa de %d MiB", MaxLabelSize>>20)
	ErrLabelExecutable = errors.New("a etiqueta é na verdade um executável ou script")
	ErrLabelUnknown    = errors.New("a etiqueta não é PDF, ZPL nem ZIP de etiquetas")
)

// DetectLabel tells what kind of label b is, by its content only: PDF
// (%PDF-), ZPL (^XA, after optional whitespace) or a ZIP (PK) whose
// every entry is itself a PDF or ZPL label. Executables (ELF, MZ, Mach-O),
// scripts (#!) and ZIPs holding executables or other ZIPs are rejected.
func DetectLabel(b []byte) (string, error) {
	if len(b) == 0 {
		return "", ErrLabelEmpty
	}
	if len(b) > MaxLabelSize {
		return "", ErrLabelTooBig
	}
	if isExecutable(b) {
		return "", ErrLabelExecutable
	}
	if bytes.HasPrefix(b, []byte("PK")) {
		if err := checkZip(b); err != nil {
			return "", err
		}
		return KindZIP, nil
	}
	if k := singleKind(b); k != "" {
		return k, nil
	}
	return "", ErrLabelUnknown
}

func singleKind(b []byte) string {
	if bytes.HasPrefix(b, []byte("%PDF-")) {
		return KindPDF
	}
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(t, []byte("^XA")) {
		return KindZPL
	}
	return ""
}

func isExecutable(b []byte) bool {
	for _, magic := range [][]byte{
		[]byte("\x7fELF"),          // Linux
		[]byte("MZ"),               // Windows PE
		[]byte("#!"),               // scripts
		[]byte("\xfe\xed\xfa\xce"), // Mach-O 32
		[]byte("\xfe\xed\xfa\xcf"), // Mach-O 64
		[]byte("\xce\xfa\xed\xfe"),
		[]byte("\xcf\xfa\xed\xfe"),
		[]byte("\xca\xfe\xba\xbe"), // Mach-O universal / Java class
	} {
		if bytes.HasPrefix(b, magic) {
			return true
		}
	}
	return false
}

func checkZip(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("o ZIP da etiqueta está corrompido: %w", err)
	}
	if len(zr.File) == 0 {
		return errors.New("o ZIP da etiqueta não tem arquivos")
	}
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("o ZIP da etiqueta tem mais de %d arquivos", maxZipEntries)
	}
	var total int64
	labels := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name := path.Base(f.Name)
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("o ZIP da etiqueta está corrompido (%s): %w", name, err)
		}
		// Read at most what is still allowed, plus one byte to notice overflow.
		data, err := io.ReadAll(io.LimitReader(rc, MaxLabelSize-total+1))
		rc.Close()
		if err != nil {
			return fmt.Errorf("o ZIP da etiqueta está corrompido (%s): %w", name, err)
		}
		total += int64(len(data))
		if total > MaxLabelSize {
			return fmt.Errorf("o conteúdo do ZIP da etiqueta passa de %d MiB", MaxLabelSize>>20)
		}
		switch {
		case isExecutable(data):
			return fmt.Errorf("%s no ZIP é um executável ou script", name)
		case bytes.HasPrefix(data, []byte("PK")):
			return fmt.Errorf("%s no ZIP é outro ZIP; envie as etiquetas num ZIP só", name)
		case singleKind(data) == "":
			return fmt.Errorf("%s no ZIP não é uma etiqueta PDF ou ZPL", name)
		}
		labels++
	}
	if labels == 0 {
		return errors.New("o ZIP da etiqueta não tem arquivos")
	}
	return nil
}

// Carriers known to the portal.
const (
	CarrierCorreios = "correios"
	CarrierOutras   = "outras"
)

var (
	s10Re    = regexp.MustCompile(`^[A-Z]{2}[0-9]{8}[0-9][A-Z]{2}$`)
	othersRe = regexp.MustCompile(`^[A-Z0-9]{8,30}$`)
)

// CarrierLabel names a carrier key for people ("Correios", "Outra
// transportadora"); an unknown key is returned as is.
func CarrierLabel(c string) string {
	switch c {
	case CarrierCorreios:
		return "Correios"
	case CarrierOutras:
		return "Outra transportadora"
	}
	return c
}

// NormalizeCarrier maps what a user typed ("Correios", " OUTRAS ") to the
// carrier key; "" when unknown.
func NormalizeCarrier(c string) string {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case CarrierCorreios:
		return CarrierCorreios
	case CarrierOutras, "outra", "transportadora":
		return CarrierOutras
	}
	return ""
}

// NormalizeTracking upper-cases the code and removes spaces.
func NormalizeTracking(code string) string {
	return strings.ToUpper(strings.Join(strings.Fields(code), ""))
}

// S10CheckDigit computes the UPU S10 check digit of an 8-digit serial:
// weights 8,6,4,2,3,5,9,7; C = 11 − (S mod 11), 10 → 0, 11 → 5.
func S10CheckDigit(serial string) (int, error) {
	if len(serial) != 8 {
		return 0, errors.New("o número de série tem 8 dígitos")
	}
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	s := 0
	for i := range 8 {
		d := serial[i]
		if d < '0' || d > '9' {
			return 0, errors.New("o número de série tem só dígitos")
		}
		s += int(d-'0') * weights[i]
	}
	c := 11 - s%11
	switch c {
	case 10:
		c = 0
	case 11:
		c = 5
	}
	return c, nil
}

// ValidTracking checks a (normalised) tracking code against the carrier's
// format: Correios codes are S10 (two letters, 8-digit serial, check digit,
// two letters) with a correct check digit; "outras" accepts 8 to 30 letters
// and digits. The error is in Portuguese.
func ValidTracking(carrier, code string) error {
	switch NormalizeCarrier(carrier) {
	case CarrierCorreios:
		if !s10Re.MatchString(code) {
			return fmt.Errorf("código de rastreio %q não segue o padrão dos Correios (ex.: AA123456785BR)", code)
		}
		want, _ := S10CheckDigit(code[2:10])
		if int(code[10]-'0') != want {
			return fmt.Errorf("código de rastreio %q tem dígito verificador errado", code)
		}
		return nil
	case CarrierOutras:
		if !othersRe.MatchString(code) {
			return fmt.Errorf("código de rastreio %q deve ter de 8 a 30 letras ou números", code)
		}
		return nil
	}
	return fmt.Errorf("transportadora %q desconhecida (use correios ou outras)", carrier)
}

// TrackingURL is a link where the customer can follow the package; "" when
// the carrier has no public tracking page.
func TrackingURL(carrier, code string) string {
	if NormalizeCarrier(carrier) == CarrierCorreios {
		return "https://rastreamento.correios.com.br/app/index.php?objeto=" + url.QueryEscape(code)
	}
	return ""
}
