package platform

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
)

// ErrDecimal is returned by CentsFromDecimal for text that is not an exact
// amount of centavos.
var ErrDecimal = errors.New("valor decimal inválido")

// CentsFromDecimal converts the text of a JSON number in reais ("129.95",
// "50", "1.2E+2") into centavos exactly, never through float64.
//
// Platforms that serialise amounts from binary floats sometimes send artefacts
// such as "14.290000000000001" or "14.289999999999999": digits beyond the
// centavos are accepted when they are all zeros, or when they start with at
// least seven zeros or seven nines (then the value is rounded to the nearest
// centavo). Any other third decimal is an error: it is not an amount of money.
func CentsFromDecimal(s string) (int64, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > 30 || e < -30 {
			return 0, ErrDecimal
		}
		mant, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) || (strings.Contains(mant, ".") && frac == "") {
		return 0, ErrDecimal
	}
	// Shift the decimal point by the exponent, working on the digit string.
	digits := intPart + frac
	point := len(intPart) + exp
	for point < 0 {
		digits = "0" + digits
		point++
	}
	for point > len(digits) {
		digits += "0"
	}
	whole, rest := digits[:point], digits[point:]
	for len(rest) < 2 {
		rest += "0"
	}
	cents, extra := rest[:2], rest[2:]
	roundUp := false
	switch {
	case strings.Trim(extra, "0") == "":
	case strings.HasPrefix(extra, "0000000"):
	case strings.HasPrefix(extra, "9999999"):
		roundUp = true
	default:
		return 0, ErrDecimal
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 15 {
		return 0, ErrDecimal
	}
	v, err := strconv.ParseInt(whole+cents, 10, 64)
	if whole == "" {
		v, err = strconv.ParseInt(cents, 10, 64)
	}
	if err != nil {
		return 0, ErrDecimal
	}
	if roundUp {
		v++
	}
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// DigitsOnly keeps the ASCII digits of s ("22630-011" → "22630011").
func DigitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// NormalizeDocument removes the punctuation of a CPF or CNPJ; letters of
// alphanumeric CNPJs are kept (upper-cased).
func NormalizeDocument(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DocumentPersonType guesses PF/PJ from a normalized document: 11 digits is a
// CPF, 14 characters a CNPJ; "" when neither.
func DocumentPersonType(doc string) model.PersonType {
	switch {
	case len(doc) == 11 && allDigits(doc):
		return model.PersonIndividual
	case len(doc) == 14 && cnpj.Normalize(doc) == doc:
		return model.PersonCompany
	}
	return ""
}

// NormalizeCountry turns the country spellings platforms use for Brazil
// ("BRA", "BR", "Brasil", "Brazil") into "BR"; other values are upper-cased.
func NormalizeCountry(s string) string {
	switch u := strings.ToUpper(strings.TrimSpace(s)); u {
	case "BRA", "BR", "BRASIL", "BRAZIL":
		return "BR"
	default:
		return u
	}
}

var stateByName = map[string]string{
	"acre": "AC", "alagoas": "AL", "amapa": "AP", "amazonas": "AM", "bahia": "BA",
	"ceara": "CE", "distrito federal": "DF", "espirito santo": "ES", "goias": "GO",
	"maranhao": "MA", "mato grosso": "MT", "mato grosso do sul": "MS", "minas gerais": "MG",
	"para": "PA", "paraiba": "PB", "parana": "PR", "pernambuco": "PE", "piaui": "PI",
	"rio de janeiro": "RJ", "rio grande do norte": "RN", "rio grande do sul": "RS",
	"rondonia": "RO", "roraima": "RR", "santa catarina": "SC", "sao paulo": "SP",
	"sergipe": "SE", "tocantins": "TO",
}

// StateUF returns the two-letter UF for a state given as a UF ("rj"), an ISO
// 3166-2 code ("BR-RJ") or a name ("Rio de Janeiro", "São Paulo"); s itself,
// trimmed, when it is none of these.
func StateUF(s string) string {
	t := strings.TrimSpace(s)
	u := strings.ToUpper(t)
	u = strings.TrimPrefix(u, "BR-")
	if len(u) == 2 {
		for _, uf := range stateByName {
			if uf == u {
				return u
			}
		}
	}
	if uf, ok := stateByName[Fold(t)]; ok {
		return uf
	}
	return t
}

var foldAccents = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ã", "a", "ä", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "õ", "o", "ö", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ç", "c", "ñ", "n",
)

// Fold lower-cases s and removes the accents of Portuguese ("São Paulo" →
// "sao paulo"), for comparing free text.
func Fold(s string) string {
	return foldAccents.Replace(strings.ToLower(strings.TrimSpace(s)))
}

// ParseTime reads a platform timestamp in RFC 3339 (VTEX
// "2019-08-12T20:54:23.7153839Z", "2024-02-04T20:09:43.899958+00:00"; Mercado
// Livre "2022-04-08T17:01:30.000-04:00") into UTC; zero when empty or
// unreadable.
func ParseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
