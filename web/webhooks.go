package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/notify"
	"github.com/connectparts/portal/views"
)

// formValues reads every value of a repeated form field.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	if form, err := c.MultipartForm(); err == nil && form != nil {
		out = append(out, form.Value[name]...)
	}
	return out
}

// webhookProps loads the supplier's webhook and a page of its deliveries.
func (s *Server) webhookProps(c *fiber.Ctx, supplierID int64) (views.WebhookProps, error) {
	wh, err := s.store.FindWebhookOfSupplier(c.UserContext(), supplierID)
	switch {
	case apperr.Is(err, apperr.ENOTFOUND):
		return views.WebhookProps{DeliveryBase: "/webhooks/deliveries/", Events: model.WebhookEvents}, nil
	case err != nil:
		return views.WebhookProps{}, err
	}
	return s.webhookPropsOf(c, wh)
}

// webhookPropsOf is the page of a registered webhook with a page of its deliveries.
func (s *Server) webhookPropsOf(c *fiber.Ctx, wh *model.Webhook) (views.WebhookProps, error) {
	p := views.WebhookProps{DeliveryBase: "/webhooks/deliveries/", Webhook: wh, URL: wh.URL, Events: wh.EventList(), Active: wh.Active}
	f := deliveryFilter(c, wh.SupplierID)
	p.DeliveryStatus, p.DeliveryEvent = f.Status, f.Event
	page := pageFromQuery(c)
	rows, total, err := s.store.SearchDeliveries(c.UserContext(), f, page)
	if err != nil {
		return p, err
	}
	p.Deliveries, p.Pager = rows, pager(c, page, total)
	return p, nil
}

// handleWebhookShow is the supplier's webhook page.
func (s *Server) handleWebhookShow(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportDeliveries(c, fm, deliveryFilter(c, sid))
	}
	p, err := s.webhookProps(c, sid)
	if err != nil {
		return err
	}
	return s.render(c, views.WebhookPage(p))
}

// handleWebhookSave registers or updates the webhook; a new one shows its
// signing secret once.
func (s *Server) handleWebhookSave(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	url, events := copyString(c.FormValue("url")), formValues(c, "events")
	// The box exists on the form of a registered webhook only: a new one is active.
	active := c.FormValue("active") == "on"
	var setActive *bool
	if c.FormValue("active_shown") == "1" {
		setActive = &active
	}
	saved, err := s.notify.SaveWebhook(c.UserContext(), sid, url, events, false, setActive)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		p, lerr := s.webhookProps(c, sid)
		if lerr != nil {
			return lerr
		}
		p.URL, p.Events, p.Active = url, events, active
		p.Error, p.Errors = fieldErrors(err)
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.WebhookPage(p))
	}
	if saved.Secret != "" {
		return s.showWebhookSecret(c, saved.Secret, "Webhook cadastrado")
	}
	return redirectWith(c, "/webhooks", "success", "Webhook atualizado.")
}

func (s *Server) showWebhookSecret(c *fiber.Ctx, secret, title string) error {
	return s.render(c, views.SecretShown(views.SecretShownProps{
		Title: title, Label: "Segredo de assinatura", Secret: secret,
		Explanation: "Guarde este segredo no seu sistema: com ele você confere o cabeçalho X-Portal-Signature de cada entrega (HMAC-SHA256 de \"<timestamp>.<corpo>\").",
		BackURL:     "/webhooks", BackLabel: "Voltar ao webhook",
	}))
}

// handleWebhookRotate generates a new signing secret and shows it once.
func (s *Server) handleWebhookRotate(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	secret, err := s.notify.RotateSecret(c.UserContext(), sid)
	if err != nil {
		return err
	}
	return s.showWebhookSecret(c, secret, "Novo segredo do webhook")
}

// handleWebhookDelete removes the webhook and its deliveries.
func (s *Server) handleWebhookDelete(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(c.UserContext(), sid); err != nil {
		return err
	}
	return redirectWith(c, "/webhooks", "success", "Webhook removido.")
}

// handleWebhookTest queues a "ping" delivery.
func (s *Server) handleWebhookTest(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	if _, err := s.store.QueuePing(c.UserContext(), sid); err != nil {
		return err
	}
	return redirectWith(c, "/webhooks", "success", "Evento de teste enviado; o resultado aparece nas entregas em instantes.")
}

// handleWebhookDeliveryShow shows one of the supplier's deliveries.
func (s *Server) handleWebhookDeliveryShow(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	return s.renderDelivery(c, &sid, "/webhooks")
}

func (s *Server) renderDelivery(c *fiber.Ctx, supplierID *int64, back string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	d, err := s.store.FindDelivery(ctx, supplierID, id)
	if err != nil {
		return err
	}
	attempts, err := s.store.ListAttempts(ctx, d.ID)
	if err != nil {
		return err
	}
	if supplierID == nil {
		back = "/admin/webhooks/" + itoa(d.WebhookID)
	}
	body, err := notify.Body(d)
	if err != nil {
		return err
	}
	return s.render(c, views.WebhookDeliveryPage(views.WebhookDeliveryProps{
		Delivery: d, Attempts: attempts, Body: string(body), BackURL: back,
		CanRetry: supplierID != nil && d.Status == model.DeliveryFailed,
	}))
}

// handleWebhookDeliveryRetry queues a failed delivery again now.
func (s *Server) handleWebhookDeliveryRetry(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RetryDelivery(c.UserContext(), sid, id); err != nil {
		if apperr.Is(err, apperr.ECONFLICT) {
			return redirectWith(c, "/webhooks/deliveries/"+itoa(id), "error", apperr.Message(err))
		}
		return err
	}
	return redirectWith(c, "/webhooks/deliveries/"+itoa(id), "success", "Reenvio agendado.")
}

// handleAdminWebhookList lists every supplier's webhook (staff, read-only).
func (s *Server) handleAdminWebhookList(c *fiber.Ctx) error {
	rows, err := s.store.ListWebhooks(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, views.WebhookListPage(views.WebhookListProps{Rows: rows}))
}

// handleAdminWebhookShow is a supplier's webhook and delivery log, read-only.
func (s *Server) handleAdminWebhookShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	wh, err := s.store.FindWebhook(ctx, id)
	if err != nil {
		return err
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportDeliveries(c, fm, deliveryFilter(c, wh.SupplierID))
	}
	p, err := s.webhookPropsOf(c, wh)
	if err != nil {
		return err
	}
	p.ReadOnly, p.DeliveryBase = true, "/admin/webhooks/deliveries/"
	if sup, err := s.store.FindSupplier(ctx, wh.SupplierID); err == nil {
		p.SupplierName = sup.DisplayName()
	}
	return s.render(c, views.WebhookPage(p))
}

// handleAdminWebhookDelivery shows any delivery (staff, read-only).
func (s *Server) handleAdminWebhookDelivery(c *fiber.Ctx) error {
	return s.renderDelivery(c, nil, "/admin/webhooks")
}
