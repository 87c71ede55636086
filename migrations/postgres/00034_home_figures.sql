-- +goose Up
-- The staff and supplier homes count the catalog from product_counts (one
-- row per supplier, 0 for products without one), kept by a trigger in the
-- transaction of every product insert, delete or change of supplier,
-- instead of counting the products table on every view.
CREATE TABLE product_counts (
    supplier_id BIGINT PRIMARY KEY,
    n           BIGINT NOT NULL DEFAULT 0
);
INSERT INTO product_counts (supplier_id, n)
SELECT COALESCE(supplier_id, 0), COUNT(*) FROM products GROUP BY COALESCE(supplier_id, 0);

-- +goose StatementBegin
CREATE FUNCTION product_counts_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE product_counts SET n = n - 1 WHERE supplier_id = COALESCE(OLD.supplier_id, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO product_counts (supplier_id, n) VALUES (COALESCE(NEW.supplier_id, 0), 1)
        ON CONFLICT (supplier_id) DO UPDATE SET n = product_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER product_counts_insert_delete AFTER INSERT OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION product_counts_apply();
CREATE TRIGGER product_counts_supplier AFTER UPDATE OF supplier_id ON products
    FOR EACH ROW WHEN (OLD.supplier_id IS DISTINCT FROM NEW.supplier_id) EXECUTE FUNCTION product_counts_apply();

-- Late shipments (billed, not shipped, past billed_at + dispatch hours) are
-- counted and paged in SQL from this slice, in deadline order, instead of
-- loading every billed-unshipped PO with its items.
CREATE INDEX purchase_orders_billed_unshipped ON purchase_orders (billed_at, id)
    INCLUDE (dispatch_hours, supplier_id) WHERE status = 'billed' AND shipped_at IS NULL;

-- +goose Down
DROP INDEX purchase_orders_billed_unshipped;
DROP TRIGGER product_counts_supplier ON products;
DROP TRIGGER product_counts_insert_delete ON products;
DROP FUNCTION product_counts_apply();
DROP TABLE product_counts;
