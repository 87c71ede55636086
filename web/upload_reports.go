package web

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Post/Redirect/Get for uploads: the report of a refused (or partly applied)
// file is kept server-side (it can list hundreds of lines, too much for the
// session cookie) and the POST answers 303 to the page with the form, whose
// URL names the report with ?report=. A refresh shows the same report and
// sends nothing; reopening the address shows the page. The API keeps its
// status codes (CONTRACT.md); this is for the browser's forms only.
const reportParam = "report"

// redirectWithReport keeps report for the current user and redirects to
// `to` (a path of ours, with or without a query) naming it.
func (s *Server) redirectWithReport(c *fiber.Ctx, to, kind string, report any) error {
	body, err := json.Marshal(report)
	if err != nil {
		return apperr.Wrap(err, apperr.EINTERNAL, "")
	}
	r := &model.UploadReport{ID: randomHex(16), UserID: currentUser(c).ID, Kind: kind, Body: string(body)}
	if err := s.store.CreateUploadReport(c.UserContext(), r); err != nil {
		return err
	}
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	return c.Redirect(to+sep+reportParam+"="+r.ID, fiber.StatusSeeOther)
}

// uploadReport reads the report the URL names (?report=) into v. found is
// false without one, and for a report that expired or is another user's or
// another form's: the page then shows as it is, with a note for the first two.
func (s *Server) uploadReport(c *fiber.Ctx, kind string, v any) (found bool, err error) {
	id := c.Query(reportParam)
	if id == "" {
		return false, nil
	}
	r, err := s.store.FindUploadReport(c.UserContext(), currentUser(c).ID, kind, copyString(id))
	switch {
	case apperr.Is(err, apperr.ENOTFOUND):
		flash(c, "info", "O relatório deste envio não está mais disponível (ele é guardado por 24 horas). Envie o arquivo de novo para conferi-lo.")
		return false, nil
	case err != nil:
		return false, err
	}
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		return false, apperr.Wrap(err, apperr.EINTERNAL, "")
	}
	return true, nil
}
