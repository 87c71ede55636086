// Package docstore keeps the documents people upload — price-table originals,
// shipment labels — where every instance of the portal reads them: in the
// database by default (documents cut into chunks, written in the caller's
// transaction), or in object storage when PORTAL_BLOB_URL is set. Documents
// are immutable: a key names one content for good.
//
// A key is "db:<id>" (the database), "blob:<name>" (the bucket) or, for files
// stored before issue 14 and not yet moved by `portal files migrate`, the
// path relative to PORTAL_DATA_DIR.
package docstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/store"
)

// Ref is a stored document: its key, the sha256 of its content and its size.
type Ref struct {
	Key    string
	SHA256 string
	Size   int64
}

// Documents is the database side of the store (*store.Store).
type Documents interface {
	CreateDocument(ctx context.Context, r io.Reader) (store.DocumentInfo, error)
	FindDocument(ctx context.Context, id int64) (store.DocumentInfo, error)
	DocumentChunk(ctx context.Context, id int64, seq int) ([]byte, error)
	DeleteDocument(ctx context.Context, id int64) error
}

// backend is an object store: a directory (file://) or a gocloud bucket.
type backend interface {
	put(ctx context.Context, name string, r io.Reader) error
	open(ctx context.Context, name string) (io.ReadCloser, int64, error)
	delete(ctx context.Context, name string) error
	close() error
}

const (
	dbPrefix   = "db:"
	blobPrefix = "blob:"
)

// Store puts, opens and deletes documents.
type Store struct {
	db        Documents
	blob      backend // nil: new documents go to the database
	legacyDir string  // PORTAL_DATA_DIR, where documents stored before issue 14 are read
}

// Open builds the store. blobURL empty keeps new documents in the database;
// file:///dir keeps them in a directory (written atomically); any other URL
// is opened with gocloud.dev/blob (s3://bucket?endpoint=…&region=…).
func Open(ctx context.Context, db Documents, blobURL, dataDir string) (*Store, error) {
	s := &Store{db: db, legacyDir: dataDir}
	if blobURL == "" {
		return s, nil
	}
	b, err := openBackend(ctx, blobURL)
	if err != nil {
		return nil, fmt.Errorf("docstore: PORTAL_BLOB_URL: %w", err)
	}
	s.blob = b
	return s, nil
}

// Close releases the bucket, if any.
func (s *Store) Close() error {
	if s.blob != nil {
		return s.blob.close()
	}
	return nil
}

// Put stores what r yields and returns its key, sha256 and size. In the
// database it joins the transaction of ctx: the document is there exactly when
// the caller's change commits. In a bucket it is whole or absent; a caller whose
// change fails afterwards deletes it. A full or read-only disk is ENOSPACE or
// EUNAVAILABLE with a Portuguese message.
func (s *Store) Put(ctx context.Context, r io.Reader) (Ref, error) {
	if s.blob == nil {
		doc, err := s.db.CreateDocument(ctx, r)
		if err != nil {
			return Ref{}, StorageError(err)
		}
		return Ref{Key: dbPrefix + strconv.FormatInt(doc.ID, 10), SHA256: doc.SHA256, Size: doc.Size}, nil
	}
	name, err := newName()
	if err != nil {
		return Ref{}, err
	}
	hr := &hashingReader{r: r, h: sha256.New()}
	if err := s.blob.put(ctx, name, hr); err != nil {
		return Ref{}, StorageError(err)
	}
	return Ref{Key: blobPrefix + name, SHA256: hex.EncodeToString(hr.h.Sum(nil)), Size: hr.n}, nil
}

// Open opens a document and returns its size; a missing one is ENOTFOUND.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	switch {
	case strings.HasPrefix(key, dbPrefix):
		id, err := strconv.ParseInt(strings.TrimPrefix(key, dbPrefix), 10, 64)
		if err != nil {
			return nil, 0, notFound()
		}
		doc, err := s.db.FindDocument(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		return &chunkReader{ctx: ctx, db: s.db, id: id}, doc.Size, nil
	case strings.HasPrefix(key, blobPrefix):
		if s.blob == nil {
			return nil, 0, apperr.Errorf(apperr.EUNAVAILABLE, "O documento está no armazenamento de objetos, que não está configurado nesta instância (PORTAL_BLOB_URL).")
		}
		return s.blob.open(ctx, strings.TrimPrefix(key, blobPrefix))
	}
	abs, ok := s.legacyPath(key)
	if !ok {
		return nil, 0, notFound()
	}
	f, err := os.Open(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, notFound()
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// Delete removes a document; a missing one is no error.
func (s *Store) Delete(ctx context.Context, key string) error {
	switch {
	case strings.HasPrefix(key, dbPrefix):
		id, err := strconv.ParseInt(strings.TrimPrefix(key, dbPrefix), 10, 64)
		if err != nil {
			return nil
		}
		return s.db.DeleteDocument(ctx, id)
	case strings.HasPrefix(key, blobPrefix):
		if s.blob == nil {
			return nil
		}
		return s.blob.delete(ctx, strings.TrimPrefix(key, blobPrefix))
	}
	if abs, ok := s.legacyPath(key); ok {
		if err := os.Remove(abs); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// IsLegacy reports whether key is a path under PORTAL_DATA_DIR, stored before
// documents moved to the shared store.
func IsLegacy(key string) bool {
	return key != "" && !strings.HasPrefix(key, dbPrefix) && !strings.HasPrefix(key, blobPrefix)
}

// LegacyPath returns the absolute path of a legacy key under the data directory.
func (s *Store) legacyPath(key string) (string, bool) {
	if s.legacyDir == "" || !filepath.IsLocal(filepath.FromSlash(key)) {
		return "", false
	}
	return filepath.Join(s.legacyDir, filepath.FromSlash(key)), true
}

func notFound() error {
	return apperr.Errorf(apperr.ENOTFOUND, "O arquivo não está disponível no armazenamento.")
}

func newName() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	h := hex.EncodeToString(b[:])
	return "documents/" + h[:2] + "/" + h, nil
}

type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	return n, err
}

// chunkReader reads a database document one chunk (one query) at a time.
type chunkReader struct {
	ctx context.Context
	db  Documents
	id  int64
	seq int
	buf []byte
	eof bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.eof {
			return 0, io.EOF
		}
		b, err := r.db.DocumentChunk(r.ctx, r.id, r.seq)
		if errors.Is(err, io.EOF) {
			r.eof = true
			continue
		}
		if err != nil {
			return 0, err
		}
		r.buf, r.seq = b, r.seq+1
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *chunkReader) Close() error { r.buf, r.eof = nil, true; return nil }

// New returns a store that keeps new documents in the database, reading
// legacy ones under dataDir.
func New(db Documents, dataDir string) *Store {
	return &Store{db: db, legacyDir: dataDir}
}
