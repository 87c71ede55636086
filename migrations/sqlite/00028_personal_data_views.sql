-- +goose Up
-- LGPD: every sight of a customer's personal data by a supplier user (who,
-- which PO, when, where). Kept apart from the audit log, which records
-- changes; the actor's e-mail and the PO number are copied so the log reads
-- on its own.
CREATE TABLE personal_data_views (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          DATETIME NOT NULL,
    user_id     INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    supplier_id INTEGER NOT NULL,
    po_id       INTEGER NOT NULL,
    po_number   TEXT NOT NULL,
    channel     TEXT NOT NULL,
    path        TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX personal_data_views_at ON personal_data_views (at, id);
CREATE INDEX personal_data_views_supplier ON personal_data_views (supplier_id, at);
CREATE INDEX personal_data_views_user ON personal_data_views (user_id, at);

-- +goose Down
DROP TABLE personal_data_views;
