package docstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func readAll(t *testing.T, s *docstore.Store, key string) ([]byte, int64) {
	t.Helper()
	r, size, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b, size
}

// TestDatabaseRoundTrip: a document over several chunks comes back byte for
// byte with its sha256 and size, and is gone once deleted.
func TestDatabaseRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := store.New(testdb.MustOpen(t))
	s := docstore.New(st, t.TempDir())
	for _, n := range []int{0, 1, store.DocumentChunkSize, 2*store.DocumentChunkSize + 17} {
		want := randomBytes(t, n)
		ref, err := s.Put(ctx, bytes.NewReader(want))
		if err != nil {
			t.Fatalf("put %d bytes: %v", n, err)
		}
		sum := sha256.Sum256(want)
		if ref.Size != int64(n) || ref.SHA256 != hex.EncodeToString(sum[:]) || docstore.IsLegacy(ref.Key) {
			t.Fatalf("put %d bytes: %+v", n, ref)
		}
		got, size := readAll(t, s, ref.Key)
		if size != int64(n) || !bytes.Equal(got, want) {
			t.Fatalf("read back %d of %d bytes (size %d)", len(got), n, size)
		}
		if err := s.Delete(ctx, ref.Key); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Open(ctx, ref.Key); !apperr.Is(err, apperr.ENOTFOUND) {
			t.Fatalf("deleted document opened: %v", err)
		}
	}
}

// TestDatabasePutJoinsTransaction: a document written in a transaction that
// rolls back does not exist; a reader failing half-way stores nothing.
func TestDatabasePutJoinsTransaction(t *testing.T) {
	ctx := context.Background()
	db := testdb.MustOpen(t)
	st := store.New(db)
	s := docstore.New(st, "")
	var key string
	boom := errors.New("the caller's change failed")
	err := st.Tx(ctx, func(ctx context.Context) error {
		ref, err := s.Put(ctx, bytes.NewReader(randomBytes(t, 300<<10)))
		key = ref.Key
		if err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || key == "" {
		t.Fatalf("tx: %v, key %q", err, key)
	}
	if _, _, err := s.Open(ctx, key); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("document of a rolled-back transaction: %v", err)
	}
	_, err = s.Put(ctx, io.MultiReader(bytes.NewReader(randomBytes(t, 300<<10)), failingReader{}))
	if err == nil {
		t.Fatal("a failing reader was stored")
	}
	var docs, chunks int64
	db.Gorm.Raw("SELECT COUNT(*) FROM documents").Scan(&docs)
	db.Gorm.Raw("SELECT COUNT(*) FROM document_chunks").Scan(&chunks)
	if docs != 0 || chunks != 0 {
		t.Fatalf("left behind: %d documents, %d chunks", docs, chunks)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset by peer") }

// TestDirRoundTripAndLegacy: file:// stores files whole; keys written before
// the document store (paths under the data directory) still open.
func TestDirRoundTripAndLegacy(t *testing.T) {
	ctx := context.Background()
	st := store.New(testdb.MustOpen(t))
	root, dataDir := t.TempDir(), t.TempDir()
	s, err := docstore.Open(ctx, st, "file://"+root, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := randomBytes(t, 200<<10)
	ref, err := s.Put(ctx, bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if got, size := readAll(t, s, ref.Key); size != int64(len(want)) || !bytes.Equal(got, want) {
		t.Fatal("file:// document read back differs")
	}
	if err := os.MkdirAll(filepath.Join(dataDir, "po-labels", "1"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dataDir, "po-labels", "1", "old.pdf"), []byte("%PDF-old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if !docstore.IsLegacy("po-labels/1/old.pdf") {
		t.Fatal("a relative path is not legacy")
	}
	if got, _ := readAll(t, s, "po-labels/1/old.pdf"); string(got) != "%PDF-old" {
		t.Fatalf("legacy file: %q", got)
	}
	if _, _, err := s.Open(ctx, "../../etc/passwd"); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("a key outside the data directory: %v", err)
	}
	if err := s.Delete(ctx, ref.Key); err != nil {
		t.Fatal(err)
	}
	if files := listFiles(t, root); len(files) != 0 {
		t.Fatalf("left after delete: %v", files)
	}
}

// TestDirFullDiskLeavesNothing: a disk that fills half-way through a write
// (ENOSPC) or a read-only one (EROFS) is reported in Portuguese as 507 / 503
// and leaves no file, not even a truncated temporary one.
func TestDirFullDiskLeavesNothing(t *testing.T) {
	ctx := context.Background()
	st := store.New(testdb.MustOpen(t))
	for _, tc := range []struct {
		errno syscall.Errno
		code  string
	}{{syscall.ENOSPC, apperr.ENOSPACE}, {syscall.EDQUOT, apperr.ENOSPACE}, {syscall.EROFS, apperr.EUNAVAILABLE}} {
		root := t.TempDir()
		s, err := docstore.NewDir(st, root, "", func(dir, pattern string) (docstore.File, error) {
			f, err := os.CreateTemp(dir, pattern)
			if err != nil {
				return nil, err
			}
			return &fullFile{f: f, room: 40 << 10, errno: tc.errno}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Put(ctx, bytes.NewReader(randomBytes(t, 205<<10)))
		if apperr.Code(err) != tc.code || !bytes.Contains([]byte(apperr.Message(err)), []byte("nada foi registrado")) {
			t.Fatalf("%v: %v (%s)", tc.errno, err, apperr.Code(err))
		}
		if files := listFiles(t, root); len(files) != 0 {
			t.Fatalf("%v left %v", tc.errno, files)
		}
	}
}

// fullFile is a file on a disk with room bytes left.
type fullFile struct {
	f     *os.File
	room  int
	errno syscall.Errno
}

func (f *fullFile) Write(p []byte) (int, error) {
	if len(p) > f.room {
		n, _ := f.f.Write(p[:f.room])
		f.room = 0
		return n, &fs.PathError{Op: "write", Path: f.f.Name(), Err: f.errno}
	}
	f.room -= len(p)
	return f.f.Write(p)
}

func (f *fullFile) Name() string { return f.f.Name() }
func (f *fullFile) Sync() error  { return f.f.Sync() }
func (f *fullFile) Close() error { return f.f.Close() }

func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestStorageErrorFromDatabase: a database out of disk is 507, a read-only
// one 503; other errors pass unchanged.
func TestStorageErrorFromDatabase(t *testing.T) {
	full := &pgconn.PgError{Code: "53100", Message: "could not extend file: No space left on device"}
	if apperr.Code(docstore.StorageError(full)) != apperr.ENOSPACE {
		t.Error("PostgreSQL disk_full is not ENOSPACE")
	}
	if apperr.Code(docstore.StorageError(errors.New("database or disk is full (13)"))) != apperr.ENOSPACE {
		t.Error("SQLITE_FULL is not ENOSPACE")
	}
	if apperr.Code(docstore.StorageError(&pgconn.PgError{Code: "25006"})) != apperr.EUNAVAILABLE {
		t.Error("read-only transaction is not EUNAVAILABLE")
	}
	other := errors.New("connection refused")
	if docstore.StorageError(other) != other {
		t.Error("an unrelated error was changed")
	}
}
