// Package jobs runs the portal's background work on River: durable, retried,
// unique jobs, with periodic tasks run by the elected leader only. One River
// client (over database/sql, so *sql.Tx) serves PostgreSQL and SQLite alike,
// and jobs are inserted in the same transaction as the change that causes them.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/store"
)

// Client wraps the River client.
type Client struct {
	river       *river.Client[*sql.Tx]
	working     bool
	rescueAfter time.Duration
}

// Options configures the client.
type Options struct {
	Work     bool // false: insert-only (no workers in this process)
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	Logger   *slog.Logger
	// JobTimeout and RescueAfter replace DefaultJobTimeout and
	// DefaultRescueAfter (tests of crash recovery use seconds).
	JobTimeout  time.Duration
	RescueAfter time.Duration
}

// New builds the client on the portal's database.
func New(db *database.DB, opts Options) (*Client, error) {
	var driver riverdriver.Driver[*sql.Tx]
	if db.Dialect == database.Postgres {
		driver = riverdatabasesql.New(db.SQL)
	} else {
		driver = riversqlite.New(db.SQL)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg := &river.Config{
		Logger: logger,
		// database/sql has no LISTEN/NOTIFY: poll, briefly, so new work starts within a second.
		PollOnly:          true,
		FetchPollInterval: 500 * time.Millisecond,
		// A job left running by a dead process blocks its kind until it is
		// rescued: see recovery.go.
		JobTimeout:           cmp.Or(opts.JobTimeout, DefaultJobTimeout),
		RescueStuckJobsAfter: cmp.Or(opts.RescueAfter, DefaultRescueAfter),
	}
	if opts.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}}
		cfg.Workers = opts.Workers
		cfg.PeriodicJobs = opts.Periodic
	}
	rc, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("criando o cliente de filas: %w", err)
	}
	return &Client{river: rc, working: opts.Work, rescueAfter: cfg.RescueStuckJobsAfter}, nil
}

// Start begins working jobs (no-op for insert-only clients).
func (c *Client) Start(ctx context.Context) error {
	if !c.working {
		return nil
	}
	return c.river.Start(ctx)
}

// Stop waits for running jobs to finish, up to ctx's deadline, then cancels them.
func (c *Client) Stop(ctx context.Context) error {
	if !c.working {
		return nil
	}
	if err := c.river.Stop(ctx); err != nil {
		// Out of time: cancel the jobs still running and wait briefly for
		// them to return; River retries them in the next process.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return errors.Join(err, c.river.StopAndCancel(cctx))
	}
	return nil
}

// InsertTx enqueues a job inside the store transaction carried by ctx, so the
// job exists exactly when the change that caused it commits.
func (c *Client) InsertTx(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	tx, ok := store.SQLTx(ctx)
	if !ok {
		return nil, fmt.Errorf("jobs: InsertTx called outside a store transaction")
	}
	return c.river.InsertTx(ctx, tx, args, opts)
}

// Insert enqueues a job on its own.
func (c *Client) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return c.river.Insert(ctx, args, opts)
}

// River exposes the underlying client (tests, admin pages).
func (c *Client) River() *river.Client[*sql.Tx] { return c.river }
