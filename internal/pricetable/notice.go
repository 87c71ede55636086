package pricetable

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
)

// MaxAheadDays is how far ahead an effective date may be.
const MaxAheadDays = 365

// EarliestDate is the first effective date (midnight in São Paulo) a table
// submitted at `at` may have: the day of submission plus the notice days, in
// calendar days — a table submitted on 05/11 with 20 days' notice may take
// effect on 25/11. When the supplier has no table in force, nothing changes
// for anyone and the table may take effect on the day it is submitted.
func EarliestDate(at time.Time, noticeDays int, hasTableInForce bool) time.Time {
	day := format.Day(at)
	if !hasTableInForce || noticeDays <= 0 {
		return day
	}
	return day.AddDate(0, 0, noticeDays)
}

// EffectiveInstant is the instant a table with effective date `date`
// (midnight) starts to count, when it is fixed at `at`: the date itself, or
// `at` when the date's midnight has already passed. So a table taking effect
// "today" never changes the price in force at an instant already gone.
func EffectiveInstant(date, at time.Time) time.Time {
	if date.Before(at) {
		return at.UTC()
	}
	return date.UTC()
}

// ParseDate reads an effective date (YYYY-MM-DD from forms and the API, or
// DD/MM/YYYY) as midnight in São Paulo.
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, apperr.Invalid("Informe a data de vigência.",
			apperr.Detail{Field: field, Message: "Informe a data de vigência (AAAA-MM-DD)."})
	}
	d, err := format.ParseDate(s)
	if err != nil {
		return time.Time{}, apperr.Invalid("Data de vigência inválida.",
			apperr.Detail{Field: field, Message: fmt.Sprintf("Data inválida %q: use AAAA-MM-DD (ex.: 2026-11-25).", s)})
	}
	return d, nil
}

// CheckDate applies the notice rule to a requested effective date and returns
// the instant the table takes effect.
func CheckDate(field string, date, at time.Time, noticeDays int, hasTableInForce bool) (effective, earliest time.Time, err error) {
	earliest = EarliestDate(at, noticeDays, hasTableInForce)
	if date.Before(earliest) {
		var msg string
		if hasTableInForce && noticeDays > 0 {
			msg = fmt.Sprintf("Data de vigência recusada: a mais próxima permitida é %s (%s), pois alterações de preço exigem aviso de %d dias.",
				format.Date(earliest), earliest.Format("2006-01-02"), noticeDays)
		} else {
			msg = fmt.Sprintf("Data de vigência recusada: a data não pode estar no passado; a mais próxima permitida é %s (%s).",
				format.Date(earliest), earliest.Format("2006-01-02"))
		}
		return time.Time{}, earliest, apperr.Invalid(msg, apperr.Detail{Field: field, Message: msg})
	}
	if latest := format.Day(at).AddDate(0, 0, MaxAheadDays); date.After(latest) {
		msg := fmt.Sprintf("Data de vigência recusada: escolha uma data até %s (no máximo %d dias à frente).", format.Date(latest), MaxAheadDays)
		return time.Time{}, earliest, apperr.Invalid(msg, apperr.Detail{Field: field, Message: msg})
	}
	return EffectiveInstant(date, at), earliest, nil
}
