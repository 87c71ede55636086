package format_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/format"
)

func TestMoney(t *testing.T) {
	tests := map[int64]string{
		0:          "R$ 0,00",
		5:          "R$ 0,05",
		123456:     "R$ 1.234,56",
		100:        "R$ 1,00",
		-123456:    "R$ -1.234,56",
		123456789:  "R$ 1.234.567,89",
		1000000000: "R$ 10.000.000,00",
	}
	for in, want := range tests {
		if got := format.Money(in); got != want {
			t.Errorf("Money(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestDateTimeInSaoPaulo(t *testing.T) {
	utc := time.Date(2026, 11, 25, 17, 5, 0, 0, time.UTC)
	if got := format.DateTime(utc); got != "25/11/2026 14:05" {
		t.Fatalf("DateTime = %q", got)
	}
	if got := format.Date(time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)); got != "25/11/2026" {
		t.Fatalf("Date near midnight = %q", got)
	}
	d, err := format.ParseDate("15/12/2026")
	if err != nil || d.Format("2006-01-02") != "2026-12-15" {
		t.Fatalf("ParseDate = %v %v", d, err)
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 linhas", 1: "1 linha", 2: "2 linhas", 1234: "1.234 linhas"} {
		if got := format.Plural(n, "linha", "linhas"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDayIsMidnightInSaoPaulo(t *testing.T) {
	// 02:30 UTC on 26/11 is still 25/11 (23:30) in São Paulo.
	got := format.Day(time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC))
	if want := time.Date(2026, 11, 25, 0, 0, 0, 0, format.Location); !got.Equal(want) || got.Location() != format.Location {
		t.Fatalf("Day = %v, want %v", got, want)
	}
}
