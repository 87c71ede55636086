package jobs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/syncengine"
)

// scriptedEngine answers RunImport from a script of reports.
type scriptedEngine struct {
	jobs.SyncEngine
	script []syncengine.RunReport
	errAt  int // 1-based run that fails; 0: none
	runs   int
}

func (e *scriptedEngine) RunImport(context.Context, int64) (syncengine.RunReport, error) {
	e.runs++
	if e.runs == e.errAt {
		return syncengine.RunReport{}, errors.New("plataforma fora do ar")
	}
	if e.runs > len(e.script) {
		return syncengine.RunReport{}, nil
	}
	return e.script[e.runs-1], nil
}

// A burst bigger than one batch is drained by the same job, run after run,
// while the platform says more waits — bounded, and stopped by a failure.
func TestImportJobDrainsABacklog(t *testing.T) {
	more := syncengine.RunReport{More: true}
	for _, c := range []struct {
		name   string
		script []syncengine.RunReport
		errAt  int
		want   int
	}{
		{"one batch", []syncengine.RunReport{{}}, 0, 1},
		{"three batches", []syncengine.RunReport{more, more, {}}, 0, 3},
		{"a failure ends the drain", []syncengine.RunReport{more, more, more, more}, 2, 2},
		{"bounded", func() []syncengine.RunReport {
			s := make([]syncengine.RunReport, 100)
			for i := range s {
				s[i] = more
			}
			return s
		}(), 0, 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &scriptedEngine{script: c.script, errAt: c.errAt}
			w := &jobs.ImportPlatformWorker{Engine: e}
			err := w.Work(context.Background(), &river.Job[jobs.ImportPlatformArgs]{Args: jobs.ImportPlatformArgs{PlatformID: 1}})
			if e.runs != c.want {
				t.Errorf("%d imports, want %d", e.runs, c.want)
			}
			if (c.errAt != 0) != (err != nil) {
				t.Errorf("error %v", err)
			}
		})
	}
}
