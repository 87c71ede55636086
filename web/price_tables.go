package web

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
	"github.com/connectparts/portal/views"
)

// handlePriceTableList is /price-tables: the supplier's history and upload
// card, or every supplier's tables for staff.
func (s *Server) handlePriceTableList(c *fiber.Ctx) error {
	u := currentUser(c)
	sort := sortFromQuery(c, priceTableSortColumns)
	if fm, ok := exportFormat(c); ok && u.Role == model.RoleSupplier {
		return s.exportPriceTables(c, fm, store.PriceTableFilter{SupplierID: poViewer(u), Sort: sort}, true)
	}
	if u.Role == model.RoleSupplier {
		var r priceTableRefusal
		found, err := s.uploadReport(c, model.UploadReportPriceTable, &r)
		if err != nil {
			return err
		}
		up := views.PriceTableUpload{}
		if found {
			up.FileName, up.Error, up.Details = r.FileName, r.Error, r.Details
		}
		return s.renderSupplierPriceTables(c, up)
	}
	ctx := c.UserContext()
	status := model.PriceTableStatus(copyString(c.Query("status")))
	if !status.Valid() || status == model.PriceTableStatusDraft {
		status = ""
	}
	f := store.PriceTableFilter{Status: status, Sort: sort}
	supplierID, _ := strconv.ParseInt(c.Query("supplier_id"), 10, 64)
	if supplierID > 0 {
		f.SupplierID = &supplierID
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportPriceTables(c, fm, f, false)
	}
	p := pageFromQuery(c)
	items, total, err := s.store.ListPriceTables(ctx, f, p, s.store.Now())
	if err != nil {
		return err
	}
	suppliers, err := s.store.AllSuppliers(ctx)
	if err != nil {
		return err
	}
	return s.render(c, views.PriceTablesPage(views.PriceTablesProps{
		Items: items, Pager: pager(c, p, total), Status: string(status), SupplierID: supplierID, Suppliers: suppliers,
	}))
}

// renderSupplierPriceTables renders the supplier's list with the upload card
// (and the report of a refused upload, if any).
func (s *Server) renderSupplierPriceTables(c *fiber.Ctx, up views.PriceTableUpload) error {
	u := currentUser(c)
	ctx := c.UserContext()
	now := s.store.Now()
	sup, err := s.store.FindSupplier(ctx, *u.SupplierID)
	if err != nil {
		return err
	}
	up.Supplier, up.CanSubmit, up.MaxSize = sup, u.Can(model.PermSubmitPriceTables), mb(pricetable.MaxFileBytes)
	if t, err := s.store.FindPriceTableInForce(ctx, sup.ID, now); err == nil {
		up.InForce = t
	} else if !apperr.Is(err, apperr.ENOTFOUND) {
		return err
	}
	if up.Earliest, _, err = s.priceTables.EarliestFor(ctx, sup); err != nil {
		return err
	}
	if up.Scheduled, err = s.store.ScheduledPriceTables(ctx, sup.ID, now); err != nil {
		return err
	}
	if up.Drafts, _, err = s.store.ListPriceTables(ctx, store.PriceTableFilter{SupplierID: &sup.ID, Status: model.PriceTableStatusDraft}, store.Page{Size: 10}, now); err != nil {
		return err
	}
	p := pageFromQuery(c)
	items, total, err := s.store.ListPriceTables(ctx, store.PriceTableFilter{SupplierID: &sup.ID, Sort: sortFromQuery(c, priceTableSortColumns)}, p, now)
	if err != nil {
		return err
	}
	return s.render(c, views.PriceTablesPage(views.PriceTablesProps{Items: items, Pager: pager(c, p, total), IsSupplier: true, Upload: up}))
}

// priceTableRefusal is the report of a refused price table, shown on the
// supplier's list page after the redirect.
type priceTableRefusal struct {
	FileName string          `json:"file_name,omitempty"`
	Error    string          `json:"error"`
	Details  []apperr.Detail `json:"details,omitempty"`
}

// handlePriceTableUpload validates an uploaded table and keeps it as a draft,
// then shows its preview; a refused file comes back on the list page with
// every problem (Post/Redirect/Get: 303 to /price-tables?report=…).
func (s *Server) handlePriceTableUpload(c *fiber.Ctx) error {
	u := currentUser(c)
	f, fh, found, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	if found && fh.Size == 0 && fh.Filename == "" {
		f.Close()
		found = false
	}
	if !found {
		return s.redirectWithReport(c, "/price-tables", model.UploadReportPriceTable,
			priceTableRefusal{Error: "Escolha o arquivo da tabela (CSV ou XLSX) antes de enviar."})
	}
	defer f.Close()
	name := copyString(fh.Filename)
	t, err := s.priceTables.Upload(c.UserContext(), *u.SupplierID, pricetable.File{Name: name, Size: fh.Size, Body: f,
		Sheet: copyString(c.FormValue("sheet"))})
	if err != nil {
		if !isUserError(err) && !apperr.Is(err, apperr.ETOOLARGE) {
			return err
		}
		return s.redirectWithReport(c, "/price-tables", model.UploadReportPriceTable,
			priceTableRefusal{FileName: name, Error: apperr.Message(err), Details: apperr.Details(err)})
	}
	return c.Redirect("/price-tables/"+itoa(t.ID), fiber.StatusSeeOther)
}

// loadPriceTable reads :id as a table visible to the current user (404 otherwise).
func (s *Server) loadPriceTable(c *fiber.Ctx) (*model.PriceTable, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.priceTables.Find(c.UserContext(), currentUser(c), id)
}

func (s *Server) handlePriceTableShow(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	if fm, ok := exportFormat(c); ok && c.Query("tab") == "items" {
		return s.exportPriceTableItems(c, fm, t, priceItemFilter(c))
	}
	p := views.PriceTableProps{}
	if err := s.priceTableProps(c, t, &p); err != nil {
		return err
	}
	return s.render(c, views.PriceTablePage(p))
}

// priceItemSortColumns: the sortable columns of a table's items tab.
var priceItemSortColumns = sortColumns{
	"line": "i.line", "code": "i.supplier_code", "description": "LOWER(i.description)", "ean": "i.ean",
	"sku": "COALESCE(p.sku, '')", "min_qty": "i.min_qty", "price": "i.price_cents",
}

// priceItemFilter reads the items tab's search and sort.
func priceItemFilter(c *fiber.Ctx) store.PriceItemFilter {
	return store.PriceItemFilter{Query: copyString(strings.TrimSpace(c.Query("q"))), Sort: sortFromQuery(c, priceItemSortColumns)}
}

// exportPriceTableItems answers the items tab, as searched and sorted, as a
// download.
func (s *Server) exportPriceTableItems(c *fiber.Ctx, fm tabular.Format, t *model.PriceTable, f store.PriceItemFilter) error {
	header := []string{"Linha", "Código", "Descrição", "EAN", "SKU ConnectParts", "Produto ConnectParts", "Qtd. mínima", "Preço (R$)"}
	return s.sendExport(c, fm, fmt.Sprintf("itens-tabela-%d", t.ID), header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachPriceTableItem(ctx, t.ID, f, func(r *store.PriceItemRow) error {
			return write(strconv.Itoa(r.Line), r.SupplierCode, r.Description, r.EAN, r.SKU, r.Name,
				strconv.Itoa(r.MinQty), tabular.FormatCentavos(r.PriceCents))
		})
	})
}

const priceTablePageSize = 50

// priceTableProps fills the detail page of t: permissions, the submit form's
// defaults, and the selected tab.
func (s *Server) priceTableProps(c *fiber.Ctx, t *model.PriceTable, p *views.PriceTableProps) error {
	u := currentUser(c)
	ctx := c.UserContext()
	now := s.store.Now()
	p.Table = *t
	owner := u.SupplierID != nil && *u.SupplierID == t.SupplierID // a user of the table's supplier
	p.CanSubmit = owner && t.State == model.PriceTableDraft && u.Can(model.PermSubmitPriceTables)
	p.CanWithdraw = owner && t.Status == model.PriceTableStatusScheduled && u.Can(model.PermSubmitPriceTables)
	p.CanReview = t.Status == model.PriceTableStatusScheduled && u.Can(model.PermReviewPriceTables)
	var err error
	if p.CanSubmit {
		if p.Earliest, p.NoticeApplies, err = s.priceTables.EarliestFor(ctx, t.Supplier); err != nil {
			return err
		}
		if p.EffectiveDate == "" {
			p.EffectiveDate = p.Earliest.Format("2006-01-02")
		}
	}
	if t.State == model.PriceTableDraft || t.Status == model.PriceTableStatusScheduled {
		if p.Scheduled, err = s.store.ScheduledPriceTables(ctx, t.SupplierID, now); err != nil {
			return err
		}
	}
	page := pageFromQuery(c)
	page.Size = priceTablePageSize
	p.Tab = "diff"
	if c.Query("tab") == "items" {
		p.Tab = "items"
		f := priceItemFilter(c)
		p.ItemsQuery = f.Query
		var total int64
		if p.Items, total, err = s.store.ListPriceTableItems(ctx, t.ID, f, page); err != nil {
			return err
		}
		p.ItemsPager = pager(c, page, total)
		return nil
	}
	if p.Comparison, err = s.priceTables.Compare(ctx, t); err != nil {
		return err
	}
	p.DiffKind = copyString(c.Query("kind"))
	switch p.DiffKind {
	case store.DiffChanged, store.DiffHighlighted, store.DiffAdded, store.DiffRemoved:
	default:
		p.DiffKind = store.DiffChanged
		if p.Comparison.Base == nil || p.Comparison.Summary.Changed() == 0 && p.Comparison.Summary.Added > 0 {
			p.DiffKind = store.DiffAdded
		}
	}
	p.DiffSort = copyString(c.Query("sort"))
	switch p.DiffSort {
	case store.SortIncrease, store.SortDecrease, store.SortCode:
	default:
		p.DiffSort = store.SortIncrease
	}
	p.DiffQuery = copyString(strings.TrimSpace(c.Query("q")))
	var total int64
	p.Diff, total, err = s.priceTables.DiffRows(ctx, p.Comparison, store.PriceDiffFilter{Kind: p.DiffKind, Sort: p.DiffSort, Query: p.DiffQuery}, page)
	if err != nil {
		return err
	}
	p.DiffPager = pager(c, page, total)
	return nil
}

// rerenderPriceTable shows the detail page again with a refused form.
func (s *Server) rerenderPriceTable(c *fiber.Ctx, t *model.PriceTable, p views.PriceTableProps, err error) error {
	if !isUserError(err) {
		return err
	}
	p.Error, p.Errors = fieldErrors(err)
	if err := s.priceTableProps(c, t, &p); err != nil {
		return err
	}
	c.Status(statusFor(apperr.Code(err)))
	return s.render(c, views.PriceTablePage(p))
}

func (s *Server) handlePriceTableSubmit(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	date := copyString(c.FormValue("effective_from"))
	done, err := s.priceTables.Submit(c.UserContext(), *currentUser(c).SupplierID, t.ID, date)
	if err != nil {
		return s.rerenderPriceTable(c, t, views.PriceTableProps{Form: "submit", EffectiveDate: date}, err)
	}
	msg := fmt.Sprintf("Tabela nº %d enviada: vigência a partir de %s.", done.ID, format.Date(*done.EffectiveFrom))
	if done.Status == model.PriceTableStatusInForce {
		msg = fmt.Sprintf("Tabela nº %d enviada e já em vigor.", done.ID)
	}
	return redirectWith(c, "/price-tables/"+itoa(done.ID), "success", msg)
}

func (s *Server) handlePriceTableDiscard(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	if err := s.priceTables.Discard(c.UserContext(), *currentUser(c).SupplierID, t.ID); err != nil {
		return err
	}
	return redirectWith(c, "/price-tables", "success", "Prévia descartada.")
}

func (s *Server) handlePriceTableWithdraw(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	if err := s.priceTables.Withdraw(c.UserContext(), *currentUser(c).SupplierID, t.ID); err != nil {
		if apperr.Is(err, apperr.ECONFLICT) {
			return redirectWith(c, "/price-tables/"+itoa(t.ID), "error", apperr.Message(err))
		}
		return err
	}
	return redirectWith(c, "/price-tables/"+itoa(t.ID), "success", fmt.Sprintf("Tabela nº %d retirada: ela não entrará em vigor.", t.ID))
}

func (s *Server) handlePriceTableReject(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	reason := copyString(c.FormValue("reason"))
	if err := s.priceTables.Reject(c.UserContext(), t.ID, reason); err != nil {
		return s.rerenderPriceTable(c, t, views.PriceTableProps{Form: "reject", Reason: reason}, err)
	}
	return redirectWith(c, "/price-tables/"+itoa(t.ID), "success", fmt.Sprintf("Tabela nº %d recusada; o fornecedor foi avisado.", t.ID))
}

func (s *Server) handlePriceTableGrantEarly(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	date, just := copyString(c.FormValue("effective_from")), copyString(c.FormValue("justification"))
	done, err := s.priceTables.GrantEarlyDate(c.UserContext(), t.ID, date, just)
	if err != nil {
		return s.rerenderPriceTable(c, t, views.PriceTableProps{Form: "early", EffectiveDate: date, Justification: just}, err)
	}
	return redirectWith(c, "/price-tables/"+itoa(t.ID), "success",
		fmt.Sprintf("Vigência da tabela nº %d antecipada para %s.", t.ID, format.Date(*done.EffectiveFrom)))
}

// handlePriceTableFile downloads the supplier's file as a neutralised CSV
// copy (see sendNeutralisedPriceTable); an XLSX as the supplier sent it only
// with ?original=1, a link the page marks with a warning.
func (s *Server) handlePriceTableFile(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	// The body is streamed after the handler returns: the reader must not
	// die with the request's context.
	f, size, err := s.priceTables.OpenOriginal(context.WithoutCancel(c.UserContext()), t)
	if err != nil {
		return err
	}
	if t.FileFormat != "XLSX" || c.Query("original") != "1" {
		return s.sendNeutralisedPriceTable(c, t, f)
	}
	ctype := "text/csv; charset=" + csvCharset(t.FileEncoding)
	if t.FileFormat == "XLSX" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, attachment(t.FileName, fmt.Sprintf("tabela-%d.%s", t.ID, strings.ToLower(t.FileFormat))))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(f, int(size)) // fasthttp closes f once sent
}

func csvCharset(enc string) string {
	if enc == "Windows-1252" {
		return "windows-1252"
	}
	return "utf-8"
}

// handlePriceTableItemsCSV exports a table's items as CSV, every text cell
// neutralised against formula injection. The rows are written to a temporary
// file first, so a slow download never holds a database connection.
func (s *Server) handlePriceTableItemsCSV(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "price-items-*.csv")
	if err != nil {
		return err
	}
	os.Remove(tmp.Name()) // unlinked now; the open file lives until fasthttp closes it
	if err := s.priceTables.ExportItems(c.UserContext(), t, tmp); err != nil {
		tmp.Close()
		return err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, attachment(fmt.Sprintf("tabela-precos-%d.csv", t.ID), ""))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(tmp, int(size))
}

// attachment builds a Content-Disposition header for a download named name
// (UTF-8 allowed), with an ASCII fallback.
func attachment(name, fallback string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == ';' {
			return '_'
		}
		return r
	}, name)
	if fallback != "" && ascii != name {
		ascii = fallback
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(name)
}
