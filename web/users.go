package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleUserList(c *fiber.Ctx) error {
	q := copyString(strings.TrimSpace(c.Query("q")))
	role := copyString(c.Query("role"))
	status := copyString(c.Query("status"))
	p := pageFromQuery(c)
	f := store.UserFilter{Query: q, Role: model.Role(role), Active: statusFilter(status), Sort: sortFromQuery(c, userSortColumns)}
	if fm, ok := exportFormat(c); ok {
		return s.exportUsers(c, fm, f)
	}
	items, total, err := s.store.ListUsers(c.UserContext(), f, p)
	if err != nil {
		return err
	}
	return s.render(c, views.UsersPage(views.UsersProps{Items: items, Query: q, Role: role, Status: status, Pager: pager(c, p, total)}))
}

func (s *Server) userForm(c *fiber.Ctx, p views.UserFormProps) error {
	sups, err := s.store.AllSuppliers(c.UserContext())
	if err != nil {
		return err
	}
	p.Suppliers = sups
	return s.render(c, views.UserForm(p))
}

func (s *Server) handleUserNew(c *fiber.Ctx) error {
	u := model.User{Role: model.RoleViewer, Active: true}
	if id := queryID(c.Query("supplier_id")); id != nil {
		u.Role, u.SupplierID = model.RoleSupplier, id
	}
	return s.userForm(c, views.UserFormProps{User: u, IsNew: true})
}

func (s *Server) handleUserCreate(c *fiber.Ctx) error {
	in := auth.NewUser{
		Email: copyString(c.FormValue("email")), Name: copyString(c.FormValue("name")),
		Role: model.Role(copyString(c.FormValue("role"))), SupplierID: queryID(c.FormValue("supplier_id")),
		Password: copyString(c.FormValue("password")), MustChange: true,
	}
	u, pw, err := s.auth.CreateUser(c.UserContext(), in)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		msg, fe := fieldErrors(err)
		c.Status(fiber.StatusUnprocessableEntity)
		return s.userForm(c, views.UserFormProps{
			User: model.User{Email: in.Email, Name: in.Name, Role: in.Role, SupplierID: in.SupplierID}, IsNew: true, Errors: fe, Error: msg,
		})
	}
	flash(c, "success", "Usuário "+u.Email+" criado.")
	if in.Password != "" {
		return c.Redirect("/admin/users/"+itoa(u.ID), fiber.StatusSeeOther)
	}
	return s.render(c, views.SecretShown(views.SecretShownProps{
		Title: "Usuário criado", Label: "Senha inicial de " + u.Email, Secret: pw,
		Explanation: "Entregue esta senha ao usuário por um canal seguro. Ele deverá trocá-la no primeiro acesso.",
		BackURL:     "/admin/users/" + itoa(u.ID), BackLabel: "Continuar",
	}))
}

func (s *Server) handleUserShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.store.FindUser(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.userForm(c, views.UserFormProps{User: *u})
}

func (s *Server) handleUserUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.store.FindUser(c.UserContext(), id)
	if err != nil {
		return err
	}
	u.Name = strings.TrimSpace(copyString(c.FormValue("name")))
	u.Role = model.Role(copyString(c.FormValue("role")))
	u.SupplierID = queryID(c.FormValue("supplier_id"))
	u.Active = c.FormValue("active") == "1"
	fe := views.FieldErrors{}
	if u.Name == "" {
		fe["name"] = "Informe o nome."
	}
	if !u.Role.Valid() {
		fe["role"] = "Escolha um perfil válido."
	}
	if u.Role == model.RoleSupplier && u.SupplierID == nil {
		fe["supplier_id"] = "Usuários de fornecedor precisam de um fornecedor."
	}
	if u.Role != model.RoleSupplier {
		u.SupplierID = nil
	}
	if u.ID == currentUser(c).ID && !u.Active {
		fe["active"] = "Você não pode desativar o seu próprio usuário."
	}
	var msg string
	if len(fe) == 0 {
		if err := s.store.UpdateUser(c.UserContext(), u); err != nil {
			if !isUserError(err) {
				return err
			}
			msg, fe = fieldErrors(err)
		}
	} else {
		msg = "Corrija os campos destacados."
		if m, ok := fe["active"]; ok {
			msg = m
		}
	}
	if msg != "" {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.userForm(c, views.UserFormProps{User: *u, Errors: fe, Error: msg})
	}
	return redirectWith(c, "/admin/users/"+itoa(u.ID), "success", "Usuário atualizado.")
}

func (s *Server) handleUserResetPassword(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.store.FindUser(c.UserContext(), id)
	if err != nil {
		return err
	}
	pw, err := s.auth.ResetPassword(c.UserContext(), u.ID, c.FormValue("revoke_tokens") == "1")
	if err != nil {
		return err
	}
	return s.render(c, views.SecretShown(views.SecretShownProps{
		Title: "Senha redefinida", Label: "Senha temporária de " + u.Email, Secret: pw,
		Explanation: "As sessões abertas deste usuário foram encerradas. Ele deverá trocar esta senha no próximo acesso.",
		BackURL:     "/admin/users/" + itoa(u.ID), BackLabel: "Voltar ao usuário",
	}))
}
