-- +goose Up
-- Uploaded documents (price-table originals, shipment labels) live in the
-- database so that every instance behind the load balancer reads them
-- (issue 14). A document is cut into chunks of at most 256 KiB so that
-- neither the portal nor the database holds a whole large file in memory.
-- price_tables.file_path and po_shipments.label_path hold the document's key:
-- "db:<id>" here, "blob:<name>" in object storage (PORTAL_BLOB_URL), or the
-- old path relative to PORTAL_DATA_DIR until `portal files migrate` moves it.
CREATE TABLE documents (
    id         BIGSERIAL PRIMARY KEY,
    sha256     TEXT NOT NULL DEFAULT '',
    size       BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE document_chunks (
    document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    data        BYTEA NOT NULL,
    PRIMARY KEY (document_id, seq)
);
-- Chunks are written once and read whole: no compression work on the way
-- in or out (labels and XLSX are compressed already).
ALTER TABLE document_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- The purge of orphan documents looks each document up by its key.
CREATE INDEX price_tables_file_path ON price_tables (file_path);
CREATE INDEX po_shipments_label_path ON po_shipments (label_path);

-- +goose Down
DROP INDEX po_shipments_label_path;
DROP INDEX price_tables_file_path;
DROP TABLE document_chunks;
DROP TABLE documents;
