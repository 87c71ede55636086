package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/views"
)

// handleNotificationList is the user's notifications, newest first.
func (s *Server) handleNotificationList(c *fiber.Ctx) error {
	p := pageFromQuery(c)
	items, total, err := s.store.ListNotifications(c.UserContext(), currentUser(c).ID, p)
	if err != nil {
		return err
	}
	// The unread count ("Marcar todas como lidas") is the bell's, counted by render.
	return s.render(c, views.NotificationsPage(views.NotificationsProps{Items: items, Pager: pager(c, p, total)}))
}

// handleNotificationOpen marks one notification read and follows its link.
func (s *Server) handleNotificationOpen(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	n, err := s.store.FindNotification(c.UserContext(), u.ID, id)
	if err != nil {
		return err
	}
	if err := s.store.MarkNotificationsRead(c.UserContext(), u.ID, n.ID); err != nil {
		return err
	}
	// Only links inside the portal are followed.
	if !strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") {
		return c.Redirect("/notifications", fiber.StatusSeeOther)
	}
	return c.Redirect(n.Link, fiber.StatusSeeOther)
}

func (s *Server) handleNotificationsRead(c *fiber.Ctx) error {
	if err := s.store.MarkNotificationsRead(c.UserContext(), currentUser(c).ID, 0); err != nil {
		return err
	}
	return redirectWith(c, "/notifications", "success", "Notificações marcadas como lidas.")
}
