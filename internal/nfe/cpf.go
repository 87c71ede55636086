package nfe

// ValidCPF reports whether s is 11 digits (no punctuation, as in an NF-e)
// with correct mod-11 check digits and not one digit repeated.
func ValidCPF(s string) bool {
	if len(s) != 11 || !allDigits(s) {
		return false
	}
	same := true
	for i := 1; i < 11; i++ {
		same = same && s[i] == s[0]
	}
	if same {
		return false
	}
	for n := 9; n <= 10; n++ {
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(s[i]-'0') * (n + 1 - i)
		}
		d := sum * 10 % 11
		if d == 10 {
			d = 0
		}
		if int(s[n]-'0') != d {
			return false
		}
	}
	return true
}
