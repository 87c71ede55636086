package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
)

// apiPriceTable is the JSON shape of a price table version.
type apiPriceTable struct {
	ID                 int64         `json:"id"`
	SupplierCNPJ       string        `json:"supplier_cnpj"`
	SupplierName       string        `json:"supplier_name"`
	Status             string        `json:"status"`
	EffectiveDate      *string       `json:"effective_date"` // YYYY-MM-DD, São Paulo
	EffectiveFrom      *time.Time    `json:"effective_from"` // the instant it takes effect
	EarliestAllowed    *string       `json:"earliest_allowed"`
	NoticeDays         int           `json:"notice_days"`
	LineCount          int           `json:"line_count"`
	FileName           string        `json:"file_name"`
	FileSHA256         string        `json:"file_sha256"`
	SubmittedAt        *time.Time    `json:"submitted_at"`
	SubmittedBy        *string       `json:"submitted_by"`
	EarlyJustification string        `json:"early_justification,omitempty"`
	RejectedReason     string        `json:"rejected_reason,omitempty"`
	RejectedAt         *time.Time    `json:"rejected_at,omitempty"`
	WithdrawnAt        *time.Time    `json:"withdrawn_at,omitempty"`
	Changes            *apiPriceDiff `json:"changes,omitempty"`
	// The XLSX sheet read ("" for CSV) and the lines left out of the data
	// (title above the header, summary after the data); [] when none.
	FileSheet    string              `json:"file_sheet"`
	IgnoredLines []model.IgnoredLine `json:"ignored_lines"`
}

// apiPriceDiff counts the differences against the table replaced.
type apiPriceDiff struct {
	ComparedWith *int64 `json:"compared_with"`
	Added        int64  `json:"added"`
	Removed      int64  `json:"removed"`
	Increased    int64  `json:"increased"`
	Decreased    int64  `json:"decreased"`
	Unchanged    int64  `json:"unchanged"`
	AboveAlert   int64  `json:"above_alert_threshold"`
}

func toAPIPriceTable(t *model.PriceTable) apiPriceTable {
	out := apiPriceTable{
		ID: t.ID, Status: string(t.Status), NoticeDays: t.NoticeDays, LineCount: t.LineCount,
		FileName: t.FileName, FileSHA256: t.FileSHA256, SubmittedAt: utc(t.SubmittedAt),
		EarlyJustification: t.EarlyJustification, RejectedReason: t.RejectedReason,
		RejectedAt: utc(t.RejectedAt), WithdrawnAt: utc(t.WithdrawnAt), EffectiveFrom: utc(t.EffectiveFrom),
		FileSheet: t.FileSheet, IgnoredLines: t.Ignored(),
	}
	if out.IgnoredLines == nil {
		out.IgnoredLines = []model.IgnoredLine{}
	}
	if t.Supplier != nil {
		out.SupplierCNPJ, out.SupplierName = t.Supplier.CNPJ, t.Supplier.DisplayName()
	}
	if t.EffectiveFrom != nil {
		d := t.EffectiveFrom.In(format.Location).Format("2006-01-02")
		out.EffectiveDate = &d
	}
	if t.EarliestAllowed != nil {
		d := t.EarliestAllowed.In(format.Location).Format("2006-01-02")
		out.EarliestAllowed = &d
	}
	if t.Submitter != nil {
		out.SubmittedBy = &t.Submitter.Email
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// handleAPIPriceTableCreate is POST /api/v1/price-tables: multipart "file"
// and "effective_from" (YYYY-MM-DD); 201 with the table, or 422 listing every
// problem (each bad line, the date).
func (s *Server) handleAPIPriceTableCreate(c *fiber.Ctx) error {
	u := currentUser(c)
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		return apperr.Errorf(apperr.EMALFORMED, "Envie multipart/form-data com os campos file e effective_from.")
	}
	f, fh, found, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	if !found {
		return apperr.Invalid("Envie o arquivo da tabela no campo file.", apperr.Detail{Field: "file", Message: "Campo file ausente: envie o CSV ou XLSX da tabela."})
	}
	defer f.Close()
	t, err := s.priceTables.SubmitFile(c.UserContext(), *u.SupplierID, pricetable.File{Name: copyString(fh.Filename), Size: fh.Size, Body: f,
		Sheet: copyString(c.FormValue("sheet"))},
		copyString(c.FormValue("effective_from")))
	if err != nil {
		return err
	}
	if full, err := s.store.FindPriceTable(c.UserContext(), t.ID, s.store.Now()); err == nil {
		t = full
	}
	c.Location("/api/v1/price-tables/" + itoa(t.ID))
	return c.Status(fiber.StatusCreated).JSON(toAPIPriceTable(t))
}

// handleAPIPriceTableList is GET /api/v1/price-tables: suppliers see their
// own versions, staff every supplier's (?supplier_cnpj= narrows), newest
// first; ?status= filters; ?cursor= pages.
func (s *Server) handleAPIPriceTableList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var f store.PriceTableFilter
	if st := c.Query("status"); st != "" {
		f.Status = model.PriceTableStatus(st)
		if !f.Status.Valid() || f.Status == model.PriceTableStatusDraft {
			return apperr.Invalid("Situação inválida.", apperr.Detail{Field: "status",
				Message: "Use scheduled, in_force, superseded, withdrawn ou rejected."})
		}
	}
	var err error
	if f.SupplierID, err = s.apiSupplierFilter(c); err != nil {
		return err
	}
	l, err := readAPIList(c, apiPriceTableSorts)
	if err != nil {
		return err
	}
	f.BeforeID, f.Sort = l.BeforeID, l.Sort
	items, _, err := s.store.ListPriceTables(ctx, f, store.Page{Size: l.Limit + 1}, s.store.Now())
	if err != nil {
		return err
	}
	out := struct {
		Items      []apiPriceTable `json:"items"`
		NextCursor *string         `json:"next_cursor"`
	}{}
	out.Items, out.NextCursor = apiPage(l, items, func(t *model.PriceTable) int64 { return t.ID }, toAPIPriceTable)
	return c.JSON(out)
}

// handleAPIPriceTableShow is GET /api/v1/price-tables/{id}: one version with
// the counts of its differences against the table it replaces.
func (s *Server) handleAPIPriceTableShow(c *fiber.Ctx) error {
	t, err := s.loadPriceTable(c)
	if err != nil {
		return err
	}
	cmp, err := s.priceTables.Compare(c.UserContext(), t)
	if err != nil {
		return err
	}
	out := toAPIPriceTable(t)
	d := cmp.Summary
	out.Changes = &apiPriceDiff{Added: d.Added, Removed: d.Removed, Increased: d.Increased, Decreased: d.Decreased, Unchanged: d.Unchanged, AboveAlert: d.Highlighted}
	if cmp.Base != nil {
		out.Changes.ComparedWith = &cmp.Base.ID
	}
	return c.JSON(out)
}
