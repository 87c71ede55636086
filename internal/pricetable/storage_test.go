package pricetable_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/store"
)

type fullFile struct {
	f    *os.File
	room int
}

func (l *fullFile) Write(p []byte) (int, error) {
	if len(p) > l.room {
		n, _ := l.f.Write(p[:l.room])
		l.room = 0
		return n, &fs.PathError{Op: "write", Path: l.f.Name(), Err: syscall.ENOSPC}
	}
	l.room -= len(p)
	return l.f.Write(p)
}
func (l *fullFile) Name() string { return l.f.Name() }
func (l *fullFile) Sync() error  { return l.f.Sync() }
func (l *fullFile) Close() error { return l.f.Close() }

// TestUploadOnFullDisk: a price table whose original cannot be stored (the
// disk fills half-way) is refused as ENOSPACE in Portuguese and records
// nothing: no table, no items, no file, and the table in force unchanged.
func TestUploadOnFullDisk(t *testing.T) {
	e := newEnv(t)
	sup := e.supplier(0, "Paulista Autopeças")
	ids := e.products(sup, "A", 2000)
	e.submit(sup, "2026-11-05", "codigo;preco", "A0001;10,00")
	before := e.count("price_tables")
	root := t.TempDir()
	docs, err := docstore.NewDir(e.store, root, e.dir, func(dir, pattern string) (docstore.File, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &fullFile{f: f, room: 8 << 10}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.SetDocuments(docs)
	var b strings.Builder
	b.WriteString("codigo;preco\r\n")
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&b, "A%04d;2,00\r\n", i)
	}
	_, err = e.svc.Upload(e.ctx, sup.ID, file("nova.csv", []byte(b.String())))
	if !apperr.Is(err, apperr.ENOSPACE) || !strings.Contains(apperr.Message(err), "nada foi registrado") {
		t.Fatalf("upload on a full disk: %v", err)
	}
	if n := e.count("price_tables"); n != before {
		t.Fatalf("price tables %d → %d", before, n)
	}
	var left []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
	if c, _, _ := e.svc.PriceAt(e.ctx, ids[0], at("2026-11-06 00:00")); c != 1000 {
		t.Fatalf("price in force changed to %d", c)
	}
	list, _, _ := e.store.ListPriceTables(e.ctx, store.PriceTableFilter{}, store.Page{}, e.now)
	if len(list) != 1 {
		t.Fatalf("tables: %d", len(list))
	}
}
