-- +goose Up
-- Two indexes of 00024 repeat indexes of 00019 column for column (and
-- condition for condition): every order and shipment write maintained each
-- twice, and the scale seed built each twice. The planner uses the 00019
-- twin for the same lookups.
DROP INDEX search_sales_orders_tracking;
DROP INDEX search_po_shipments_tracking;

-- +goose Down
CREATE INDEX search_sales_orders_tracking ON sales_orders (tracking_number) WHERE tracking_number <> '';
CREATE INDEX search_po_shipments_tracking ON po_shipments (tracking_code);
