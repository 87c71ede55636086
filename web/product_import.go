package web

import (
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/catalog"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleProductImportShow(c *fiber.Ctx) error {
	props := views.ProductImportProps{MaxSize: mb(s.cfg.MaxBodyBytes)}
	var r catalogImportReport
	found, err := s.uploadReport(c, model.UploadReportCatalog, &r)
	if err != nil {
		return err
	}
	if found {
		props.Report, props.Error, props.Details = r.Report, r.Error, r.Details
	}
	return s.render(c, views.ProductImportPage(props))
}

// catalogImportReport is the outcome of a catalog upload, shown on the
// import page after the redirect: the report, or why the file was refused.
type catalogImportReport struct {
	Report  *catalog.Report `json:"report,omitempty"`
	Error   string          `json:"error,omitempty"`
	Details []apperr.Detail `json:"details,omitempty"`
}

// handleProductImportSubmit applies an uploaded catalog and shows the report
// on the import page, applied or refused (Post/Redirect/Get: 303 to
// /products/import?report=…, so a refresh imports nothing again).
func (s *Server) handleProductImportSubmit(c *fiber.Ctx) error {
	var props catalogImportReport
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
		return s.redirectWithReport(c, "/products/import", model.UploadReportCatalog, props)
	}
	defer f.Close()
	rep, err := s.catalog.ImportSheet(c.UserContext(), f, fh.Size, uploadName(fh.Filename), copyString(c.FormValue("sheet")))
	switch {
	case err != nil && !isUserError(err):
		return err
	case err != nil:
		props.Error, props.Details = apperr.Message(err), apperr.Details(err)
	default:
		props.Report = rep
	}
	return s.redirectWithReport(c, "/products/import", model.UploadReportCatalog, props)
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
