package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) stockProps(c *fiber.Ctx) (views.StockProps, error) {
	p, f, err := s.stockFilter(c)
	if err != nil {
		return p, err
	}
	page := pageFromQuery(c)
	rows, total, err := s.store.ListStock(c.UserContext(), f, page)
	if err != nil {
		return p, err
	}
	p.Rows, p.Pager = rows, pager(c, page, total)
	return p, nil
}

// stockFilter reads the stock list's filters and sort.
func (s *Server) stockFilter(c *fiber.Ctx) (views.StockProps, store.StockFilter, error) {
	u := currentUser(c)
	ctx := c.UserContext()
	p := views.StockProps{
		Query: copyString(strings.TrimSpace(c.Query("q"))), OnlyShort: c.Query("short") == "1",
		IsSupplier: u.Role == model.RoleSupplier, MaxSize: mb(s.cfg.MaxBodyBytes),
	}
	f := store.StockFilter{Query: p.Query, OnlyShort: p.OnlyShort, Sort: sortFromQuery(c, stockSortColumns)}
	if p.IsSupplier {
		f.SupplierID = poViewer(u) // a supplier sees only its own products
	} else {
		p.SupplierID = copyString(c.Query("supplier"))
		f.SupplierID = queryID(p.SupplierID)
		var err error
		if p.Suppliers, err = s.store.AllSuppliers(ctx); err != nil {
			return p, f, err
		}
	}
	return p, f, nil
}

func (s *Server) handleStockList(c *fiber.Ctx) error {
	if fm, ok := exportFormat(c); ok {
		p, f, err := s.stockFilter(c)
		if err != nil {
			return err
		}
		return s.exportStock(c, fm, f, p.Suppliers)
	}
	p, err := s.stockProps(c)
	if err != nil {
		return err
	}
	var r stockFeedReport
	if found, err := s.uploadReport(c, model.UploadReportStockFeed, &r); err != nil {
		return err
	} else if found {
		p.Feed, p.FeedError = r.Feed, r.Error
	}
	return s.render(c, views.StockPage(p))
}

// stockFeedReport is the outcome of a stock feed upload, shown on the list
// page after the redirect: the report, or why the file was refused.
type stockFeedReport struct {
	Feed  *stock.FeedReport `json:"feed,omitempty"`
	Error string            `json:"error,omitempty"`
}

// handleStockFeedUpload applies a supplier's stock spreadsheet and shows the
// report on the list page, applied or refused (Post/Redirect/Get: 303 to
// /stock?report=…, so a refresh applies nothing again). The upload script
// follows the redirect and swaps the page's result region in place.
func (s *Server) handleStockFeedUpload(c *fiber.Ctx) error {
	u := currentUser(c)
	sup, err := s.store.FindSupplier(c.UserContext(), *u.SupplierID)
	if err != nil {
		return err
	}
	report := func(r stockFeedReport) error {
		return s.redirectWithReport(c, "/stock", model.UploadReportStockFeed, r)
	}
	f, fh, found, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	if !found {
		return report(stockFeedReport{Error: "Escolha o arquivo da planilha de estoque."})
	}
	defer f.Close()
	ff, err := stock.ReadFeedSheet(f, fh.Size, copyString(c.FormValue("sheet")))
	if err != nil {
		if !isUserError(err) {
			return err
		}
		return report(stockFeedReport{Error: apperr.Message(err)})
	}
	rep, err := s.stock.ApplyFeed(c.UserContext(), sup, ff.Lines, ff.Problems, feedReference("upload"))
	if err != nil {
		return err
	}
	ff.Report(rep)
	return report(stockFeedReport{Feed: rep})
}

func (s *Server) stockProductProps(c *fiber.Ctx, id int64) (views.StockProductProps, error) {
	ctx := c.UserContext()
	prod, err := s.store.FindProduct(ctx, id)
	if err != nil {
		return views.StockProductProps{}, err
	}
	t, err := s.stock.Of(ctx, prod.ID)
	if err != nil {
		return views.StockProductProps{}, err
	}
	page := pageFromQuery(c)
	moves, total, err := s.store.ListMovements(ctx, prod.ID, page)
	if err != nil {
		return views.StockProductProps{}, err
	}
	locs, err := s.store.ListLocations(ctx)
	if err != nil {
		return views.StockProductProps{}, err
	}
	names := map[int64]string{}
	for _, l := range locs {
		names[l.ID] = l.Name
	}
	return views.StockProductProps{
		Product: *prod, Totals: t, Moves: moves, Locations: names, Pager: pager(c, page, total),
		CanManage: currentUser(c).Can(model.PermManageStock),
	}, nil
}

func (s *Server) handleStockProduct(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.stockProductProps(c, id)
	if err != nil {
		return err
	}
	return s.render(c, views.StockProductPage(p))
}

// handleStockEntry records a manual entry (lançamento) or an inventory count.
func (s *Server) handleStockEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	prod, err := s.store.FindProduct(ctx, id)
	if err != nil {
		return err
	}
	loc, err := s.stock.LocationFor(ctx, prod)
	if err != nil {
		return err
	}
	note := strings.TrimSpace(copyString(c.FormValue("note")))
	ref := "user:" + currentUser(c).Email
	fe := views.FieldErrors{}
	var msg string
	switch c.FormValue("kind") {
	case "manual":
		delta, perr := strconv.ParseInt(strings.TrimSpace(c.FormValue("delta")), 10, 64)
		if perr != nil {
			fe["delta"] = "Informe um número inteiro."
			break
		}
		_, err = s.stock.Adjust(ctx, prod.ID, loc.ID, delta, model.SourceManual, ref, note)
		msg = "Lançamento registrado."
	case "inventory":
		qty, perr := strconv.ParseInt(strings.TrimSpace(c.FormValue("counted")), 10, 64)
		if perr != nil {
			fe["counted"] = "Informe um número inteiro."
			break
		}
		_, err = s.stock.Count(ctx, prod.ID, loc.ID, qty, model.SourceInventory, ref, note)
		msg = "Contagem registrada."
	default:
		return apperr.Errorf(apperr.EMALFORMED, "Tipo de lançamento desconhecido.")
	}
	if err != nil && !isUserError(err) {
		return err
	}
	if err != nil || len(fe) > 0 {
		summary, errs := formErrors(err, fe)
		if d, ok := errs["quantity"]; ok {
			errs["delta"], errs["counted"] = d, d
		}
		p, perr := s.stockProductProps(c, prod.ID)
		if perr != nil {
			return perr
		}
		p.Errors, p.Error = errs, summary
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.StockProductPage(p))
	}
	return redirectWith(c, "/stock/products/"+itoa(prod.ID), "success", msg)
}
