package docstore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// dirBackend keeps documents as files under root (PORTAL_BLOB_URL=file:///…,
// e.g. a shared NFS mount). Each is written whole or not at all: to a
// temporary name in its final directory, synced, renamed, the directory
// synced; a failed write removes the temporary file.
type dirBackend struct {
	root string
	// create opens the temporary file (os.CreateTemp; tests inject failures).
	create CreateFunc
}

// File is what a directory store writes a document to before renaming it.
type File interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// CreateFunc creates a temporary file in dir, like os.CreateTemp.
type CreateFunc func(dir, pattern string) (File, error)

func newDirBackend(root string, create CreateFunc) (*dirBackend, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, err
	}
	if create == nil {
		create = func(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }
	}
	return &dirBackend{root: root, create: create}, nil
}

// NewDir returns a store keeping new documents as files under root, as
// PORTAL_BLOB_URL=file:///root does; create opens each temporary file (nil:
// os.CreateTemp), which lets tests fill the disk.
func NewDir(db Documents, root, dataDir string, create CreateFunc) (*Store, error) {
	b, err := newDirBackend(root, create)
	if err != nil {
		return nil, err
	}
	return &Store{db: db, blob: b, legacyDir: dataDir}, nil
}

func (d *dirBackend) path(name string) string {
	return filepath.Join(d.root, filepath.FromSlash(name))
}

func (d *dirBackend) put(ctx context.Context, name string, r io.Reader) (err error) {
	dst := d.path(name)
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := d.create(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

func (d *dirBackend) open(_ context.Context, name string) (io.ReadCloser, int64, error) {
	f, err := os.Open(d.path(name))
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

func (d *dirBackend) delete(_ context.Context, name string) error {
	if err := os.Remove(d.path(name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (d *dirBackend) close() error { return nil }

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
