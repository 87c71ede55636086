-- +goose Up
-- Shipment step of a purchase order (issue 5): the supplier uploads the label,
-- the tracking code and optionally its shipment invoice (NF de remessa,
-- CFOP 5.923/6.923) once the PO is billed; the PO moves to shipped.
ALTER TABLE purchase_orders ADD COLUMN shipped_at DATETIME;

-- One shipment per PO. The label file lives under PORTAL_DATA_DIR
-- (label_path, relative) and is identified by its sha256.
CREATE TABLE po_shipments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    po_id         INTEGER NOT NULL UNIQUE REFERENCES purchase_orders(id) ON DELETE CASCADE,
    carrier       TEXT NOT NULL,
    tracking_code TEXT NOT NULL,
    tracking_url  TEXT NOT NULL DEFAULT '',
    label_kind    TEXT NOT NULL,
    label_path    TEXT NOT NULL,
    label_sha256  TEXT NOT NULL,
    label_size    INTEGER NOT NULL,
    invoice_key   TEXT UNIQUE,
    invoice_number INTEGER,
    invoice_xml   TEXT,
    shipped_by    INTEGER REFERENCES users(id),
    shipped_at    DATETIME NOT NULL
);

-- +goose Down
DROP TABLE po_shipments;
ALTER TABLE purchase_orders DROP COLUMN shipped_at;
