-- +goose Up
-- A run whose process died is closed as 'interrupted'; job_id and job_attempt
-- name the River job attempt that owns a running run, so that a run is closed
-- only when that attempt is no longer running (several instances share the
-- database: the job's state, not one process's memory, decides).
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_status_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check CHECK (status IN ('running','ok','failed','interrupted'));
ALTER TABLE sync_runs ADD COLUMN job_id BIGINT;
ALTER TABLE sync_runs ADD COLUMN job_attempt INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sync_runs_running ON sync_runs (id) WHERE status = 'running';
CREATE INDEX sync_runs_latest_ok ON sync_runs (platform_id, kind, id) WHERE status = 'ok';
-- The metrics scrape reads each platform's latest status push sent.
CREATE INDEX status_pushes_done ON status_pushes (platform_id, id) WHERE status = 'done';

-- sent_at: when a state-changing call was last handed to the platform. A push
-- still pending with sent_at set may have reached the platform (the process
-- died, or the answer timed out): the next attempt checks the order's state
-- on the platform before sending again.
ALTER TABLE status_pushes ADD COLUMN sent_at TIMESTAMPTZ;

-- +goose Down
DROP INDEX status_pushes_done;
ALTER TABLE status_pushes DROP COLUMN sent_at;
DROP INDEX sync_runs_latest_ok;
DROP INDEX sync_runs_running;
ALTER TABLE sync_runs DROP COLUMN job_attempt;
ALTER TABLE sync_runs DROP COLUMN job_id;
UPDATE sync_runs SET status = 'failed' WHERE status = 'interrupted';
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_status_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check CHECK (status IN ('running','ok','failed'));
