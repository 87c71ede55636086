package web

import (
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/stock"
)

// handleAPIStockPut takes a supplier's stock feed, read by readAPIUpload:
// CSV/XLSX (sniffed) or a JSON array.
func (s *Server) handleAPIStockPut(c *fiber.Ctx) error {
	u := currentUser(c)
	sup, err := s.store.FindSupplier(c.UserContext(), *u.SupplierID)
	if err != nil {
		return err
	}
	var lines []stock.FeedLine
	var problems []stock.FeedProblem
	var ff *stock.FeedFile
	err = readAPIUpload(c, "Envie o estoque no corpo da requisição: CSV (supplier_code;quantity) ou JSON.",
		func(r io.Reader) (err error) {
			lines, problems, err = stock.ReadFeedJSON(r)
			return err
		},
		func(r io.ReaderAt, size int64, _ string) (err error) {
			if ff, err = stock.ReadFeedSheet(r, size, copyString(c.Query("sheet"))); err == nil {
				lines, problems = ff.Lines, ff.Problems
			}
			return err
		})
	if err != nil {
		return err
	}
	rep, err := s.stock.ApplyFeed(c.UserContext(), sup, lines, problems, feedReference("api"))
	if err != nil {
		return err
	}
	if ff != nil {
		ff.Report(rep)
	}
	if !rep.OK() {
		return feedError(rep)
	}
	return c.JSON(rep)
}

func feedReference(channel string) string {
	return "feed:" + channel + ":" + time.Now().UTC().Format("20060102T150405Z")
}

func feedError(rep *stock.FeedReport) error {
	details := make([]apperr.Detail, 0, len(rep.Rejected))
	for _, p := range rep.Rejected {
		details = append(details, apperr.Detail{Line: p.Line, Message: p.Message})
	}
	return apperr.Invalid(rep.Summary(), details...)
}

type apiLocationStock struct {
	Location  string `json:"location"`
	Physical  int64  `json:"physical"`
	Reserved  int64  `json:"reserved"`
	Available int64  `json:"available"`
}

type apiStock struct {
	SKU       string             `json:"sku"`
	Physical  int64              `json:"physical"`
	Reserved  int64              `json:"reserved"`
	Available int64              `json:"available"`
	Locations []apiLocationStock `json:"locations"`
}

// handleAPIStockGet answers the stock of one SKU; a supplier sees only its own products.
func (s *Server) handleAPIStockGet(c *fiber.Ctx) error {
	sku := strings.TrimSpace(c.Query("sku"))
	if sku == "" {
		return apperr.Invalid("Informe o parâmetro sku.", apperr.Detail{Field: "sku", Message: "obrigatório"})
	}
	u := currentUser(c)
	p, err := s.store.FindProductBySKU(c.UserContext(), sku)
	if err != nil {
		return err
	}
	if u.Role == model.RoleSupplier && (p.SupplierID == nil || *p.SupplierID != *u.SupplierID) {
		return apperr.Errorf(apperr.ENOTFOUND, "Produto não encontrado.")
	}
	t, err := s.stock.Of(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	out := apiStock{SKU: p.SKU, Physical: t.Physical, Reserved: t.Reserved, Available: t.Available(), Locations: []apiLocationStock{}}
	for _, l := range t.Locations {
		out.Locations = append(out.Locations, apiLocationStock{Location: l.Location.Code, Physical: l.Physical, Reserved: l.Reserved, Available: l.Available()})
	}
	return c.JSON(out)
}
