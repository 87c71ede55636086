package web

import (
	"bytes"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/catalog"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
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
	// Spreadsheets only: the XLSX sheet read and the lines that are not
	// data (title above the header, summary after the data).
	Sheet        string              `json:"sheet,omitempty"`
	IgnoredLines []model.IgnoredLine `json:"ignored_lines,omitempty"`
}

// handleAPIProductsPut upserts the catalog by SKU; the body is read by
// readAPIUpload (a JSON array of rows, or a CSV/XLSX file).
func (s *Server) handleAPIProductsPut(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var rep *catalog.Report
	err := readAPIUpload(c, "Envie o catálogo no corpo da requisição: CSV, XLSX ou um array JSON.",
		func(r io.Reader) (err error) {
			rep, err = s.catalog.ImportJSON(ctx, r, "API")
			return err
		},
		func(r io.ReaderAt, size int64, name string) (err error) {
			source := "API"
			if name != "" {
				source += ": " + name
			}
			rep, err = s.catalog.ImportSheet(ctx, r, size, source, copyString(c.Query("sheet")))
			return err
		})
	if err != nil {
		return err
	}
	if !rep.OK() {
		details := make([]apperr.Detail, 0, len(rep.Problems)+1)
		for _, p := range rep.Problems {
			details = append(details, apperr.Detail{Line: p.Line, Message: p.Message})
		}
		if rep.Omitted > 0 {
			details = append(details, apperr.Detail{Message: format.Plural(rep.Omitted, "problema a mais não listado.", "problemas a mais não listados.")})
		}
		return apperr.Invalid(rep.Summary(), details...)
	}
	return c.JSON(apiImportResult{
		Applied: rep.Applied, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Rejected: []catalog.Problem{}, Sheet: rep.Sheet, IgnoredLines: rep.Ignored,
	})
}

// readAPIUpload reads the body of an API PUT that takes a spreadsheet or
// JSON, chosen by Content-Type: multipart/form-data (a "file" part, passed to
// onFile with its bounded name), JSON (application/json or a +json type, or
// no type and a body starting with "["; passed to onJSON without a BOM), or
// else a CSV/XLSX file as it is (text/csv, the XLSX type,
// application/octet-stream…; passed to onFile with name "", the format is
// sniffed from the content). An empty body is refused with emptyMsg.
func readAPIUpload(c *fiber.Ctx, emptyMsg string, onJSON func(io.Reader) error, onFile func(r io.ReaderAt, size int64, name string) error) error {
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	mt = strings.ToLower(mt)
	if mt == fiber.MIMEMultipartForm {
		f, fh, found, err := uploadedFile(c, "file")
		if err != nil {
			return err
		}
		if !found {
			return errNoSpreadsheetPart
		}
		defer f.Close()
		return onFile(f, fh.Size, uploadName(fh.Filename))
	}
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.Errorf(apperr.EMALFORMED, "%s", emptyMsg)
	}
	if mt == fiber.MIMEApplicationJSON || strings.HasSuffix(mt, "+json") || (mt == "" && looksLikeJSONArray(body)) {
		return onJSON(bytes.NewReader(bytes.TrimPrefix(body, utf8BOM)))
	}
	return onFile(bytes.NewReader(body), int64(len(body)), "")
}

var utf8BOM = []byte("\xEF\xBB\xBF")

func looksLikeJSONArray(b []byte) bool {
	b = bytes.TrimSpace(bytes.TrimPrefix(b, utf8BOM))
	return len(b) > 0 && b[0] == '['
}
