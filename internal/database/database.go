// Package database opens the portal's database (PostgreSQL or embedded SQLite)
// and applies its migrations: goose for the schema, rivermigrate for River.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/connectparts/portal/migrations"
)

// Dialect names the database engine.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB bundles the GORM handle and the underlying pool shared with River.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect
}

// Open connects to url: a postgres:// URL, or a SQLite file path (created if missing).
func Open(ctx context.Context, url string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url)
	}
	return openSQLite(ctx, url)
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		// PrepareStmt stays off: River needs tx.Statement.ConnPool to be the *sql.Tx.
		PrepareStmt:            false,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		Logger:                 logger.Discard,
		TranslateError:         true,
	}
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	sqlDB, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("abrindo PostgreSQL: %w", err)
	}
	// As many idle connections kept as may be open: with fewer, a burst of
	// users closes the extra connections as soon as it ebbs and opens new
	// ones at the next (a PostgreSQL backend costs milliseconds to start),
	// which showed as the tail of every page under 50 users. Idle ones still
	// close after five minutes.
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(20)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := ping(ctx, sqlDB); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("conectando ao PostgreSQL: %w", err)
	}
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: Postgres}, nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("criando a pasta do banco SQLite: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(15000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("abrindo SQLite: %w", err)
	}
	// SQLite allows one writer; a single connection serialises every write
	// (and River's own queries) instead of failing with SQLITE_BUSY.
	sqlDB.SetMaxOpenConns(1)
	if err := ping(ctx, sqlDB); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("abrindo SQLite em %s: %w", path, err)
	}
	g, err := gorm.Open(sqlite.Dialector{Conn: sqlDB}, gormConfig())
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: SQLite}, nil
}

func ping(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// Close closes the pool.
func (db *DB) Close() error { return db.SQL.Close() }

func (db *DB) provider(logger *slog.Logger) (*goose.Provider, error) {
	var fsys fs.FS
	var dialect goose.Dialect
	var err error
	switch db.Dialect {
	case Postgres:
		fsys, err = fs.Sub(migrations.Postgres, "postgres")
		dialect = goose.DialectPostgres
	default:
		fsys, err = fs.Sub(migrations.SQLite, "sqlite")
		dialect = goose.DialectSQLite3
	}
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	return goose.NewProvider(dialect, db.SQL, fsys, opts...)
}

// migrationLock serialises migrations across instances sharing a PostgreSQL database.
const migrationLock = 7_301_994_012

// Migrate applies pending schema migrations, then River's, and reports what it applied.
func (db *DB) Migrate(ctx context.Context, logger *slog.Logger) error {
	if db.Dialect == Postgres {
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("aguardando a trava de migração: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck
	}
	p, err := db.provider(nil)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migração do esquema: %w", err)
	}
	for _, r := range results {
		if logger != nil {
			logger.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
		}
	}
	if err := db.migrateRiver(ctx, logger); err != nil {
		return fmt.Errorf("migração das filas (River): %w", err)
	}
	return nil
}

func (db *DB) migrateRiver(ctx context.Context, logger *slog.Logger) error {
	var res *rivermigrate.MigrateResult
	var err error
	if db.Dialect == Postgres {
		m, e := rivermigrate.New(riverdatabasesql.New(db.SQL), &rivermigrate.Config{Logger: quiet(logger)})
		if e != nil {
			return e
		}
		res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	} else {
		m, e := rivermigrate.New(riversqlite.New(db.SQL), &rivermigrate.Config{Logger: quiet(logger)})
		if e != nil {
			return e
		}
		res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return err
	}
	if logger != nil && len(res.Versions) > 0 {
		logger.Info("river migrations applied", "count", len(res.Versions))
	}
	return nil
}

func quiet(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// Pending reports whether schema migrations remain to be applied.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	p, err := db.provider(nil)
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}

// Ready checks that the database answers and the schema is current.
func (db *DB) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("banco de dados indisponível: %w", err)
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		return fmt.Errorf("verificando migrações: %w", err)
	}
	if pending {
		return fmt.Errorf("há migrações pendentes")
	}
	return nil
}
