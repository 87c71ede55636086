// Package app assembles the portal from its parts: configuration → database →
// migrations → stores and services → job client → web server. cmd/portal and
// the end-to-end tests build the same application through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/catalog"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/jobs"
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

	PriceTables *pricetable.Service
	SyncEngine  *syncengine.Service
	Queue       *jobs.Queue // the sync engine's jobs (syncengine.Queue, the stock hook, "sync now")
	Purchasing  *purchasing.Service
	Notify      *notify.Service // e-mails and supplier webhooks
}

// Options tunes Open.
type Options struct {
	Migrate    bool // apply pending migrations first
	Work       bool // run background workers in this process
	BcryptCost int  // 0: the production default
	// WebhookTransport carries webhook POSTs (tests: the TLS test server's
	// transport); nil: the default transport.
	WebhookTransport http.RoundTripper
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
	a.Store = store.New(db)
	a.Auth = auth.NewService(a.Store, auth.Hasher{Cost: opts.BcryptCost}, auth.Policy{
		SessionIdle: cfg.SessionIdle, SessionAbsolute: cfg.SessionAbsolute,
	})
	a.PriceTables = pricetable.NewService(a.Store, cfg.DataDir)
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.PurgeSessionsWorker{Purger: a.Auth})
	river.AddWorker(workers, &jobs.PurgeOutboxWorker{Purger: a.Store})
	river.AddWorker(workers, &jobs.PriceTablesWorker{Keeper: a.PriceTables})
	// The sync workers need the orders service and the client: filled below.
	importW, stockW, statusW := &jobs.ImportPlatformWorker{}, &jobs.PushStockWorker{}, &jobs.PushStatusWorker{}
	scheduleW, reconcileW := &jobs.SyncScheduleWorker{Store: a.Store}, &jobs.ReconcileStockWorker{Store: a.Store}
	river.AddWorker(workers, importW)
	river.AddWorker(workers, stockW)
	river.AddWorker(workers, statusW)
	river.AddWorker(workers, scheduleW)
	river.AddWorker(workers, reconcileW)
	backoff := jobs.DefaultBackoff
	if opts.RetryBackoff != nil {
		backoff = *opts.RetryBackoff
	}
	emailW, webhookW := &jobs.SendEmailWorker{Backoff: backoff}, &jobs.DeliverWebhookWorker{Backoff: backoff}
	deadlineW := &jobs.DeadlineNearWorker{}
	river.AddWorker(workers, emailW)
	river.AddWorker(workers, webhookW)
	river.AddWorker(workers, deadlineW)
	importOrderW := &jobs.ImportOrderWorker{}
	river.AddWorker(workers, importOrderW)
	a.Jobs, err = jobs.New(db, jobs.Options{
		Work: opts.Work, Workers: workers, Logger: logger,
		Periodic: jobs.Periodic(),
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Catalog = catalog.New(a.Store)
	a.Stock = stock.New(a.Store)
	box, err := secret.NewBox(keys.Data)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.SyncEngine = syncengine.New(a.Store, a.Stock, box, logger)
	a.Queue = &jobs.Queue{Client: a.Jobs, Store: a.Store}
	a.SyncEngine.SetQueue(a.Queue)
	a.Purchasing = purchasing.New(a.Store, a.PriceTables, cfg.CompanyCNPJ)
	a.SyncEngine.SetPurchasing(a.Purchasing)
	a.Purchasing.SetSalesOrders(a.SyncEngine)
	a.Purchasing.SetDataDir(cfg.DataDir)
	a.Store.SetStockHook(a.Queue.StockChanged)
	var mailer notify.Mailer
	if cfg.SMTPURL != "" {
		smtp, err := notify.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			db.Close()
			return nil, err
		}
		mailer = smtp
	}
	a.Notify = notify.New(notify.Options{Store: a.Store, Box: box, Mailer: mailer, Transport: opts.WebhookTransport})
	a.Store.SetPublishing(store.PublishOptions{BaseURL: cfg.PublicURL(), Mail: mailer != nil, Queue: a.Queue.Outbox})
	emailW.Sender, webhookW.Deliverer, deadlineW.Warner = a.Notify, a.Notify, a.Purchasing
	importW.Engine, importW.Client = a.SyncEngine, a.Jobs
	importOrderW.Engine = a.SyncEngine
	stockW.Engine, stockW.Pending = a.SyncEngine, a.Queue.StockPending
	statusW.Engine = a.SyncEngine
	scheduleW.Engine, scheduleW.Client = a.SyncEngine, a.Jobs
	reconcileW.Client = a.Jobs
	a.Web = web.New(web.Deps{Config: cfg, Store: a.Store, Auth: a.Auth, Catalog: a.Catalog, Stock: a.Stock, PriceTables: a.PriceTables, SyncEngine: a.SyncEngine, Sync: a.Queue, Purchasing: a.Purchasing, Notify: a.Notify, Ready: db, Keys: keys, Logger: logger})
	return a, nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Serve runs the web server and the workers until ctx is cancelled, then
// shuts both down gracefully (requests and jobs in flight get 30 s).
func (a *App) Serve(ctx context.Context) error {
	if err := a.Jobs.Start(ctx); err != nil {
		return fmt.Errorf("iniciando as filas: %w", err)
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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	werr := a.Web.Shutdown(shutdownCtx)
	jerr := a.Jobs.Stop(shutdownCtx)
	return errors.Join(serveErr, werr, jerr)
}
