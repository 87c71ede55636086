package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Defaults of Caller.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRetries    = 3
	DefaultMaxRetryAfter = time.Minute
	DefaultLockBackoff   = 500 * time.Millisecond
	maxBodyBytes         = 32 << 20
)

// Caller sends HTTP requests to one platform with the behaviour every adapter
// needs: a timeout on every attempt, bounded retries of 429 Too Many Requests
// honouring Retry-After, bounded retries with exponential backoff of 423 Locked
// where the request allows it, and the translation of transport failures into
// ErrTemporary. Status codes are otherwise returned to the adapter, which knows
// which ones are fine (VTEX start-handling 409, Mercado Livre
// duplicated_fiscal_key) and calls Check for the rest.
type Caller struct {
	Platform string       // model.PlatformVTEX …, for errors
	Client   *http.Client // nil: a client with the default transport
	// Timeout bounds each attempt (connection, request, whole body).
	Timeout time.Duration
	// MaxRetries bounds the retries of one request after 429 or 423.
	MaxRetries int
	// MaxRetryAfter: a 429 asking for a longer wait is not slept through;
	// it becomes ErrRateLimited at once so the engine reschedules.
	MaxRetryAfter time.Duration
	// LockBackoff is the first wait after 423 Locked; it doubles each time.
	LockBackoff time.Duration
	Clock       Clock
}

// Request is one call to a platform.
type Request struct {
	Op     string // "get_order" …, for errors
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// RetryLocked enables the 423 Locked retries (VTEX inventory writes).
	RetryLocked bool
}

// Response is a platform's answer, body read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// WithDefaults returns c with zero fields set to the defaults.
func (c Caller) WithDefaults() Caller {
	if c.Client == nil {
		c.Client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	} else if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if c.LockBackoff <= 0 {
		c.LockBackoff = DefaultLockBackoff
	}
	if c.Clock == nil {
		c.Clock = SystemClock
	}
	return c
}

func (c *Caller) the() string { return TheName(c.Platform) }

// Do sends r, retrying 429 (and 423 when r.RetryLocked) a bounded number of
// times. The error is a context error when ctx itself ended, an ErrTemporary
// error for transport failures and timeouts, ErrRateLimited when 429 did not
// clear, ErrTemporary when 423 did not clear; any other answer is returned.
func (c *Caller) Do(ctx context.Context, r Request) (*Response, error) {
	lockWait := c.LockBackoff
	for attempt := 0; ; attempt++ {
		resp, err := c.once(ctx, r)
		if err != nil {
			return nil, err
		}
		switch {
		case resp.Status == http.StatusTooManyRequests:
			wait, known := retryAfter(resp.Header.Get("Retry-After"), c.Clock.Now())
			if !known {
				wait = time.Second << attempt
			}
			if attempt >= c.MaxRetries || wait > c.MaxRetryAfter {
				return nil, c.Check(r.Op, resp) // ErrRateLimited, with the Retry-After
			}
			if err := c.Clock.Sleep(ctx, wait); err != nil {
				return nil, err
			}
		case resp.Status == http.StatusLocked && r.RetryLocked:
			if attempt >= c.MaxRetries {
				return nil, c.fail(ErrTemporary, r.Op, resp, fmt.Sprintf(
					"%s manteve o registro bloqueado para alteração (HTTP 423); a operação será tentada de novo.", c.the()))
			}
			if err := c.Clock.Sleep(ctx, lockWait); err != nil {
				return nil, err
			}
			lockWait *= 2
		default:
			return resp, nil
		}
	}
}

func (c *Caller) once(ctx context.Context, r Request) (*Response, error) {
	actx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(actx, r.Method, r.URL, body)
	if err != nil {
		return nil, NewError(ErrRejected, c.Platform, r.Op, "Endereço da plataforma inválido; verifique a URL base.", err)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	res, err := c.Client.Do(req)
	if err == nil {
		var b []byte
		b, err = io.ReadAll(io.LimitReader(res.Body, maxBodyBytes))
		res.Body.Close()
		if err == nil {
			return &Response{Status: res.StatusCode, Header: res.Header, Body: b}, nil
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	msg := fmt.Sprintf("%s não respondeu; a operação será tentada de novo.", c.the())
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		msg = fmt.Sprintf("%s não respondeu dentro do tempo limite (%s); a operação será tentada de novo.",
			c.the(), timeoutText(c.Timeout))
	}
	return nil, NewError(ErrTemporary, c.Platform, r.Op, msg, err)
}

// timeoutText writes a timeout for people: "30 s", "500 ms" (not Go's
// "1m0s").
func timeoutText(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// Check turns a non-2xx response into an error of the right kind; nil for 2xx.
func (c *Caller) Check(op string, resp *Response) error {
	s := resp.Status
	switch {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return c.fail(ErrAuth, op, resp, fmt.Sprintf(
			"%s recusou as credenciais da integração (HTTP %d); verifique a conexão da plataforma.", c.the(), s))
	case s == http.StatusNotFound:
		return c.fail(ErrNotFound, op, resp, fmt.Sprintf("O registro não foi encontrado %s.", InName(c.Platform)))
	case s == http.StatusTooManyRequests:
		return c.fail(ErrRateLimited, op, resp, fmt.Sprintf(
			"%s limitou o número de requisições; a operação será tentada de novo mais tarde.", c.the()))
	case s == http.StatusRequestTimeout || s == http.StatusLocked || s >= 500:
		return c.fail(ErrTemporary, op, resp, fmt.Sprintf(
			"%s está com problemas no momento (HTTP %d); a operação será tentada de novo.", c.the(), s))
	}
	msg := fmt.Sprintf("%s recusou a operação (HTTP %d)", c.the(), s)
	if detail := PlatformMessage(resp.Body); detail != "" {
		msg += ": " + detail
	}
	return c.fail(ErrRejected, op, resp, msg+".")
}

func (c *Caller) fail(kind ErrorKind, op string, resp *Response, msg string) *Error {
	e := NewError(kind, c.Platform, op, msg, nil)
	if resp != nil {
		e.HTTPStatus = resp.Status
		if len(resp.Body) > 0 {
			e.Err = fmt.Errorf("body: %s", snippet(resp.Body))
		}
		// A 503 may say when to come back, too.
		if kind == ErrTemporary || kind == ErrRateLimited {
			now := time.Now()
			if c.Clock != nil {
				now = c.Clock.Now()
			}
			if d, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
				e.RetryAfter = d
			}
		}
	}
	return e
}

// Decode parses a JSON body into v; anything unreadable is ErrInvalidResponse.
func (c *Caller) Decode(op string, resp *Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		e := NewError(ErrInvalidResponse, c.Platform, op, fmt.Sprintf(
			"%s enviou uma resposta ilegível; a operação será tentada de novo.", c.the()),
			fmt.Errorf("%w; body: %s", err, snippet(resp.Body)))
		e.HTTPStatus = resp.Status
		return e
	}
	return nil
}

// Invalid builds an ErrInvalidResponse error for a readable answer that lacks
// what we need.
func (c *Caller) Invalid(op string, resp *Response, what string) error {
	e := NewError(ErrInvalidResponse, c.Platform, op, fmt.Sprintf(
		"%s enviou uma resposta incompleta (%s); a operação será tentada de novo.", c.the(), what), nil)
	if resp != nil {
		e.HTTPStatus = resp.Status
		e.Err = fmt.Errorf("body: %s", snippet(resp.Body))
	}
	return e
}

// NotFound builds an ErrNotFound error with the adapter's own message; resp
// (nil when the absence was inferred) gives the HTTP status.
func (c *Caller) NotFound(op, msg string, resp *Response) error {
	e := NewError(ErrNotFound, c.Platform, op, msg, nil)
	if resp != nil {
		e.HTTPStatus = resp.Status
	}
	return e
}

// Rejected builds an ErrRejected error with the adapter's own message: a
// request it will not send as it stands (missing invoice number, empty SKU …)
// or a refusal it worked out itself (start-handling on a cancelled order).
func (c *Caller) Rejected(op, msg string) error {
	return NewError(ErrRejected, c.Platform, op, msg, nil)
}

// PlatformMessage extracts a human message from a platform's JSON error body
// (VTEX {"error": {"message"}}, Mercado Livre {"message", "error", "cause"}),
// or the text itself for short plain-text bodies. "" when there is none.
func PlatformMessage(body []byte) string {
	var v struct {
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &v) == nil {
		if m, ok := v.Error.(map[string]any); ok {
			if s, ok := m["message"].(string); ok && s != "" {
				return limit(s, 300)
			}
		}
		if v.Message != "" {
			return limit(v.Message, 300)
		}
		if s, ok := v.Error.(string); ok {
			return limit(s, 300)
		}
		return ""
	}
	t := strings.TrimSpace(string(body))
	if t != "" && !strings.HasPrefix(t, "<") && len(t) <= 300 {
		return t
	}
	return ""
}

func snippet(b []byte) string { return limit(string(b), 500) }

func limit(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
