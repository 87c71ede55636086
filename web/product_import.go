package web

import (
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleProductImportShow(c *fiber.Ctx) error {
	return s.render(c, views.ProductImportPage(views.ProductImportProps{MaxSize: mb(s.cfg.MaxBodyBytes)}))
}

// handleProductImportSubmit applies an uploaded catalog and shows the report
// on the same page (422 when the file or any line was refused).
func (s *Server) handleProductImportSubmit(c *fiber.Ctx) error {
	props := views.ProductImportProps{MaxSize: mb(s.cfg.MaxBodyBytes)}
	f, fh, found, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	if found && fh.Size == 0 {
		f.Close()
		found = false
	}
	if !found {
		props.Error = "Escolha o arquivo da planilha (CSV ou XLSX) antes de importar."
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.ProductImportPage(props))
	}
	defer f.Close()
	rep, err := s.catalog.ImportSheet(c.UserContext(), f, fh.Size, uploadName(fh.Filename), copyString(c.FormValue("sheet")))
	switch {
	case err != nil && !isUserError(err):
		return err
	case err != nil:
		props.Error, props.Details = apperr.Message(err), apperr.Details(err)
		c.Status(fiber.StatusUnprocessableEntity)
	default:
		props.Report = rep
		if !rep.OK() {
			c.Status(fiber.StatusUnprocessableEntity)
		}
	}
	return s.render(c, views.ProductImportPage(props))
}

// uploadName is the base name of an uploaded file, bounded, for reports and
// the audit log.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	for len(name) > 120 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" {
		return "planilha"
	}
	return copyString(name)
}
