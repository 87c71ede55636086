// Package apperr carries application error codes, so that every layer can say
// what kind of failure happened and the web layer maps it to a status once.
package apperr

import (
	"errors"
	"fmt"
)

// Application error codes.
const (
	EINVALID      = "invalid"      // the request is well-formed but its content is not acceptable
	EMALFORMED    = "malformed"    // the request cannot be understood at all
	ENOTFOUND     = "not_found"    // the record does not exist or is not visible to the caller
	ECONFLICT     = "conflict"     // the action does not fit the record's current state
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, not allowed
	ETOOLARGE     = "too_large"    // payload over a limit
	ERATELIMIT    = "rate_limited" // too many attempts
	EINTERNAL     = "internal"     // a bug or an outage; never shown in detail
	ELOCKED       = "locked"       // temporarily locked (login throttling)
	EUNAVAILABLE  = "unavailable"  // a dependency is down
	ENOSPACE      = "storage_full" // the disk or quota holding files is full (507)
)

// Detail is one problem inside an error: a field or a line with a message.
type Detail struct {
	Field   string `json:"field,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Error is an application error. Message is safe to show to users (Portuguese).
type Error struct {
	Code    string
	Message string
	Details []Detail
	Err     error // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an application error with a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds an EINVALID error carrying per-field or per-line details.
func Invalid(message string, details ...Detail) *Error {
	return &Error{Code: EINVALID, Message: message, Details: details}
}

// Wrap keeps the cause for logs while giving users a safe message.
func Wrap(err error, code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Code returns the application code of err, EINTERNAL for foreign errors and "" for nil.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Message returns the user-facing message of err; internal errors get a generic text.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Ocorreu um erro interno. Tente novamente; se persistir, avise o suporte."
}

// Details returns the details of err, if any.
func Details(err error) []Detail {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool { return Code(err) == code }
