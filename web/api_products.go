package web

import (
	"bytes"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/catalog"
)

// apiImportResult is the answer of a catalog upsert that was applied.
// Rejected is always empty: an import with any bad row is answered 422 and
// applies nothing (see internal/catalog).
type apiImportResult struct {
	Applied   int               `json:"applied"`
	Created   int               `json:"created"`
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Rejected  []catalog.Problem `json:"rejected"`
}

// handleAPIProductsPut upserts the catalog by SKU. The body is chosen by
// Content-Type: application/json (an array of rows), multipart/form-data (a
// "file" part), or a CSV/XLSX file as it is (text/csv, the XLSX type,
// application/octet-stream…; the format is sniffed from the content).
// A body without Content-Type is JSON when it starts with "[".
func (s *Server) handleAPIProductsPut(c *fiber.Ctx) error {
	ctx := c.UserContext()
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	mt = strings.ToLower(mt)
	var rep *catalog.Report
	var err error
	switch {
	case mt == fiber.MIMEMultipartForm:
		f, fh, found, ferr := uploadedFile(c, "file")
		if ferr != nil {
			return ferr
		}
		if !found {
			return errNoSpreadsheetPart
		}
		defer f.Close()
		rep, err = s.catalog.ImportFile(ctx, f, fh.Size, "API: "+uploadName(fh.Filename))
	default:
		body := c.Body()
		if len(bytes.TrimSpace(body)) == 0 {
			return apperr.Errorf(apperr.EMALFORMED, "Envie o catálogo no corpo da requisição: CSV, XLSX ou um array JSON.")
		}
		if mt == fiber.MIMEApplicationJSON || strings.HasSuffix(mt, "+json") || (mt == "" && looksLikeJSONArray(body)) {
			rep, err = s.catalog.ImportJSON(ctx, bytes.NewReader(bytes.TrimPrefix(body, utf8BOM)), "API")
		} else {
			rep, err = s.catalog.ImportFile(ctx, bytes.NewReader(body), int64(len(body)), "API")
		}
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		details := make([]apperr.Detail, 0, len(rep.Problems)+1)
		for _, p := range rep.Problems {
			details = append(details, apperr.Detail{Line: p.Line, Message: p.Message})
		}
		if rep.Omitted > 0 {
			details = append(details, apperr.Detail{Message: itoa(int64(rep.Omitted)) + " problema(s) a mais não listado(s)."})
		}
		return apperr.Invalid(rep.Summary(), details...)
	}
	return c.JSON(apiImportResult{
		Applied: rep.Applied, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Rejected: []catalog.Problem{},
	})
}

var utf8BOM = []byte("\xEF\xBB\xBF")

func looksLikeJSONArray(b []byte) bool {
	b = bytes.TrimSpace(bytes.TrimPrefix(b, utf8BOM))
	return len(b) > 0 && b[0] == '['
}
