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
