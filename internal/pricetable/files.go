package pricetable

import (
	"context"
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
	"github.com/connectparts/portal/internal/docstore"
)

// Original files are kept in the document store (internal/docstore), which
// every instance reads; price_tables.file_path holds the document's key.
// Uploads are first spooled to price-tables/tmp under the local data
// directory, where they are parsed; the spool is scratch space only.
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
		return nil, docstore.StorageError(fmt.Errorf("pricetable: spool dir: %w", err))
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, docstore.StorageError(fmt.Errorf("pricetable: spool: %w", err))
	}
	sp := &spooled{f: f}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		sp.discard()
		if serr := docstore.StorageError(err); serr != err {
			return nil, serr
		}
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

// keep stores the spooled file in the document store, in the transaction
// of ctx when the store is the database, and returns its key.
func (svc *Service) keep(ctx context.Context, sp *spooled) (string, error) {
	ref, err := svc.docs.Put(ctx, io.NewSectionReader(sp.f, 0, sp.size))
	if err != nil {
		return "", err
	}
	if ref.SHA256 != sp.sha256 {
		return "", fmt.Errorf("pricetable: keep: stored sha256 %s differs from the upload's %s", ref.SHA256, sp.sha256)
	}
	return ref.Key, nil
}

// remove deletes a stored file; a missing file is not an error.
func (svc *Service) remove(ctx context.Context, key string) {
	if key == "" {
		return
	}
	_ = svc.docs.Delete(context.WithoutCancel(ctx), key)
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
