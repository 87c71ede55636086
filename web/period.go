package web

import (
	"strings"
	"time"

	"github.com/connectparts/portal/internal/format"
)

// dayPeriod reads a list's "de" and "até" filters (DD/MM/AAAA or the date
// input's AAAA-MM-DD, São Paulo days): from is the start of its day, to the
// start of the day after (so that "até" includes the whole day). msg is the
// Portuguese message for dates it could not read, "" when both are fine.
func dayPeriod(fromText, toText string) (from, to *time.Time, msg string) {
	var bad []string
	if fromText != "" {
		if t, err := format.ParseDate(fromText); err == nil {
			from = &t
		} else {
			bad = append(bad, "a data inicial")
		}
	}
	if toText != "" {
		if t, err := format.ParseDate(toText); err == nil {
			end := t.AddDate(0, 0, 1)
			to = &end
		} else {
			bad = append(bad, "a data final")
		}
	}
	if len(bad) > 0 {
		msg = "Não entendi " + strings.Join(bad, " e ") + ": use o formato DD/MM/AAAA."
	}
	return from, to, msg
}
