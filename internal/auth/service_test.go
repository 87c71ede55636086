package auth_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

type fixture struct {
	st   *store.Store
	svc  *auth.Service
	now  time.Time
	ctx  context.Context
	user *model.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{st: store.New(testdb.MustOpen(t)), now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), ctx: context.Background()}
	f.st.SetClock(func() time.Time { return f.now })
	f.svc = auth.NewService(f.st, auth.Hasher{Cost: bcrypt.MinCost}, auth.Policy{})
	u, _, err := f.svc.CreateUser(f.ctx, auth.NewUser{Email: " Ana@ConnectParts.com.br ", Name: "Ana", Role: model.RoleAdmin, Password: "senha-forte-123"})
	if err != nil {
		t.Fatal(err)
	}
	f.user = u
	return f
}

func TestLoginAndSession(t *testing.T) {
	f := newFixture(t)
	u, token, err := f.svc.Login(f.ctx, "ana@connectparts.com.br", "senha-forte-123", "10.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ana@connectparts.com.br" || len(token) != 64 {
		t.Fatalf("login user=%q token=%q", u.Email, token)
	}
	got, _, err := f.svc.Authenticate(f.ctx, token)
	if err != nil || got.ID != u.ID {
		t.Fatalf("Authenticate = %v, %v", got, err)
	}
	// The stored session id is the token's hash, never the token.
	if _, err := f.st.FindSession(f.ctx, token); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("raw token found as session id: %v", err)
	}

	// Idle expiry.
	f.now = f.now.Add(2*time.Hour + time.Minute)
	if _, _, err := f.svc.Authenticate(f.ctx, token); err != auth.ErrSessionExpired {
		t.Fatalf("idle session: %v", err)
	}
}

func TestAbsoluteExpiryDespiteActivity(t *testing.T) {
	f := newFixture(t)
	_, token, err := f.svc.Login(f.ctx, "ana@connectparts.com.br", "senha-forte-123", "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 12; i++ { // active every hour for 12 hours
		f.now = f.now.Add(time.Hour)
		if _, _, err := f.svc.Authenticate(f.ctx, token); err != nil {
			if i < 11 {
				t.Fatalf("hour %d: %v", i+1, err)
			}
		}
	}
	f.now = f.now.Add(time.Minute)
	if _, _, err := f.svc.Authenticate(f.ctx, token); err != auth.ErrSessionExpired {
		t.Fatalf("absolute expiry: %v", err)
	}
}

func TestDisabledUser(t *testing.T) {
	f := newFixture(t)
	other, _, err := f.svc.CreateUser(f.ctx, auth.NewUser{Email: "bia@x.com", Name: "Bia", Role: model.RoleFiscal, Password: "outra-senha-456"})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := f.svc.Login(f.ctx, "bia@x.com", "outra-senha-456", "1.1.1.1", "")
	if err != nil {
		t.Fatal(err)
	}
	other.Active = false
	if err := f.st.UpdateUser(f.ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Authenticate(f.ctx, token); err == nil {
		t.Fatal("disabled user's session still valid")
	}
	_, _, err = f.svc.Login(f.ctx, "bia@x.com", "outra-senha-456", "1.1.1.1", "")
	if !apperr.Is(err, apperr.EFORBIDDEN) {
		t.Fatalf("disabled login: %v", err)
	}
	// The last active admin cannot be disabled.
	f.user.Active = false
	if err := f.st.UpdateUser(f.ctx, f.user); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("last admin disabled: %v", err)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	f := newFixture(t)
	_, keep, _ := f.svc.Login(f.ctx, "ana@connectparts.com.br", "senha-forte-123", "1.1.1.1", "")
	_, other, _ := f.svc.Login(f.ctx, "ana@connectparts.com.br", "senha-forte-123", "1.1.1.2", "")
	u, _ := f.st.FindUser(f.ctx, f.user.ID)
	if err := f.svc.ChangePassword(f.ctx, u, "wrong", "nova-senha-789", "nova-senha-789", keep, false); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := f.svc.ChangePassword(f.ctx, u, "senha-forte-123", "curta", "curta", keep, false); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("short password: %v", err)
	}
	if err := f.svc.ChangePassword(f.ctx, u, "senha-forte-123", "nova-senha-789", "nova-senha-789", keep, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Authenticate(f.ctx, keep); err != nil {
		t.Fatalf("current session ended: %v", err)
	}
	if _, _, err := f.svc.Authenticate(f.ctx, other); err == nil {
		t.Fatal("other session survived password change")
	}
	if _, _, err := f.svc.Login(f.ctx, "ana@connectparts.com.br", "nova-senha-789", "1.1.1.1", ""); err != nil {
		t.Fatal(err)
	}
}

func TestResetPasswordForcesChange(t *testing.T) {
	f := newFixture(t)
	pw, err := f.svc.ResetPassword(f.ctx, f.user.ID, false)
	if err != nil || len(pw) != 16 {
		t.Fatalf("reset: %q %v", pw, err)
	}
	u, _, err := f.svc.Login(f.ctx, "ana@connectparts.com.br", pw, "1.1.1.1", "")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("login with temporary password: %+v %v", u, err)
	}
}

func TestAPITokens(t *testing.T) {
	f := newFixture(t)
	plain, tok, err := f.svc.CreateToken(f.ctx, f.user.ID, "ERP")
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenHash == plain || len(plain) != len(auth.TokenPrefix)+48 {
		t.Fatalf("token %q stored as %q", plain, tok.TokenHash)
	}
	u, err := f.svc.AuthenticateToken(f.ctx, plain)
	if err != nil || u.ID != f.user.ID {
		t.Fatalf("AuthenticateToken: %v %v", u, err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, plain+"x"); !apperr.Is(err, apperr.EUNAUTHORIZED) {
		t.Fatalf("bad token: %v", err)
	}
	if err := f.st.RevokeToken(f.ctx, f.user.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, plain); !apperr.Is(err, apperr.EUNAUTHORIZED) {
		t.Fatalf("revoked token: %v", err)
	}
	viewer, _, _ := f.svc.CreateUser(f.ctx, auth.NewUser{Email: "v@x.com", Name: "V", Role: model.RoleViewer})
	if _, _, err := f.svc.CreateToken(f.ctx, viewer.ID, ""); !apperr.Is(err, apperr.EFORBIDDEN) {
		t.Fatalf("viewer token: %v", err)
	}
}

func TestCreateUserValidation(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.svc.CreateUser(f.ctx, auth.NewUser{Email: "not-an-email", Role: "boss", Password: "x"})
	d := apperr.Details(err)
	fields := map[string]bool{}
	for _, x := range d {
		fields[x.Field] = true
	}
	for _, want := range []string{"email", "name", "role", "password"} {
		if !fields[want] {
			t.Errorf("missing detail for %s: %+v", want, d)
		}
	}
	_, _, err = f.svc.CreateUser(f.ctx, auth.NewUser{Email: "sup@x.com", Name: "S", Role: model.RoleSupplier})
	if !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("supplier user without supplier: %v", err)
	}
	_, _, err = f.svc.CreateUser(f.ctx, auth.NewUser{Email: "ANA@connectparts.com.br", Name: "Dup", Role: model.RoleViewer})
	if !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("duplicate e-mail: %v", err)
	}
}
