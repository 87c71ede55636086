package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/connectparts/portal/internal/apperr"
)

// DocumentChunkSize is the largest chunk of a document kept in one row:
// writing or reading a document holds one chunk in memory, whatever its size.
const DocumentChunkSize = 256 << 10

// DocumentInfo is a stored document: its content's sha256 and size.
type DocumentInfo struct {
	ID     int64
	SHA256 string
	Size   int64
}

type documentRow struct {
	ID        int64 `gorm:"primaryKey"`
	CreatedAt time.Time
}

func (documentRow) TableName() string { return "documents" }

// CreateDocument stores what r yields as a new document, chunk by chunk, in
// the transaction of ctx (a new one when there is none): the document exists
// whole when that transaction commits, and not at all when it rolls back.
func (s *Store) CreateDocument(ctx context.Context, r io.Reader) (DocumentInfo, error) {
	var doc DocumentInfo
	err := s.Tx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		row := documentRow{CreatedAt: s.now()}
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("store: create document: %w", err)
		}
		doc.ID = row.ID
		h := sha256.New()
		buf := make([]byte, DocumentChunkSize)
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				h.Write(buf[:n])
				doc.Size += int64(n)
				if err := db.Exec("INSERT INTO document_chunks (document_id, seq, data) VALUES (?, ?, ?)", doc.ID, seq, buf[:n]).Error; err != nil {
					return fmt.Errorf("store: document chunk: %w", err)
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("store: read document: %w", err)
			}
		}
		doc.SHA256 = hex.EncodeToString(h.Sum(nil))
		return db.Exec("UPDATE documents SET sha256 = ?, size = ? WHERE id = ?", doc.SHA256, doc.Size, doc.ID).Error
	})
	if err != nil {
		return DocumentInfo{}, err
	}
	return doc, nil
}

// FindDocument returns a document's sha256 and size; a missing one is ENOTFOUND.
func (s *Store) FindDocument(ctx context.Context, id int64) (DocumentInfo, error) {
	doc := DocumentInfo{ID: id}
	err := s.conn(ctx).Raw("SELECT sha256, size FROM documents WHERE id = ?", id).Row().Scan(&doc.SHA256, &doc.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return DocumentInfo{}, apperr.Errorf(apperr.ENOTFOUND, "Documento não encontrado.")
	}
	return doc, err
}

// DocumentChunk returns chunk seq of a document, or io.EOF past its last one.
func (s *Store) DocumentChunk(ctx context.Context, id int64, seq int) ([]byte, error) {
	var data []byte
	err := s.conn(ctx).Raw("SELECT data FROM document_chunks WHERE document_id = ? AND seq = ?", id, seq).Row().Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, io.EOF
	}
	return data, err
}

// DeleteDocument deletes a document and its chunks; a missing one is no error.
func (s *Store) DeleteDocument(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Exec("DELETE FROM document_chunks WHERE document_id = ?", id).Error; err != nil {
			return err
		}
		return db.Exec("DELETE FROM documents WHERE id = ?", id).Error
	})
}

// LegacyFile is a document still named by its path under PORTAL_DATA_DIR,
// from before documents moved to the shared store.
type LegacyFile struct {
	Table  string // price_tables or po_shipments
	ID     int64
	Path   string
	SHA256 string
}

// legacyColumns are the columns that name a document, with its sha256.
var legacyColumns = []struct{ table, path, sum string }{
	{"price_tables", "file_path", "file_sha256"},
	{"po_shipments", "label_path", "label_sha256"},
}

// ListLegacyFiles lists the rows whose document is still a path under the
// data directory, and counts those already in the store.
func (s *Store) ListLegacyFiles(ctx context.Context) ([]LegacyFile, int64, error) {
	var out []LegacyFile
	var stored int64
	for _, c := range legacyColumns {
		rows, err := s.conn(ctx).Raw("SELECT id, " + c.path + ", " + c.sum + " FROM " + c.table +
			" WHERE " + c.path + " <> '' AND " + c.path + " NOT LIKE 'db:%' AND " + c.path + " NOT LIKE 'blob:%' ORDER BY id").Rows()
		if err != nil {
			return nil, 0, err
		}
		for rows.Next() {
			f := LegacyFile{Table: c.table}
			if err := rows.Scan(&f.ID, &f.Path, &f.SHA256); err != nil {
				rows.Close()
				return nil, 0, err
			}
			out = append(out, f)
		}
		rows.Close()
		var n int64
		if err := s.conn(ctx).Raw("SELECT COUNT(*) FROM " + c.table + " WHERE " + c.path + " LIKE 'db:%' OR " + c.path + " LIKE 'blob:%'").Row().Scan(&n); err != nil {
			return nil, 0, err
		}
		stored += n
	}
	return out, stored, nil
}

// MoveLegacyFile points the row of f at key, if it still names f.Path (a
// concurrent run may have moved it first: false, nothing changed).
func (s *Store) MoveLegacyFile(ctx context.Context, f LegacyFile, key string) (bool, error) {
	for _, c := range legacyColumns {
		if c.table != f.Table {
			continue
		}
		res := s.conn(ctx).Exec("UPDATE "+c.table+" SET "+c.path+" = ? WHERE id = ? AND "+c.path+" = ?", key, f.ID, f.Path)
		if res.Error != nil {
			return false, res.Error
		}
		if res.RowsAffected == 1 {
			return true, s.audit(ctx, "document.migrate", c.table, f.ID, nil, map[string]string{"from": f.Path, "to": key})
		}
		return false, nil
	}
	return false, fmt.Errorf("store: unknown document table %q", f.Table)
}

// DeleteOrphanDocuments deletes the documents created in the week before
// `before` that no row names (older ones were looked at by earlier runs): left by a process that died between storing a document and
// deleting it after its row was removed. Documents are written in the
// transaction of the row that names them, so a committed document without a
// row is never one still being recorded.
func (s *Store) DeleteOrphanDocuments(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(ctx context.Context) error {
		orphans := `SELECT d.id FROM documents d WHERE d.created_at < ? AND d.created_at >= ?
			AND NOT EXISTS (SELECT 1 FROM price_tables t WHERE t.file_path = 'db:' || d.id)
			AND NOT EXISTS (SELECT 1 FROM po_shipments p WHERE p.label_path = 'db:' || d.id)`
		db := s.conn(ctx)
		if err := db.Exec("DELETE FROM document_chunks WHERE document_id IN ("+orphans+")", before.UTC(), before.UTC().AddDate(0, 0, -7)).Error; err != nil {
			return err
		}
		res := db.Exec("DELETE FROM documents WHERE id IN ("+orphans+")", before.UTC(), before.UTC().AddDate(0, 0, -7))
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
