package platformtest

import (
	"net/http"
	"sync"
	"time"
)

// Fault is a misbehaviour a fake platform server injects on one endpoint.
type Fault struct {
	// Status answers with this HTTP status instead of the normal answer;
	// 0 answers normally (after Delay).
	Status int
	// Body is the body sent with Status. With Status 200 it replaces the
	// normal answer: Fault{Status: 200, Body: "{garbage"} is a garbage reply.
	Body        string
	ContentType string // default application/json
	// RetryAfter is sent as the Retry-After header when not "".
	RetryAfter string
	// Delay is waited before answering; the wait ends early when the client
	// gives up, so slow-response tests do not hold the server.
	Delay time.Duration
	// Times is how many requests the fault affects; 0 means every request
	// until Clear.
	Times int
}

// Garbage is a 200 answer that is not JSON.
func Garbage() Fault {
	return Fault{Status: http.StatusOK, Body: `{"orderId": "1172452900788-01", "items": [`}
}

// Faults is a thread-safe registry of faults and request counters per
// endpoint. The fake servers embed it, so tests call Fail, ClearFaults, Count
// and Counts on the server, and its handlers start with Enter.
type Faults struct {
	mu     sync.Mutex
	queue  map[string][]*Fault
	counts map[string]int
}

// Fail queues f on endpoint; faults apply in the order they were added.
func (fs *Faults) Fail(endpoint string, f Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.queue == nil {
		fs.queue = map[string][]*Fault{}
	}
	fs.queue[endpoint] = append(fs.queue[endpoint], &f)
}

// ClearFaults removes every queued fault.
func (fs *Faults) ClearFaults() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.queue = nil
}

// Count returns how many requests reached endpoint (faulted ones included).
func (fs *Faults) Count(endpoint string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.counts[endpoint]
}

// Counts returns a copy of every endpoint counter.
func (fs *Faults) Counts() map[string]int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make(map[string]int, len(fs.counts))
	for k, v := range fs.counts {
		out[k] = v
	}
	return out
}

// Enter counts a request on endpoint and applies the pending fault, if any.
// It returns true when the fault answered the request (the handler must then
// do nothing more).
func (fs *Faults) Enter(endpoint string, w http.ResponseWriter, r *http.Request) bool {
	fs.mu.Lock()
	if fs.counts == nil {
		fs.counts = map[string]int{}
	}
	fs.counts[endpoint]++
	var f Fault
	active := false
	if q := fs.queue[endpoint]; len(q) > 0 {
		f, active = *q[0], true
		if q[0].Times > 0 {
			q[0].Times--
			if q[0].Times == 0 {
				fs.queue[endpoint] = q[1:]
			}
		}
	}
	fs.mu.Unlock()
	if !active {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}
