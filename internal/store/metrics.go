package store

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/model"
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
	// The latest successful run of each (platform, kind) and the latest
	// status push sent: one seek each down the partial indexes of migration
	// 00020 (the platforms are a handful), never a scan of the tables,
	// which are not pruned. MAX over a timestamp comes back as text on
	// SQLite, so the row is read instead.
	for i := range out {
		p := &out[i]
		for _, kind := range []string{model.SyncKindImport, model.SyncKindStockPush, model.SyncKindStatusPush} {
			var at []time.Time
			err := s.conn(ctx).Raw(`SELECT finished_at FROM sync_runs WHERE platform_id = ? AND kind = ? AND status = 'ok'
				ORDER BY id DESC LIMIT 1`, p.ID, kind).Scan(&at).Error
			if err != nil {
				return nil, translate(err, "Execução de sincronização")
			}
			if len(at) == 1 && !at[0].IsZero() {
				p.LastOK[kind] = at[0]
			}
		}
		var sent []time.Time
		err := s.conn(ctx).Raw(`SELECT done_at FROM status_pushes WHERE platform_id = ? AND status = 'done'
			ORDER BY id DESC LIMIT 1`, p.ID).Scan(&sent).Error
		if err != nil {
			return nil, translate(err, "Envio de status")
		}
		if len(sent) == 1 && !sent[0].IsZero() {
			p.LastOK["status_push"] = sent[0]
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
