// Package cnpj validates Brazilian company registry numbers (CNPJ), in the
// numeric form and in the alphanumeric form valid since July 2026.
package cnpj

import (
	"strings"
)

// Normalize upper-cases and removes the usual punctuation (". / -" and spaces).
// Letters are kept: alphanumeric CNPJs must never lose them.
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		switch r {
		case '.', '/', '-', ' ':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	weights1 = []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	weights2 = []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
)

// Valid reports whether s (normalized or formatted) is a valid CNPJ.
func Valid(s string) bool {
	return Check(s) == ""
}

// Check returns "" for a valid CNPJ, or a Portuguese explanation of what is wrong.
func Check(s string) string {
	c := Normalize(s)
	if len(c) != 14 {
		return "o CNPJ deve ter 14 caracteres"
	}
	for i := 0; i < 12; i++ {
		ch := c[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z') {
			return "o CNPJ só pode conter letras maiúsculas e números nas 12 primeiras posições"
		}
	}
	if !isDigit(c[12]) || !isDigit(c[13]) {
		return "os dois últimos caracteres do CNPJ (dígitos verificadores) devem ser números"
	}
	if strings.Count(c, c[:1]) == 14 {
		return "CNPJ inválido"
	}
	d1 := digit(c[:12], weights1)
	d2 := digit(c[:12]+string(rune('0'+d1)), weights2)
	if int(c[12]-'0') != d1 || int(c[13]-'0') != d2 {
		return "dígitos verificadores do CNPJ não conferem"
	}
	return ""
}

func digit(base string, weights []int) int {
	sum := 0
	for i := 0; i < len(base); i++ {
		sum += int(base[i]-48) * weights[i]
	}
	r := sum % 11
	if r < 2 {
		return 0
	}
	return 11 - r
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// Format renders a normalized CNPJ as AA.AAA.AAA/AAAA-DD; other input is returned as is.
func Format(s string) string {
	c := Normalize(s)
	if len(c) != 14 {
		return s
	}
	return c[0:2] + "." + c[2:5] + "." + c[5:8] + "/" + c[8:12] + "-" + c[12:14]
}
