// Package metrics exposes the portal's health to Prometheus: request
// latencies per route, background jobs per kind and state, each platform's
// time since its last successful import and pushes, pushes waiting and late
// purchase orders. The database figures are read when Prometheus scrapes, in
// a few grouped, indexed queries. It is served, with pprof, on its own
// listener (PORTAL_METRICS_ADDR), never on the public address.
package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/connectparts/portal/internal/store"
)

// Source is what the scrape reads from the database (store.Store).
type Source interface {
	CountJobs(ctx context.Context) ([]store.JobCount, error)
	PlatformsHealth(ctx context.Context) ([]store.PlatformHealth, error)
	CountLatePurchaseOrders(ctx context.Context, supplierID *int64, now time.Time) (int64, error)
	Now() time.Time
}

// Metrics holds the portal's registry.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
}

// New builds the registry: Go and process figures, request latencies, and
// the database figures read from src at each scrape.
func New(src Source) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "portal_http_request_duration_seconds",
		Help:    "HTTP request latency by method, route template and status code.",
		Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route", "code"})
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, &dbCollector{src: src})
	return m
}

// ObserveRequest records one request (web.RequestObserver).
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}

// Handler serves /metrics and pprof under /debug/pprof/.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Server is the metrics listener.
type Server struct{ srv *http.Server }

// Listen starts serving m on addr; it returns once the address is bound.
func (m *Metrics) Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{srv: &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Shutdown stops the listener (nil-safe).
func (s *Server) Shutdown(ctx context.Context) error {
	if s == nil {
		return nil
	}
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

var (
	descJobs = prometheus.NewDesc("portal_jobs", "Background jobs by kind and state (queued, running, retrying, discarded).",
		[]string{"kind", "state"}, nil)
	descLastOK = prometheus.NewDesc("portal_platform_last_success_age_seconds",
		"Seconds since the platform's last successful import, stock push or status push (kind).", []string{"platform", "kind"}, nil)
	descWaiting = prometheus.NewDesc("portal_pushes_waiting",
		"Pushes waiting per platform: status actions pending (kind=status), products whose stock waits (kind=stock).",
		[]string{"platform", "kind"}, nil)
	descLate = prometheus.NewDesc("portal_purchase_orders_late",
		"Billed purchase orders past their ship-by deadline without a shipment.", nil, nil)
	descUp = prometheus.NewDesc("portal_database_up", "1 when the scrape could read the database, 0 otherwise.", nil, nil)
)

// jobStates maps River's states to the figures watched.
var jobStates = map[string]string{
	"available": "queued", "pending": "queued", "scheduled": "queued",
	"running": "running", "retryable": "retrying", "discarded": "discarded",
}

type dbCollector struct{ src Source }

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descJobs, descLastOK, descWaiting, descLate, descUp} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	up := 1.0
	defer func() { ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up) }()
	jobs, err := c.src.CountJobs(ctx)
	if err != nil {
		up = 0
		return
	}
	counts := map[[2]string]float64{}
	for _, j := range jobs {
		if st, ok := jobStates[j.State]; ok {
			counts[[2]string{j.Kind, st}] += float64(j.N)
		}
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(descJobs, prometheus.GaugeValue, n, k[0], k[1])
	}
	plats, err := c.src.PlatformsHealth(ctx)
	if err != nil {
		up = 0
		return
	}
	now := c.src.Now()
	for _, p := range plats {
		for kind, at := range p.LastOK {
			ch <- prometheus.MustNewConstMetric(descLastOK, prometheus.GaugeValue, max(0, now.Sub(at).Seconds()), p.Name, kind)
		}
		ch <- prometheus.MustNewConstMetric(descWaiting, prometheus.GaugeValue, float64(p.StatusWaiting), p.Name, "status")
		ch <- prometheus.MustNewConstMetric(descWaiting, prometheus.GaugeValue, float64(p.StockWaiting), p.Name, "stock")
	}
	late, err := c.src.CountLatePurchaseOrders(ctx, nil, now)
	if err != nil {
		up = 0
		return
	}
	ch <- prometheus.MustNewConstMetric(descLate, prometheus.GaugeValue, float64(late))
}
