// Package app assembles the portal from its parts: configuration → database →
// migrations → stores and services → job client → web server. cmd/portal and
// the end-to-end tests build the same application through it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/catalog"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/metrics"
	"github.com/connectparts/portal/internal/notify"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/web"
)

// App is one running portal.
type App struct {
	Config  config.Config
	Logger  *slog.Logger
	DB      *database.DB
	Store   *store.Store
	Catalog *catalog.Service
	Stock   *stock.Service
	Auth    *auth.Service
	Jobs    *jobs.Client
	Web     *web.Server
	Keys    secret.Keys

	Docs        *docstore.Store // uploaded documents, shared by every instance
	PriceTables *pricetable.Service
	SyncEngine  *syncengine.Service
	Queue       *jobs.Queue // the sync engine's jobs (syncengine.Queue, the stock hook, "sync now")
	Purchasing  *purchasing.Service
	Notify      *notify.Service  // e-mails and supplier webhooks
	Metrics     *metrics.Metrics // Prometheus registry, served on PORTAL_METRICS_ADDR
	metricsSrv  *metrics.Server
}

// Options tunes Open.
type Options struct {
	Migrate    bool // apply pending migrations first
	Work       bool // run background workers in this process
	BcryptCost int  // 0: the production default
	// WebhookTransport carries webhook POSTs (tests: the TLS test server's
	// transport); nil: the default transport.
	WebhookTransport http.RoundTripper
	// WebhookResolver checks webhook hosts when saved (tests fake DNS); nil: the system resolver.
	WebhookResolver notify.Resolver
	// RetryBackoff replaces the e-mail and webhook retry schedule (tests).
	RetryBackoff *jobs.Backoff
}

// NewLogger builds the process logger from the configuration.
func NewLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// Open builds the application. Close it when done.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger, opts Options) (*App, error) {
	master, err := secret.LoadOrCreate(cfg.Secret, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("segredo do portal: %w", err)
	}
	keys, err := secret.Derive(master)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, DB: db, Keys: keys}
	if opts.Migrate {
		if err := db.Migrate(ctx, logger); err != nil {
			db.Close()
			return nil, err
		}
	}
	// Dependencies run one way and are all given at construction:
	// job inserter → queue → store → services → workers → job runner.
	// The inserter is an insert-only River client: the queue needs it before
	// the workers (which need the services) exist.
	inserter, err := jobs.New(db, jobs.Options{Logger: logger})
	if err != nil {
		db.Close()
		return nil, err
	}
	// The queue reads enabled platforms and dirty stock in the caller's
	// transaction through a store of its own, without hooks.
	a.Queue = &jobs.Queue{Client: inserter, Store: store.New(db)}
	var mailer notify.Mailer
	if cfg.SMTPURL != "" {
		smtp, err := notify.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			db.Close()
			return nil, err
		}
		mailer = smtp
	}
	a.Store = store.NewWith(db, store.Options{
		StockHook:  a.Queue.StockChanged,
		Publishing: store.PublishOptions{BaseURL: cfg.PublicURL(), Mail: mailer != nil, Queue: a.Queue.Outbox},
	})
	a.Auth = auth.NewService(a.Store, auth.Hasher{Cost: opts.BcryptCost}, auth.Policy{
		SessionIdle: cfg.SessionIdle, SessionAbsolute: cfg.SessionAbsolute,
	})
	a.Docs, err = docstore.Open(ctx, a.Store, cfg.BlobURL, cfg.DataDir)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.PriceTables = pricetable.NewService(a.Store, cfg.DataDir)
	a.PriceTables.SetDocuments(a.Docs)
	a.Catalog = catalog.New(a.Store)
	a.Stock = stock.New(a.Store)
	box, err := secret.NewBox(keys.Data)
	if err != nil {
		db.Close()
		return nil, err
	}
	// The sales-order steps are shared: purchasing drives them (billing,
	// despacho, shipment), the sync engine's import drives purchasing.
	salesOrders := syncengine.NewSalesOrders(a.Store, a.Stock, a.Queue)
	a.Purchasing = purchasing.New(purchasing.Options{Store: a.Store, Prices: a.PriceTables, CompanyCNPJ: cfg.CompanyCNPJ,
		SalesOrders: salesOrders, Documents: a.Docs})
	a.SyncEngine = syncengine.New(syncengine.Options{Store: a.Store, Stock: a.Stock, Box: box, Logger: logger,
		Queue: a.Queue, Purchasing: a.Purchasing, SalesOrders: salesOrders})
	a.Notify = notify.New(notify.Options{Store: a.Store, Box: box, Mailer: mailer, Transport: opts.WebhookTransport, Resolver: opts.WebhookResolver})
	backoff := jobs.DefaultBackoff
	if opts.RetryBackoff != nil {
		backoff = *opts.RetryBackoff
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.PurgeSessionsWorker{Purger: a.Auth})
	river.AddWorker(workers, &jobs.PurgeOutboxWorker{Purger: a.Store})
	river.AddWorker(workers, &jobs.PriceTablesWorker{Keeper: a.PriceTables})
	river.AddWorker(workers, &jobs.ImportPlatformWorker{Engine: a.SyncEngine, Client: inserter})
	river.AddWorker(workers, &jobs.ImportOrderWorker{Engine: a.SyncEngine})
	river.AddWorker(workers, &jobs.PushStockWorker{Engine: a.SyncEngine, Pending: a.Queue.StockPending, Client: inserter})
	river.AddWorker(workers, &jobs.PushStatusWorker{Engine: a.SyncEngine})
	river.AddWorker(workers, &jobs.SyncScheduleWorker{Store: a.Store, Engine: a.SyncEngine, Client: inserter})
	river.AddWorker(workers, &jobs.ReconcileStockWorker{Store: a.Store, Client: inserter})
	river.AddWorker(workers, &jobs.SendEmailWorker{Backoff: backoff, Sender: a.Notify})
	river.AddWorker(workers, &jobs.DeliverWebhookWorker{Backoff: backoff, Deliverer: a.Notify})
	river.AddWorker(workers, &jobs.DeadlineNearWorker{Warner: a.Purchasing})
	a.Jobs, err = jobs.New(db, jobs.Options{
		Work: opts.Work, Workers: workers, Logger: logger,
		Periodic:   jobs.Periodic(),
		JobTimeout: cfg.JobTimeout, RescueAfter: cfg.JobRescueAfter,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Metrics = metrics.New(a.Store)
	a.Web = web.New(web.Deps{Requests: a.Metrics, Config: cfg, Store: a.Store, Auth: a.Auth, Catalog: a.Catalog, Stock: a.Stock, PriceTables: a.PriceTables, SyncEngine: a.SyncEngine, Sync: a.Queue, Purchasing: a.Purchasing, Notify: a.Notify, Ready: db, Keys: keys, Logger: logger})
	return a, nil
}

// Close releases the database.
func (a *App) Close() error {
	if a.Docs != nil {
		a.Docs.Close()
	}
	return a.DB.Close()
}

// Serve runs the web server and the workers until ctx is cancelled, then
// shuts both down gracefully (requests and jobs in flight get 30 s).
func (a *App) Serve(ctx context.Context) error {
	// Runs left open by a process that died (their job is no longer
	// running) are closed now; the others when River rescues their job.
	if err := jobs.CloseDeadSyncRuns(ctx, a.Store); err != nil {
		a.Logger.Warn("closing interrupted sync runs", "error", err)
	}
	// River cancels the jobs in flight when the context given to Start is
	// cancelled: the signal must not reach them; shutdown stops them with
	// their grace.
	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("iniciando as filas: %w", err)
	}
	if a.Config.MetricsAddr != "" {
		srv, err := a.Metrics.Listen(a.Config.MetricsAddr)
		if err != nil {
			_ = a.Jobs.Stop(context.Background())
			return fmt.Errorf("métricas em %s: %w", a.Config.MetricsAddr, err)
		}
		a.metricsSrv = srv
		a.Logger.Info("metrics listening", "addr", a.Config.MetricsAddr)
	}
	errc := make(chan error, 1)
	go func() { errc <- a.Web.Listen(a.Config.Addr) }()
	a.Logger.Info("portal listening", "addr", a.Config.Addr, "database", string(a.DB.Dialect), "env", a.Config.Env)
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
		if serveErr != nil {
			serveErr = fmt.Errorf("servidor HTTP: %w", serveErr)
		}
	}
	a.Logger.Info("shutting down")
	a.shutdown(a.Config.ShutdownGrace)
	return serveErr
}

// shutdown stops the web server and the workers side by side: requests in
// flight (a long upload) and jobs in flight each get grace to finish. What
// does not finish in time is cut off — a job is then cancelled and retried
// by the next process — and logged; the exit is still a clean one.
func (a *App) shutdown(grace time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := a.Web.Shutdown(ctx); err != nil {
			a.Logger.Warn("requests still in flight after the shutdown grace", "grace", grace, "error", err)
		}
	})
	wg.Go(func() {
		if err := a.Jobs.Stop(ctx); err != nil {
			a.Logger.Warn("jobs cancelled after the shutdown grace", "grace", grace, "error", err)
		}
	})
	wg.Wait()
	if err := a.metricsSrv.Shutdown(context.Background()); err != nil {
		a.Logger.Warn("metrics listener", "error", err)
	}
	a.Logger.Info("stopped")
}
