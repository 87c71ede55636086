package auth

import (
	"context"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// CreateUsersSharingPassword creates users that all get the same given
// password (a seed's test accounts), validated like CreateUser, hashing the
// password once: bcrypt at the service's cost takes a quarter of a second a
// hash, which dozens of accounts turn into most of a seed's time. The users
// share the hash's salt, so this is only for accounts whose password is no
// secret anyway; each entry's Password is ignored.
func (s *Service) CreateUsersSharingPassword(ctx context.Context, password string, users []NewUser) ([]*model.User, error) {
	if password == "" {
		return nil, apperr.Invalid("Informe a senha.", apperr.Detail{Field: "password", Message: "Informe a senha."})
	}
	var hash string
	once := func(pw string) (string, error) {
		if hash != "" {
			return hash, nil
		}
		h, err := s.hasher.Hash(pw)
		hash = h
		return h, err
	}
	out := make([]*model.User, 0, len(users))
	for _, in := range users {
		in.Password = password
		u, _, err := s.createUser(ctx, in, once)
		if err != nil {
			return out, err
		}
		out = append(out, u)
	}
	return out, nil
}
