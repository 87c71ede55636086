-- +goose Up
-- A sales order whose items come from several suppliers has one purchase
-- order, one billing invoice and one shipment per supplier: each invoice and
-- each tracking code is its own push to the platform. ref_id names it (the
-- billing_invoices id of an invoice push, the po_shipments id of a tracking
-- push; 0 for start_handling and cancel, one per order).
ALTER TABLE status_pushes ADD COLUMN ref_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE status_pushes DROP CONSTRAINT status_pushes_order_id_action_key;
ALTER TABLE status_pushes ADD CONSTRAINT status_pushes_order_action_ref_key UNIQUE (order_id, action, ref_id);

-- +goose Down
ALTER TABLE status_pushes DROP CONSTRAINT status_pushes_order_action_ref_key;
DELETE FROM status_pushes a USING status_pushes b
    WHERE a.order_id = b.order_id AND a.action = b.action AND a.id > b.id;
ALTER TABLE status_pushes ADD CONSTRAINT status_pushes_order_id_action_key UNIQUE (order_id, action);
ALTER TABLE status_pushes DROP COLUMN ref_id;
