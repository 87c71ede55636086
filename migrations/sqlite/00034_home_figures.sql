-- +goose Up
-- The staff and supplier homes count the catalog from product_counts (one
-- row per supplier, 0 for products without one), kept by triggers in the
-- transaction of every product insert, delete or change of supplier,
-- instead of counting the products table on every view.
CREATE TABLE product_counts (
    supplier_id INTEGER PRIMARY KEY,
    n           INTEGER NOT NULL DEFAULT 0
);
INSERT INTO product_counts (supplier_id, n)
SELECT COALESCE(supplier_id, 0), COUNT(*) FROM products GROUP BY COALESCE(supplier_id, 0);

-- +goose StatementBegin
CREATE TRIGGER product_counts_insert AFTER INSERT ON products BEGIN
    INSERT INTO product_counts (supplier_id, n) VALUES (COALESCE(NEW.supplier_id, 0), 1)
    ON CONFLICT (supplier_id) DO UPDATE SET n = product_counts.n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_counts_delete AFTER DELETE ON products BEGIN
    UPDATE product_counts SET n = n - 1 WHERE supplier_id = COALESCE(OLD.supplier_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_counts_supplier AFTER UPDATE OF supplier_id ON products
WHEN COALESCE(OLD.supplier_id, 0) <> COALESCE(NEW.supplier_id, 0) BEGIN
    UPDATE product_counts SET n = n - 1 WHERE supplier_id = COALESCE(OLD.supplier_id, 0);
    INSERT INTO product_counts (supplier_id, n) VALUES (COALESCE(NEW.supplier_id, 0), 1)
    ON CONFLICT (supplier_id) DO UPDATE SET n = product_counts.n + 1;
END;
-- +goose StatementEnd

-- The catalog's free-text search: an FTS5 trigram index over the text the
-- search box matches (store.productSearchSQLite), kept by triggers, so a
-- query of three characters or more reads the index instead of GLOBbing
-- every product.
CREATE VIRTUAL TABLE products_fts USING fts5(doc, tokenize = 'trigram');
INSERT INTO products_fts (rowid, doc)
SELECT id, sku || ' ' || name || ' ' || ean || ' ' || supplier_code FROM products;
-- How many products hold each trigram: a query whose rarest trigram is in
-- most of the catalog ("789" of every EAN) is answered faster by the GLOB
-- scan, which stops at the page's rows, than by the index's long lists.
CREATE VIRTUAL TABLE products_fts_vocab USING fts5vocab(products_fts, 'row');

-- +goose StatementBegin
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, doc) VALUES (NEW.id, NEW.sku || ' ' || NEW.name || ' ' || NEW.ean || ' ' || NEW.supplier_code);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    DELETE FROM products_fts WHERE rowid = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_fts_update AFTER UPDATE OF sku, name, ean, supplier_code ON products BEGIN
    DELETE FROM products_fts WHERE rowid = OLD.id;
    INSERT INTO products_fts (rowid, doc) VALUES (NEW.id, NEW.sku || ' ' || NEW.name || ' ' || NEW.ean || ' ' || NEW.supplier_code);
END;
-- +goose StatementEnd

-- Late shipments (billed, not shipped, past billed_at + dispatch hours) are
-- counted and paged in SQL from this slice, in deadline order, instead of
-- loading every billed-unshipped PO with its items.
CREATE INDEX purchase_orders_billed_unshipped ON purchase_orders (billed_at, id, dispatch_hours, supplier_id)
    WHERE status = 'billed' AND shipped_at IS NULL;

-- +goose Down
DROP INDEX purchase_orders_billed_unshipped;
DROP TRIGGER products_fts_update;
DROP TRIGGER products_fts_delete;
DROP TRIGGER products_fts_insert;
DROP TABLE products_fts_vocab;
DROP TABLE products_fts;
DROP TRIGGER product_counts_supplier;
DROP TRIGGER product_counts_delete;
DROP TRIGGER product_counts_insert;
DROP TABLE product_counts;
