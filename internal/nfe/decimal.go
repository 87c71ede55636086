package nfe

import (
	"errors"
	"math/big"
	"strconv"
	"strings"

	"github.com/connectparts/portal/internal/format"
)

// Decimal is an exact, non-negative decimal number as written in an NF-e
// (the layout's TDec types: digits, optionally a point and more digits; no
// sign, no exponent, no thousands separator). It keeps the text as written,
// so that it can be shown unchanged, and compares and multiplies exactly:
// nothing goes through float64.
//
// The zero value is the number 0.
type Decimal struct {
	text     string   // as written, surrounding space trimmed
	unscaled *big.Int // the digits without the point; nil means 0
	places   int      // digits after the point
}

var (
	errDecimalEmpty  = errors.New("valor vazio")
	errDecimalSyntax = errors.New("valor não é um número decimal com ponto (ex.: 1234.56)")
)

// maxDecimalLen bounds the text of one number; the widest NF-e type, TDec_1110v,
// has 11 + 10 digits.
const maxDecimalLen = 40

// ParseDecimal parses the text of an NF-e decimal field exactly.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, errDecimalEmpty
	}
	if len(s) > maxDecimalLen {
		return Decimal{}, errDecimalSyntax
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (hasPoint && (frac == "" || !allDigits(frac))) {
		return Decimal{}, errDecimalSyntax
	}
	u, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok {
		return Decimal{}, errDecimalSyntax
	}
	return Decimal{text: s, unscaled: u, places: len(frac)}, nil
}

// MustDecimal is ParseDecimal for constants in code and tests; it panics on bad input.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic("nfe.MustDecimal(" + s + "): " + err.Error())
	}
	return d
}

// String returns the number as written in the XML ("10.0000", "49.9200000000").
func (d Decimal) String() string {
	if d.text == "" {
		return d.canonical()
	}
	return d.text
}

// Brazilian writes the number the Brazilian way: thousands with a dot,
// decimal comma, trailing zeros dropped down to minPlaces ("1234.5", 2 →
// "1.234,50"; "2.0000", 0 → "2").
func (d Decimal) Brazilian(minPlaces int) string {
	whole, frac, _ := strings.Cut(d.String(), ".")
	for len(frac) > minPlaces && strings.HasSuffix(frac, "0") {
		frac = frac[:len(frac)-1]
	}
	for len(frac) < minPlaces {
		frac += "0"
	}
	out := whole
	if n, err := strconv.ParseInt(whole, 10, 64); err == nil {
		out = format.Int(n)
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// canonical renders unscaled/places without relying on the original text.
func (d Decimal) canonical() string {
	digits := d.int().String()
	if d.places == 0 {
		return digits
	}
	if len(digits) <= d.places {
		digits = strings.Repeat("0", d.places-len(digits)+1) + digits
	}
	return digits[:len(digits)-d.places] + "." + digits[len(digits)-d.places:]
}

// MarshalText makes Decimal a JSON string with the text as written.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Places is the number of digits written after the decimal point.
func (d Decimal) Places() int { return d.places }

// IsZero reports whether the value is 0 (whatever its number of places).
func (d Decimal) IsZero() bool { return d.int().Sign() == 0 }

func (d Decimal) int() *big.Int {
	if d.unscaled == nil {
		return new(big.Int)
	}
	return d.unscaled
}

// scaled returns the value times 10^places as an integer; places must be >= d.places.
func (d Decimal) scaled(places int) *big.Int {
	v := new(big.Int).Set(d.int())
	if places > d.places {
		v.Mul(v, pow10(places-d.places))
	}
	return v
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// Cmp compares d and o by value: -1, 0 or +1 ("1.50" equals "1.5").
func (d Decimal) Cmp(o Decimal) int {
	p := max(d.places, o.places)
	return d.scaled(p).Cmp(o.scaled(p))
}

// Mul returns d × o exactly; its places are the sum of both.
func (d Decimal) Mul(o Decimal) Decimal {
	r := Decimal{unscaled: new(big.Int).Mul(d.int(), o.int()), places: d.places + o.places}
	r.text = r.canonical()
	return r
}

// Add returns d + o exactly, with the larger number of places.
func (d Decimal) Add(o Decimal) Decimal {
	p := max(d.places, o.places)
	r := Decimal{unscaled: new(big.Int).Add(d.scaled(p), o.scaled(p)), places: p}
	r.text = r.canonical()
	return r
}

// Cents returns the value in integer centavos when that is exact (no
// non-zero digit after the second decimal place) and fits in an int64.
func (d Decimal) Cents() (int64, bool) {
	v := d.int()
	if d.places <= 2 {
		v = d.scaled(2)
	} else {
		q, r := new(big.Int).QuoRem(v, pow10(d.places-2), new(big.Int))
		if r.Sign() != 0 {
			return 0, false
		}
		v = q
	}
	if !v.IsInt64() {
		return 0, false
	}
	return v.Int64(), true
}

// RoundCents returns the value in centavos rounded half up (the NF-e rule for
// vProd = qCom × vUnCom); ok is false when it does not fit in an int64.
func (d Decimal) RoundCents() (int64, bool) {
	v := d.scaled(max(d.places, 2))
	if d.places > 2 {
		div := pow10(d.places - 2)
		q, r := new(big.Int).QuoRem(v, div, new(big.Int))
		if new(big.Int).Lsh(r, 1).Cmp(div) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		v = q
	}
	if !v.IsInt64() {
		return 0, false
	}
	return v.Int64(), true
}

// Int64 returns the value as an integer when it has no fractional part
// ("10.0000" is 10); ok is false for "1.5" or values beyond int64.
func (d Decimal) Int64() (int64, bool) {
	q, r := new(big.Int).QuoRem(d.int(), pow10(d.places), new(big.Int))
	if r.Sign() != 0 || !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// WithinCent reports whether |a − b| ≤ R$ 0,01, exactly.
func WithinCent(a, b Decimal) bool {
	p := max(a.places, b.places, 2)
	diff := new(big.Int).Sub(a.scaled(p), b.scaled(p))
	return diff.Abs(diff).Cmp(pow10(p-2)) <= 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
