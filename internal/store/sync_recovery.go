package store

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// InterruptedRunMessage is what a run closed by CloseDeadSyncRuns says.
const InterruptedRunMessage = "Interrompida: o processo que a executava parou antes de terminar (reinício ou falha). " +
	"O que foi aplicado continua aplicado; a próxima execução continua de onde parou."

// CloseDeadSyncRuns closes as interrupted the runs still "running" whose
// process died: a run owned by a background job attempt once that attempt is
// no longer running in River's job table (rescued, retried, discarded — on
// whichever instance), and a run of `portal sync` (no job) started before
// cliBefore. Runs of live attempts are left alone, whichever instance works
// them. It returns how many runs were closed.
func (s *Store) CloseDeadSyncRuns(ctx context.Context, cliBefore time.Time) (int64, error) {
	now := s.now()
	res := s.conn(ctx).Exec(`UPDATE sync_runs SET status = ?, finished_at = ?, error_kind = ?, error_message = ?
		WHERE status = ? AND (
		  (job_id IS NOT NULL AND NOT EXISTS (
		     SELECT 1 FROM river_job j WHERE j.id = sync_runs.job_id AND j.state = 'running' AND j.attempt = sync_runs.job_attempt))
		  OR (job_id IS NULL AND started_at < ?))`,
		model.SyncInterrupted, now, "interrupted", InterruptedRunMessage, model.SyncRunning, cliBefore)
	return res.RowsAffected, translate(res.Error, "Execução de sincronização")
}

// CloseEarlierAttemptRuns closes as interrupted the runs still "running" of
// earlier attempts of one job: a job running again after River rescued it
// from a dead process closes what that process left open.
func (s *Store) CloseEarlierAttemptRuns(ctx context.Context, jobID int64, attempt int) error {
	err := s.conn(ctx).Model(&model.SyncRun{}).
		Where("status = ? AND job_id = ? AND job_attempt < ?", model.SyncRunning, jobID, attempt).
		Updates(map[string]any{"status": model.SyncInterrupted, "finished_at": s.now(),
			"error_kind": "interrupted", "error_message": InterruptedRunMessage}).Error
	return translate(err, "Execução de sincronização")
}

// MarkStatusPushSent records, before the call, that an action is being
// handed to the platform: if the answer is lost or the process dies, the next
// attempt knows the action may have taken effect.
func (s *Store) MarkStatusPushSent(ctx context.Context, id int64) error {
	now := s.now()
	err := s.conn(ctx).Table("status_pushes").Where("id = ?", id).Updates(map[string]any{"sent_at": now, "updated_at": now}).Error
	return translate(err, "Envio de status")
}
