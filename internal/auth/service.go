package auth

import (
	"context"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// Policy holds the login and session limits.
//
// Failed logins are counted per (account, client address) pair, never per
// account or per address alone: an attacker guessing from one address slows
// only its own guesses, and can neither lock the account's owner out nor
// refuse the other users behind the same address. After FreeFailures
// failures, each further attempt of the pair waits BaseDelay, doubling up to
// MaxDelay; a success or Forget without failures clears the pair.
type Policy struct {
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	FreeFailures    int           // failures of a pair allowed without waiting
	BaseDelay       time.Duration // wait after the first failure past FreeFailures
	MaxDelay        time.Duration // the longest wait between two attempts of a pair
	Forget          time.Duration // failures older than this are forgotten
}

// DefaultPolicy is used when fields are left zero.
var DefaultPolicy = Policy{
	SessionIdle: 2 * time.Hour, SessionAbsolute: 12 * time.Hour,
	FreeFailures: 3, BaseDelay: time.Second, MaxDelay: 15 * time.Minute, Forget: 24 * time.Hour,
}

// Service implements login, sessions, passwords, users and API tokens.
type Service struct {
	store  *store.Store
	hasher Hasher
	policy Policy
	dummy  string // hash compared against when the account does not exist, to even out timing
}

// NewService builds the service.
func NewService(st *store.Store, hasher Hasher, p Policy) *Service {
	if p.SessionIdle == 0 {
		p.SessionIdle = DefaultPolicy.SessionIdle
	}
	if p.SessionAbsolute == 0 {
		p.SessionAbsolute = DefaultPolicy.SessionAbsolute
	}
	if p.FreeFailures == 0 {
		p.FreeFailures = DefaultPolicy.FreeFailures
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = DefaultPolicy.BaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = DefaultPolicy.MaxDelay
	}
	if p.Forget == 0 {
		p.Forget = DefaultPolicy.Forget
	}
	dummy, _ := hasher.Hash("not-a-real-password-" + randomToken(8))
	return &Service{store: st, hasher: hasher, policy: p, dummy: dummy}
}

var errBadCredentials = apperr.Errorf(apperr.EUNAUTHORIZED, "E-mail ou senha incorretos.")

// Delay is how long a pair with n consecutive failures waits before its next attempt.
func (p Policy) Delay(n int) time.Duration {
	over := n - p.FreeFailures
	if over <= 0 {
		return 0
	}
	d := p.BaseDelay
	for i := 1; i < over && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// throttleKey names the failure counter of an (account, address) pair; hashed
// so that neither the e-mail nor the address lengthens or shows in the key.
func throttleKey(email, ip string) string {
	return "pair:" + HashToken(email+"\x00"+ip)
}

// waitError tells how long to wait, in whole seconds rounded up.
func waitError(until, now time.Time) error {
	secs := int((until.Sub(now) + time.Second - 1) / time.Second)
	return apperr.Errorf(apperr.ELOCKED, "Muitas tentativas de login com este e-mail a partir deste endereço. Tente novamente em %d s.", max(secs, 1))
}

// Login checks credentials and opens a session. It returns the session token
// for the cookie; only its hash is stored.
//
// Each attempt is counted as a failure before the password is checked and the
// counter is cleared on success, so parallel guesses cannot all slip through
// before the first failure is recorded.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (*model.User, string, error) {
	email = store.NormalizeEmail(email)
	if email == "" || password == "" {
		return nil, "", apperr.Invalid("Informe e-mail e senha.")
	}
	if a := model.ActorFrom(ctx); a.UserID == nil && a.IP == "" {
		a.IP = ip // failed and refused attempts are audited with the client's address
		ctx = model.WithActor(ctx, a)
	}
	now := s.store.Now()
	key := throttleKey(email, ip)
	t, ok, err := s.store.ClaimThrottle(ctx, key, now, func(t store.Throttle) store.Throttle {
		if now.Sub(t.WindowStart) > s.policy.Forget {
			t.Failures = 0
		}
		t.Failures++
		t.WindowStart = now
		t.LockedUntil = nil
		if d := s.policy.Delay(t.Failures); d > 0 {
			until := now.Add(d)
			t.LockedUntil = &until
		}
		return t
	})
	if err != nil {
		return nil, "", err
	}
	if !ok {
		s.store.AuditFailedLogin(ctx, email, "throttled") //nolint:errcheck
		return nil, "", waitError(*t.LockedUntil, now)
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
		return nil, "", err
	}
	if u == nil {
		s.hasher.Verify(s.dummy, password)
		return nil, "", s.fail(ctx, email, "unknown user", t)
	}
	if !s.hasher.Verify(u.PasswordHash, password) {
		return nil, "", s.fail(ctx, email, "wrong password", t)
	}
	if disabled(u) {
		s.store.AuditFailedLogin(ctx, email, "disabled") //nolint:errcheck
		return nil, "", apperr.Errorf(apperr.EFORBIDDEN, "Este usuário está desativado. Procure o administrador do portal.")
	}
	token := randomToken(32)
	sess := &model.Session{
		ID: HashToken(token), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.policy.SessionAbsolute), IP: ip, UserAgent: truncate(userAgent, 300),
	}
	ctx = model.WithActor(ctx, model.UserActor(u, ip))
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.ClearThrottle(ctx, key); err != nil {
			return err
		}
		if err := s.store.CreateSession(ctx, sess); err != nil {
			return err
		}
		if err := s.store.RecordLogin(ctx, u.ID); err != nil {
			return err
		}
		return s.store.AuditEvent(ctx, "auth.login", "user", u.ID, u.SupplierID, nil)
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// fail records a refused login whose failure t has already counted.
func (s *Service) fail(ctx context.Context, email, reason string, t store.Throttle) error {
	if err := s.store.AuditFailedLogin(ctx, email, reason); err != nil {
		return err
	}
	if t.LockedUntil != nil {
		secs := int((t.LockedUntil.Sub(t.WindowStart) + time.Second - 1) / time.Second)
		return apperr.Errorf(apperr.EUNAUTHORIZED, "E-mail ou senha incorretos. Aguarde %d s antes de tentar novamente.", secs)
	}
	return errBadCredentials
}

// disabled reports whether a user may not sign in: the user, or the
// supplier it belongs to, is deactivated. u must have its Supplier loaded.
func disabled(u *model.User) bool {
	return !u.Active || (u.Supplier != nil && !u.Supplier.Active)
}

// ErrSessionExpired is returned for a session past its idle or absolute limit.
var ErrSessionExpired = apperr.Errorf(apperr.EUNAUTHORIZED, "Sua sessão expirou. Entre novamente.")

// Authenticate resolves a session token into its user, enforcing expiry.
func (s *Service) Authenticate(ctx context.Context, token string) (*model.User, *model.Session, error) {
	if token == "" {
		return nil, nil, apperr.Errorf(apperr.EUNAUTHORIZED, "Entre para continuar.")
	}
	sess, err := s.store.FindSession(ctx, HashToken(token))
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, nil, ErrSessionExpired
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.store.Now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.policy.SessionIdle {
		s.store.DeleteSession(ctx, sess.ID) //nolint:errcheck
		return nil, nil, ErrSessionExpired
	}
	u, err := s.store.FindUser(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	if disabled(u) {
		s.store.DeleteSession(ctx, sess.ID) //nolint:errcheck
		return nil, nil, apperr.Errorf(apperr.EUNAUTHORIZED, "Este usuário está desativado.")
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, sess.ID, now); err != nil {
			return nil, nil, err
		}
	}
	return u, sess, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteSession(ctx, HashToken(token)); err != nil {
			return err
		}
		return s.store.AuditEvent(ctx, "auth.logout", "user", model.ActorFrom(ctx).UserID, model.ActorFrom(ctx).SupplierID, nil)
	})
}

// ChangePassword replaces the user's password after checking the current one,
// ending every other session of the user and, with revokeTokens, revoking
// the user's API tokens.
func (s *Service) ChangePassword(ctx context.Context, u *model.User, current, next, confirm, sessionToken string, revokeTokens bool) error {
	if !s.hasher.Verify(u.PasswordHash, current) {
		return apperr.Invalid("Senha atual incorreta.", apperr.Detail{Field: "current", Message: "A senha atual não confere."})
	}
	if next != confirm {
		return apperr.Invalid("As senhas não conferem.", apperr.Detail{Field: "confirm", Message: "A confirmação é diferente da nova senha."})
	}
	if next == current {
		return apperr.Invalid("Escolha uma senha diferente.", apperr.Detail{Field: "password", Message: "A nova senha deve ser diferente da atual."})
	}
	if err := CheckPasswordPolicy(next, u.Email); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	keep := ""
	if sessionToken != "" {
		keep = HashToken(sessionToken)
	}
	return s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.SetPassword(ctx, u.ID, hash, false, keep, "user.password_change"); err != nil {
			return err
		}
		if revokeTokens {
			_, err := s.store.RevokeUserTokens(ctx, u.ID)
			return err
		}
		return nil
	})
}

// ResetPassword gives a user a random temporary password, which must be
// changed at next login; with revokeTokens the user's API tokens are revoked
// too (until the change, they are refused anyway).
func (s *Service) ResetPassword(ctx context.Context, userID int64, revokeTokens bool) (string, error) {
	pw := GeneratePassword()
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return "", err
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.SetPassword(ctx, userID, hash, true, "", "user.password_reset"); err != nil {
			return err
		}
		if revokeTokens {
			_, err := s.store.RevokeUserTokens(ctx, userID)
			return err
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// NewUser is the input for CreateUser.
type NewUser struct {
	Email      string
	Name       string
	Role       model.Role
	SupplierID *int64
	Password   string // empty: generate one
	MustChange bool
}

// CreateUser validates and stores a user. It returns the password (generated when none was given).
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*model.User, string, error) {
	return s.createUser(ctx, in, s.hasher.Hash)
}

func (s *Service) createUser(ctx context.Context, in NewUser, hashPassword func(string) (string, error)) (*model.User, string, error) {
	in.Email = store.NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	var d []apperr.Detail
	if !model.ValidEmail(in.Email) {
		d = append(d, apperr.Detail{Field: "email", Message: "Informe um e-mail válido."})
	}
	if in.Name == "" {
		d = append(d, apperr.Detail{Field: "name", Message: "Informe o nome."})
	}
	if !in.Role.Valid() {
		d = append(d, apperr.Detail{Field: "role", Message: "Escolha um perfil válido."})
	}
	if in.Role == model.RoleSupplier && in.SupplierID == nil {
		d = append(d, apperr.Detail{Field: "supplier_id", Message: "Usuários de fornecedor precisam de um fornecedor."})
	}
	if in.Role != model.RoleSupplier {
		in.SupplierID = nil
	}
	generated := in.Password == ""
	if generated {
		in.Password = GeneratePassword()
	} else if err := CheckPasswordPolicy(in.Password, in.Email); err != nil {
		d = append(d, apperr.Details(err)...)
	}
	if len(d) > 0 {
		return nil, "", apperr.Invalid("Corrija os campos destacados.", d...)
	}
	if in.SupplierID != nil {
		if _, err := s.store.FindSupplier(ctx, *in.SupplierID); err != nil {
			return nil, "", apperr.Invalid("Fornecedor inexistente.", apperr.Detail{Field: "supplier_id", Message: "Fornecedor não encontrado."})
		}
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return nil, "", err
	}
	u := &model.User{
		Email: in.Email, Name: in.Name, Role: in.Role, SupplierID: in.SupplierID,
		PasswordHash: hash, Active: true, MustChangePassword: in.MustChange || generated,
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, "", err
	}
	return u, in.Password, nil
}

// TokenPrefix starts every API token, so leaked tokens are easy to recognise.
const TokenPrefix = "cpp_"

// CreateToken issues an API token for a user; the plaintext is returned once.
func (s *Service) CreateToken(ctx context.Context, userID int64, label string) (string, *model.APIToken, error) {
	u, err := s.store.FindUser(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	if !u.Can(model.PermUseAPI) {
		return "", nil, apperr.Errorf(apperr.EFORBIDDEN, "O perfil %s não usa a API.", u.Role.Label())
	}
	plain := TokenPrefix + randomToken(24)
	t := &model.APIToken{UserID: userID, Label: truncate(strings.TrimSpace(label), 100), TokenHash: HashToken(plain), Prefix: plain[:len(TokenPrefix)+6]}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// AuthenticateToken resolves a bearer token into its active user.
func (s *Service) AuthenticateToken(ctx context.Context, plain string) (*model.User, error) {
	bad := apperr.Errorf(apperr.EUNAUTHORIZED, "Token de API inválido ou revogado.")
	if !strings.HasPrefix(plain, TokenPrefix) {
		return nil, bad
	}
	t, u, err := s.store.FindTokenByHash(ctx, HashToken(plain))
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if disabled(u) || !u.Can(model.PermUseAPI) {
		return nil, apperr.Errorf(apperr.EUNAUTHORIZED, "O usuário deste token está desativado.")
	}
	if u.MustChangePassword {
		// A generated password has not been replaced yet: whoever holds the
		// account must prove it through the portal before the API opens.
		return nil, apperr.Errorf(apperr.EFORBIDDEN, "O usuário deste token precisa trocar a senha temporária no portal (Minha conta → Alterar senha) antes de usar a API.")
	}
	now := s.store.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// PurgeExpired removes expired sessions and stale throttle counters.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.store.Now()
	n, err := s.store.DeleteExpiredSessions(ctx, now, now.Add(-s.policy.SessionIdle))
	if err != nil {
		return 0, err
	}
	if _, err := s.store.PurgePasswordResets(ctx, now.Add(-24*time.Hour)); err != nil {
		return n, err
	}
	return n, s.store.DeleteOldThrottles(ctx, now.Add(-s.policy.Forget-s.policy.MaxDelay))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
