-- +goose Up
-- Supplier price tables (issue 3).
--
-- Only the states people cause are stored: draft (uploaded, validated, not yet
-- confirmed), submitted, withdrawn and rejected. Whether a submitted table is
-- scheduled, in force or superseded is derived from effective_from and the
-- clock: the table in force at instant T is the newest submitted table of the
-- supplier with effective_from <= T (ties broken by id). So the price in force
-- never depends on a background job having run; the job only notifies.
CREATE TABLE price_tables (
    id                   BIGSERIAL PRIMARY KEY,
    supplier_id          BIGINT NOT NULL REFERENCES suppliers(id),
    state                TEXT NOT NULL CHECK (state IN ('draft','submitted','withdrawn','rejected')),
    effective_from       TIMESTAMPTZ,
    notice_days          INTEGER NOT NULL DEFAULT 0,
    earliest_allowed     TIMESTAMPTZ,
    line_count           INTEGER NOT NULL DEFAULT 0,
    file_name            TEXT NOT NULL DEFAULT '',
    file_path            TEXT NOT NULL DEFAULT '',
    file_sha256          TEXT NOT NULL DEFAULT '',
    file_size            BIGINT NOT NULL DEFAULT 0,
    file_format          TEXT NOT NULL DEFAULT '',
    file_encoding        TEXT NOT NULL DEFAULT '',
    created_by           BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    submitted_by         BIGINT REFERENCES users(id) ON DELETE SET NULL,
    submitted_at         TIMESTAMPTZ,
    early_justification  TEXT NOT NULL DEFAULT '',
    early_granted_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    early_granted_at     TIMESTAMPTZ,
    rejected_reason      TEXT NOT NULL DEFAULT '',
    rejected_by          BIGINT REFERENCES users(id) ON DELETE SET NULL,
    rejected_at          TIMESTAMPTZ,
    withdrawn_by         BIGINT REFERENCES users(id) ON DELETE SET NULL,
    withdrawn_at         TIMESTAMPTZ,
    in_force_notified_at TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ NOT NULL,
    CHECK (state = 'draft' OR (effective_from IS NOT NULL AND submitted_at IS NOT NULL))
);
-- The table in force for a supplier at an instant.
CREATE INDEX price_tables_in_force ON price_tables (supplier_id, effective_from DESC, id DESC) WHERE state = 'submitted';
CREATE INDEX price_tables_supplier ON price_tables (supplier_id, id DESC);
-- Tables that entered into force and were not announced yet (periodic job).
CREATE INDEX price_tables_to_announce ON price_tables (effective_from) WHERE state = 'submitted' AND in_force_notified_at IS NULL;
CREATE INDEX price_tables_drafts ON price_tables (created_at) WHERE state = 'draft';

-- One price per product per table. The primary key serves the price of a
-- product in a given table and the diff between two tables.
-- product_id is deliberately not a foreign key: the per-row referential check
-- (a locking lookup in products for every line) was most of the time of
-- storing a 100,000-line table on PostgreSQL. The ids come from the
-- supplier's catalog read by the same upload, and products are deactivated,
-- never deleted.
CREATE TABLE price_table_items (
    table_id      BIGINT NOT NULL REFERENCES price_tables(id) ON DELETE CASCADE,
    product_id    BIGINT NOT NULL,
    line          INTEGER NOT NULL,
    supplier_code TEXT NOT NULL,
    price_cents   BIGINT NOT NULL CHECK (price_cents > 0),
    min_qty       INTEGER NOT NULL DEFAULT 1 CHECK (min_qty >= 1),
    ean           TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (table_id, product_id)
);

-- In-app notifications, one row per recipient user.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE notifications;
DROP TABLE price_table_items;
DROP TABLE price_tables;
