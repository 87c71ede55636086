-- +goose Up
-- The order and PO lists sort by each of their columns (sort=…&dir=…) and
-- page on; without an index on the column, a sorted view of a million orders
-- read and sorted the whole table (2–5 s). Each sortable column gets an index
-- (column, id): id breaks ties in the same direction, so one index serves
-- both directions and the API's keyset cursor. The status and created_at
-- indexes are rebuilt with id ascending for the same reason (status ASC,
-- id ASC could not use (status, id DESC)); a backward scan still serves
-- "status = ? ORDER BY id DESC". The PO number and order number sorts use
-- their existing indexes, the date sorts of orders the placed_at index.
DROP INDEX sales_orders_status;
CREATE INDEX sales_orders_status_id ON sales_orders (status, id);
CREATE INDEX sales_orders_number_sort ON sales_orders (number, id);
CREATE INDEX sales_orders_customer_sort ON sales_orders (customer_name, id);
CREATE INDEX sales_orders_total_sort ON sales_orders (total_cents, id);
-- The platform filter in the list's order: SQLite otherwise read a platform's
-- orders through the (platform_id, external_id) key and sorted them all (9 s
-- at 300,000 orders).
CREATE INDEX sales_orders_platform_placed ON sales_orders (platform_id, placed_at DESC, id DESC);

DROP INDEX purchase_orders_status;
CREATE INDEX purchase_orders_status_id ON purchase_orders (status, id);
DROP INDEX purchase_orders_created;
CREATE INDEX purchase_orders_created_id ON purchase_orders (created_at, id);
CREATE INDEX purchase_orders_customer_sort ON purchase_orders (customer_name, id);
CREATE INDEX purchase_orders_total_sort ON purchase_orders (total_cents, id);
CREATE INDEX purchase_orders_due_sort ON purchase_orders (due_at, id);
CREATE INDEX purchase_orders_billed_sort ON purchase_orders (billed_at, id);

-- SQLite plans by sqlite_stat1: an index without a row there looks more
-- selective than its neighbours that have one (at 300,000 orders the status
-- tab read sales_orders_status_id and sorted a status's every order, 5 s,
-- instead of walking sales_orders_status_placed). Fresh statistics for the
-- two tables give every index its true weight.
ANALYZE sales_orders;
ANALYZE purchase_orders;

-- +goose Down
DROP INDEX purchase_orders_billed_sort;
DROP INDEX purchase_orders_due_sort;
DROP INDEX purchase_orders_total_sort;
DROP INDEX purchase_orders_customer_sort;
DROP INDEX purchase_orders_created_id;
CREATE INDEX purchase_orders_created ON purchase_orders (created_at);
DROP INDEX purchase_orders_status_id;
CREATE INDEX purchase_orders_status ON purchase_orders (status, id DESC);

DROP INDEX sales_orders_platform_placed;
DROP INDEX sales_orders_total_sort;
DROP INDEX sales_orders_customer_sort;
DROP INDEX sales_orders_number_sort;
DROP INDEX sales_orders_status_id;
CREATE INDEX sales_orders_status ON sales_orders (status, id DESC);
