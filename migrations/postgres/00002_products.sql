-- +goose Up
-- The catalog: one row per ConnectParts SKU. supplier_code is the supplier's
-- own product code, the key price tables and stock feeds use.
CREATE TABLE products (
    id            BIGSERIAL PRIMARY KEY,
    sku           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    brand         TEXT NOT NULL DEFAULT '',
    ean           TEXT NOT NULL DEFAULT '',
    ncm           TEXT NOT NULL DEFAULT '',
    supplier_id   BIGINT NULL REFERENCES suppliers(id),
    supplier_code TEXT NOT NULL DEFAULT '',
    dropship      BOOLEAN NOT NULL DEFAULT TRUE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX products_supplier_code ON products (supplier_id, supplier_code) WHERE supplier_code <> '';
CREATE INDEX products_supplier_id ON products (supplier_id);
-- The list is ordered by name.
CREATE INDEX products_name_lower ON products (LOWER(name), id);

-- The search box matches any part of SKU, name, EAN or supplier code
-- (store.ListProducts uses this very expression). A trigram index makes that
-- fast; pg_trgm ships with PostgreSQL's contrib and is a trusted extension,
-- but where it cannot be installed the search still works, only slower.
-- +goose StatementBegin
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX products_search_trgm ON products
        USING gin (LOWER(sku || ' ' || name || ' ' || ean || ' ' || supplier_code) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%): catalog search runs without a trigram index', SQLERRM;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE products;
