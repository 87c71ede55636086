package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/syncengine"
)

// scriptedEngine answers RunImport from a script of reports.
type scriptedEngine struct {
	jobs.SyncEngine
	script []syncengine.RunReport
	errAt  int // 1-based run that fails; 0: none
	runs   int
	slow   time.Duration // each run takes this long
}

func (e *scriptedEngine) RunImport(context.Context, int64) (syncengine.RunReport, error) {
	time.Sleep(e.slow)
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

// A drain that reaches its time (ahead of the job's timeout) stops between
// runs and continues in a new round a second later, instead of being cut
// off by the timeout.
func TestImportJobContinuesInRoundsAheadOfItsTimeout(t *testing.T) {
	more := syncengine.RunReport{More: true}
	e := &scriptedEngine{script: []syncengine.RunReport{more, more, more, more, more, more, more, more}, slow: 120 * time.Millisecond}
	w := &jobs.ImportPlatformWorker{Engine: e}
	// A 400 ms timeout: the runs stop once a quarter of it is left.
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	err := w.Work(ctx, &river.Job[jobs.ImportPlatformArgs]{Args: jobs.ImportPlatformArgs{PlatformID: 1}})
	var snooze *rivertype.JobSnoozeError
	if e.runs < 2 || e.runs > 3 || !errors.As(err, &snooze) || snooze.Duration != time.Second {
		t.Fatalf("%d runs, error %v; want 2 or 3 runs and a new round in 1 s", e.runs, err)
	}
}
