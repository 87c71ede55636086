package web

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handleOutboxList is "E-mails enviados": the outbox, filtered by status
// and event, newest first.
func (s *Server) handleOutboxList(c *fiber.Ctx) error {
	p := views.OutboxProps{Status: copyString(c.Query("status")), Kind: copyString(c.Query("kind")), MailConfigured: s.notify != nil && s.notify.MailConfigured()}
	if !slices.Contains(model.EmailStatuses, p.Status) {
		p.Status = ""
	}
	if !slices.Contains(model.WebhookEvents, p.Kind) {
		p.Kind = ""
	}
	page := pageFromQuery(c)
	f := store.EmailFilter{Status: p.Status, Kind: p.Kind, Sort: sortFromQuery(c, emailSortColumns)}
	if fm, ok := exportFormat(c); ok {
		return s.exportEmails(c, fm, f)
	}
	rows, total, err := s.store.SearchEmails(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	p.Rows, p.Pager = rows, pager(c, page, total)
	return s.render(c, views.OutboxPage(p))
}

// handleOutboxShow shows one e-mail: recipient, subject, body and result.
func (s *Server) handleOutboxShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.store.FindEmail(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.render(c, views.OutboxEmailPage(e))
}

// handleOutboxResend queues again one held or failed e-mail (?id=), or every
// held one, once SMTP is configured.
func (s *Server) handleOutboxResend(c *fiber.Ctx) error {
	back := "/admin/outbox"
	var id int64
	if v := c.FormValue("id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return apperr.Errorf(apperr.EINVALID, "E-mail inválido.")
		}
		id, back = n, "/admin/outbox/"+v
	}
	if s.notify == nil || !s.notify.MailConfigured() {
		return redirectWith(c, back, "error", "O envio de e-mails não está configurado (PORTAL_SMTP_URL): nada foi reenviado.")
	}
	n, err := s.store.ResendEmails(c.UserContext(), id)
	switch {
	case apperr.Is(err, apperr.ECONFLICT):
		return redirectWith(c, back, "error", apperr.Message(err))
	case err != nil:
		return err
	case n == 0:
		return redirectWith(c, back, "info", "Nenhum e-mail retido para enviar.")
	}
	return redirectWith(c, back, "success", format.Plural(n, "e-mail na fila de envio.", "e-mails na fila de envio."))
}
