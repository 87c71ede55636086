// Package secret turns PORTAL_SECRET into the keys the portal needs (session
// cookies, encryption of credentials at rest) and encrypts small secrets.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Keys holds the derived keys. The master secret itself is never used directly.
type Keys struct {
	SessionHash  []byte // HMAC key of session cookies
	SessionBlock []byte // AES key of session cookies
	Data         []byte // AES-256-GCM key of secrets stored in the database
}

// LoadOrCreate returns master when set; otherwise it reads, or creates once,
// a random secret in dataDir/secret.key (mode 0600).
func LoadOrCreate(master, dataDir string) (string, error) {
	if master != "" {
		return master, nil
	}
	path := filepath.Join(dataDir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return "", fmt.Errorf("%s está corrompido (menos de 32 caracteres)", path)
		}
		return s, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	s := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process won the race
			return LoadOrCreate("", dataDir)
		}
		return "", err
	}
	defer f.Close()
	if _, err := f.WriteString(s + "\n"); err != nil {
		return "", err
	}
	return s, f.Sync()
}

// Derive expands the master secret into independent keys.
func Derive(master string) (Keys, error) {
	if len(master) < 32 {
		return Keys{}, errors.New("o segredo deve ter pelo menos 32 caracteres")
	}
	k := func(info string, n int) ([]byte, error) {
		return hkdf.Key(sha256.New, []byte(master), []byte("connectparts-portal"), info, n)
	}
	var keys Keys
	var err error
	if keys.SessionHash, err = k("session-hash", 64); err != nil {
		return keys, err
	}
	if keys.SessionBlock, err = k("session-block", 32); err != nil {
		return keys, err
	}
	if keys.Data, err = k("data-at-rest", 32); err != nil {
		return keys, err
	}
	return keys, nil
}

// Box encrypts and decrypts small values (platform credentials, webhook secrets).
type Box struct{ aead cipher.AEAD }

// NewBox builds a Box from a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

const prefix = "v1:"

// Seal encrypts plaintext into "v1:<base64(nonce|ciphertext)>".
func (b *Box) Seal(plaintext string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(plaintext), nil)
	return prefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value produced by Seal.
func (b *Box) Open(sealed string) (string, error) {
	if !strings.HasPrefix(sealed, prefix) {
		return "", errors.New("valor cifrado em formato desconhecido")
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, prefix))
	if err != nil {
		return "", err
	}
	ns := b.aead.NonceSize()
	if len(raw) < ns {
		return "", errors.New("valor cifrado truncado")
	}
	pt, err := b.aead.Open(nil, raw[:ns], raw[ns:], nil)
	if err != nil {
		return "", errors.New("não foi possível decifrar: a chave PORTAL_SECRET mudou ou o valor foi adulterado")
	}
	return string(pt), nil
}
