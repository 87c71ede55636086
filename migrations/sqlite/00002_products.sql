-- +goose Up
-- The catalog: one row per ConnectParts SKU. supplier_code is the supplier's
-- own product code, the key price tables and stock feeds use.
CREATE TABLE products (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    sku           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    brand         TEXT NOT NULL DEFAULT '',
    ean           TEXT NOT NULL DEFAULT '',
    ncm           TEXT NOT NULL DEFAULT '',
    supplier_id   INTEGER NULL REFERENCES suppliers(id),
    supplier_code TEXT NOT NULL DEFAULT '',
    dropship      BOOLEAN NOT NULL DEFAULT TRUE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX products_supplier_code ON products (supplier_id, supplier_code) WHERE supplier_code <> '';
CREATE INDEX products_supplier_id ON products (supplier_id);
-- The list is ordered by name. SQLite has no index for the substring search
-- (LIKE '%…%') of store.ListProducts; it scans, which is fine at catalog sizes
-- (PostgreSQL gets a trigram index).
CREATE INDEX products_name_lower ON products (LOWER(name), id);

-- +goose Down
DROP TABLE products;
