-- +goose Up
-- Purchase orders (pedidos de compra, issue 5): one per sales order and
-- supplier, created in the transaction that brings the sales order to payment
-- approved (or later). The UNIQUE (sales_order_id, supplier_id) makes creation
-- idempotent across retries and instances (INSERT … ON CONFLICT DO NOTHING).
-- Everything the supplier needs to invoice and ship is copied at creation, so
-- that the PO says what it said when the supplier received it.
CREATE TABLE purchase_orders (
    id             BIGSERIAL PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    sales_order_id BIGINT NOT NULL REFERENCES sales_orders(id),
    supplier_id    BIGINT NOT NULL REFERENCES suppliers(id),
    status         TEXT NOT NULL CHECK (status IN ('awaiting_supplier','acknowledged','backordered','no_price',
                       'invoice_divergent','supplier_invoiced','invoice_booked','billed','shipped','delivered','cancelled')),
    order_number   TEXT NOT NULL DEFAULT '',

    customer_name               TEXT NOT NULL DEFAULT '',
    customer_trade_name         TEXT NOT NULL DEFAULT '',
    customer_type               TEXT NOT NULL DEFAULT '',
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

    shipping_method TEXT NOT NULL DEFAULT '',
    carrier_name    TEXT NOT NULL DEFAULT '',
    fiscal_note     TEXT NOT NULL DEFAULT '',

    -- Sum of the priced items; items without a price count nothing (status no_price).
    total_cents    BIGINT NOT NULL DEFAULT 0,
    priced_at      TIMESTAMPTZ NOT NULL,
    -- The supplier's dispatch term when the PO was created; due_at = created_at + it.
    dispatch_hours INTEGER NOT NULL,
    due_at         TIMESTAMPTZ NOT NULL,

    acknowledged_at        TIMESTAMPTZ,
    backordered_at         TIMESTAMPTZ,
    backorder_available_on TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    backorder_reason       TEXT NOT NULL DEFAULT '',
    invoiced_at            TIMESTAMPTZ,

    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (sales_order_id, supplier_id)
);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id, status, id DESC);
CREATE INDEX purchase_orders_status ON purchase_orders (status, id DESC);

-- unit_price_cents/total_cents/price_table_id are NULL when no table in force
-- had a price for the product: never priced at zero.
CREATE TABLE purchase_order_items (
    id               BIGSERIAL PRIMARY KEY,
    po_id            BIGINT NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    line             INTEGER NOT NULL,
    product_id       BIGINT NOT NULL REFERENCES products(id),
    sku              TEXT NOT NULL,
    supplier_code    TEXT NOT NULL,
    ean              TEXT NOT NULL DEFAULT '',
    ncm              TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL DEFAULT '',
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT,
    total_cents      BIGINT,
    price_table_id   BIGINT REFERENCES price_tables(id),
    UNIQUE (po_id, line)
);

CREATE TABLE purchase_order_events (
    id      BIGSERIAL PRIMARY KEY,
    po_id   BIGINT NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    at      TIMESTAMPTZ NOT NULL,
    kind    TEXT NOT NULL,
    message TEXT NOT NULL,
    actor   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX purchase_order_events_po ON purchase_order_events (po_id, id);

-- Supplier sale invoices (NF de venda) uploaded against a PO. A divergent
-- upload is kept for the history; the key is never accepted twice, by any PO.
CREATE TABLE supplier_invoices (
    id          BIGSERIAL PRIMARY KEY,
    po_id       BIGINT NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    access_key  TEXT NOT NULL UNIQUE,
    number      INTEGER NOT NULL,
    series      INTEGER NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL,
    issuer_cnpj TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    xml         TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('accepted','divergent')),
    report      TEXT NOT NULL DEFAULT '[]', -- JSON: the line-by-line match
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX supplier_invoices_po ON supplier_invoices (po_id, id);

-- +goose Down
DROP TABLE supplier_invoices;
DROP TABLE purchase_order_events;
DROP TABLE purchase_order_items;
DROP TABLE purchase_orders;
