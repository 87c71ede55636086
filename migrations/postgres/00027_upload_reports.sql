-- +goose Up
-- Reports of refused (or partly applied) uploads, kept for the GET after the
-- POST's 303 (Post/Redirect/Get): the form's page shows the report named by
-- the random id in its URL to the user who sent the file, for 24 hours.
-- Too big for the session cookie (a price table lists every bad line).
CREATE TABLE upload_reports (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX upload_reports_created ON upload_reports (created_at);

-- +goose Down
DROP TABLE upload_reports;
