// Package format renders values the Brazilian way: money as R$ 1.234,56 and
// times as 25/11/2026 14:05 in America/Sao_Paulo.
package format

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone database travels with the binary; servers may lack /usr/share/zoneinfo
)

// Location is America/Sao_Paulo, where every time is shown.
var Location = mustLoad("America/Sao_Paulo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Money formats integer centavos as "R$ 1.234,56" (negative as "R$ -1.234,56").
func Money(cents int64) string {
	return "R$ " + Decimal(cents)
}

// Decimal formats integer centavos as "1.234,56" without currency.
func Decimal(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = uint64(-cents)
	}
	s := groupThousands(strconv.FormatUint(u/100, 10)) + "," + pad2(u%100)
	if neg {
		return "-" + s
	}
	return s
}

// Int formats an integer with a thousands dot: 12.345.
func Int(n int64) string {
	if n < 0 {
		return "-" + groupThousands(strconv.FormatInt(-n, 10))
	}
	return groupThousands(strconv.FormatInt(n, 10))
}

// Plural writes a count with its noun: "1 linha", "1.234 linhas".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Int(int64(n)) + " " + many
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	pre := len(digits) % 3
	if pre > 0 {
		b.WriteString(digits[:pre])
	}
	for i := pre; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func pad2(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// DateTime formats t as 25/11/2026 14:05 in São Paulo time; the zero time is "—".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Location).Format("02/01/2006 15:04")
}

// Date formats t as 25/11/2026 in São Paulo time.
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Location).Format("02/01/2006")
}

// DateTimePtr is DateTime for optional times.
func DateTimePtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return DateTime(*t)
}

// Day returns midnight, in São Paulo, of the calendar day of t there.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Location)
}

// ParseDate reads a YYYY-MM-DD (HTML date input) or DD/MM/YYYY date as midnight in São Paulo.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, Location); err == nil {
		return t, nil
	}
	return time.ParseInLocation("02/01/2006", s, Location)
}

// YesNo is a boolean as the pages and exports write it: "Sim" or "Não".
func YesNo(b bool) string {
	if b {
		return "Sim"
	}
	return "Não"
}

// ActiveLabel is a record's state: "Ativo" or "Inativo".
func ActiveLabel(b bool) string {
	if b {
		return "Ativo"
	}
	return "Inativo"
}
