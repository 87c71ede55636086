package docstore

import (
	"context"
	"fmt"
	"io"
	"net/url"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob" // s3://bucket?endpoint=…&region=… (AWS, MinIO, Ceph, R2 …)
	"gocloud.dev/gcerrors"
)

func openBackend(ctx context.Context, raw string) (backend, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "file" {
		if u.Path == "" {
			return nil, fmt.Errorf("file:// needs an absolute directory, e.g. file:///srv/portal-docs")
		}
		return newDirBackend(u.Path, nil)
	}
	b, err := blob.OpenBucket(ctx, raw)
	if err != nil {
		return nil, err
	}
	return &bucketBackend{b: b}, nil
}

// bucketBackend keeps documents in object storage through gocloud.dev/blob;
// an object appears only when its upload completes.
type bucketBackend struct{ b *blob.Bucket }

func (k *bucketBackend) put(ctx context.Context, name string, r io.Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := k.b.NewWriter(ctx, name, &blob.WriterOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		cancel() // aborts the upload: nothing is stored
		w.Close()
		return err
	}
	return w.Close()
}

func (k *bucketBackend) open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	r, err := k.b.NewReader(ctx, name, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, 0, notFound()
	}
	if err != nil {
		return nil, 0, err
	}
	return r, r.Size(), nil
}

func (k *bucketBackend) delete(ctx context.Context, name string) error {
	err := k.b.Delete(ctx, name)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil
	}
	return err
}

func (k *bucketBackend) close() error { return k.b.Close() }
