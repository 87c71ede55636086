-- +goose Up
-- The daily purge picks sent e-mails and
-- delivered webhook deliveries by status and age.
CREATE INDEX email_outbox_status_sent ON email_outbox (status, sent_at);
CREATE INDEX webhook_deliveries_status_delivered ON webhook_deliveries (status, delivered_at);

-- +goose Down
DROP INDEX webhook_deliveries_status_delivered;
DROP INDEX email_outbox_status_sent;
