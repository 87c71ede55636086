-- +goose Up
-- Exceptions inbox (issue 13 item 2): the failed pushes it lists, newest
-- first, are a small slice of two tables that grow with every order; these
-- partial indexes hold only that slice (the predicates are written as the
-- queries in store.ListFailedPushes write them).
CREATE INDEX status_pushes_failing_latest ON status_pushes (updated_at) WHERE last_error <> '' AND status <> 'done';
CREATE INDEX stock_push_state_failing_latest ON stock_push_state (updated_at) WHERE last_error <> '';

-- +goose Down
DROP INDEX stock_push_state_failing_latest;
DROP INDEX status_pushes_failing_latest;
