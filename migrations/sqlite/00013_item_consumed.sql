-- +goose Up
-- The supplier's units of a dropship order leave the stock ledger when fiscal
-- books the supplier's sale invoice (entrada da nota), one PO — and so one
-- part of the order — at a time. consumed marks the order lines already
-- consumed, so that billing, the platform's later statuses and a
-- cancellation touch only the others.
ALTER TABLE sales_order_items ADD COLUMN consumed BOOLEAN NOT NULL DEFAULT 0;
UPDATE sales_order_items SET consumed = 1
    WHERE order_id IN (SELECT id FROM sales_orders WHERE stock_consumed);

-- +goose Down
ALTER TABLE sales_order_items DROP COLUMN consumed;
