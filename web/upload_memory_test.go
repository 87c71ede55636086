package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// rowsBody generates a body of head + n rows + tail without holding it: the
// test client must not be what takes the memory being measured.
type rowsBody struct {
	head, tail string
	row        func(i int) string
	n, i       int
	buf        []byte
	done       bool
}

func (b *rowsBody) Read(p []byte) (int, error) {
	for len(b.buf) < len(p) && !b.done {
		switch {
		case b.i == 0 && b.head != "":
			b.buf = append(b.buf, b.head...)
			b.head = ""
		case b.i < b.n:
			b.buf = append(b.buf, b.row(b.i)...)
			b.i++
		default:
			b.buf = append(b.buf, b.tail...)
			b.done = true
		}
	}
	if len(b.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

func (b rowsBody) size() int64 {
	total := int64(len(b.head) + len(b.tail))
	for i := 0; i < b.n; i++ {
		total += int64(len(b.row(i)))
	}
	return total
}

// heapPeak samples the heap while f runs and returns its highest value above
// the heap f started with: what the upload itself holds, whatever the test
// process (other tests' leftovers, not the portal's) held already.
func heapPeak(f func()) uint64 {
	// Two collections empty the sync.Pools (their victim cache survives one),
	// where fasthttp keeps the previous case's body buffer.
	runtime.GC()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

type uploadCase struct {
	name, token, path, contentType string
	body                           rowsBody
	bounded                        bool // asserted under 200 MB by TestUploadMemoryBounded
	method                         string
	// refused checks the answer; nil: 422 or 413 asking to split the file.
	refused func(status int, answer string) bool
	raw     []byte // a body made beforehand (XLSX) instead of body
}

// notServerError accepts any answer but a 5xx: the PO of the NF-e and label
// cases does not exist, and what is measured is what the body costs first.
func notServerError(status int, _ string) bool { return status < 500 }

// uploadCases are maximum-size bodies (up to the default 60 MB
// PORTAL_MAX_BODY_MB, ~1.2 M rows) of every kind the API takes; each is
// refused by its row cap, read as a stream.
func uploadCases(tb testing.TB) (*apptest.Env, []uploadCase) {
	env := apptest.New(tb)
	sup := env.Supplier("11222333000181", "Fornecedor Grande")
	// A catalog product of the supplier, so that price tables are read
	// (with none, an upload is refused before its file is opened).
	if err := env.App.Store.CreateProduct(env.Ctx, &model.Product{SKU: "CP-GRANDE-1", Name: "Produto", SupplierID: &sup.ID,
		SupplierCode: "CODIGO-FORNECEDOR-0000002", Dropship: true, Active: true}); err != nil {
		tb.Fatal(err)
	}
	token := env.Token(env.User("estoque@grande.example", model.RoleSupplier, sup))
	admin := env.Token(env.User("admin@cp.example", model.RoleAdmin, nil))
	const rows = 1_200_000
	return env, []uploadCase{
		{"stock JSON", token, "/api/v1/stock", "application/json", rowsBody{head: "[", tail: "]", n: rows, row: func(i int) string {
			return fmt.Sprintf(`%s{"supplier_code":"COD-%07d","quantity":%d}`, sep(i), i, i%90)
		}}, true, "", nil, nil},
		{"stock CSV", token, "/api/v1/stock", "text/csv", rowsBody{head: "supplier_code;quantity\r\n", n: rows, row: func(i int) string {
			return fmt.Sprintf("CODIGO-FORNECEDOR-%07d;%d\r\n", i, i%90)
		}}, true, "", nil, nil},
		{"products JSON", admin, "/api/v1/products", "application/json", rowsBody{head: "[", tail: "]", n: rows, row: func(i int) string {
			return fmt.Sprintf(`%s{"sku":"S%07d","name":"P%d"}`, sep(i), i, i)
		}}, true, "", nil, nil},
		{"price table CSV (multipart)", token, "/api/v1/price-tables", "multipart/form-data; boundary=XBOUNDARYX", rowsBody{
			head: "--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"effective_from\"\r\n\r\n2030-01-10\r\n" +
				"--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tabela.csv\"\r\nContent-Type: text/csv\r\n\r\ncodigo;preco\r\n",
			tail: "\r\n--XBOUNDARYX--\r\n", n: rows, row: func(i int) string {
				return fmt.Sprintf("CODIGO-FORNECEDOR-%07d;%d,50\r\n", i, i%900+1)
			}}, true, http.MethodPost, nil, nil},
		{"products CSV", admin, "/api/v1/products", "text/csv", rowsBody{head: "sku;name\r\n", n: rows, row: func(i int) string {
			return fmt.Sprintf("SKU-%07d;Produto número %d com descrição\r\n", i, i)
		}}, true, "", nil, nil},
		{name: "stock XLSX (300,000 rows)", token: token, path: "/api/v1/stock", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			raw: stockXLSX(tb, 300_000), bounded: true},
		{name: "price table XLSX (300,000 rows, multipart)", token: token, path: "/api/v1/price-tables", method: http.MethodPost,
			contentType: "multipart/form-data; boundary=XBOUNDARYX", raw: priceTableXLSXMultipart(tb, 300_000), bounded: true},
		{"supplier NF-e XML", token, "/api/v1/purchase-orders/PC-000001/invoice", "application/xml", xmlBody(900_000), true, http.MethodPost, notServerError, nil},
		{"billing NF-e XML", admin, "/api/v1/purchase-orders/PC-000001/billing-invoice", "application/xml", xmlBody(900_000), true, http.MethodPost, notServerError, nil},
		{"shipment label (multipart)", token, "/api/v1/purchase-orders/PC-000001/shipment", "multipart/form-data; boundary=XBOUNDARYX", rowsBody{
			head: "--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"carrier\"\r\n\r\ncorreios\r\n" +
				"--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"label\"; filename=\"etiqueta.zpl\"\r\nContent-Type: text/plain\r\n\r\n^XA\r\n",
			tail: "^XZ\r\n--XBOUNDARYX--\r\n", n: rows, row: func(i int) string {
				return fmt.Sprintf("^FO50,%d^FDLinha %07d da etiqueta^FS\r\n", i%900, i)
			}}, true, http.MethodPost, notServerError, nil},
	}
}

// send uploads c's body and returns the answer and the peak live heap.
func (c uploadCase) send(tb testing.TB, env *apptest.Env) (status int, answer string, peak uint64) {
	size := c.body.size()
	var body io.Reader = &c.body
	if c.raw != nil {
		size, body = int64(len(c.raw)), bytes.NewReader(c.raw)
	}
	peak = heapPeak(func() {
		method := c.method
		if method == "" {
			method = http.MethodPut
		}
		req, _ := http.NewRequest(method, env.URL+c.path, body)
		req.ContentLength = size
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", c.contentType)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatalf("%s: %v", c.name, err)
		}
		b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		res.Body.Close()
		status, answer = res.StatusCode, string(b)
	})
	tb.Logf("%s: %.1f MB body → HTTP %d (%.120s), peak live heap %.1f MB", c.name, float64(size)/(1<<20), status, answer, float64(peak)/(1<<20))
	return status, answer, peak
}

// TestUploadMemoryBounded checks the live heap of the whole process (server
// and test) stays under 200 MB while a maximum-size body is refused.
func TestUploadMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 56 MB bodies")
	}
	const limit = 200 << 20
	env, cases := uploadCases(t)
	for _, c := range cases {
		if !c.bounded {
			continue
		}
		status, answer, peak := c.send(t, env)
		if c.refused != nil {
			if !c.refused(status, answer) {
				t.Errorf("%s: got %d %.200s", c.name, status, answer)
			}
		} else if !(status == http.StatusUnprocessableEntity || status == http.StatusRequestEntityTooLarge) || !strings.Contains(answer, "ivida") {
			t.Errorf("%s: want 422 or 413 asking to split the file, got %d %.200s", c.name, status, answer)
		}
		if peak > limit {
			t.Errorf("%s: peak live heap %d MB, want under %d MB", c.name, peak>>20, limit>>20)
		}
	}
}

// BenchmarkUploadPeakHeap reports the peak live heap (peak-MB) of every
// upload kind, bounded or not yet.
func BenchmarkUploadPeakHeap(b *testing.B) {
	env, cases := uploadCases(b)
	for _, c := range cases {
		b.Run(strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			var worst uint64
			for range b.N {
				_, _, peak := c.send(b, env)
				worst = max(worst, peak)
			}
			b.ReportMetric(float64(worst)/(1<<20), "peak-MB")
		})
	}
}

func sep(i int) string {
	if i == 0 {
		return ""
	}
	return ","
}

// xmlBody is an NF-e-like XML document of n items (~55 MB for 900,000).
func xmlBody(n int) rowsBody {
	return rowsBody{head: `<?xml version="1.0" encoding="UTF-8"?><nfeProc><NFe><infNFe>`, tail: `</infNFe></NFe></nfeProc>`, n: n,
		row: func(i int) string {
			return fmt.Sprintf(`<det nItem="%d"><prod><cProd>C%07d</cProd></prod></det>`, i+1, i)
		}}
}

// stockXLSX is a stock feed workbook of n rows, written by excelize's stream
// writer.
func stockXLSX(tb testing.TB, n int) []byte {
	return sheetXLSX(tb, []any{"supplier_code", "quantity"}, n, func(i int) []any {
		return []any{fmt.Sprintf("CODIGO-FORNECEDOR-%07d", i), i % 90}
	})
}

// priceTableXLSXMultipart is a price-table upload (the API's multipart
// form) whose file is a workbook of n price lines.
func priceTableXLSXMultipart(tb testing.TB, n int) []byte {
	x := sheetXLSX(tb, []any{"codigo", "preco"}, n, func(i int) []any {
		return []any{fmt.Sprintf("CODIGO-FORNECEDOR-%07d", i), float64(i%900+1) + .5}
	})
	var b bytes.Buffer
	b.WriteString("--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"effective_from\"\r\n\r\n2030-01-10\r\n" +
		"--XBOUNDARYX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tabela.xlsx\"\r\n" +
		"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n")
	b.Write(x)
	b.WriteString("\r\n--XBOUNDARYX--\r\n")
	return b.Bytes()
}

// sheetXLSX is a one-sheet workbook of a header and n rows, written by
// excelize's stream writer.
func sheetXLSX(tb testing.TB, header []any, n int, row func(i int) []any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	_ = sw.SetRow("A1", header)
	for i := 2; i <= n+1; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		_ = sw.SetRow(cell, row(i))
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
