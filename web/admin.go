package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleAuditList(c *fiber.Ctx) error {
	q := copyString(strings.TrimSpace(c.Query("q")))
	entity := copyString(c.Query("entity"))
	p := pageFromQuery(c)
	items, total, err := s.store.ListAudit(c.UserContext(), store.AuditFilter{Query: q, Entity: entity}, p)
	if err != nil {
		return err
	}
	return s.render(c, views.AuditPage(views.AuditProps{Items: items, Query: q, Entity: entity, Pager: pager(c, p, total)}))
}

func (s *Server) settingsProps(c *fiber.Ctx) (views.SettingsProps, error) {
	ctx := c.UserContext()
	p := views.SettingsProps{FromEnv: s.cfg.CompanyCNPJ != ""}
	var err error
	if p.FromEnv {
		p.CompanyCNPJ = cnpj.Format(s.cfg.CompanyCNPJ)
	} else if p.CompanyCNPJ, err = s.store.GetSetting(ctx, store.SettingCompanyCNPJ); err != nil {
		return p, err
	}
	p.CompanyCNPJ = cnpj.Format(p.CompanyCNPJ)
	p.CompanyName, err = s.store.GetSetting(ctx, store.SettingCompanyName)
	return p, err
}

func (s *Server) handleSettingsShow(c *fiber.Ctx) error {
	p, err := s.settingsProps(c)
	if err != nil {
		return err
	}
	return s.render(c, views.SettingsPage(p))
}

func (s *Server) handleSettingsSubmit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.settingsProps(c)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(copyString(c.FormValue("company_name")))
	p.CompanyName = name
	if !p.FromEnv {
		raw := copyString(c.FormValue("company_cnpj"))
		p.CompanyCNPJ = raw
		if strings.TrimSpace(raw) != "" {
			if msg := cnpj.Check(raw); msg != "" {
				p.Errors = views.FieldErrors{"company_cnpj": "CNPJ inválido: " + msg + "."}
				p.Error = "Corrija os campos destacados."
				c.Status(fiber.StatusUnprocessableEntity)
				return s.render(c, views.SettingsPage(p))
			}
		}
		if err := s.store.SetSetting(ctx, store.SettingCompanyCNPJ, cnpj.Normalize(raw)); err != nil {
			return err
		}
	}
	if err := s.store.SetSetting(ctx, store.SettingCompanyName, name); err != nil {
		return err
	}
	return redirectWith(c, "/admin/settings", "success", "Configurações salvas.")
}
