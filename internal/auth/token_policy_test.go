package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
)

// After an admin reset the account is only as safe as a password handed
// over by hand: its tokens are refused until the user sets a password.
func TestTokenRefusedUntilGeneratedPasswordChanged(t *testing.T) {
	f := newFixture(t)
	plain, _, err := f.svc.CreateToken(f.ctx, f.user.ID, "ERP")
	if err != nil {
		t.Fatal(err)
	}
	tmp, err := f.svc.ResetPassword(f.ctx, f.user.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AuthenticateToken(f.ctx, plain)
	if !apperr.Is(err, apperr.EFORBIDDEN) || !strings.Contains(apperr.Message(err), "trocar a senha temporária") {
		t.Fatalf("token of a user with a generated password: %v", err)
	}
	u, _ := f.st.FindUser(f.ctx, f.user.ID)
	if err := f.svc.ChangePassword(f.ctx, u, tmp, "cavalo-correto-bateria", "cavalo-correto-bateria", "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, plain); err != nil {
		t.Fatalf("kept token after the change: %v", err)
	}
}

func TestPasswordChangeAndResetRevokeTokensWhenAsked(t *testing.T) {
	f := newFixture(t)
	first, _, _ := f.svc.CreateToken(f.ctx, f.user.ID, "ERP")
	second, _, _ := f.svc.CreateToken(f.ctx, f.user.ID, "WMS")
	u, _ := f.st.FindUser(f.ctx, f.user.ID)
	if err := f.svc.ChangePassword(f.ctx, u, "senha-forte-123", "cavalo-correto-bateria", "cavalo-correto-bateria", "", true); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{first, second} {
		if _, err := f.svc.AuthenticateToken(f.ctx, tok); !apperr.Is(err, apperr.EUNAUTHORIZED) {
			t.Fatalf("token survived a change with revocation: %v", err)
		}
	}
	third, _, _ := f.svc.CreateToken(f.ctx, f.user.ID, "novo")
	if _, err := f.svc.ResetPassword(f.ctx, f.user.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, third); !apperr.Is(err, apperr.EUNAUTHORIZED) {
		t.Fatalf("token survived a reset with revocation: %v", err)
	}
	tokens, _ := f.st.ListTokens(f.ctx, f.user.ID)
	for _, tk := range tokens {
		if tk.RevokedAt == nil {
			t.Fatalf("token %s not revoked", tk.Label)
		}
	}
}

// Each token shows when it was last used; the time is written at most once a
// minute, so a busy integration does not write on every request.
func TestTokenLastUsedWrittenAtMostOncePerMinute(t *testing.T) {
	f := newFixture(t)
	plain, _, _ := f.svc.CreateToken(f.ctx, f.user.ID, "ERP")
	lastUsed := func() *time.Time {
		tokens, _ := f.st.ListTokens(f.ctx, f.user.ID)
		return tokens[0].LastUsedAt
	}
	if lastUsed() != nil {
		t.Fatal("unused token has a last use")
	}
	start := f.now
	f.svc.AuthenticateToken(f.ctx, plain) //nolint:errcheck
	f.now = start.Add(30 * time.Second)
	f.svc.AuthenticateToken(f.ctx, plain) //nolint:errcheck
	if got := lastUsed(); got == nil || !got.Equal(start) {
		t.Fatalf("last use after two uses 30 s apart: %v, want %v", got, start)
	}
	f.now = start.Add(61 * time.Second)
	f.svc.AuthenticateToken(f.ctx, plain) //nolint:errcheck
	if got := lastUsed(); got == nil || !got.Equal(f.now) {
		t.Fatalf("last use a minute later: %v, want %v", got, f.now)
	}
}
