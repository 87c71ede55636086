package docstore

import (
	"context"
	"errors"
	"os"

	"github.com/connectparts/portal/internal/store"
)

// LegacyRows are the rows naming documents (*store.Store).
type LegacyRows interface {
	Tx(ctx context.Context, fn func(ctx context.Context) error) error
	ListLegacyFiles(ctx context.Context) ([]store.LegacyFile, int64, error)
	MoveLegacyFile(ctx context.Context, f store.LegacyFile, key string) (bool, error)
}

// MigrateReport counts what MigrateLegacy did.
type MigrateReport struct {
	Moved    int   // copied into the store, row updated
	Already  int64 // rows already naming a stored document
	Missing  int   // row names a file absent from the data directory
	Mismatch int   // file whose sha256 differs from the one recorded
}

// MigrateLegacy moves every document still kept under the data directory
// into the store. Each file is copied and its row pointed at the copy in one
// transaction (the database backend) or copy-then-update (a bucket, the copy
// deleted if the update fails), so an interrupted run leaves every row naming
// a whole document and a second run only moves what is left. The files under
// the data directory are left in place.
func (s *Store) MigrateLegacy(ctx context.Context, rows LegacyRows) (MigrateReport, error) {
	var rep MigrateReport
	files, already, err := rows.ListLegacyFiles(ctx)
	if err != nil {
		return rep, err
	}
	rep.Already = already
	for _, f := range files {
		abs, ok := s.legacyPath(f.Path)
		if !ok {
			rep.Missing++
			continue
		}
		fh, err := os.Open(abs)
		if errors.Is(err, os.ErrNotExist) {
			rep.Missing++
			continue
		}
		if err != nil {
			return rep, err
		}
		var key string
		moved := false
		err = rows.Tx(ctx, func(ctx context.Context) error {
			ref, err := s.Put(ctx, fh)
			if err != nil {
				return err
			}
			key = ref.Key
			if f.SHA256 != "" && ref.SHA256 != f.SHA256 {
				return errMismatch
			}
			moved, err = rows.MoveLegacyFile(ctx, f, ref.Key)
			if err == nil && !moved {
				return errRaced
			}
			return err
		})
		fh.Close()
		switch {
		case err == nil:
			rep.Moved++
			continue
		case errors.Is(err, errMismatch):
			rep.Mismatch++
		case errors.Is(err, errRaced):
			rep.Already++
		default:
			if key != "" {
				_ = s.Delete(context.WithoutCancel(ctx), key)
			}
			return rep, err
		}
		if key != "" {
			_ = s.Delete(context.WithoutCancel(ctx), key)
		}
	}
	return rep, nil
}

var (
	errMismatch = errors.New("docstore: sha256 differs from the recorded one")
	errRaced    = errors.New("docstore: moved by another run")
)
