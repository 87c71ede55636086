package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/config"
)

func TestTrustedProxies(t *testing.T) {
	c, err := config.Load(env(map[string]string{"PORTAL_TRUSTED_PROXIES": " 10.0.0.5, 10.1.0.0/16,,::1 "}))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"10.0.0.5", "10.1.0.0/16", "::1"}; !slices.Equal(c.TrustedProxies, want) {
		t.Fatalf("TrustedProxies = %q, want %q", c.TrustedProxies, want)
	}
	_, err = config.Load(env(map[string]string{"PORTAL_TRUSTED_PROXIES": "10.0.0.5,proxy.local,10.0.0.0/33"}))
	if err == nil || !strings.Contains(err.Error(), `"proxy.local"`) || !strings.Contains(err.Error(), `"10.0.0.0/33"`) {
		t.Fatalf("want both bad entries reported, got %v", err)
	}
	if c, _ := config.Load(env(nil)); len(c.TrustedProxies) != 0 {
		t.Fatalf("default trusts %q", c.TrustedProxies)
	}
}
