-- +goose Up
-- Sales platforms and the orders imported from them (issue 4).
-- settings_sealed holds the platform's settings (credentials included) as JSON
-- sealed with secret.Box; token_sealed the OAuth state that rotates (Mercado
-- Livre). cursor is the adapter's Batch.Cursor, saved only after Ack succeeded.
CREATE TABLE platforms (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                    TEXT NOT NULL CHECK (kind IN ('vtex','mercadolivre','sandbox')),
    name                    TEXT NOT NULL UNIQUE,
    base_url                TEXT NOT NULL DEFAULT '',
    settings_sealed         TEXT NOT NULL,
    token_sealed            TEXT NOT NULL DEFAULT '',
    enabled                 BOOLEAN NOT NULL DEFAULT TRUE,
    import_interval_seconds INTEGER NOT NULL DEFAULT 900 CHECK (import_interval_seconds > 0),
    import_from             TEXT NOT NULL DEFAULT 'awaiting_payment' CHECK (import_from IN ('awaiting_payment','payment_confirmed')),
    cursor                  TEXT NOT NULL DEFAULT '',
    created_at              DATETIME NOT NULL,
    updated_at              DATETIME NOT NULL
);

CREATE TABLE carriers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    created_at DATETIME NOT NULL
);

-- Vínculo de transportadora: a platform's shipping method → our carrier.
CREATE TABLE carrier_mappings (
    platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    method      TEXT NOT NULL,
    carrier_id  INTEGER NOT NULL REFERENCES carriers(id),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (platform_id, method)
);

CREATE TABLE sales_orders (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_id        INTEGER NOT NULL REFERENCES platforms(id),
    external_id        TEXT NOT NULL,
    number             TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL CHECK (status IN ('awaiting_payment','payment_approved','ready_for_handling','handling','invoiced','dispatched','delivered','cancelled')),
    channel_status     TEXT NOT NULL DEFAULT '',
    cancel_requested   BOOLEAN NOT NULL DEFAULT FALSE,
    -- Stock held by the order: reserved from import (or payment approval)
    -- until invoicing consumes it or a cancellation releases it.
    reserved           BOOLEAN NOT NULL DEFAULT FALSE,
    stock_consumed     BOOLEAN NOT NULL DEFAULT FALSE,

    customer_name               TEXT NOT NULL DEFAULT '',
    customer_trade_name         TEXT NOT NULL DEFAULT '',
    customer_type               TEXT NOT NULL DEFAULT '' CHECK (customer_type IN ('','PF','PJ')),
    customer_document           TEXT NOT NULL DEFAULT '',
    customer_state_registration TEXT NOT NULL DEFAULT '',
    customer_icms_contributor   BOOLEAN NOT NULL DEFAULT FALSE,
    customer_suframa            TEXT NOT NULL DEFAULT '',
    customer_email              TEXT NOT NULL DEFAULT '',
    customer_phones             TEXT NOT NULL DEFAULT '',

    delivery_recipient  TEXT NOT NULL DEFAULT '',
    delivery_street     TEXT NOT NULL DEFAULT '',
    delivery_number     TEXT NOT NULL DEFAULT '',
    delivery_complement TEXT NOT NULL DEFAULT '',
    delivery_reference  TEXT NOT NULL DEFAULT '',
    delivery_district   TEXT NOT NULL DEFAULT '',
    delivery_cep        TEXT NOT NULL DEFAULT '',
    delivery_city       TEXT NOT NULL DEFAULT '',
    delivery_state      TEXT NOT NULL DEFAULT '',
    delivery_country    TEXT NOT NULL DEFAULT '',
    delivery_ibge_code  TEXT NOT NULL DEFAULT '',

    shipping_method  TEXT NOT NULL DEFAULT '',
    carrier_id       INTEGER REFERENCES carriers(id),
    channel_carrier  TEXT NOT NULL DEFAULT '',
    tracking_number  TEXT NOT NULL DEFAULT '',
    shipment_id      TEXT NOT NULL DEFAULT '',

    items_cents    INTEGER NOT NULL DEFAULT 0,
    shipping_cents INTEGER NOT NULL DEFAULT 0,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    total_cents    INTEGER NOT NULL DEFAULT 0,

    placed_at          DATETIME NOT NULL,
    paid_at            DATETIME,
    channel_updated_at DATETIME,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    UNIQUE (platform_id, external_id)
);
CREATE INDEX sales_orders_status ON sales_orders (status, id DESC);
CREATE INDEX sales_orders_placed ON sales_orders (placed_at DESC, id DESC);

CREATE TABLE sales_order_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id         INTEGER NOT NULL REFERENCES sales_orders(id) ON DELETE CASCADE,
    line             INTEGER NOT NULL,
    product_id       INTEGER NOT NULL REFERENCES products(id),
    -- Where the order's stock is reserved: fixed at import so that release
    -- and consumption hit the same balance even if the product moves.
    location_id      INTEGER NOT NULL REFERENCES stock_locations(id),
    sku              TEXT NOT NULL,
    platform_item_id TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    total_cents      INTEGER NOT NULL,
    UNIQUE (order_id, line)
);
CREATE INDEX sales_order_items_product ON sales_order_items (product_id);

-- The order's timeline.
CREATE TABLE sales_order_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES sales_orders(id) ON DELETE CASCADE,
    at       DATETIME NOT NULL,
    kind     TEXT NOT NULL,
    message  TEXT NOT NULL,
    actor    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sales_order_events_order ON sales_order_events (order_id, id);

-- Orders the import refused, with the reason; resolved_at is set when a later
-- run imports them (or finds them cancelled).
CREATE TABLE blocked_orders (
    platform_id    INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    external_id    TEXT NOT NULL,
    reason         TEXT NOT NULL CHECK (reason IN ('unmapped_carrier','unknown_sku')),
    detail         TEXT NOT NULL DEFAULT '',
    method         TEXT NOT NULL DEFAULT '',
    sku            TEXT NOT NULL DEFAULT '',
    channel_status TEXT NOT NULL DEFAULT '',
    first_seen_at  DATETIME NOT NULL,
    last_seen_at   DATETIME NOT NULL,
    resolved_at    DATETIME,
    PRIMARY KEY (platform_id, external_id)
);
CREATE INDEX blocked_orders_open ON blocked_orders (platform_id) WHERE resolved_at IS NULL;

CREATE TABLE sync_runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_id   INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    started_at    DATETIME NOT NULL,
    finished_at   DATETIME,
    status        TEXT NOT NULL CHECK (status IN ('running','ok','failed')),
    imported      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    blocked       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    error_kind    TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_platform ON sync_runs (platform_id, id DESC);

-- +goose Down
DROP TABLE sync_runs;
DROP TABLE blocked_orders;
DROP TABLE sales_order_events;
DROP TABLE sales_order_items;
DROP TABLE sales_orders;
DROP TABLE carrier_mappings;
DROP TABLE carriers;
DROP TABLE platforms;
