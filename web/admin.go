package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

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
	if p.CompanyName, err = s.store.GetSetting(ctx, store.SettingCompanyName); err != nil {
		return p, err
	}
	if p.POFiscalNote, err = s.purchasing.FiscalNote(ctx); err != nil {
		return p, err
	}
	auto, err := s.store.GetSetting(ctx, purchasing.SettingAutoDispatch)
	if err != nil {
		return p, err
	}
	p.POAutoDispatch = auto == "true"
	days, err := s.store.PersonalDataDays(ctx)
	if err != nil {
		return p, err
	}
	p.PersonalDataDays = strconv.Itoa(days)
	bp, err := s.store.PriceAlertBasisPoints(ctx)
	p.PriceAlertPercent = percentText(bp)
	return p, err
}

// percentText writes hundredths of a percent as people type them: "10", "7,50".
func percentText(bp int64) string { return strings.TrimSuffix(format.Decimal(bp), ",00") }

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
	before := p.PriceAlertPercent
	p.PriceAlertPercent = strings.TrimSpace(copyString(c.FormValue("price_alert_percent")))
	alertBP, ok := store.ParsePercentBP(p.PriceAlertPercent)
	if !ok {
		p.Errors = views.FieldErrors{"price_alert_percent": "Informe um percentual entre 0 e 1000, com até duas casas decimais (ex.: 10 ou 7,5)."}
		p.Error = "Corrija os campos destacados."
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.SettingsPage(p))
	}
	daysBefore := p.PersonalDataDays
	if v := strings.TrimSpace(copyString(c.FormValue("personal_data_days"))); v != "" { // absent: unchanged
		p.PersonalDataDays = v
	}
	days, ok := store.ParsePersonalDataDays(p.PersonalDataDays)
	if !ok {
		p.Errors = views.FieldErrors{"personal_data_days": "Informe um número inteiro de dias entre 0 e " + strconv.Itoa(model.MaxPersonalDataDays) + "."}
		p.Error = "Corrija os campos destacados."
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.SettingsPage(p))
	}
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
	if note := strings.TrimSpace(copyString(c.FormValue("po_fiscal_note"))); note != "" && note != p.POFiscalNote {
		if err := s.store.SetSetting(ctx, purchasing.SettingFiscalNote, note); err != nil {
			return err
		}
	}
	if auto := c.FormValue("po_auto_dispatch") == "true"; auto != p.POAutoDispatch {
		if err := s.store.SetSetting(ctx, purchasing.SettingAutoDispatch, strconv.FormatBool(auto)); err != nil {
			return err
		}
	}
	if alert := percentText(alertBP); alert != before {
		if err := s.store.SetSetting(ctx, store.SettingPriceAlertPercent, alert); err != nil {
			return err
		}
	}
	if d := strconv.Itoa(days); d != daysBefore {
		if err := s.store.SetSetting(ctx, store.SettingPersonalDataDays, d); err != nil {
			return err
		}
	}
	return redirectWith(c, "/admin/settings", "success", "Configurações salvas.")
}
