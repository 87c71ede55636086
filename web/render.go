package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// render writes a templ component as the HTML response, with the page context
// (user, CSRF token, pending flashes) in the context.
func (s *Server) render(c *fiber.Ctx, comp templ.Component) error {
	ws := session(c)
	u := currentUser(c)
	var unread int64
	if u != nil {
		// The bell is a courtesy: a failing count must not take the page down.
		unread, _ = s.store.CountUnreadNotifications(c.UserContext(), u.ID)
	}
	ctx := views.WithCtx(c.UserContext(), views.Ctx{
		User:    u,
		CSRF:    ws.get(keyCSRF),
		Flashes: ws.takeFlashes(),
		Path:    c.Path(),
		Unread:  unread,
	})
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return comp.Render(ctx, c.Response().BodyWriter())
}

// redirectWith stores a flash and redirects (303, so a POST becomes a GET).
func redirectWith(c *fiber.Ctx, to, kind, msg string) error {
	flash(c, kind, msg)
	return c.Redirect(to, fiber.StatusSeeOther)
}

// fieldErrors splits an application error into a form summary and per-field messages.
func fieldErrors(err error) (string, views.FieldErrors) {
	fe := views.FieldErrors{}
	for _, d := range apperr.Details(err) {
		if d.Field != "" {
			fe[d.Field] = d.Message
		}
	}
	return apperr.Message(err), fe
}

// formErrors merges the field problems a handler found itself (fe) with those
// of err (nil when the handler stopped before calling the service): the
// summary is err's message, or "Corrija os campos destacados.".
func formErrors(err error, fe views.FieldErrors) (string, views.FieldErrors) {
	msg, errs := fieldErrors(err)
	for k, v := range fe {
		errs[k] = v
	}
	if err == nil {
		msg = "Corrija os campos destacados."
	}
	return msg, errs
}

// isUserError reports whether err should be shown on the form rather than as an error page.
func isUserError(err error) bool {
	switch apperr.Code(err) {
	case apperr.EINVALID, apperr.ECONFLICT:
		return true
	}
	return false
}

// paramID reads a positive integer route parameter; anything else is a 404.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.ENOTFOUND, "Registro não encontrado.")
	}
	return id, nil
}

// queryID reads an optional positive id (a filter, a form's choice); anything
// else means none.
func queryID(v string) *int64 {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	return &id
}

// pageFromQuery reads ?page= for lists.
func pageFromQuery(c *fiber.Ctx) store.Page {
	n, _ := strconv.Atoi(c.Query("page"))
	return store.Page{Number: n, Size: 25}.Normalize()
}

// pager builds the pager of a list from the request's query string.
func pager(c *fiber.Ctx, p store.Page, total int64) views.Pagination {
	q := map[string][]string{}
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		if string(k) == reportParam { // an upload's report is not carried to other pages
			return
		}
		q[string(k)] = append(q[string(k)], string(v))
	})
	return views.Pagination{Page: p.Number, Size: p.Size, Total: total, Query: q, Path: c.Path(), Cap: store.ListCountCap}
}

// statusFilter reads the common active/inactive filter.
func statusFilter(v string) *bool {
	switch v {
	case "active":
		t := true
		return &t
	case "inactive":
		f := false
		return &f
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// copyString detaches a string from Fiber's reused buffers.
func copyString(s string) string { return string([]byte(s)) }
