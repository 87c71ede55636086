package docstore_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// BenchmarkStoreAndReadBack stores a document in the database and reads it
// back whole: a 5 MB price table and a 200 KB label (issue 14's figures).
// SQLite by default, PostgreSQL with PORTAL_TEST_DATABASE_URL.
func BenchmarkStoreAndReadBack(b *testing.B) {
	for _, bc := range []struct {
		name string
		size int
	}{{"PriceTable5MB", 5 << 20}, {"Label200KB", 200 << 10}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			s := docstore.New(store.New(testdb.MustOpen(b)), "")
			data := randomBytes(b, bc.size)
			b.SetBytes(int64(bc.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ref, err := s.Put(ctx, bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				r, _, err := s.Open(ctx, ref.Key)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, r)
				r.Close()
				if err != nil || n != int64(bc.size) {
					b.Fatalf("read back %d bytes: %v", n, err)
				}
			}
		})
	}
}

// BenchmarkStore and BenchmarkReadBack split the figures above: storing
// (one transaction) and reading back (one query per 256 KiB chunk).
func BenchmarkStore(b *testing.B) {
	for _, bc := range []struct {
		name string
		size int
	}{{"PriceTable5MB", 5 << 20}, {"Label200KB", 200 << 10}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			s := docstore.New(store.New(testdb.MustOpen(b)), "")
			data := randomBytes(b, bc.size)
			b.SetBytes(int64(bc.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Put(ctx, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadBack(b *testing.B) {
	for _, bc := range []struct {
		name string
		size int
	}{{"PriceTable5MB", 5 << 20}, {"Label200KB", 200 << 10}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			s := docstore.New(store.New(testdb.MustOpen(b)), "")
			ref, err := s.Put(ctx, bytes.NewReader(randomBytes(b, bc.size)))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(bc.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, _, err := s.Open(ctx, ref.Key)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, r)
				r.Close()
				if err != nil || n != int64(bc.size) {
					b.Fatalf("read back %d bytes: %v", n, err)
				}
			}
		})
	}
}
