package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Password reset by e-mail ("Esqueci minha senha").
const (
	// ResetLinkTTL is how long a link works.
	ResetLinkTTL = time.Hour
	// resetsPerUser and resetsPerIP bound the links asked per hour: enough for
	// a person who lost the first e-mail, too few to flood an inbox.
	resetsPerUser = 3
	resetsPerIP   = 20
)

// ErrResetThrottled is returned when too many links were asked from one
// address in the last hour. The page shows it; it never says whether the
// e-mail exists (asking too often for one account is answered like any other
// request: the link is simply not sent again).
var ErrResetThrottled = apperr.Errorf(apperr.ELOCKED, "Muitos pedidos de redefinição a partir deste endereço. Tente novamente em uma hora.")

// RequestPasswordReset sends a single-use link to the active user with this
// e-mail. It answers the same whether or not the e-mail exists, is disabled
// or was already sent its quota of links; only an address asking too often
// is told so. resetURL turns the token into the absolute link.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string, resetURL func(token string) string) error {
	now := s.store.Now()
	n, err := s.store.CountPasswordResets(ctx, 0, ip, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	if n >= resetsPerIP {
		return ErrResetThrottled
	}
	email = strings.TrimSpace(email)
	u, err := s.store.FindUserByEmail(ctx, email)
	if apperr.Code(err) == apperr.ENOTFOUND || err == nil && disabled(u) {
		// Counted for the address's limit, and the same work as a real
		// request so that timing tells nothing.
		_ = s.hasher.Verify(s.dummy, email)
		return s.store.CreatePasswordReset(ctx, &model.PasswordReset{RequestedIP: ip, ExpiresAt: now}, nil)
	}
	if err != nil {
		return err
	}
	_ = s.hasher.Verify(s.dummy, email)
	if n, err := s.store.CountPasswordResets(ctx, u.ID, "", now.Add(-time.Hour)); err != nil || n >= resetsPerUser {
		return err
	}
	token := randomToken(32)
	link := resetURL(token)
	hash := HashToken(token)
	r := &model.PasswordReset{UserID: &u.ID, TokenHash: &hash, RequestedIP: ip, ExpiresAt: now.Add(ResetLinkTTL)}
	mail := &model.Email{
		Kind:    model.EmailPasswordReset,
		ToAddr:  u.Email,
		Subject: "Redefinição de senha — ConnectParts Dropship",
		Body: fmt.Sprintf("Olá, %s.\n\nRecebemos um pedido para redefinir a sua senha do portal de dropshipping da ConnectParts.\n"+
			"Para escolher uma nova senha, abra o link abaixo (vale por 1 hora e pode ser usado uma única vez):\n\n%s\n\n"+
			"Se você não pediu a redefinição, ignore este e-mail: a sua senha atual continua valendo.\n", u.Name, link),
	}
	return s.store.CreatePasswordReset(ctx, r, mail)
}

// CompletePasswordReset sets a new password through a link: the token must
// be unused and unexpired, the password must follow the policy. Every session
// of the user ends and every other link of the user stops working.
func (s *Service) CompletePasswordReset(ctx context.Context, token, next, confirm string) error {
	if next != confirm {
		return apperr.Invalid("As senhas não conferem.", apperr.Detail{Field: "confirm", Message: "A confirmação é diferente da nova senha."})
	}
	userID, email, err := s.resetLinkOwner(ctx, token)
	if err != nil {
		return err
	}
	if err := CheckPasswordPolicy(next, email); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	ctx = model.WithActor(ctx, model.Actor{UserID: &userID, Label: email})
	_, err = s.store.UsePasswordReset(ctx, HashToken(token), hash)
	return err
}

// CheckResetLink tells whether a link still works, for the page that asks
// for the new password.
func (s *Service) CheckResetLink(ctx context.Context, token string) error {
	_, _, err := s.resetLinkOwner(ctx, token)
	return err
}

func (s *Service) resetLinkOwner(ctx context.Context, token string) (int64, string, error) {
	r, err := s.store.FindPasswordReset(ctx, HashToken(token))
	if apperr.Code(err) == apperr.ENOTFOUND || err == nil && (r.UserID == nil || r.UsedAt != nil || !s.store.Now().Before(r.ExpiresAt)) {
		return 0, "", apperr.Errorf(apperr.EINVALID, "Este link de redefinição já foi usado ou expirou. Peça um novo em \"Esqueci minha senha\".")
	}
	if err != nil {
		return 0, "", err
	}
	u, err := s.store.FindUser(ctx, *r.UserID)
	if err != nil {
		return 0, "", err
	}
	if disabled(u) {
		return 0, "", apperr.Errorf(apperr.EINVALID, "Este link de redefinição já foi usado ou expirou. Peça um novo em \"Esqueci minha senha\".")
	}
	return u.ID, u.Email, nil
}
