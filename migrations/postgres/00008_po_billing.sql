-- +goose Up
-- Fiscal and logistics steps of a purchase order (issue 5): the supplier
-- invoice booked (entrada), ConnectParts' billing invoice to the customer
-- (NF de faturamento) and the logistics "despachado" mark.
ALTER TABLE purchase_orders ADD COLUMN booked_at TIMESTAMPTZ;
ALTER TABLE purchase_orders ADD COLUMN billed_at TIMESTAMPTZ;
ALTER TABLE purchase_orders ADD COLUMN dispatched_at TIMESTAMPTZ;

-- One accepted billing invoice per PO; a key is never used twice. Divergent
-- uploads are refused with nothing stored.
CREATE TABLE billing_invoices (
    id          BIGSERIAL PRIMARY KEY,
    po_id       BIGINT NOT NULL UNIQUE REFERENCES purchase_orders(id) ON DELETE CASCADE,
    access_key  TEXT NOT NULL UNIQUE,
    number      INTEGER NOT NULL,
    series      INTEGER NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL,
    recipient_document TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    xml         TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE billing_invoices;
ALTER TABLE purchase_orders DROP COLUMN dispatched_at;
ALTER TABLE purchase_orders DROP COLUMN billed_at;
ALTER TABLE purchase_orders DROP COLUMN booked_at;
