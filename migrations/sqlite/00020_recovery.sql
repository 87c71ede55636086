-- +goose Up
-- A run whose process died is closed as 'interrupted'; job_id and job_attempt
-- name the River job attempt that owns a running run, so that a run is closed
-- only when that attempt is no longer running (several instances share the
-- database: the job's state, not one process's memory, decides).
-- SQLite cannot alter a CHECK constraint: the table is rebuilt.
CREATE TABLE sync_runs_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_id   INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    started_at    DATETIME NOT NULL,
    finished_at   DATETIME,
    status        TEXT NOT NULL CHECK (status IN ('running','ok','failed','interrupted')),
    imported      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    blocked       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    error_kind    TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    job_id        INTEGER,
    job_attempt   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_runs_new (id, platform_id, kind, started_at, finished_at, status, imported, updated, blocked, skipped, error_kind, error_message)
    SELECT id, platform_id, kind, started_at, finished_at, status, imported, updated, blocked, skipped, error_kind, error_message FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_new RENAME TO sync_runs;
CREATE INDEX sync_runs_platform ON sync_runs (platform_id, id DESC);
CREATE INDEX sync_runs_running ON sync_runs (id) WHERE status = 'running';
CREATE INDEX sync_runs_latest_ok ON sync_runs (platform_id, kind, id) WHERE status = 'ok';
-- The metrics scrape reads each platform's latest status push sent.
CREATE INDEX status_pushes_done ON status_pushes (platform_id, id) WHERE status = 'done';

-- sent_at: when a state-changing call was last handed to the platform. A push
-- still pending with sent_at set may have reached the platform (the process
-- died, or the answer timed out): the next attempt checks the order's state
-- on the platform before sending again.
ALTER TABLE status_pushes ADD COLUMN sent_at DATETIME;

-- +goose Down
DROP INDEX status_pushes_done;
ALTER TABLE status_pushes DROP COLUMN sent_at;
CREATE TABLE sync_runs_old (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_id   INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    started_at    DATETIME NOT NULL,
    finished_at   DATETIME,
    status        TEXT NOT NULL CHECK (status IN ('running','ok','failed')),
    imported      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    blocked       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    error_kind    TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_runs_old (id, platform_id, kind, started_at, finished_at, status, imported, updated, blocked, skipped, error_kind, error_message)
    SELECT id, platform_id, kind, started_at, finished_at, CASE status WHEN 'interrupted' THEN 'failed' ELSE status END,
           imported, updated, blocked, skipped, error_kind, error_message FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_old RENAME TO sync_runs;
CREATE INDEX sync_runs_platform ON sync_runs (platform_id, id DESC);
