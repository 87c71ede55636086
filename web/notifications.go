package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handleNotificationList is the user's notifications, newest first unless
// sorted, filtered by state and words, or exported.
func (s *Server) handleNotificationList(c *fiber.Ctx) error {
	u := currentUser(c)
	p := views.NotificationsProps{State: copyString(c.Query("state")), Query: copyString(strings.TrimSpace(c.Query("q")))}
	f := store.NotificationFilter{UserID: u.ID, Query: p.Query, Sort: sortFromQuery(c, notificationSortColumns)}
	switch p.State {
	case "unread", "read":
		unread := p.State == "unread"
		f.Unread = &unread
	default:
		p.State = ""
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportNotifications(c, fm, f)
	}
	page := pageFromQuery(c)
	items, total, err := s.store.SearchNotifications(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, pager(c, page, total)
	// The unread count ("Marcar todas como lidas") is the bell's, counted by render.
	return s.render(c, views.NotificationsPage(p))
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
