-- +goose Up
-- The catalog search matches any part of SKU, name, EAN or supplier code.
-- That text is now stored, lower-cased, in a generated column (search_text),
-- and so is the name the list sorts by (name_key). The trigram index moves
-- from the expression to search_text: it counts the matches and, when they
-- are few, finds them all. products_name_search holds, in name order, every
-- column a search filters on, so that for a common word ("freio" is in one
-- product of ten) PostgreSQL walks the catalog in order reading the index
-- alone (an index-only scan: 11,000 products in 2–3 ms) instead of fetching
-- every product's row (store.searchProductIDs chooses).
ALTER TABLE products
    ADD COLUMN search_text TEXT GENERATED ALWAYS AS (LOWER(sku || ' ' || name || ' ' || ean || ' ' || supplier_code)) STORED,
    ADD COLUMN name_key TEXT GENERATED ALWAYS AS (LOWER(name)) STORED;
CREATE INDEX products_name_search ON products (name_key, id) INCLUDE (search_text, supplier_id, active, dropship);
-- +goose StatementBegin
DO $$
BEGIN
    DROP INDEX IF EXISTS products_search_trgm;
    CREATE INDEX products_search_trgm ON products USING gin (search_text gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%): catalog search runs without a trigram index', SQLERRM;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS products_search_trgm;
DROP INDEX products_name_search;
ALTER TABLE products DROP COLUMN search_text, DROP COLUMN name_key;
-- +goose StatementBegin
DO $$
BEGIN
    CREATE INDEX products_search_trgm ON products
        USING gin (LOWER(sku || ' ' || name || ' ' || ean || ' ' || supplier_code) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%)', SQLERRM;
END
$$;
-- +goose StatementEnd
