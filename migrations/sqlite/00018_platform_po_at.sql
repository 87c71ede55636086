-- +goose Up
-- po_at: the sales-order status at which purchase orders are raised
-- (issue 10, CONTRACT.md). Existing platforms take the default, after the
-- platform's cancellation window.
ALTER TABLE platforms ADD COLUMN po_at TEXT NOT NULL DEFAULT 'ready_for_handling'
    CHECK (po_at IN ('ready_for_handling','payment_approved'));

-- +goose Down
ALTER TABLE platforms DROP COLUMN po_at;
