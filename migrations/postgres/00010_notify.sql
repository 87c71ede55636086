-- +goose Up
-- Notifications beyond the bell: e-mails (the outbox, sent over SMTP by a
-- job, or held when SMTP is not configured) and suppliers' webhooks with
-- their deliveries and every attempt. The deadline warning is sent once per PO.
ALTER TABLE purchase_orders ADD COLUMN deadline_warned_at TIMESTAMPTZ;

CREATE TABLE email_outbox (
    id              BIGSERIAL PRIMARY KEY,
    user_id         BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind            TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL, -- held | pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX email_outbox_status ON email_outbox (status, id);
CREATE INDEX email_outbox_kind ON email_outbox (kind, id);

-- One endpoint per supplier. The signing secret is sealed (AES-GCM).
CREATE TABLE webhooks (
    id                BIGSERIAL PRIMARY KEY,
    supplier_id       BIGINT NOT NULL UNIQUE REFERENCES suppliers(id) ON DELETE CASCADE,
    url               TEXT NOT NULL,
    events            TEXT NOT NULL, -- comma-separated event kinds
    secret_sealed     TEXT NOT NULL,
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    secret_rotated_at TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    webhook_id       BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    supplier_id      BIGINT NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    event            TEXT NOT NULL,
    message          TEXT NOT NULL DEFAULT '',
    link             TEXT NOT NULL DEFAULT '', -- absolute
    data             TEXT NOT NULL DEFAULT '{}', -- JSON
    status           TEXT NOT NULL, -- pending | delivered | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    last_attempt_at  TIMESTAMPTZ,
    delivered_at     TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_supplier ON webhook_deliveries (supplier_id, id);

CREATE TABLE webhook_attempts (
    id           BIGSERIAL PRIMARY KEY,
    delivery_id  BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at TIMESTAMPTZ NOT NULL,
    status_code  INTEGER NOT NULL DEFAULT 0, -- 0: no response
    error        TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT '', -- the start of the response body
    duration_ms  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE email_outbox;
ALTER TABLE purchase_orders DROP COLUMN deadline_warned_at;
