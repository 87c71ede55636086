// Package auth handles credentials: password hashing and policy, login with
// throttling, browser sessions and API tokens.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/connectparts/portal/internal/apperr"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// CheckPasswordPolicy returns a Portuguese explanation when pw is not acceptable.
func CheckPasswordPolicy(pw, email string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return apperr.Invalid("Senha fraca.", apperr.Detail{Field: "password", Message: "A senha deve ter pelo menos 10 caracteres."})
	case len(pw) > 72:
		return apperr.Invalid("Senha longa demais.", apperr.Detail{Field: "password", Message: "A senha deve ter no máximo 72 bytes."})
	case email != "" && strings.EqualFold(pw, email):
		return apperr.Invalid("Senha fraca.", apperr.Detail{Field: "password", Message: "A senha não pode ser igual ao e-mail."})
	case strings.Count(pw, pw[:1]) == len(pw):
		return apperr.Invalid("Senha fraca.", apperr.Detail{Field: "password", Message: "A senha não pode repetir um único caractere."})
	}
	return checkStrength(pw, email)
}

// Hasher hashes passwords with bcrypt at a fixed cost.
type Hasher struct{ Cost int }

// Hash returns the bcrypt hash of pw.
func (h Hasher) Hash(pw string) (string, error) {
	cost := h.Cost
	if cost == 0 {
		cost = 12
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	return string(b), err
}

// Verify reports whether pw matches hash.
func (h Hasher) Verify(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random 16-character password without look-alike characters.
func GeneratePassword() string {
	var b strings.Builder
	max := big.NewInt(int64(len(passwordAlphabet)))
	for i := 0; i < 16; i++ {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b.WriteByte(passwordAlphabet[n.Int64()])
	}
	return b.String()
}

// randomToken returns n random bytes, hex-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// HashToken is how session and API tokens are stored: SHA-256, hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
