package views

import "testing"

func TestFmtPhones(t *testing.T) {
	for in, want := range map[string]string{
		"+5548966862223":             "(48) 96686-2223",
		"+5511964442659, 1133334444": "(11) 96444-2659, (11) 3333-4444",
		"(21) 2222-3333":             "(21) 2222-3333",
		"":                           "—",
		"+351 912 345 678":           "+351 912 345 678",
		"5511964442659":              "(11) 96444-2659",
	} {
		if got := fmtPhones(in); got != want {
			t.Errorf("fmtPhones(%q) = %q, want %q", in, got, want)
		}
	}
}
