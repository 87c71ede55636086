-- +goose Up
-- The dashboard's charts and the supplier scorecards (issue 13) read small
-- slices by date: POs created, despachado or shipped in a period (of one
-- supplier for a scorecard), and the failing pushes. Sales orders by day use
-- sales_orders_placed (00005).
CREATE INDEX purchase_orders_created ON purchase_orders (created_at);
CREATE INDEX purchase_orders_supplier_created ON purchase_orders (supplier_id, created_at);
CREATE INDEX purchase_orders_dispatched ON purchase_orders (dispatched_at) WHERE dispatched_at IS NOT NULL;
CREATE INDEX purchase_orders_shipped ON purchase_orders (shipped_at) WHERE shipped_at IS NOT NULL;
CREATE INDEX stock_push_state_failing ON stock_push_state (platform_id) WHERE last_error <> '';
CREATE INDEX status_pushes_failing ON status_pushes (platform_id) WHERE last_error <> '' AND status <> 'done';

-- +goose Down
DROP INDEX status_pushes_failing;
DROP INDEX stock_push_state_failing;
DROP INDEX purchase_orders_shipped;
DROP INDEX purchase_orders_dispatched;
DROP INDEX purchase_orders_supplier_created;
DROP INDEX purchase_orders_created;
