package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/views"
)

func (s *Server) handlePasswordShow(c *fiber.Ctx) error {
	return s.render(c, views.PasswordPage(views.PasswordProps{Forced: currentUser(c).MustChangePassword, UsesAPI: currentUser(c).Can(model.PermUseAPI)}))
}

func (s *Server) handlePasswordSubmit(c *fiber.Ctx) error {
	u := currentUser(c)
	err := s.auth.ChangePassword(c.UserContext(), u, c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm"), session(c).get(keyToken), c.FormValue("revoke_tokens") == "1")
	if err != nil {
		if !isUserError(err) {
			return err
		}
		msg, fe := fieldErrors(err)
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.PasswordPage(views.PasswordProps{Forced: u.MustChangePassword, UsesAPI: u.Can(model.PermUseAPI), KeepTokens: c.FormValue("revoke_tokens") != "1", Errors: fe, Error: msg}))
	}
	return redirectWith(c, "/", "success", "Senha alterada. As outras sessões abertas foram encerradas.")
}

func (s *Server) handleTokenList(c *fiber.Ctx) error {
	if !currentUser(c).Can(model.PermUseAPI) {
		return apperr.Errorf(apperr.EFORBIDDEN, "Seu perfil não usa a API.")
	}
	tokens, err := s.store.ListTokens(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, views.TokensPage(views.TokensProps{Tokens: tokens}))
}

func (s *Server) handleTokenCreate(c *fiber.Ctx) error {
	plain, _, err := s.auth.CreateToken(c.UserContext(), currentUser(c).ID, copyString(c.FormValue("label")))
	if err != nil {
		return err
	}
	return s.render(c, views.SecretShown(views.SecretShownProps{
		Title: "Token de API criado", Label: "Token", Secret: plain,
		Explanation: "Guarde este token no seu sistema. Ele dá acesso à API com as permissões do seu usuário.",
		BackURL:     "/account/tokens", BackLabel: "Voltar aos tokens",
	}))
}

func (s *Server) handleTokenRevoke(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return redirectWith(c, "/account/tokens", "success", "Token revogado.")
}
