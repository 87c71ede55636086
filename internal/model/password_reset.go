package model

import "time"

// PasswordReset is one "Esqueci minha senha" request: for an active user, a
// link (the SHA-256 of its token, until when it works, when it was used —
// once); for an unknown or disabled e-mail, only who asked from where, so
// that the requests of one address are counted all the same.
type PasswordReset struct {
	ID          int64
	UserID      *int64
	TokenHash   *string
	RequestedIP string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
}

// EmailPasswordReset is the outbox kind of the e-mail carrying the link.
const EmailPasswordReset = "password.reset"
