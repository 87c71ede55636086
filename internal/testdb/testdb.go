// Package testdb gives each test its own migrated database: a SQLite file by
// default, or a fresh PostgreSQL database cloned from a migrated template when
// PORTAL_TEST_DATABASE_URL points at a PostgreSQL server (make test sets it).
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/migrations"
)

// EnvVar names the PostgreSQL server URL used by the PostgreSQL run of the suite.
const EnvVar = "PORTAL_TEST_DATABASE_URL"

// URL returns a database URL for a new, empty-but-migrated database of this test.
func URL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvVar)
	if admin == "" {
		return filepath.Join(tb.TempDir(), "portal.db")
	}
	return postgresURL(tb, admin)
}

// MustOpen opens a migrated database for this test and closes it at the end.
func MustOpen(tb testing.TB) *database.DB {
	tb.Helper()
	ctx := context.Background()
	u := URL(tb)
	db, err := database.Open(ctx, u)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if db.Dialect == database.SQLite {
		if err := db.Migrate(ctx, nil); err != nil {
			tb.Fatalf("migrate test database: %v", err)
		}
	}
	return db
}

// IsPostgres reports whether this run targets PostgreSQL.
func IsPostgres() bool { return os.Getenv(EnvVar) != "" }

func postgresURL(tb testing.TB, admin string) string {
	tb.Helper()
	ctx := context.Background()
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("open admin connection: %v", err)
	}
	defer adm.Close()
	tpl := "portal_tpl_" + migrationsHash()
	conn, err := adm.Conn(ctx)
	if err != nil {
		tb.Fatalf("connect to PostgreSQL at %s: %v", admin, err)
	}
	defer conn.Close()
	// One template per migration set; packages tested in parallel wait for whoever builds it.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(424242)"); err != nil {
		tb.Fatalf("lock: %v", err)
	}
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tpl).Scan(&exists); err != nil {
		tb.Fatalf("check template: %v", err)
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+tpl); err != nil {
			tb.Fatalf("create template: %v", err)
		}
		db, err := database.Open(ctx, withDB(tb, admin, tpl))
		if err != nil {
			tb.Fatalf("open template: %v", err)
		}
		if err := db.Migrate(ctx, nil); err != nil {
			db.Close()
			conn.ExecContext(ctx, "DROP DATABASE "+tpl) //nolint:errcheck
			tb.Fatalf("migrate template: %v", err)
		}
		db.Close()
	}
	name := "portal_t_" + randomHex(6)
	_, err = conn.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tpl)
	conn.ExecContext(ctx, "SELECT pg_advisory_unlock(424242)") //nolint:errcheck
	if err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		adm, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer adm.Close()
		adm.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") //nolint:errcheck
	})
	return withDB(tb, admin, name)
}

func withDB(tb testing.TB, admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("bad %s: %v", EnvVar, err)
	}
	u.Path = "/" + name
	return u.String()
}

func migrationsHash() string {
	h := sha256.New()
	fs.WalkDir(migrations.Postgres, ".", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := migrations.Postgres.ReadFile(p)
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:10]
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck
	return strings.ToLower(hex.EncodeToString(b))
}
