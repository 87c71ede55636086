package platform

import (
	"errors"
	"fmt"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// ErrorKind classifies a platform failure so the engine can record it and
// decide what to do. The kinds are themselves errors, so that
//
//	errors.Is(err, platform.ErrRateLimited)
//
// works on any error an adapter returns.
type ErrorKind string

func (k ErrorKind) Error() string { return "platform: " + string(k) }

// Error kinds.
const (
	// ErrTemporary: the platform is down or slow (HTTP 5xx, 408, a timeout,
	// a broken connection, 423 Locked that did not clear). Retry later.
	ErrTemporary ErrorKind = "temporary"
	// ErrRateLimited: HTTP 429 that did not clear after the bounded retries.
	// Error.RetryAfter says when to try again (0 if the platform did not say).
	ErrRateLimited ErrorKind = "rate_limited"
	// ErrAuth: credentials refused (HTTP 401/403, Mercado Livre invalid_grant).
	// Retrying does not help until someone fixes the connection.
	ErrAuth ErrorKind = "auth"
	// ErrNotFound: the order, SKU or shipment does not exist on the platform.
	ErrNotFound ErrorKind = "not_found"
	// ErrInvalidResponse: the platform answered 2xx with something we cannot
	// read (garbage JSON, missing required fields). Usually transient.
	ErrInvalidResponse ErrorKind = "invalid_response"
	// ErrRejected: the platform refused the request as such (HTTP 400, 409,
	// 422 …): retrying the same request will fail the same way.
	ErrRejected ErrorKind = "rejected"
	// ErrUnsupported: the platform has no API for this action.
	ErrUnsupported ErrorKind = "unsupported"
)

// Retryable reports whether retrying later may succeed.
func (k ErrorKind) Retryable() bool {
	switch k {
	case ErrTemporary, ErrRateLimited, ErrInvalidResponse:
		return true
	}
	return false
}

// appCode maps a kind to the application code of internal/apperr, so that
// apperr.Code and apperr.Message work on platform errors too.
func (k ErrorKind) appCode() string {
	switch k {
	case ErrRateLimited:
		return apperr.ERATELIMIT
	case ErrNotFound:
		return apperr.ENOTFOUND
	case ErrRejected:
		return apperr.EINVALID
	case ErrUnsupported:
		return apperr.ECONFLICT
	}
	// Temporary, invalid response and auth failures are all "a dependency
	// is not working"; EUNAUTHORIZED would wrongly suggest the portal user
	// is not logged in.
	return apperr.EUNAVAILABLE
}

// Error is a failure talking to a platform.
type Error struct {
	Kind       ErrorKind
	Platform   string        // model.PlatformVTEX, model.PlatformMercadoLivre, model.PlatformSandbox
	Op         string        // what the adapter was doing: "get_order", "set_stock" …
	HTTPStatus int           // the platform's HTTP status, 0 when there was no answer
	RetryAfter time.Duration // for ErrRateLimited: the platform's Retry-After
	Message    string        // Portuguese, safe to show to users
	Err        error         // cause, for logs
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Platform, e.Op, e.Kind)
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	s += ": " + e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrTemporary) and friends work.
func (e *Error) Is(target error) bool {
	k, ok := target.(ErrorKind)
	return ok && k == e.Kind
}

// Unwrap exposes an *apperr.Error carrying the Portuguese message (so the web
// layer shows it) and the cause.
func (e *Error) Unwrap() []error {
	errs := []error{&apperr.Error{Code: e.Kind.appCode(), Message: e.Message}}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// NewError builds an Error.
func NewError(kind ErrorKind, platform, op, message string, cause error) *Error {
	return &Error{Kind: kind, Platform: platform, Op: op, Message: message, Err: cause}
}

// KindOf returns the kind of err, "" when err is nil or not a platform error
// (a cancelled context, for instance).
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// RetryAfter returns how long the platform asked us to wait, 0 if it did not.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Retryable reports whether retrying err later may succeed.
func Retryable(err error) bool { return KindOf(err).Retryable() }

// TheName is the platform's name with its Portuguese article, capitalised, to
// start a sentence: "A VTEX", "O Mercado Livre".
func TheName(kind string) string {
	switch kind {
	case model.PlatformMercadoLivre:
		return "O Mercado Livre"
	case model.PlatformVTEX, model.PlatformSandbox:
		return "A " + model.PlatformName(kind)
	}
	return "A plataforma " + kind
}

// InName is "na VTEX", "no Mercado Livre".
func InName(kind string) string {
	switch kind {
	case model.PlatformMercadoLivre:
		return "no Mercado Livre"
	case model.PlatformVTEX, model.PlatformSandbox:
		return "na " + model.PlatformName(kind)
	}
	return "na plataforma " + kind
}
