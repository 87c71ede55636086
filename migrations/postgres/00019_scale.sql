-- +goose Up
-- Pages that do not grow with the tables (issue 11).

-- Order search: prefix of the order number and of the platform's id (lower
-- case), prefix of the customer's CPF/CNPJ (stored normalised), exact
-- tracking code; NF-e keys through the invoices' unique keys.
CREATE INDEX sales_orders_number_prefix ON sales_orders (LOWER(number) text_pattern_ops);
CREATE INDEX sales_orders_external_prefix ON sales_orders (LOWER(external_id) text_pattern_ops);
CREATE INDEX sales_orders_document_prefix ON sales_orders (customer_document text_pattern_ops) WHERE customer_document <> '';
CREATE INDEX sales_orders_tracking ON sales_orders (tracking_number) WHERE tracking_number <> '';
-- The order list filtered by status, newest placed first.
CREATE INDEX sales_orders_status_placed ON sales_orders (status, placed_at DESC, id DESC);
CREATE INDEX po_shipments_tracking ON po_shipments (tracking_code);

-- PO search by prefix of its number or of its sales order's number.
CREATE INDEX purchase_orders_number_prefix ON purchase_orders (LOWER(number) text_pattern_ops);
CREATE INDEX purchase_orders_order_number_prefix ON purchase_orders (LOWER(order_number) text_pattern_ops);
-- A supplier's inbox and API list, newest first, without a status filter.
CREATE INDEX purchase_orders_supplier_id ON purchase_orders (supplier_id, id DESC);
-- Logistics' queue (and its counter on the home page): billed or shipped, not despachado.
CREATE INDEX purchase_orders_awaiting_dispatch ON purchase_orders (id DESC)
    WHERE status IN ('billed','shipped') AND dispatched_at IS NULL;

-- Per-product stock totals over every location, maintained by triggers in
-- the transaction of every balance change: the stock list and the "products
-- without stock" counters read one row per product.
CREATE TABLE product_stock (
    product_id BIGINT PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    physical   BIGINT NOT NULL DEFAULT 0,
    reserved   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX product_stock_short ON product_stock (product_id) WHERE physical - reserved <= 0;

INSERT INTO product_stock (product_id, physical, reserved)
SELECT p.id, COALESCE(SUM(b.physical), 0), COALESCE(SUM(b.reserved), 0)
FROM products p LEFT JOIN stock_balances b ON b.product_id = p.id
GROUP BY p.id;

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

-- +goose StatementBegin
CREATE FUNCTION product_stock_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE product_stock SET physical = physical - OLD.physical, reserved = reserved - OLD.reserved
        WHERE product_id = OLD.product_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO product_stock (product_id, physical, reserved) VALUES (NEW.product_id, NEW.physical, NEW.reserved)
        ON CONFLICT (product_id) DO UPDATE
            SET physical = product_stock.physical + EXCLUDED.physical, reserved = product_stock.reserved + EXCLUDED.reserved;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER product_stock_balance AFTER INSERT OR UPDATE OR DELETE ON stock_balances
    FOR EACH ROW EXECUTE FUNCTION product_stock_balance();

-- +goose Down
DROP TRIGGER product_stock_balance ON stock_balances;
DROP FUNCTION product_stock_balance();
DROP TRIGGER product_stock_new_product ON products;
DROP FUNCTION product_stock_new_product();
DROP TABLE product_stock;
DROP INDEX purchase_orders_awaiting_dispatch;
DROP INDEX purchase_orders_supplier_id;
DROP INDEX purchase_orders_order_number_prefix;
DROP INDEX purchase_orders_number_prefix;
DROP INDEX po_shipments_tracking;
DROP INDEX sales_orders_status_placed;
DROP INDEX sales_orders_tracking;
DROP INDEX sales_orders_document_prefix;
DROP INDEX sales_orders_external_prefix;
DROP INDEX sales_orders_number_prefix;
