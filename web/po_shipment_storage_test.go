package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/model"
)

// diskWithRoom is a file system with room bytes left: writes past it fail
// with errno, as a full (ENOSPC) or read-only (EROFS) disk does.
func diskWithRoom(room int, errno syscall.Errno) docstore.CreateFunc {
	return func(dir, pattern string) (docstore.File, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &limitedFile{f: f, room: room, errno: errno}, nil
	}
}

type limitedFile struct {
	f     *os.File
	room  int
	errno syscall.Errno
}

func (l *limitedFile) Write(p []byte) (int, error) {
	if len(p) > l.room {
		n, _ := l.f.Write(p[:l.room])
		l.room = 0
		return n, &fs.PathError{Op: "write", Path: l.f.Name(), Err: l.errno}
	}
	l.room -= len(p)
	return l.f.Write(p)
}
func (l *limitedFile) Name() string { return l.f.Name() }
func (l *limitedFile) Sync() error  { return l.f.Sync() }
func (l *limitedFile) Close() error { return l.f.Close() }

// TestShipmentLabelOnFullDisk: a 205 KB label on a disk with 40 KB left is
// refused with 507 and a Portuguese message (a read-only one with 503), the
// PO stays billed with no shipment and no file, not even a truncated one;
// once there is room the same upload is accepted.
func TestShipmentLabelOnFullDisk(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	f.stockUp(t)
	f.bill(t, f.po1)
	label := []byte(testPDF + strings.Repeat("%", 205<<10))
	ship := shipmentForm{carrier: "correios", code: goodS10, label: label}
	for _, tc := range []struct {
		errno  syscall.Errno
		status int
	}{{syscall.ENOSPC, 507}, {syscall.EROFS, 503}} {
		root := t.TempDir()
		docs, err := docstore.NewDir(e.App.Store, root, "", diskWithRoom(40<<10, tc.errno))
		if err != nil {
			t.Fatal(err)
		}
		e.App.Purchasing.SetDocuments(docs)
		res := f.shipAPI(t, f.tokA, f.po1, ship)
		if res.Status != tc.status || !strings.Contains(res.Body, "nada foi registrado") {
			t.Fatalf("%v: %d %s", tc.errno, res.Status, res.Body)
		}
		if po := mustPO(t, f, f.po1); po.Status != model.POBilled || po.ShippedAt != nil {
			t.Fatalf("%v: PO %s after the failed upload", tc.errno, po.Status)
		}
		if res := e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1+"/shipment", nil, ""); res.Status != 404 {
			t.Fatalf("%v: shipment recorded: %d", tc.errno, res.Status)
		}
		var left []string
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				left = append(left, p)
			}
			return nil
		})
		if len(left) != 0 {
			t.Fatalf("%v: files left: %v", tc.errno, left)
		}
	}
	e.App.Purchasing.SetDocuments(e.App.Docs)
	if res := f.shipAPI(t, f.tokA, f.po1, ship); res.Status != 201 {
		t.Fatalf("ship once there is room: %d %s", res.Status, res.Body)
	}
	res := e.API(f.tokA, "GET", "/api/v1/purchase-orders/"+f.po1+"/label", nil, "")
	if res.Status != 200 || res.Body != string(label) {
		t.Fatalf("label after the retry: %d, %d bytes", res.Status, len(res.Body))
	}
}
