-- +goose Up
-- The triggers that keep the catalog counts (00034), the per-product stock
-- rows (00019) and the dashboard's day generations (00037) on inserts and
-- deletes ran once per row. Each run updated the same counter row again: a
-- 300,000-product catalog upload wrote 300,000 versions of its supplier's
-- product_counts row in one transaction, each update walking the versions
-- before it, and an import batch of 50 orders bumped its day's generation 50
-- times. They now run once per statement over the statement's rows
-- (transition tables), with one write per counter. Updates keep their
-- row-level triggers: those have column lists, which transition tables do
-- not allow, and they change one row at a time.

DROP TRIGGER product_counts_insert_delete ON products;
-- +goose StatementBegin
CREATE FUNCTION product_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_counts (supplier_id, n)
    SELECT COALESCE(supplier_id, 0), COUNT(*) FROM new_rows GROUP BY 1
    ON CONFLICT (supplier_id) DO UPDATE SET n = product_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION product_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE product_counts c SET n = c.n - d.n
    FROM (SELECT COALESCE(supplier_id, 0) AS supplier_id, COUNT(*) AS n FROM old_rows GROUP BY 1) d
    WHERE c.supplier_id = d.supplier_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER product_counts_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_counts_inserted();
CREATE TRIGGER product_counts_delete AFTER DELETE ON products
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_counts_deleted();

DROP TRIGGER product_stock_new_product ON products;
DROP FUNCTION product_stock_new_product();
-- +goose StatementBegin
CREATE FUNCTION product_stock_new_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_stock (product_id) SELECT id FROM new_rows ON CONFLICT (product_id) DO NOTHING;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER product_stock_new_products AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_stock_new_products();

DROP TRIGGER dashboard_sales_orders_write ON sales_orders;
-- +goose StatementBegin
CREATE FUNCTION dashboard_sales_orders_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_bump(ARRAY(SELECT DISTINCT placed_at FROM new_rows));
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION dashboard_sales_orders_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the payment time is where the lead times of the orders' POs start
    PERFORM dashboard_bump(ARRAY(SELECT placed_at FROM old_rows)
        || ARRAY(SELECT po.dispatched_at FROM purchase_orders po JOIN old_rows o ON o.id = po.sales_order_id)
        || ARRAY(SELECT po.shipped_at FROM purchase_orders po JOIN old_rows o ON o.id = po.sales_order_id));
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER dashboard_sales_orders_insert AFTER INSERT ON sales_orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_sales_orders_inserted();
CREATE TRIGGER dashboard_sales_orders_delete AFTER DELETE ON sales_orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_sales_orders_deleted();

DROP TRIGGER dashboard_purchase_orders_write ON purchase_orders;
-- +goose StatementBegin
CREATE FUNCTION dashboard_purchase_orders_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_bump(ARRAY(SELECT created_at FROM new_rows) || ARRAY(SELECT dispatched_at FROM new_rows)
        || ARRAY(SELECT shipped_at FROM new_rows));
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION dashboard_purchase_orders_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_bump(ARRAY(SELECT created_at FROM old_rows) || ARRAY(SELECT dispatched_at FROM old_rows)
        || ARRAY(SELECT shipped_at FROM old_rows));
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER dashboard_purchase_orders_insert AFTER INSERT ON purchase_orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_purchase_orders_inserted();
CREATE TRIGGER dashboard_purchase_orders_delete AFTER DELETE ON purchase_orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_purchase_orders_deleted();

-- +goose Down
DROP TRIGGER dashboard_purchase_orders_delete ON purchase_orders;
DROP TRIGGER dashboard_purchase_orders_insert ON purchase_orders;
DROP FUNCTION dashboard_purchase_orders_deleted();
DROP FUNCTION dashboard_purchase_orders_inserted();
CREATE TRIGGER dashboard_purchase_orders_write AFTER INSERT OR DELETE ON purchase_orders
    FOR EACH ROW EXECUTE FUNCTION dashboard_purchase_orders_bump();
DROP TRIGGER dashboard_sales_orders_delete ON sales_orders;
DROP TRIGGER dashboard_sales_orders_insert ON sales_orders;
DROP FUNCTION dashboard_sales_orders_deleted();
DROP FUNCTION dashboard_sales_orders_inserted();
CREATE TRIGGER dashboard_sales_orders_write AFTER INSERT OR DELETE ON sales_orders
    FOR EACH ROW EXECUTE FUNCTION dashboard_sales_orders_bump();
DROP TRIGGER product_stock_new_products ON products;
DROP FUNCTION product_stock_new_products();
-- +goose StatementBegin
CREATE FUNCTION product_stock_new_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_stock (product_id) VALUES (NEW.id) ON CONFLICT (product_id) DO NOTHING;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER product_stock_new_product AFTER INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION product_stock_new_product();
DROP TRIGGER product_counts_delete ON products;
DROP TRIGGER product_counts_insert ON products;
DROP FUNCTION product_counts_deleted();
DROP FUNCTION product_counts_inserted();
CREATE TRIGGER product_counts_insert_delete AFTER INSERT OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION product_counts_apply();
