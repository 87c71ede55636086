package web

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/tabular"
)

// sendNeutralisedPriceTable answers a price table's original file as a CSV
// copy whose text cells cannot run as formulas (tabular.WriteNeutralised):
// staff open what a supplier sent without running its "=HYPERLINK(…)". The
// copy is written to an unlinked temporary file first, so a slow download
// holds no more than the file.
func (s *Server) sendNeutralisedPriceTable(c *fiber.Ctx, t *model.PriceTable, doc io.ReadCloser) error {
	defer doc.Close()
	// The stored document is read once into an unlinked scratch file: the
	// neutraliser needs random access (XLSX is a zip).
	f, err := os.CreateTemp("", "price-table-orig-*")
	if err != nil {
		return err
	}
	os.Remove(f.Name())
	defer f.Close()
	size, err := io.Copy(f, doc)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "price-table-safe-*.csv")
	if err != nil {
		return err
	}
	os.Remove(tmp.Name())
	if err := tabular.WriteNeutralised(f, size, tmp); err != nil {
		tmp.Close()
		var te *tabular.Error
		if errors.As(err, &te) {
			return apperr.Errorf(apperr.EINVALID, "O arquivo original não pôde ser lido para gerar a cópia segura: %s.", te.Message)
		}
		return err
	}
	n, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		return err
	}
	name := strings.TrimSuffix(strings.TrimSuffix(t.FileName, ".csv"), ".xlsx")
	if t.FileFormat == "XLSX" {
		name += " (cópia segura).csv"
	} else {
		name += ".csv"
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, attachment(name, fmt.Sprintf("tabela-%d.csv", t.ID)))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(tmp, int(n))
}
