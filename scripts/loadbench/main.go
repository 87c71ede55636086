// Command loadbench measures the portal's pages and API under concurrent
// users against a static file served by the same process in the same run,
// and writes test-output/bench.md and bench.json (scripts/bench-scale.sh
// starts the server on a scale-seeded database and runs it).
//
//	BENCH_URL       the running portal (http://127.0.0.1:PORT)
//	BENCH_PID       its process id (peak RSS from /proc)
//	BENCH_USERS     concurrent users (default 50)
//	BENCH_THINK_MS  each user's think time between two pages, drawn evenly
//	                between half and one and a half times this (default 500:
//	                50 users ask about 100 pages a second; each user starts
//	                at a random moment within one think time); 0 is a closed
//	                loop, every user asking again the moment an answer ends
//	BENCH_REQUESTS  requests per page (default 500)
//	BENCH_TOKEN     an admin API token; BENCH_SUPPLIER_TOKEN a supplier's
//	BENCH_LABEL     what is measured ("PostgreSQL, 300,000 orders")
//	BENCH_PAGES     only the pages whose name holds one of these comma-separated parts;
//	                "core": the pages the scale issue and the cockpit name (corePages)
//	BENCH_OUT       output directory (default test-output); results append
//	                to bench.json's runs
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type result struct {
	Page     string  `json:"page"`
	Bytes    int     `json:"bytes"`
	N        int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50ms    float64 `json:"p50_ms"`
	P95ms    float64 `json:"p95_ms"`
	P99ms    float64 `json:"p99_ms"`
	Target95 float64 `json:"target_p95_ms"`
	Target99 float64 `json:"target_p99_ms"`
	// StaticP50ms is the ceiling: a static body of the page's size from the
	// same server in the same run, interpolated (linearly in bytes) between
	// the two static files measured just after the page whose sizes bracket
	// its body (the two largest when the page is larger than every file:
	// extrapolated, and StaticExtrapolated says so).
	StaticP50ms        float64        `json:"static_p50_ms"`
	StaticP95ms        float64        `json:"static_p95_ms"`
	StaticFiles        []staticSample `json:"static_files"`
	StaticExtrapolated bool           `json:"static_extrapolated,omitempty"`
	Ratio50            float64        `json:"ratio_p50_vs_static"`
	Ratio95            float64        `json:"ratio_p95_vs_static"`
	PeakRSSAfterPageMB float64        `json:"peak_rss_after_page_mb"`
}

// staticSample is one static file measured as a ceiling.
type staticSample struct {
	Path  string  `json:"path"`
	Bytes int     `json:"bytes"`
	P50ms float64 `json:"p50_ms"`
	P95ms float64 `json:"p95_ms"`
}

type run struct {
	Label     string    `json:"label"`
	At        time.Time `json:"at"`
	Users     int       `json:"users"`
	ThinkMS   int       `json:"think_ms"`
	Results   []result  `json:"pages"`
	PeakRSSMB float64   `json:"peak_rss_mb"`
	Static    string    `json:"static_file"`
}

// staticFiles are the portal's static files of different sizes (tiny to
// 80 KB) that the ceiling is interpolated between; missing ones are skipped.
var staticFiles = []string{"/static/favicon.svg", "/static/app.js", "/static/app.css",
	"/static/vendor/htmx-2.0.11.min.js", "/static/vendor/pico-2.1.1.min.css"}

// staticSizes fetches each static file once: its body's size, smallest first.
func staticSizes(c *http.Client, base string) []staticSample {
	var out []staticSample
	for _, p := range staticFiles {
		res, err := c.Get(base + p)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			out = append(out, staticSample{Path: p, Bytes: len(b)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bytes < out[j].Bytes })
	if len(out) < 2 {
		fail(fmt.Errorf("fewer than two static files to measure the ceiling with"))
	}
	return out
}

// bracket picks the two static files whose sizes surround bytes (or the two
// nearest, when bytes is outside their range).
func bracket(files []staticSample, bytes int) (lo, hi staticSample, extrapolated bool) {
	i := sort.Search(len(files), func(i int) bool { return files[i].Bytes >= bytes })
	switch {
	case i == 0:
		return files[0], files[1], bytes < files[0].Bytes
	case i == len(files):
		return files[len(files)-2], files[len(files)-1], true
	}
	return files[i-1], files[i], false
}

// at interpolates linearly in bytes between two measured files.
func at(lo, hi staticSample, bytes int, v func(staticSample) float64) float64 {
	if hi.Bytes == lo.Bytes {
		return v(lo)
	}
	f := float64(bytes-lo.Bytes) / float64(hi.Bytes-lo.Bytes)
	return max(0, v(lo)+f*(v(hi)-v(lo)))
}

// firstSKU is the scale seed's first product (internal/seed/scale.go).
const firstSKU = "ESC-000001"

var supplierLinkRe = regexp.MustCompile(`href="/suppliers/([0-9]+)"`)

// firstSupplierID is the first supplier linked from the staff's supplier list.
func firstSupplierID(c *http.Client, base string) string {
	res, err := c.Get(base + "/suppliers")
	if err != nil {
		fail(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := supplierLinkRe.FindSubmatch(b)
	if m == nil {
		fail(fmt.Errorf("no supplier linked from /suppliers"))
	}
	return string(m[1])
}

// corePages are the pages the scale issue sets targets for (lists, order
// search by every key, homes, stock, catalog search, inbox, PO detail, API
// lists) and the cockpit's dashboard, search, exceptions and exports: what
// `make bench` measures by default; the rest (sorts, second pages, other
// lists) with BENCH_PAGES unset.
var corePages = map[string]bool{
	"/orders": true, "/orders?q=<number>": true, "/orders?q=<platform id>": true, "/orders?q=<CPF/CNPJ>": true,
	"/orders?q=<tracking>": true, "/orders?q=<NF-e key>": true, "/ (staff home)": true, "/stock": true,
	"/products?q=freio": true, "/purchase-orders (supplier inbox)": true, "/purchase-orders/{n} (PO detail)": true,
	"/search?q=<tracking> (staff)": true, "/search?q=<PO number> (supplier)": true, "GET /api/v1/search?q=<CPF/CNPJ>": true,
	"/orders?q=<number>&format=csv": true, "GET /api/v1/orders": true, "GET /api/v1/purchase-orders": true,
	"/ (supplier home)": true, "/dashboard": true, "/exceptions": true, "/purchase-orders (staff) created day CSV": true,
}

// onlyTargets keeps the targets whose name contains one of the
// comma-separated parts of only (BENCH_PAGES, to measure a few pages), or
// the corePages when only is "core".
func onlyTargets(ts []target, only string) []target {
	var out []target
	for _, t := range ts {
		if only == "core" {
			if corePages[t.name] {
				out = append(out, t)
			}
			continue
		}
		for _, part := range strings.Split(only, ",") {
			if part != "" && strings.Contains(t.name, part) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// thinkMS is BENCH_THINK_MS: the users' mean think time between pages.
var thinkMS, _ = strconv.Atoi(env("BENCH_THINK_MS", "500"))

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func login(base, email, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfRe.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("login page without _csrf")
	}
	res, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("login %s: status %d", email, res.StatusCode)
	}
	return c, nil
}

type target struct {
	name   string
	path   string
	client func(u int) *http.Client
	header http.Header
	t95    float64
	t99    float64
}

func measure(base string, t target, users, n int) result {
	lat := make([]time.Duration, 0, n)
	var mu sync.Mutex
	var errs, size int
	var wg sync.WaitGroup
	jobs := make(chan int)
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			c := t.client(u)
			// Users start at random moments over one think time, as people
			// arrive, not all in the same millisecond.
			if thinkMS > 0 {
				time.Sleep(time.Duration(float64(thinkMS)*rand.Float64()) * time.Millisecond)
			}
			for range jobs {
				req, _ := http.NewRequest("GET", base+t.path, nil)
				for k, v := range t.header {
					req.Header[k] = v
				}
				start := time.Now()
				res, err := c.Do(req)
				var nb int
				if err == nil {
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					nb = len(b)
					if res.StatusCode != 200 {
						err = fmt.Errorf("status %d", res.StatusCode)
					}
				}
				d := time.Since(start)
				if thinkMS > 0 {
					time.Sleep(time.Duration(float64(thinkMS)*(0.5+rand.Float64())) * time.Millisecond)
				}
				mu.Lock()
				if err != nil {
					errs++
				} else {
					lat = append(lat, d)
					size = nb
				}
				mu.Unlock()
			}
		}(u)
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(float64(len(lat))*p+0.5) - 1
		i = max(0, min(i, len(lat)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	return result{Page: t.name, Bytes: size, N: n, Errors: errs, P50ms: pct(0.50), P95ms: pct(0.95), P99ms: pct(0.99), Target95: t.t95, Target99: t.t99}
}

func peakRSS(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func main() {
	base := env("BENCH_URL", "http://127.0.0.1:8080")
	users, _ := strconv.Atoi(env("BENCH_USERS", "50"))
	n, _ := strconv.Atoi(env("BENCH_REQUESTS", "500"))
	out := env("BENCH_OUT", "test-output")
	label := env("BENCH_LABEL", "")
	t95, t99 := 50.0, 150.0
	if strings.Contains(strings.ToLower(label), "sqlite") {
		t95, t99 = 100, 0
	}
	pw := env("BENCH_PASSWORD", "escala-connectparts")
	staff := make([]*http.Client, users)
	supplier := make([]*http.Client, users)
	for u := 0; u < users; u++ {
		var err error
		if staff[u], err = login(base, "admin@escala.example", pw); err != nil {
			fail(err)
		}
		if supplier[u], err = login(base, "fornecedor01@escala.example", pw); err != nil {
			fail(err)
		}
	}
	plain := &http.Client{Timeout: 60 * time.Second}
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	adminTok, supTok := os.Getenv("BENCH_TOKEN"), os.Getenv("BENCH_SUPPLIER_TOKEN")

	// keys of a dispatched order and a supplier PO, through the API
	var orders struct {
		Items []struct {
			Number   string `json:"number"`
			External string `json:"external_id"`
			Tracking string `json:"tracking_number"`
			Customer struct {
				Document string `json:"document"`
			} `json:"customer"`
		} `json:"items"`
	}
	getJSON(plain, base+"/api/v1/orders?status=dispatched&limit=1", bearer(adminTok), &orders)
	var pos struct {
		Items []struct {
			Number string `json:"number"`
		} `json:"items"`
	}
	getJSON(plain, base+"/api/v1/purchase-orders?limit=1", bearer(supTok), &pos)
	if len(orders.Items) == 0 || len(pos.Items) == 0 {
		fail(fmt.Errorf("no dispatched order or supplier PO through the API"))
	}
	o := orders.Items[0]
	st := func(u int) *http.Client { return staff[u] }
	sp := func(u int) *http.Client { return supplier[u] }
	api := func(int) *http.Client { return plain }
	targets := []target{
		{name: "/orders", path: "/orders", client: st},
		{name: "/orders?q=<number>", path: "/orders?q=" + url.QueryEscape(o.Number), client: st},
		{name: "/orders?q=<platform id>", path: "/orders?q=" + url.QueryEscape(o.External), client: st},
		{name: "/orders?q=<CPF/CNPJ>", path: "/orders?q=" + url.QueryEscape(o.Customer.Document), client: st},
		{name: "/orders?q=<tracking>", path: "/orders?q=" + url.QueryEscape(o.Tracking), client: st},
		{name: "/ (staff home)", path: "/", client: st},
		{name: "/stock", path: "/stock", client: st},
		{name: "/products?q=freio", path: "/products?q=freio", client: st},
		{name: "/purchase-orders (supplier inbox)", path: "/purchase-orders", client: sp},
		{name: "/purchase-orders/{n} (PO detail)", path: "/purchase-orders/" + pos.Items[0].Number, client: sp},
		{name: "/search?q=<tracking> (staff)", path: "/search?q=" + url.QueryEscape(o.Tracking), client: st},
		{name: "/search?q=<PO number> (supplier)", path: "/search?q=" + url.QueryEscape(pos.Items[0].Number), client: sp},
		{name: "GET /api/v1/search?q=<CPF/CNPJ>", path: "/api/v1/search?q=" + url.QueryEscape(o.Customer.Document), client: api, header: bearer(adminTok)},
		{name: "/orders?q=<number>&format=csv", path: "/orders?format=csv&q=" + url.QueryEscape(o.Number), client: st},
		{name: "GET /api/v1/orders", path: "/api/v1/orders", client: api, header: bearer(adminTok)},
		{name: "GET /api/v1/purchase-orders", path: "/api/v1/purchase-orders", client: api, header: bearer(supTok)},
		// the homes, dashboard, inbox, scorecards, stock and catalog (helper pageshome)
		{name: "/ (supplier home)", path: "/", client: sp},
		{name: "/dashboard", path: "/dashboard", client: st},
		{name: "/exceptions", path: "/exceptions", client: st},
		{name: "/orders/blocked", path: "/orders/blocked", client: st},
		{name: "/suppliers/{id}/scorecard", path: "/suppliers/" + firstSupplierID(staff[0], base) + "/scorecard", client: st},
		{name: "/scorecard (supplier)", path: "/scorecard", client: sp},
		{name: "/stock?page=2", path: "/stock?page=2", client: st},
		{name: "/products", path: "/products", client: st},
		{name: "/products?q=<sku>", path: "/products?q=" + url.QueryEscape(firstSKU), client: st},
		{name: "/suppliers", path: "/suppliers", client: st},
	}
	ok := readOrderKeys(plain, base, bearer(supTok))
	ok.number, ok.external, ok.document, ok.tracking = o.Number, o.External, o.Customer.Document, o.Tracking
	targets = append(targets, orderTargets(ok, st, sp, api, bearer(adminTok), bearer(supTok))...)
	if only := os.Getenv("BENCH_PAGES"); only != "" {
		targets = onlyTargets(targets, only)
	}
	files := staticSizes(plain, base)
	r := run{Label: label, At: time.Now().UTC(), Users: users, ThinkMS: thinkMS, Static: "a static body of the page's size (interpolated between static files)"}
	pid := env("BENCH_PID", "self")
	for _, t := range targets {
		t.t95, t.t99 = t95, t99
		measure(base, t, users, min(n, 2*users)) // warm-up
		res := measure(base, t, users, n)
		lo, hi, extra := bracket(files, res.Bytes)
		for _, f := range []*staticSample{&lo, &hi} {
			s := measure(base, target{name: "static", path: f.Path, client: api}, users, n)
			f.P50ms, f.P95ms = s.P50ms, s.P95ms
		}
		res.StaticFiles, res.StaticExtrapolated = []staticSample{lo, hi}, extra
		res.StaticP50ms = at(lo, hi, res.Bytes, func(s staticSample) float64 { return s.P50ms })
		res.StaticP95ms = at(lo, hi, res.Bytes, func(s staticSample) float64 { return s.P95ms })
		if res.StaticP50ms > 0 {
			res.Ratio50 = res.P50ms / res.StaticP50ms
		}
		if res.StaticP95ms > 0 {
			res.Ratio95 = res.P95ms / res.StaticP95ms
		}
		res.PeakRSSAfterPageMB = peakRSS(pid)
		r.Results = append(r.Results, res)
		fmt.Fprintf(os.Stderr, "%-36s %7d B  p50 %7.1f  p95 %7.1f  p99 %7.1f ms  (static of that size p50 %.1f p95 %.1f)  %d errors\n",
			res.Page, res.Bytes, res.P50ms, res.P95ms, res.P99ms, res.StaticP50ms, res.StaticP95ms, res.Errors)
	}
	r.PeakRSSMB = peakRSS(pid)
	write(out, r)
}

func getJSON(c *http.Client, u string, h http.Header, v any) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header = h
	res, err := c.Do(req)
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		fail(fmt.Errorf("%s: %w", u, err))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadbench:", err)
	os.Exit(1)
}

// write appends the run to bench.json and rewrites bench.md from all runs.
func write(dir string, r run) {
	_ = os.MkdirAll(dir, 0o755)
	var doc struct {
		Runs []run `json:"runs"`
	}
	if b, err := os.ReadFile(dir + "/bench.json"); err == nil {
		_ = json.Unmarshal(b, &doc)
	}
	doc.Runs = append(doc.Runs, r)
	b, _ := json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(dir+"/bench.json", b, 0o644); err != nil {
		fail(err)
	}
	var md strings.Builder
	md.WriteString("# Bench report\n\nEvery page beside its ceiling measured in the same run: a static body of the page's size served by the\n" +
		"same process to the same number of users, interpolated linearly in bytes between the two static files whose sizes bracket\n" +
		"the page's body, each measured just after the page (\"extrap.\" when the page is larger than every static file). The machine\n" +
		"is shared: absolute latencies are noisy, the ratios to the static body measured in the same minute much less so.\n")
	for _, r := range doc.Runs {
		fmt.Fprintf(&md, "\n## %s — %d users (%s), %s\n\n", r.Label, r.Users, thinkWords(r.ThinkMS), r.At.Format(time.RFC3339))
		md.WriteString("| page | bytes | p50 ms | p95 ms | p99 ms | target p95 / p99 | static of that size p50 / p95 ms | p50 / p95 vs static | peak RSS MB | errors |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, p := range r.Results {
			verdict := "met"
			if p.P95ms > p.Target95 || (p.Target99 > 0 && p.P99ms > p.Target99) || p.Errors > 0 {
				verdict = "MISSED"
			}
			tgt := fmt.Sprintf("≤ %.0f / ≤ %.0f (%s)", p.Target95, p.Target99, verdict)
			if p.Target99 == 0 {
				tgt = fmt.Sprintf("≤ %.0f / — (%s)", p.Target95, verdict)
			}
			extra := ""
			if p.StaticExtrapolated {
				extra = " (extrap.)"
			}
			fmt.Fprintf(&md, "| %s | %d | %.1f | %.1f | %.1f | %s | %.1f / %.1f%s | %.1f× / %.1f× | %.0f | %d |\n", p.Page, p.Bytes, p.P50ms, p.P95ms, p.P99ms, tgt,
				p.StaticP50ms, p.StaticP95ms, extra, p.Ratio50, p.Ratio95, p.PeakRSSAfterPageMB, p.Errors)
		}
		fmt.Fprintf(&md, "\nPeak RSS of the portal over the whole run (VmHWM): %.0f MB.\n", r.PeakRSSMB)
	}
	if err := os.WriteFile(dir+"/bench.md", []byte(md.String()), 0o644); err != nil {
		fail(err)
	}
}

// thinkWords says how the users of a run behave.
func thinkWords(ms int) string {
	if ms <= 0 {
		return "closed loop: each asks again the moment an answer ends"
	}
	return fmt.Sprintf("each thinks %d–%d ms between pages", ms/2, ms*3/2)
}
