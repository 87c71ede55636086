package store

import (
	"context"
	"time"
)

// JobCount is how many background jobs of a kind are in a River state.
type JobCount struct {
	Kind  string
	State string
	N     int64
}

// CountJobs counts River's jobs by kind and state, for the states worth
// watching (waiting, running, retrying, discarded), in one grouped query.
func (s *Store) CountJobs(ctx context.Context) ([]JobCount, error) {
	var out []JobCount
	err := s.conn(ctx).Raw(`SELECT kind, CAST(state AS TEXT) AS state, COUNT(*) AS n FROM river_job
		WHERE state IN ('available', 'pending', 'scheduled', 'running', 'retryable', 'discarded')
		GROUP BY kind, state`).Scan(&out).Error
	return out, translate(err, "Tarefa")
}

// PlatformHealth is one platform's sync figures for monitoring.
type PlatformHealth struct {
	ID   int64
	Name string
	// LastOK holds the end of the latest successful run per kind
	// (model.SyncKindImport, model.SyncKindStockPush) and of the latest
	// status push sent ("status_push"); a kind never done is absent.
	LastOK        map[string]time.Time
	StatusWaiting int64 // status pushes pending
	StockWaiting  int64 // products whose stock waits for a push
}

// PlatformsHealth reads every enabled platform's figures in a few grouped
// queries (indexed: sync_runs_latest_ok, status_pushes_pending,
// status_pushes_done).
func (s *Store) PlatformsHealth(ctx context.Context) ([]PlatformHealth, error) {
	var plats []struct {
		ID   int64
		Name string
	}
	if err := s.conn(ctx).Raw(`SELECT id, name FROM platforms WHERE enabled ORDER BY id`).Scan(&plats).Error; err != nil {
		return nil, translate(err, "Plataforma")
	}
	out := make([]PlatformHealth, len(plats))
	byID := map[int64]*PlatformHealth{}
	for i, p := range plats {
		out[i] = PlatformHealth{ID: p.ID, Name: p.Name, LastOK: map[string]time.Time{}}
		byID[p.ID] = &out[i]
	}
	var last []struct {
		PlatformID int64
		Kind       string
		At         time.Time
	}
	// MAX over a timestamp comes back as text on SQLite: the latest run's
	// row is read instead.
	err := s.conn(ctx).Raw(`SELECT r.platform_id, r.kind, r.finished_at AS at FROM sync_runs r
		WHERE r.status = 'ok' AND r.id = (SELECT MAX(r2.id) FROM sync_runs r2
		  WHERE r2.platform_id = r.platform_id AND r2.kind = r.kind AND r2.status = 'ok')`).Scan(&last).Error
	if err != nil {
		return nil, translate(err, "Execução de sincronização")
	}
	var sent []struct {
		PlatformID int64
		Kind       string
		At         time.Time
	}
	err = s.conn(ctx).Raw(`SELECT sp.platform_id, 'status_push' AS kind, sp.done_at AS at FROM status_pushes sp
		WHERE sp.id = (SELECT MAX(s2.id) FROM status_pushes s2 WHERE s2.platform_id = sp.platform_id AND s2.status = 'done')`).Scan(&sent).Error
	if err != nil {
		return nil, translate(err, "Envio de status")
	}
	for _, l := range append(last, sent...) {
		if p := byID[l.PlatformID]; p != nil && !l.At.IsZero() {
			p.LastOK[l.Kind] = l.At
		}
	}
	var waiting []struct {
		PlatformID int64
		N          int64
	}
	if err := s.conn(ctx).Raw(`SELECT platform_id, COUNT(*) AS n FROM status_pushes WHERE status = 'pending' GROUP BY platform_id`).Scan(&waiting).Error; err != nil {
		return nil, translate(err, "Envio de status")
	}
	for _, w := range waiting {
		if p := byID[w.PlatformID]; p != nil {
			p.StatusWaiting = w.N
		}
	}
	dirty, err := s.DirtyStockByPlatform(ctx)
	if err != nil {
		return nil, err
	}
	for id, n := range dirty {
		if p := byID[id]; p != nil {
			p.StockWaiting = n
		}
	}
	return out, nil
}
