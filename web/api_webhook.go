package web

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// apiWebhook is the JSON shape of the supplier's webhook; Secret is present
// only in the answer that generated it.
type apiWebhook struct {
	URL             string    `json:"url"`
	Events          []string  `json:"events"`
	Active          bool      `json:"active"`
	SecretRotatedAt time.Time `json:"secret_rotated_at"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Secret          string    `json:"secret,omitempty"`
}

func toAPIWebhook(w *model.Webhook) apiWebhook {
	return apiWebhook{URL: w.URL, Events: w.EventList(), Active: w.Active, SecretRotatedAt: w.SecretRotatedAt, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

// handleAPIWebhookGet is GET /api/v1/webhook: the supplier's webhook (404 when none).
func (s *Server) handleAPIWebhookGet(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	wh, err := s.store.FindWebhookOfSupplier(c.UserContext(), sid)
	if err != nil {
		return err
	}
	return c.JSON(toAPIWebhook(wh))
}

// handleAPIWebhookPut is PUT /api/v1/webhook {"url", "events", "rotate_secret", "active"}:
// 201 with the new secret when created, 200 otherwise (with the secret when rotated).
func (s *Server) handleAPIWebhookPut(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	var in struct {
		URL          string   `json:"url"`
		Events       []string `json:"events"`
		RotateSecret bool     `json:"rotate_secret"`
		Active       *bool    `json:"active"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return apperr.Errorf(apperr.EMALFORMED, "Envie JSON: {\"url\": \"https://…\", \"events\": [\"purchase_order.created\"]}.")
	}
	saved, err := s.notify.SaveWebhook(c.UserContext(), sid, in.URL, in.Events, in.RotateSecret, in.Active)
	if err != nil {
		return err
	}
	out := toAPIWebhook(saved.Webhook)
	out.Secret = saved.Secret
	if saved.Created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(out)
}

// handleAPIWebhookDelete is DELETE /api/v1/webhook.
func (s *Server) handleAPIWebhookDelete(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(c.UserContext(), sid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
