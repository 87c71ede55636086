package vtex

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/connectparts/portal/internal/platform"
)

var _ platform.HookRegistrar = (*Client)(nil)

// RegisterHook creates (or replaces) the orders hook of this app key: POST
// /api/orders/hook/config (HookConfigurationRequest) with a FromWorkflow
// filter on FeedStatuses and the hook url and headers. VTEX then pings the URL
// with {"hookConfig":"ping"} and only accepts the configuration if it answers
// 200; every order status change is POSTed there afterwards (the
// HookConfiguration body: Domain, OrderId, State, …) with headers, and VTEX
// waits 5 s for the answer. The feed keeps being read as the safety net, and
// registering rewrites its configuration too (ConfigureFeed): a feed this
// adapter configured before FeedVisibilityTimeout was lowered still hides
// events for 240 s; the feed of an app key is this integration's own.
func (c *Client) RegisterHook(ctx context.Context, url string, headers map[string]string) error {
	const op = "configure_hook"
	body := map[string]any{
		"filter": map[string]any{"type": "FromWorkflow", "status": FeedStatuses},
		"hook":   map[string]any{"url": url, "headers": headers},
	}
	resp, err := c.request(ctx, op, http.MethodPost, "/api/orders/hook/config", body, false)
	if err != nil {
		return err
	}
	if err := c.call.Check(op, resp); err != nil {
		return err
	}
	return c.ConfigureFeed(ctx)
}

// HookNotification is what VTEX POSTs to the hook URL: a status change of one
// order (HookConfiguration schema of the Orders API), or the ping sent when
// the hook is configured.
type HookNotification struct {
	Ping          bool
	Domain        string
	OrderID       string
	State         string
	CurrentChange string
}

// ParseHookNotification reads a hook body. ok is false when the body is not
// JSON, or is neither the ping nor a notification naming an order.
func ParseHookNotification(body []byte) (n HookNotification, ok bool) {
	var m struct {
		HookConfig    string `json:"hookConfig"`
		Domain        string `json:"Domain"`
		OrderID       string `json:"OrderId"`
		State         string `json:"State"`
		CurrentChange string `json:"CurrentChange"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return n, false
	}
	if m.HookConfig == "ping" {
		return HookNotification{Ping: true}, true
	}
	id := strings.TrimSpace(m.OrderID)
	if id == "" || len(id) > 100 {
		return n, false
	}
	return HookNotification{Domain: m.Domain, OrderID: id, State: m.State, CurrentChange: m.CurrentChange}, true
}
