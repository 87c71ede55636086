package format

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Percent writes a rate in percent the Brazilian way, one decimal when it
// is not whole: "85 %", "87,5 %".
func Percent(p float64) string {
	r := math.Round(p*10) / 10
	s := strconv.FormatFloat(r, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " %"
}

// Duration writes a span of time for people: "45 min", "3 h 20 min",
// "2 d 4 h"; negative spans carry a minus sign.
func Duration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return sign + strconv.FormatInt(m, 10) + " min"
	case m < 24*60:
		s := sign + strconv.FormatInt(m/60, 10) + " h"
		if m%60 != 0 {
			s += " " + strconv.FormatInt(m%60, 10) + " min"
		}
		return s
	}
	h := (m + 30) / 60
	s := sign + strconv.FormatInt(h/24, 10) + " d"
	if h%24 != 0 {
		s += " " + strconv.FormatInt(h%24, 10) + " h"
	}
	return s
}

// ISODate is t's São Paulo calendar day as YYYY-MM-DD (the lists' date
// filters, HTML date inputs).
func ISODate(t time.Time) string { return t.In(Location).Format("2006-01-02") }
