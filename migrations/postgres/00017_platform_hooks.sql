-- +goose Up
-- Orders pushed in (issue 10): the platform's notification hook. The secret
-- the portal generated for it is sealed like the other credentials; staff
-- see whether the hook is registered and when the last notification came.
ALTER TABLE platforms ADD COLUMN hook_secret_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE platforms ADD COLUMN hook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE platforms ADD COLUMN hook_registered_at TIMESTAMPTZ;
ALTER TABLE platforms ADD COLUMN hook_error TEXT NOT NULL DEFAULT '';
ALTER TABLE platforms ADD COLUMN last_notification_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE platforms DROP COLUMN last_notification_at;
ALTER TABLE platforms DROP COLUMN hook_error;
ALTER TABLE platforms DROP COLUMN hook_registered_at;
ALTER TABLE platforms DROP COLUMN hook_url;
ALTER TABLE platforms DROP COLUMN hook_secret_sealed;
