package secret_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/secret"
)

func TestLoadOrCreateIsStable(t *testing.T) {
	dir := t.TempDir()
	a, err := secret.LoadOrCreate("", dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := secret.LoadOrCreate("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || len(a) != 64 {
		t.Fatalf("secret not stable: %q %q", a, b)
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", st.Mode(), err)
	}
}

func TestBoxRoundTripAndTamper(t *testing.T) {
	keys, err := secret.Derive(strings.Repeat("k", 32))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(keys.Data, keys.SessionBlock) {
		t.Fatal("derived keys must differ")
	}
	box, _ := secret.NewBox(keys.Data)
	sealed, err := box.Seal("app-token-123")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "app-token-123") {
		t.Fatal("plaintext visible")
	}
	got, err := box.Open(sealed)
	if err != nil || got != "app-token-123" {
		t.Fatalf("Open = %q %v", got, err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := box.Open(tampered); err == nil {
		t.Fatal("tampered value decrypted")
	}
	other, _ := secret.Derive(strings.Repeat("z", 32))
	box2, _ := secret.NewBox(other.Data)
	if _, err := box2.Open(sealed); err == nil {
		t.Fatal("other key decrypted")
	}
}
