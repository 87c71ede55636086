package auth

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"

	"github.com/trustelem/zxcvbn"

	"github.com/connectparts/portal/internal/apperr"
)

// MinPasswordScore is the least zxcvbn score (0–4) a password must reach:
// 3 is "safely unguessable: moderate protection from offline attacks".
const MinPasswordScore = 3

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

// portalWords are guesses an attacker of this portal tries first.
var portalWords = []string{"connectparts", "connect", "parts", "portal", "dropship", "fornecedor", "senha"}

// checkStrength refuses a common password or one the estimator finds guessable,
// saying why in Portuguese.
func checkStrength(pw, email string) error {
	weak := func(why string) error {
		return apperr.Invalid("Senha fraca.", apperr.Detail{Field: "password", Message: why})
	}
	if commonPasswords[strings.ToLower(pw)] {
		return weak("Esta senha está na lista de senhas mais usadas e é das primeiras que um invasor tenta. Escolha outra.")
	}
	inputs := append([]string{email}, portalWords...)
	if local, _, ok := strings.Cut(email, "@"); ok {
		inputs = append(inputs, local)
	}
	r := zxcvbn.PasswordStrength(pw, inputs)
	if r.Score >= MinPasswordScore {
		return nil
	}
	return weak(fmt.Sprintf("Senha fácil de adivinhar (força %d de 4; o mínimo é %d)%s. Use uma frase com palavras pouco óbvias ou misture mais caracteres.", r.Score, MinPasswordScore, weakReason(r)))
}

// weakReason names the pattern that made a password guessable.
func weakReason(r zxcvbn.Result) string {
	for _, m := range r.Sequence {
		switch m.Pattern {
		case "dictionary":
			if m.DictionaryName == "user_inputs" {
				return ": ela contém seu e-mail, seu nome ou o nome do portal"
			}
			return ": ela se baseia em uma palavra ou senha comum"
		case "repeat":
			return ": ela repete caracteres ou trechos"
		case "sequence":
			return ": ela contém uma sequência (abc, 123)"
		case "spatial":
			return ": ela segue o teclado (qwerty, asdf)"
		case "date":
			return ": ela contém uma data"
		}
	}
	return ""
}
