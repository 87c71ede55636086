-- +goose Up
-- Cancellation of purchase orders and the staff exception queues (issue 6).
-- A PO still open when its sales order is cancelled (on the platform, or by
-- purchasing when the supplier has no stock) becomes cancelled with the
-- reason. A PO already despachado or shipped is not cancelled: it is flagged
-- as an exception "cancelado na plataforma após o despacho" until staff
-- resolve it with a note. Delivered: the platform reported the delivery.
ALTER TABLE purchase_orders ADD COLUMN cancelled_at DATETIME;
ALTER TABLE purchase_orders ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN cancel_exception_at DATETIME;
ALTER TABLE purchase_orders ADD COLUMN cancel_exception_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN exception_resolved_at DATETIME;
ALTER TABLE purchase_orders ADD COLUMN exception_resolved_by INTEGER; -- users.id (no REFERENCES: SQLite cannot drop a column that has one)
ALTER TABLE purchase_orders ADD COLUMN exception_resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN delivered_at DATETIME;
CREATE INDEX purchase_orders_cancel_exception ON purchase_orders (cancel_exception_at) WHERE cancel_exception_at IS NOT NULL AND exception_resolved_at IS NULL;

-- +goose Down
DROP INDEX purchase_orders_cancel_exception;
ALTER TABLE purchase_orders DROP COLUMN delivered_at;
ALTER TABLE purchase_orders DROP COLUMN exception_resolution;
ALTER TABLE purchase_orders DROP COLUMN exception_resolved_by;
ALTER TABLE purchase_orders DROP COLUMN exception_resolved_at;
ALTER TABLE purchase_orders DROP COLUMN cancel_exception_reason;
ALTER TABLE purchase_orders DROP COLUMN cancel_exception_at;
ALTER TABLE purchase_orders DROP COLUMN cancel_reason;
ALTER TABLE purchase_orders DROP COLUMN cancelled_at;
