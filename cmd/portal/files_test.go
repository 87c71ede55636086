package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/config"
)

// TestCLIFilesMigrate: documents of an older version, kept as files under
// PORTAL_DATA_DIR with their relative path in the row, are moved into the
// database by `portal files migrate`, byte for byte; a second run moves
// nothing; a row whose file is gone is counted and makes the command fail,
// without touching the others.
func TestCLIFilesMigrate(t *testing.T) {
	p := newPortal(t)
	if out, err := p.run("", "seed", "--demo"); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	ctx := context.Background()
	cfg, err := config.Load(func(k string) string { return p.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, app.NewLogger(cfg), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// Turn the seeded shipment labels and price tables back into files
	// under the data directory, as an older version kept them.
	type legacy struct {
		table, col, path string
		id               int64
		data             []byte
	}
	var olds []legacy
	for _, c := range [][2]string{{"po_shipments", "label_path"}, {"price_tables", "file_path"}} {
		rows, err := a.DB.Gorm.Raw("SELECT id, " + c[1] + " FROM " + c[0] + " WHERE " + c[1] + " <> '' ORDER BY id").Rows()
		if err != nil {
			t.Fatal(err)
		}
		keys := map[int64]string{}
		var ids []int64
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				t.Fatal(err)
			}
			keys[id] = key
			ids = append(ids, id)
		}
		rows.Close() // SQLite has one connection: read the documents after
		for _, id := range ids {
			l, key := legacy{table: c[0], col: c[1], id: id}, keys[id]
			rc, _, err := a.Docs.Open(ctx, key)
			if err != nil {
				t.Fatalf("%s %d: %v", c[0], l.id, err)
			}
			l.data, _ = io.ReadAll(rc)
			rc.Close()
			l.path = filepath.ToSlash(filepath.Join(strings.ReplaceAll(c[0], "_", "-"), "1", strings.ReplaceAll(key, ":", "-")))
			olds = append(olds, l)
		}
	}
	if len(olds) < 2 {
		t.Fatalf("the demo has %d documents", len(olds))
	}
	for _, l := range olds {
		abs := filepath.Join(cfg.DataDir, filepath.FromSlash(l.path))
		if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, l.data, 0o640); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.Gorm.Exec("UPDATE "+l.table+" SET "+l.col+" = ? WHERE id = ?", l.path, l.id).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := a.DB.Gorm.Exec("DELETE FROM document_chunks").Error; err != nil {
		t.Fatal(err)
	}
	if err := a.DB.Gorm.Exec("DELETE FROM documents").Error; err != nil {
		t.Fatal(err)
	}
	// The last one's file is lost.
	lost := olds[len(olds)-1]
	os.Remove(filepath.Join(cfg.DataDir, filepath.FromSlash(lost.path)))

	out, err := p.run("", "files", "migrate")
	want := len(olds) - 1
	if err == nil || !strings.Contains(out, itoa(want)+" movidos") || !strings.Contains(out, "1 ausentes") {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	for _, l := range olds[:want] {
		var key string
		a.DB.Gorm.Raw("SELECT "+l.col+" FROM "+l.table+" WHERE id = ?", l.id).Row().Scan(&key)
		if !strings.HasPrefix(key, "db:") {
			t.Fatalf("%s %d still names %q", l.table, l.id, key)
		}
		rc, _, err := a.Docs.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, l.data) {
			t.Fatalf("%s %d: moved document differs", l.table, l.id)
		}
	}
	// Again: nothing left to move but the lost one.
	out, err = p.run("", "files", "migrate")
	if err == nil || !strings.Contains(out, "0 movidos, "+itoa(want)+" já no armazenamento, 1 ausentes") {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	var docs int64
	a.DB.Gorm.Raw("SELECT COUNT(*) FROM documents").Row().Scan(&docs)
	if docs != int64(want) {
		t.Fatalf("%d documents after two runs, want %d", docs, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
