package format

import (
	"testing"
	"time"
)

func TestPercentAndDuration(t *testing.T) {
	for in, want := range map[float64]string{85: "85 %", 87.5: "87,5 %", 100: "100 %", 0: "0 %", 66.6666: "66,7 %"} {
		if got := Percent(in); got != want {
			t.Errorf("Percent(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[time.Duration]string{
		45 * time.Minute: "45 min", 3*time.Hour + 20*time.Minute: "3 h 20 min", 5 * time.Hour: "5 h",
		52 * time.Hour: "2 d 4 h", 48 * time.Hour: "2 d", -90 * time.Minute: "-1 h 30 min",
	} {
		if got := Duration(in); got != want {
			t.Errorf("Duration(%v) = %q, want %q", in, got, want)
		}
	}
}
