-- +goose Up
-- Pages that do not grow with the tables (issue 11). SQLite serves a
-- prefix as a range on the indexed expression (see store.prefixMatch).
CREATE INDEX sales_orders_number_prefix ON sales_orders (LOWER(number));
CREATE INDEX sales_orders_external_prefix ON sales_orders (LOWER(external_id));
CREATE INDEX sales_orders_document_prefix ON sales_orders (customer_document) WHERE customer_document <> '';
CREATE INDEX sales_orders_tracking ON sales_orders (tracking_number) WHERE tracking_number <> '';
CREATE INDEX sales_orders_status_placed ON sales_orders (status, placed_at DESC, id DESC);
CREATE INDEX po_shipments_tracking ON po_shipments (tracking_code);

CREATE INDEX purchase_orders_number_prefix ON purchase_orders (LOWER(number));
CREATE INDEX purchase_orders_order_number_prefix ON purchase_orders (LOWER(order_number));
CREATE INDEX purchase_orders_supplier_id ON purchase_orders (supplier_id, id DESC);
CREATE INDEX purchase_orders_awaiting_dispatch ON purchase_orders (id DESC)
    WHERE status IN ('billed','shipped') AND dispatched_at IS NULL;

CREATE TABLE product_stock (
    product_id INTEGER PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    physical   INTEGER NOT NULL DEFAULT 0,
    reserved   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX product_stock_short ON product_stock (product_id) WHERE physical - reserved <= 0;

INSERT INTO product_stock (product_id, physical, reserved)
SELECT p.id, COALESCE(SUM(b.physical), 0), COALESCE(SUM(b.reserved), 0)
FROM products p LEFT JOIN stock_balances b ON b.product_id = p.id
GROUP BY p.id;

-- +goose StatementBegin
CREATE TRIGGER product_stock_new_product AFTER INSERT ON products BEGIN
    INSERT INTO product_stock (product_id) VALUES (NEW.id) ON CONFLICT (product_id) DO NOTHING;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_stock_balance_insert AFTER INSERT ON stock_balances BEGIN
    INSERT INTO product_stock (product_id, physical, reserved) VALUES (NEW.product_id, NEW.physical, NEW.reserved)
    ON CONFLICT (product_id) DO UPDATE
        SET physical = product_stock.physical + excluded.physical, reserved = product_stock.reserved + excluded.reserved;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_stock_balance_update AFTER UPDATE ON stock_balances BEGIN
    UPDATE product_stock SET physical = physical - OLD.physical, reserved = reserved - OLD.reserved
    WHERE product_id = OLD.product_id;
    INSERT INTO product_stock (product_id, physical, reserved) VALUES (NEW.product_id, NEW.physical, NEW.reserved)
    ON CONFLICT (product_id) DO UPDATE
        SET physical = product_stock.physical + excluded.physical, reserved = product_stock.reserved + excluded.reserved;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_stock_balance_delete AFTER DELETE ON stock_balances BEGIN
    UPDATE product_stock SET physical = physical - OLD.physical, reserved = reserved - OLD.reserved
    WHERE product_id = OLD.product_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER product_stock_balance_delete;
DROP TRIGGER product_stock_balance_update;
DROP TRIGGER product_stock_balance_insert;
DROP TRIGGER product_stock_new_product;
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
