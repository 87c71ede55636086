package tabular

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decimal rules used by ParseCentavos and ParseQuantity for text typed by
// people (CSV cells and XLSX text cells). Brazilian use comes first: "." is
// the thousands separator and "," the decimal separator; US formatting is
// honoured only where it cannot be misread.
//
//  1. Both "." and "," present: the one that appears last is the decimal
//     separator and appears once; the other separates thousands, in groups
//     of exactly three digits ("1.234,56" and "1,234.56" are both 1234.56).
//  2. Only one kind of separator, appearing more than once: thousands
//     separators, no decimals ("1.234.567").
//  3. A single "," is always the decimal separator ("1234,56", "1,5").
//  4. A single "." followed by exactly three digits, with one to three
//     digits before it not starting with 0, is a thousands separator
//     ("1.234" = 1234, "12.500" = 12500). Any other single "." is the
//     decimal separator ("1.23", "12.5", "1234.56", "0.125").
//  5. Decimal places beyond what the value allows (two for money, none for
//     quantities) are accepted only when they are zeros ("12,5000" = 12,50;
//     "10,000" as a quantity = 10).
//
// Surrounding spaces are ignored, a leading "R$" is ignored for money, a
// leading "-" makes the value negative (rejected unless it is zero). No other
// characters are accepted (no spaces inside the number, no "+", no
// exponents).
//
// Numbers stored as numbers in an XLSX cell do not follow these rules: they
// arrive as the raw XML text ("12.5", "1234.5600000000001", "1E-3"), where
// "." is always the decimal point. Use ParseCentavosNumber/ParseQuantityNumber
// for them, or simply Row.Centavos/Row.Quantity which choose by cell type.

const maxShownInput = 40

func quoteInput(s string) string {
	if len(s) > maxShownInput {
		cut := maxShownInput
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

// field describes the Portuguese wording used in the messages of one kind of
// value.
type field struct {
	name     string // "preço", "quantidade"
	feminine bool
	absent   string // "preço ausente"
	negative string // "preço negativo"
}

var (
	priceField    = field{"preço", false, "preço ausente", "preço negativo"}
	quantityField = field{"quantidade", true, "quantidade ausente", "quantidade negativa"}
)

func (f field) err(kind error, input string) error {
	q := quoteInput(input)
	var msg string
	switch {
	case kind == ErrEmpty:
		msg = f.absent
	case kind == ErrNegative:
		msg = f.negative
	case kind == ErrPrecision:
		msg = fmt.Sprintf("%s com mais de duas casas decimais: %s", f.name, q)
	case kind == ErrFraction:
		msg = fmt.Sprintf("%s fracionada não é permitida: %s", f.name, q)
	case f.feminine && kind == ErrInvalid:
		msg = fmt.Sprintf("%s inválida: %s", f.name, q)
	case kind == ErrInvalid:
		msg = fmt.Sprintf("%s inválido: %s", f.name, q)
	default: // ErrOverflow
		msg = fmt.Sprintf("%s grande demais: %s", f.name, q)
	}
	return &valueError{kind: kind, msg: msg}
}

// ParseCentavos parses a money amount written by a person into integer
// centavos, exactly (never through float64), following the decimal rules
// above. "0" returns 0, nil: whether zero is acceptable is the caller's call.
//
// Errors (test with errors.Is): ErrEmpty ("preço ausente"), ErrInvalid
// ("preço inválido: \"abc\""), ErrNegative ("preço negativo"), ErrPrecision
// ("preço com mais de duas casas decimais: ..."), ErrOverflow.
func ParseCentavos(s string) (int64, error) {
	return parseText(s, 2, priceField)
}

// ParseQuantity parses a non-negative integer quantity written by a person:
// "10", "1.000" (thousands), "10,0" and "10,00" are accepted; fractions such
// as "1,5" or "2.25" are rejected with ErrFraction. Other errors: ErrEmpty,
// ErrInvalid, ErrNegative, ErrOverflow.
func ParseQuantity(s string) (int64, error) {
	return parseText(s, 0, quantityField)
}

// ParseCentavosNumber parses the raw text of a cell stored as a number in an
// XLSX file ("12.5", "1234.5600000000001", "1.5E-2"), where "." is always the
// decimal point. Binary floating point artefacts are rounded away: digits
// beyond the centavos are ignored when they are within 1e-9 of a whole
// centavo (seven zeros or nines after the centavos digit), or when they lie
// beyond the 15th significant digit, which float64 cannot represent anyway.
// Anything else with more than two decimals is ErrPrecision.
func ParseCentavosNumber(s string) (int64, error) {
	return parseNumber(s, 2, priceField)
}

// ParseQuantityNumber is ParseCentavosNumber for quantities: the value must be
// an integer, up to floating point artefacts ("9.9999999999999982" = 10).
func ParseQuantityNumber(s string) (int64, error) {
	return parseNumber(s, 0, quantityField)
}

// parseText implements the text rules for a value with the given number of
// decimal places allowed.
func parseText(in string, places int, f field) (int64, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return 0, f.err(ErrEmpty, in)
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, strings.TrimSpace(s[1:])
	}
	if places > 0 && len(s) >= 2 && (s[0] == 'R' || s[0] == 'r') && s[1] == '$' {
		s = strings.TrimSpace(s[2:])
		if !neg && s != "" && s[0] == '-' {
			neg, s = true, strings.TrimSpace(s[1:])
		}
	}
	intPart, frac, ok := splitLocalized(s)
	if !ok {
		return 0, f.err(ErrInvalid, in)
	}
	v, kind := scale(intPart, frac, places)
	if kind != nil {
		if kind == ErrPrecision && places == 0 {
			kind = ErrFraction
		}
		return 0, f.err(kind, in)
	}
	if neg && v != 0 {
		return 0, f.err(ErrNegative, in)
	}
	return v, nil
}

// splitLocalized returns the integer and fraction digits of s according to
// the rules documented above, or ok=false when s is not a number.
func splitLocalized(s string) (intPart, frac string, ok bool) {
	if s == "" {
		return "", "", false
	}
	dots, commas := 0, 0
	lastDot, lastComma := -1, -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.':
			dots++
			lastDot = i
		case c == ',':
			commas++
			lastComma = i
		default:
			return "", "", false
		}
	}
	switch {
	case dots == 0 && commas == 0:
		return s, "", true
	case dots > 0 && commas > 0:
		decPos, thou := lastComma, byte('.')
		if lastDot > lastComma {
			decPos, thou = lastDot, ','
		}
		// The decimal separator must appear exactly once.
		if (thou == '.' && commas != 1) || (thou == ',' && dots != 1) {
			return "", "", false
		}
		intPart, ok = ungroup(s[:decPos], thou)
		frac = s[decPos+1:]
		if !ok || frac == "" || !allDigits(frac) {
			return "", "", false
		}
		return intPart, frac, true
	case dots > 1:
		intPart, ok = ungroup(s, '.')
		return intPart, "", ok
	case commas > 1:
		intPart, ok = ungroup(s, ',')
		return intPart, "", ok
	}
	// A single separator.
	pos := lastComma
	if dots == 1 {
		pos = lastDot
	}
	before, after := s[:pos], s[pos+1:]
	if after == "" {
		return "", "", false
	}
	if dots == 1 && len(after) == 3 && len(before) >= 1 && len(before) <= 3 && before[0] != '0' {
		return before + after, "", true // rule 4: "1.234" is one thousand two hundred...
	}
	if before == "" {
		before = "0" // ",50" or ".5"
	}
	return before, after, true
}

// ungroup removes thousands separators, checking groups of three digits.
func ungroup(s string, sep byte) (string, bool) {
	groups := strings.Split(s, string(sep))
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scale returns intPart.frac * 10^places as an int64. Extra decimal places
// must be zeros.
func scale(intPart, frac string, places int) (int64, error) {
	for len(frac) > places && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) > places {
		return 0, ErrPrecision
	}
	digits := strings.TrimLeft(intPart, "0") + frac + strings.Repeat("0", places-len(frac))
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return 0, nil
	}
	if len(digits) > 19 {
		return 0, ErrOverflow
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, ErrOverflow
	}
	return v, nil
}

// parseNumber parses XML/Go float syntax: [-]digits[.digits][(e|E)[+-]digits]
// exactly, scaling by 10^places and tolerating float artefacts.
func parseNumber(in string, places int, f field) (int64, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return 0, f.err(ErrEmpty, in)
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg, s = s[0] == '-', s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 400 || e < -400 {
			return 0, f.err(ErrInvalid, in)
		}
		exp = e
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if (intPart == "" && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return 0, f.err(ErrInvalid, in)
	}
	// value = digits * 10^(exp - len(frac)); we want value * 10^places.
	digits := strings.TrimLeft(intPart+frac, "0")
	shift := exp - len(frac) + places
	var whole, rest string // whole: integer digits of the scaled value; rest: digits after its point
	switch {
	case digits == "":
		return 0, nil
	case shift >= 0:
		if len(digits)+shift > 19 {
			return 0, f.err(ErrOverflow, in)
		}
		whole = digits + strings.Repeat("0", shift)
	case -shift >= len(digits):
		rest = strings.Repeat("0", -shift-len(digits)) + digits
	default:
		whole, rest = digits[:len(digits)+shift], digits[len(digits)+shift:]
	}
	if len(whole) > 19 {
		return 0, f.err(ErrOverflow, in)
	}
	var v int64
	if whole != "" {
		var err error
		if v, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, f.err(ErrOverflow, in)
		}
	}
	if rest != "" {
		// Digits of rest that must be all zeros (round down) or all nines
		// (round up): a tolerance of 1e-9 units (1e-9 reais = 1e-7 centavos,
		// so 7 digits for money, 9 for quantities), but never beyond the
		// 15th significant digit of the number.
		check := 9 - places
		if sig := len(whole); sig+check > 15 {
			check = max(15-sig, 0)
		}
		head := rest
		if len(head) < check {
			head += strings.Repeat("0", check-len(head))
		}
		head = head[:check]
		switch {
		case strings.Trim(head, "0") == "" && (check > 0 || rest[0] < '5'):
			// round down
		case strings.Trim(head, "9") == "" && (check > 0 || rest[0] >= '5'):
			if v == 1<<63-1 {
				return 0, f.err(ErrOverflow, in)
			}
			v++
		default:
			kind := ErrPrecision
			if places == 0 {
				kind = ErrFraction
			}
			return 0, f.err(kind, in)
		}
	}
	if neg && v != 0 {
		return 0, f.err(ErrNegative, in)
	}
	return v, nil
}
