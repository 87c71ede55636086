package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handleOutboxList is "E-mails enviados": the outbox, filtered by status
// and event, newest first.
func (s *Server) handleOutboxList(c *fiber.Ctx) error {
	p := views.OutboxProps{Status: copyString(c.Query("status")), Kind: copyString(c.Query("kind")), MailConfigured: s.notify != nil && s.notify.MailConfigured()}
	if !contains(model.EmailStatuses, p.Status) {
		p.Status = ""
	}
	if !contains(model.WebhookEvents, p.Kind) {
		p.Kind = ""
	}
	page := pageFromQuery(c)
	rows, total, err := s.store.SearchEmails(c.UserContext(), store.EmailFilter{Status: p.Status, Kind: p.Kind}, page)
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

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
