-- +goose Up
-- A sales order whose items come from several suppliers has one purchase
-- order, one billing invoice and one shipment per supplier: each invoice and
-- each tracking code is its own push to the platform. ref_id names it (the
-- billing_invoices id of an invoice push, the po_shipments id of a tracking
-- push; 0 for start_handling and cancel, one per order). SQLite cannot change
-- a table's UNIQUE constraint: the table is rebuilt.
CREATE TABLE status_pushes_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        INTEGER NOT NULL REFERENCES sales_orders(id) ON DELETE CASCADE,
    platform_id     INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('start_handling','cancel','invoice','tracking')),
    ref_id          INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
    reason          TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error_kind TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    done_at         DATETIME,
    UNIQUE (order_id, action, ref_id)
);
INSERT INTO status_pushes_new (id, order_id, platform_id, action, status, reason, attempts, last_error_kind, last_error, created_at, updated_at, done_at)
    SELECT id, order_id, platform_id, action, status, reason, attempts, last_error_kind, last_error, created_at, updated_at, done_at FROM status_pushes;
DROP TABLE status_pushes;
ALTER TABLE status_pushes_new RENAME TO status_pushes;
CREATE INDEX status_pushes_pending ON status_pushes (platform_id, id) WHERE status = 'pending';

-- +goose Down
CREATE TABLE status_pushes_old (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        INTEGER NOT NULL REFERENCES sales_orders(id) ON DELETE CASCADE,
    platform_id     INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('start_handling','cancel','invoice','tracking')),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
    reason          TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error_kind TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    done_at         DATETIME,
    UNIQUE (order_id, action)
);
INSERT OR IGNORE INTO status_pushes_old (id, order_id, platform_id, action, status, reason, attempts, last_error_kind, last_error, created_at, updated_at, done_at)
    SELECT id, order_id, platform_id, action, status, reason, attempts, last_error_kind, last_error, created_at, updated_at, done_at FROM status_pushes ORDER BY id;
DROP TABLE status_pushes;
ALTER TABLE status_pushes_old RENAME TO status_pushes;
CREATE INDEX status_pushes_pending ON status_pushes (platform_id, id) WHERE status = 'pending';
