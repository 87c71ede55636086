package model

import (
	"net/mail"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
)

// Normalize trims the supplier's fields and normalizes its CNPJ.
func (s *Supplier) Normalize() {
	s.CNPJ = cnpj.Normalize(s.CNPJ)
	s.LegalName = strings.TrimSpace(s.LegalName)
	s.TradeName = strings.TrimSpace(s.TradeName)
	s.Email = strings.ToLower(strings.TrimSpace(s.Email))
}

// Validate checks a supplier and lists every problem by field.
func (s *Supplier) Validate() error {
	var d []apperr.Detail
	if msg := cnpj.Check(s.CNPJ); msg != "" {
		d = append(d, apperr.Detail{Field: "cnpj", Message: strings.ToUpper(msg[:1]) + msg[1:] + "."})
	}
	if s.LegalName == "" {
		d = append(d, apperr.Detail{Field: "legal_name", Message: "Informe a razão social."})
	} else if len(s.LegalName) > 200 {
		d = append(d, apperr.Detail{Field: "legal_name", Message: "A razão social deve ter no máximo 200 caracteres."})
	}
	if len(s.TradeName) > 200 {
		d = append(d, apperr.Detail{Field: "trade_name", Message: "O nome fantasia deve ter no máximo 200 caracteres."})
	}
	if s.Email != "" && !ValidEmail(s.Email) {
		d = append(d, apperr.Detail{Field: "email", Message: "E-mail inválido."})
	}
	if s.DispatchHours < 1 || s.DispatchHours > 720 {
		d = append(d, apperr.Detail{Field: "dispatch_hours", Message: "O prazo de despacho deve ficar entre 1 e 720 horas."})
	}
	if s.PriceNoticeDays < 0 || s.PriceNoticeDays > 365 {
		d = append(d, apperr.Detail{Field: "price_notice_days", Message: "O aviso de preços deve ficar entre 0 e 365 dias."})
	}
	if len(d) > 0 {
		return apperr.Invalid("Corrija os campos destacados.", d...)
	}
	return nil
}

// ValidEmail reports whether e is a plain e-mail address (no display name).
func ValidEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".")
}
