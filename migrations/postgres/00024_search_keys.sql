-- +goose Up
-- Global search (one box): exact and prefix lookups by the keys people type.
-- text_pattern_ops lets LIKE 'prefix%' use the index whatever the collation.
CREATE INDEX search_sales_orders_number ON sales_orders (number text_pattern_ops);
CREATE INDEX search_sales_orders_external_id ON sales_orders (external_id);
CREATE INDEX search_sales_orders_document ON sales_orders (customer_document);
CREATE INDEX search_sales_orders_tracking ON sales_orders (tracking_number) WHERE tracking_number <> '';
CREATE INDEX search_purchase_orders_number ON purchase_orders (number text_pattern_ops);
CREATE INDEX search_purchase_orders_order_number ON purchase_orders (order_number);
CREATE INDEX search_purchase_orders_document ON purchase_orders (customer_document);
CREATE INDEX search_po_shipments_tracking ON po_shipments (tracking_code);
CREATE INDEX search_products_sku ON products (sku text_pattern_ops);
CREATE INDEX search_products_supplier_code ON products (supplier_code) WHERE supplier_code <> '';
CREATE INDEX search_products_ean ON products (ean) WHERE ean <> '';

-- +goose Down
DROP INDEX search_products_ean;
DROP INDEX search_products_supplier_code;
DROP INDEX search_products_sku;
DROP INDEX search_po_shipments_tracking;
DROP INDEX search_purchase_orders_document;
DROP INDEX search_purchase_orders_order_number;
DROP INDEX search_purchase_orders_number;
DROP INDEX search_sales_orders_tracking;
DROP INDEX search_sales_orders_document;
DROP INDEX search_sales_orders_external_id;
DROP INDEX search_sales_orders_number;
