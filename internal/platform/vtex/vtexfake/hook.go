package vtexfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// EndpointHookConfig is POST /api/orders/hook/config.
const EndpointHookConfig = "hook-config"

// hook is the orders hook configured through POST /api/orders/hook/config.
type hook struct {
	url      string
	headers  map[string]string
	statuses []string // FromWorkflow filter; nil: every status
}

// hookStats counts the notifications the fake sent and their answers.
type hookStats struct {
	sent, ok atomic.Int64
}

// postHookConfig stores the hook and, as the orders-feed guide documents,
// pings the URL with {"hookConfig":"ping"} (and the configured headers): the
// configuration is refused unless the URL answers 200.
func (s *Server) postHookConfig(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Filter struct {
			Type   string   `json:"type"`
			Status []string `json:"status"`
		} `json:"filter"`
		Hook struct {
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
		} `json:"hook"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Filter.Type == "" || body.Hook.URL == "" {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"filter and hook required"}}`)
		return
	}
	h := hook{url: body.Hook.URL, headers: body.Hook.Headers}
	if body.Filter.Type == "FromWorkflow" {
		h.statuses = body.Filter.Status
	}
	status, err := s.postToHook(h, []byte(`{"hookConfig":"ping"}`))
	if err != nil || status != http.StatusOK {
		writeJSON(w, http.StatusBadRequest, `{"error":{"message":"the hook URL did not answer the ping with 200"}}`)
		return
	}
	s.mu.Lock()
	s.hook = &h
	s.mu.Unlock()
	// The 200 example of the definition is a notification body.
	writeJSON(w, http.StatusOK, string(section("vtex-feed-v3.json", "hook notification body POSTed to your URL (documented as hook config 200 example)")))
}

func (s *Server) postToHook(h hook, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h.headers {
		req.Header.Set(k, v)
	}
	// VTEX waits 5 s for the answer.
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// notifyHook sends the status change of an order to the hook, if one is
// configured and its filter takes the status. Caller holds mu; the POST runs
// on its own goroutine, as VTEX's does.
func (s *Server) notifyHook(orderID, state, lastState string, at time.Time) {
	if s.hook == nil || s.hookOff || (s.hook.statuses != nil && !slices.Contains(s.hook.statuses, state)) {
		return
	}
	h := *s.hook
	ts := at.UTC().Format(time.RFC3339Nano)
	body, _ := json.Marshal(map[string]any{
		"Domain": "Fulfillment", "OrderId": orderID, "State": state, "LastState": lastState,
		"LastChange": ts, "CurrentChange": ts,
		"Origin": map[string]string{"Account": "connectparts", "Key": s.AppKey},
	})
	s.hookWG.Add(1)
	go func() {
		defer s.hookWG.Done()
		s.hookStats.sent.Add(1)
		if status, err := s.postToHook(h, body); err == nil && status == http.StatusOK {
			s.hookStats.ok.Add(1)
		}
	}()
}

// Hook returns the URL and headers of the configured hook ("" when none).
func (s *Server) Hook() (url string, headers map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook == nil {
		return "", nil
	}
	return s.hook.url, s.hook.headers
}

// HookDeliveries returns how many notifications were sent and answered 200,
// after waiting for those in flight.
func (s *Server) HookDeliveries() (sent, ok int64) {
	s.hookWG.Wait()
	return s.hookStats.sent.Load(), s.hookStats.ok.Load()
}

// SetHookOff stops (or resumes) sending notifications while keeping the
// hook: a store whose hook is down, where only the feed brings changes.
func (s *Server) SetHookOff(off bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookOff = off
}
