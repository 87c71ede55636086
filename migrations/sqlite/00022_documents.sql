-- +goose Up
-- Uploaded documents (price-table originals, shipment labels) live in the
-- database so that every instance reads them (issue 14), cut into chunks of
-- at most 256 KiB. price_tables.file_path and po_shipments.label_path hold
-- the key: "db:<id>", "blob:<name>" (PORTAL_BLOB_URL), or the old path
-- relative to PORTAL_DATA_DIR until `portal files migrate` moves it.
CREATE TABLE documents (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256     TEXT NOT NULL DEFAULT '',
    size       INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);

CREATE TABLE document_chunks (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    data        BLOB NOT NULL,
    PRIMARY KEY (document_id, seq)
);

-- The purge of orphan documents looks each document up by its key.
CREATE INDEX price_tables_file_path ON price_tables (file_path);
CREATE INDEX po_shipments_label_path ON po_shipments (label_path);

-- +goose Down
DROP INDEX po_shipments_label_path;
DROP INDEX price_tables_file_path;
DROP TABLE document_chunks;
DROP TABLE documents;
