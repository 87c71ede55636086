package database_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/testdb"
	"github.com/connectparts/portal/migrations"
)

// TestOldInstanceAfterNewerMigration: during a rolling upgrade the new
// version migrates the shared database while the old one still runs. The
// old one must stay ready (a load balancer would otherwise drop it before
// the new one is up) and start again if it restarts, ignoring the migration
// it does not know. The migration here is additive (expand), as the README
// asks of every migration that ships with a rolling upgrade.
func TestOldInstanceAfterNewerMigration(t *testing.T) {
	ctx := context.Background()
	old := testdb.MustOpen(t)
	dir, sub, dialect := "postgres", migrations.Postgres, goose.DialectPostgres
	if old.Dialect != database.Postgres {
		dir, sub, dialect = "sqlite", migrations.SQLite, goose.DialectSQLite3
	}
	current, err := fs.Sub(sub, dir)
	if err != nil {
		t.Fatal(err)
	}
	next := fstest.MapFS{}
	entries, err := fs.ReadDir(current, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(current, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		next[e.Name()] = &fstest.MapFile{Data: b}
	}
	next["99999_next_version.sql"] = &fstest.MapFile{Data: []byte(`-- +goose Up
ALTER TABLE suppliers ADD COLUMN next_version_note TEXT;

-- +goose Down
ALTER TABLE suppliers DROP COLUMN next_version_note;
`)}
	p, err := goose.NewProvider(dialect, old.SQL, next, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Up(ctx)
	if err != nil || len(res) != 1 {
		t.Fatalf("the new version's migration: %v (%d applied)", err, len(res))
	}
	if err := old.Ready(ctx); err != nil {
		t.Fatalf("the old instance is no longer ready: %v", err)
	}
	if err := old.Migrate(ctx, nil); err != nil {
		t.Fatalf("the old instance cannot restart: %v", err)
	}
	var n int64
	if err := old.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM suppliers").Scan(&n); err != nil {
		t.Fatalf("the old instance's queries: %v", err)
	}
}
