-- +goose Up
-- Sync engine (issue 4): what each platform last received of each product's
-- available stock, and the status actions (start handling, cancel, invoice,
-- tracking) waiting to be sent to the platforms.
--
-- stock_push_state: one row per platform and product. dirty = the product's
-- stock changed (drained from stock_changes) and the platform must be told;
-- pushed_available/pushed_at = the last figure the platform accepted (the push
-- job skips a product whose figure did not change, unless a full
-- reconciliation forces it); attempts/last_error_* = failed pushes, kept for
-- retry and shown on the sync-log page.
CREATE TABLE stock_push_state (
    platform_id      BIGINT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    product_id       BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    dirty            BOOLEAN NOT NULL DEFAULT TRUE,
    -- version grows with every change drained in, so that a push only clears
    -- the dirty flag of the change it actually sent.
    version          INTEGER NOT NULL DEFAULT 0,
    pushed_available BIGINT,
    pushed_at        TIMESTAMPTZ,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error_kind  TEXT NOT NULL DEFAULT '',
    last_error       TEXT NOT NULL DEFAULT '',
    last_error_at    TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform_id, product_id)
);
CREATE INDEX stock_push_state_dirty ON stock_push_state (platform_id) WHERE dirty;

-- status_pushes: one row per order and action; status pending until the
-- platform accepted it (done) or refused it for good (failed).
CREATE TABLE status_pushes (
    id              BIGSERIAL PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES sales_orders(id) ON DELETE CASCADE,
    platform_id     BIGINT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('start_handling','cancel','invoice','tracking')),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
    reason          TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error_kind TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    done_at         TIMESTAMPTZ,
    UNIQUE (order_id, action)
);
CREATE INDEX status_pushes_pending ON status_pushes (platform_id, id) WHERE status = 'pending';

-- +goose Down
DROP TABLE status_pushes;
DROP TABLE stock_push_state;
