-- +goose Up
-- "Esqueci minha senha": single-use links sent by e-mail. Only the SHA-256 of
-- the token is kept; the rows also count the requests for the rate limits
-- (per user and per address; a request for an unknown or disabled e-mail is
-- kept with no user and no token), so every instance sees the same counts.
CREATE TABLE password_resets (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT UNIQUE,
    requested_ip TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX password_resets_user_created ON password_resets (user_id, created_at);
CREATE INDEX password_resets_ip_created ON password_resets (requested_ip, created_at);

-- +goose Down
DROP TABLE password_resets;
