package pricetable

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/connectparts/portal/internal/apperr"
)

// Original files live under the data directory:
// price-tables/<supplier id>/<table id>-<sha256 prefix>.<csv|xlsx>.
// Uploads are first spooled to price-tables/tmp on the same file system, so
// that keeping one is a rename.
const filesDir = "price-tables"

// spooled is an upload copied to a temporary file.
type spooled struct {
	f      *os.File
	size   int64
	sha256 string
}

func (s *spooled) discard() {
	if s != nil && s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}

// spool copies r into a temporary file, hashing it, and refuses it past MaxFileBytes.
func (svc *Service) spool(r io.Reader) (*spooled, error) {
	dir := filepath.Join(svc.dataDir, filesDir, "tmp")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("pricetable: spool dir: %w", err)
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("pricetable: spool: %w", err)
	}
	sp := &spooled{f: f}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		sp.discard()
		return nil, apperr.Wrap(err, apperr.EMALFORMED, "Não foi possível receber o arquivo; envie novamente.")
	}
	if n > MaxFileBytes {
		sp.discard()
		return nil, tooLarge(n)
	}
	sp.size, sp.sha256 = n, hex.EncodeToString(h.Sum(nil))
	return sp, nil
}

func tooLarge(n int64) error {
	what := "mais de 20 MB"
	if n > MaxFileBytes+1 {
		what = strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
		what = strings.Replace(what, ".", ",", 1)
	}
	return apperr.Errorf(apperr.ETOOLARGE, "O arquivo tem %s; o limite para uma tabela de preços é de %d MB (cerca de %d mil linhas em CSV). Divida a tabela ou remova colunas desnecessárias.",
		what, MaxFileBytes>>20, MaxLines/1000)
}

// keep moves the spooled file to its permanent name and returns that name
// relative to the data directory.
func (svc *Service) keep(sp *spooled, supplierID, tableID int64, ext string) (string, error) {
	rel := path.Join(filesDir, strconv.FormatInt(supplierID, 10), fmt.Sprintf("%d-%s.%s", tableID, sp.sha256[:16], ext))
	abs := filepath.Join(svc.dataDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return "", fmt.Errorf("pricetable: keep: %w", err)
	}
	if err := sp.f.Sync(); err != nil {
		return "", fmt.Errorf("pricetable: keep: %w", err)
	}
	if err := os.Rename(sp.f.Name(), abs); err != nil {
		return "", fmt.Errorf("pricetable: keep: %w", err)
	}
	return rel, nil
}

// remove deletes a stored file; a missing file is not an error.
func (svc *Service) remove(rel string) {
	if abs, ok := svc.abs(rel); ok {
		os.Remove(abs)
	}
}

func (svc *Service) abs(rel string) (string, bool) {
	if rel == "" || !filepath.IsLocal(filepath.FromSlash(rel)) || !strings.HasPrefix(rel, filesDir+"/") {
		return "", false
	}
	return filepath.Join(svc.dataDir, filepath.FromSlash(rel)), true
}

// cleanName keeps the base name of an uploaded file, without control
// characters, at most 200 bytes.
func cleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == "/" {
		name = ""
	}
	for len(name) > 200 {
		_, size := lastRune(name)
		name = name[:len(name)-size]
	}
	return name
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0x80 || s[i] >= 0xC0 {
			return rune(s[i]), len(s) - i
		}
	}
	return 0, 1
}
