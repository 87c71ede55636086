package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/config"
)

func TestOperationsSettings(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "" || c.JobTimeout != 50*time.Second || c.JobRescueAfter != time.Minute {
		t.Fatalf("defaults: %+v", c.Operations)
	}
	c, err = config.Load(env(map[string]string{"PORTAL_METRICS_ADDR": "127.0.0.1:9090", "PORTAL_JOB_TIMEOUT": "4s", "PORTAL_JOB_RESCUE_AFTER": "5s"}))
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" || c.JobTimeout != 4*time.Second || c.JobRescueAfter != 5*time.Second {
		t.Fatalf("set: %+v %v", c.Operations, err)
	}
	for _, bad := range []map[string]string{
		{"PORTAL_METRICS_ADDR": "9090"},
		{"PORTAL_METRICS_ADDR": "127.0.0.1:http"},
		{"PORTAL_METRICS_ADDR": ":8080"}, // the public address
		{"PORTAL_ADDR": "0.0.0.0:8081", "PORTAL_METRICS_ADDR": "127.0.0.1:8081"},
		{"PORTAL_JOB_TIMEOUT": "2m"}, // not below the rescue
		{"PORTAL_JOB_RESCUE_AFTER": "abc"},
	} {
		if _, err := config.Load(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		} else if !strings.Contains(err.Error(), "PORTAL_METRICS_ADDR") && !strings.Contains(err.Error(), "PORTAL_JOB_") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}
