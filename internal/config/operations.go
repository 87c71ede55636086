package config

import (
	"net"
	"strconv"
	"strings"
	"time"
)

// Operations holds the settings of running the portal in production:
// monitoring and crash recovery.
type Operations struct {
	// MetricsAddr (PORTAL_METRICS_ADDR, e.g. 127.0.0.1:9090) serves
	// Prometheus /metrics and pprof on their own listener; empty: not served.
	MetricsAddr string
	// JobTimeout (PORTAL_JOB_TIMEOUT, default 50s) bounds one attempt of a
	// background job; longer work runs in rounds.
	JobTimeout time.Duration
	// JobRescueAfter (PORTAL_JOB_RESCUE_AFTER, default 60s) is how long a job
	// may be "running" before it is taken for the job of a dead process and
	// run again. It must exceed JobTimeout.
	JobRescueAfter time.Duration
}

// Defaults of the job timings: after a crash, every kind of job runs again
// within JobRescueAfter + 30 s (River's rescue interval) + a few seconds.
const (
	DefaultJobTimeout     = 50 * time.Second
	DefaultJobRescueAfter = 60 * time.Second
)

func loadOperations(c *Config, getenv Getenv, bad func(string, string, ...any)) {
	c.MetricsAddr = strings.TrimSpace(getenv("PORTAL_METRICS_ADDR"))
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("PORTAL_METRICS_ADDR", "endereço inválido %q (use host:porta, ex.: 127.0.0.1:9090)", c.MetricsAddr)
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			bad("PORTAL_METRICS_ADDR", "porta inválida %q", port)
		} else if samePort(c.MetricsAddr, c.Addr) {
			bad("PORTAL_METRICS_ADDR", "deve ser diferente de PORTAL_ADDR (%s): as métricas não ficam no endereço público", c.Addr)
		}
	}
	c.JobTimeout = duration(getenv, "PORTAL_JOB_TIMEOUT", DefaultJobTimeout, bad)
	c.JobRescueAfter = duration(getenv, "PORTAL_JOB_RESCUE_AFTER", DefaultJobRescueAfter, bad)
	if c.JobRescueAfter <= c.JobTimeout {
		bad("PORTAL_JOB_RESCUE_AFTER", "deve ser maior que PORTAL_JOB_TIMEOUT (%s): senão um trabalho vivo seria executado duas vezes", c.JobTimeout)
	}
}

// samePort reports whether two listen addresses would collide: same port,
// and the same host or one of them on every interface.
func samePort(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb {
		return false
	}
	return ha == hb || ha == "" || hb == "" || ha == "0.0.0.0" || hb == "0.0.0.0"
}
