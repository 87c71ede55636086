package nfe

import "fmt"

// KeyLen is the length of an NF-e access key (chave de acesso).
const KeyLen = 44

// KeyParts are the fields an access key is made of, as written in it.
type KeyParts struct {
	UF           string // cUF, 2 digits (IBGE state code)
	YearMonth    string // AAMM of the issue date
	Issuer       string // CNPJ (alphanumeric allowed), or "000" + CPF
	Model        string // mod, 2 digits
	Series       string // serie, 3 digits
	Number       string // nNF, 9 digits
	EmissionType string // tpEmis, 1 digit
	Code         string // cNF, 8 digits
	CheckDigit   string // cDV, 1 digit
}

// SplitKey checks the shape of a 44-character key — digits everywhere except
// the issuer's CNPJ, whose first twelve characters may be letters A–Z — and
// returns its parts. It does not check the check digit (see KeyCheckDigit).
func SplitKey(key string) (KeyParts, bool) {
	if len(key) != KeyLen {
		return KeyParts{}, false
	}
	for i := 0; i < KeyLen; i++ {
		c := key[i]
		digit := c >= '0' && c <= '9'
		letterOK := i >= 6 && i < 18 && c >= 'A' && c <= 'Z'
		if !digit && !letterOK {
			return KeyParts{}, false
		}
	}
	return KeyParts{
		UF: key[0:2], YearMonth: key[2:6], Issuer: key[6:20], Model: key[20:22], Series: key[22:25],
		Number: key[25:34], EmissionType: key[34:35], Code: key[35:43], CheckDigit: key[43:44],
	}, true
}

// KeyCheckDigit computes the check digit (cDV) of the first 43 characters of
// an access key: weights 2..9 repeated from the right, each character worth
// its ASCII code minus 48 (so letters of an alphanumeric CNPJ count too);
// r = sum mod 11; the digit is 0 when r < 2, else 11 − r. It returns -1 when
// first43 is not 43 characters long.
func KeyCheckDigit(first43 string) int {
	if len(first43) != KeyLen-1 {
		return -1
	}
	sum, w := 0, 2
	for i := len(first43) - 1; i >= 0; i-- {
		sum += (int(first43[i]) - 48) * w
		if w++; w > 9 {
			w = 2
		}
	}
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// CheckKey returns "" for a well-formed key with a correct check digit, or a
// Portuguese explanation of what is wrong with it.
func CheckKey(key string) string {
	if _, ok := SplitKey(key); !ok {
		return fmt.Sprintf("chave de acesso %q inválida: são 44 caracteres, só números (e letras maiúsculas no CNPJ)", key)
	}
	if want := KeyCheckDigit(key[:KeyLen-1]); int(key[KeyLen-1]-'0') != want {
		return fmt.Sprintf("dígito verificador da chave é %c, esperado %d", key[KeyLen-1], want)
	}
	return ""
}
