package auth_test

import (
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
)

func TestWeakPasswordsRefusedWithReason(t *testing.T) {
	cases := []struct{ pw, why string }{
		{"senha123456", "lista de senhas mais usadas"},
		{"Flamengo123", "lista de senhas mais usadas"},
		{"Senha@2026", "lista de senhas mais usadas"},
		{"qwertyuiop", "lista de senhas mais usadas"},
		{"ana.souza.1990", "seu e-mail"},
		{"ConnectParts2027", "nome do portal"},
		{"abcdefabcdefabc", "fácil de adivinhar"},
		{"aaaaaaaaab", "fácil de adivinhar"},
	}
	for _, c := range cases {
		err := auth.CheckPasswordPolicy(c.pw, "ana.souza@fornecedor.example")
		if !apperr.Is(err, apperr.EINVALID) {
			t.Errorf("%q accepted", c.pw)
			continue
		}
		if msg := apperr.Details(err)[0].Message; !strings.Contains(msg, c.why) {
			t.Errorf("%q: message %q does not say %q", c.pw, msg, c.why)
		}
	}
}

func TestStrongPasswordsAccepted(t *testing.T) {
	for _, pw := range []string{"senha-forte-123", "minha-senha-nova", "cavalo correto bateria grampo", "Tr0ub4dor&3-x"} {
		if err := auth.CheckPasswordPolicy(pw, "ana@connectparts.com.br"); err != nil {
			t.Errorf("%q refused: %v", pw, apperr.Details(err))
		}
	}
	for i := 0; i < 50; i++ { // generated passwords always pass
		if pw := auth.GeneratePassword(); auth.CheckPasswordPolicy(pw, "ana@connectparts.com.br") != nil {
			t.Fatalf("generated %q refused", pw)
		}
	}
}
