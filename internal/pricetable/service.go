// Package pricetable is the domain service of supplier price tables: it
// reads and validates uploaded files (streaming, through internal/tabular),
// stores them as drafts or submitted tables, compares them with the table in
// force, applies the notice rule, and answers the one question every later
// feature asks: what was the price of this product at that instant (PriceAt).
//
// Lifecycle. A valid upload becomes a draft (nothing is in force, nobody but
// the supplier sees it) until the supplier confirms it with an effective
// date; then it is submitted. A submitted table is scheduled until its
// effective date, in force from then on, and superseded once a newer one
// takes effect; these three are derived from dates, never stored, so the
// price in force never depends on a job having run. Before taking effect a
// table may be withdrawn by the supplier or rejected by purchasing; those are
// stored and final. The periodic job only announces tables entering into
// force and discards stale drafts.
package pricetable

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/docstore"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
)

// DraftTTL is how long an unconfirmed draft is kept.
const DraftTTL = 24 * time.Hour

// staff are the roles told about submissions and withdrawals.
var staff = []model.Role{model.RolePurchasing, model.RoleAdmin}

// Service implements price tables.
type Service struct {
	store   *store.Store
	docs    *docstore.Store
	dataDir string // local scratch space for uploads being parsed
}

// NewService builds the service: uploads are spooled under dataDir and the
// original files kept in the database (see SetDocuments).
func NewService(st *store.Store, dataDir string) *Service {
	return &Service{store: st, docs: docstore.New(st, dataDir), dataDir: dataDir}
}

// SetDocuments sets the document store the original files are kept in (app
// wiring, when PORTAL_BLOB_URL names object storage).
func (s *Service) SetDocuments(d *docstore.Store) { s.docs = d }

// File is an uploaded price table file.
type File struct {
	Name string
	Size int64 // declared size, or -1 when unknown
	Body io.Reader
	// Sheet names the XLSX worksheet to read; "" reads the first one with
	// a recognisable header.
	Sheet string
}

// Upload validates a file of the supplier and keeps it as a draft to be
// previewed and confirmed. A file with any problem is refused as a whole
// (EINVALID listing every bad line) and nothing of it is kept.
func (s *Service) Upload(ctx context.Context, supplierID int64, f File) (*model.PriceTable, error) {
	return s.ingest(ctx, supplierID, f, nil)
}

// SubmitFile validates a file and submits it at once with the effective date
// (YYYY-MM-DD), as the API does. Problems with the date and with the lines
// are reported together.
func (s *Service) SubmitFile(ctx context.Context, supplierID int64, f File, effectiveDate string) (*model.PriceTable, error) {
	date, err := ParseDate("effective_from", effectiveDate)
	return s.ingest(ctx, supplierID, f, &request{date: date, err: err})
}

// request is the effective date asked for a table submitted in one step; err
// is set when the date could not be read (the file is still validated, so
// that every problem is reported at once).
type request struct {
	date time.Time
	err  error
}

// merge joins two errors: the details of both when both are EINVALID,
// otherwise the one that is not (a nil error counts as absent).
func merge(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case !apperr.Is(a, apperr.EINVALID):
		return a
	case !apperr.Is(b, apperr.EINVALID):
		return b
	}
	return apperr.Invalid(apperr.Message(a)+" "+apperr.Message(b), append(apperr.Details(a), apperr.Details(b)...)...)
}

func (s *Service) ingest(ctx context.Context, supplierID int64, f File, req *request) (*model.PriceTable, error) {
	name := cleanName(f.Name)
	if err := checkFileName(name); err != nil {
		return nil, err
	}
	if f.Size > MaxFileBytes {
		return nil, tooLarge(f.Size)
	}
	if f.Body == nil {
		return nil, apperr.Invalid("Escolha o arquivo da tabela (CSV ou XLSX).", apperr.Detail{Field: "file", Message: "Escolha o arquivo da tabela (CSV ou XLSX)."})
	}
	sup, err := s.store.FindSupplier(ctx, supplierID)
	if err != nil {
		return nil, err
	}
	now := s.store.Now()
	t := &model.PriceTable{SupplierID: supplierID, State: model.PriceTableDraft, FileName: name}
	var dateErr error
	if req != nil {
		var sub store.Submission
		if dateErr = req.err; dateErr == nil {
			sub, dateErr = s.schedule(ctx, sup, req.date, now)
		}
		if dateErr == nil {
			t.State = model.PriceTableSubmitted
			t.EffectiveFrom, t.EarliestAllowed, t.NoticeDays = &sub.EffectiveFrom, &sub.EarliestAllowed, sub.NoticeDays
			t.SubmittedBy, t.SubmittedAt = model.ActorFrom(ctx).UserID, &now
			if !sub.EffectiveFrom.After(now) {
				t.InForceNotifiedAt = &now // in force at once: the submission notice says so
			}
		}
	}
	sp, err := s.spool(f.Body)
	if err != nil {
		return nil, err
	}
	defer sp.discard()
	opts := readerOptions()
	opts.Sheet = f.Sheet
	rd, err := tabular.NewReader(sp.f, sp.size, opts)
	if err != nil {
		return nil, merge(dateErr, fileProblem(err))
	}
	defer rd.Close()
	codes, err := s.store.ProductCodesOfSupplier(ctx, supplierID)
	if err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		msg := "Seu catálogo na ConnectParts ainda não tem produtos com código do fornecedor; peça ao setor de compras que cadastre os produtos antes de enviar a tabela."
		return nil, apperr.Invalid(msg, apperr.Detail{Field: "file", Message: msg})
	}
	v := newValidator(codes)
	if dateErr != nil {
		// Refused anyway: read the lines only to report their problems too.
		_, err := scan(ctx, rd, v, func(*model.PriceTableItem) error { return nil })
		return nil, merge(dateErr, err)
	}
	t.FileSHA256, t.FileSize = sp.sha256, sp.size
	t.FileFormat, t.FileEncoding = rd.Format().String(), rd.Encoding()
	var kept string
	// TxForBulk: on PostgreSQL the items are copied (COPY) in the transaction.
	err = s.store.TxForBulk(ctx, func(ctx context.Context) error {
		if err := s.store.CreatePriceTable(ctx, t); err != nil {
			return err
		}
		w, err := s.store.NewPriceTableItemWriter(ctx)
		if err != nil {
			return err
		}
		defer w.Close()
		_, err = scan(ctx, rd, v, func(it *model.PriceTableItem) error {
			it.TableID = t.ID
			return w.Add(ctx, it)
		})
		if err != nil {
			return err
		}
		if t.LineCount, err = w.Flush(ctx); err != nil {
			return err
		}
		t.FileSheet, t.IgnoredLines = rd.Sheet(), model.EncodeIgnoredLines(ignoredLines(rd))
		if kept, err = s.keep(ctx, sp); err != nil {
			return err
		}
		t.FilePath = kept
		if err := s.store.CompletePriceTableUpload(ctx, t); err != nil {
			return err
		}
		if t.State != model.PriceTableSubmitted {
			return nil
		}
		if err := s.store.AuditPriceTableSubmit(ctx, t); err != nil {
			return err
		}
		return s.notifySubmitted(ctx, sup, t)
	})
	if err != nil {
		if kept != "" {
			s.remove(ctx, kept)
		}
		return nil, err
	}
	t.Supplier = sup
	t.Status = model.PriceTableStatusDraft
	if t.State == model.PriceTableSubmitted {
		t.Status = model.PriceTableStatusScheduled
		if !t.EffectiveFrom.After(now) {
			t.Status = model.PriceTableStatusInForce
		}
	}
	return t, nil
}

// EarliestFor returns the earliest effective date a table of the supplier
// submitted now may have, and whether a table is in force (the notice applies).
func (s *Service) EarliestFor(ctx context.Context, sup *model.Supplier) (time.Time, bool, error) {
	now := s.store.Now()
	inForce, err := s.hasTableInForce(ctx, sup.ID, now)
	if err != nil {
		return time.Time{}, false, err
	}
	return EarliestDate(now, sup.PriceNoticeDays, inForce), inForce, nil
}

func (s *Service) hasTableInForce(ctx context.Context, supplierID int64, at time.Time) (bool, error) {
	_, err := s.store.FindPriceTableInForce(ctx, supplierID, at)
	switch {
	case err == nil:
		return true, nil
	case apperr.Is(err, apperr.ENOTFOUND):
		return false, nil
	}
	return false, err
}

// schedule applies the notice rule to an effective date requested now.
func (s *Service) schedule(ctx context.Context, sup *model.Supplier, date, now time.Time) (store.Submission, error) {
	inForce, err := s.hasTableInForce(ctx, sup.ID, now)
	if err != nil {
		return store.Submission{}, err
	}
	eff, earliest, err := CheckDate("effective_from", date, now, sup.PriceNoticeDays, inForce)
	if err != nil {
		return store.Submission{}, err
	}
	notice := sup.PriceNoticeDays
	if !inForce {
		notice = 0
	}
	return store.Submission{EffectiveFrom: eff, EarliestAllowed: earliest, NoticeDays: notice, At: now}, nil
}

// Find returns a table as seen by user u: suppliers see only their own
// tables (drafts included), staff see every submitted table. Anything else
// is ENOTFOUND, never EFORBIDDEN, so existence does not leak.
func (s *Service) Find(ctx context.Context, u *model.User, id int64) (*model.PriceTable, error) {
	t, err := s.store.FindPriceTable(ctx, id, s.store.Now())
	if err != nil {
		return nil, err
	}
	if !CanSee(u, t) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Tabela de preços não encontrada.")
	}
	return t, nil
}

// CanSee reports whether u may see table t.
func CanSee(u *model.User, t *model.PriceTable) bool {
	if !u.Can(model.PermViewPriceTables) {
		return false
	}
	if u.Role == model.RoleSupplier {
		return u.SupplierID != nil && *u.SupplierID == t.SupplierID
	}
	return t.State != model.PriceTableDraft
}

// Submit confirms a draft of the supplier with an effective date (YYYY-MM-DD).
func (s *Service) Submit(ctx context.Context, supplierID, id int64, effectiveDate string) (*model.PriceTable, error) {
	now := s.store.Now()
	t, err := s.store.FindPriceTable(ctx, id, now)
	if err != nil {
		return nil, err
	}
	if t.SupplierID != supplierID {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Tabela de preços não encontrada.")
	}
	if t.State != model.PriceTableDraft {
		return nil, apperr.Errorf(apperr.ECONFLICT, "Esta tabela já foi enviada.")
	}
	date, err := ParseDate("effective_from", effectiveDate)
	if err != nil {
		return nil, err
	}
	sub, err := s.schedule(ctx, t.Supplier, date, now)
	if err != nil {
		return nil, err
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.SubmitPriceTable(ctx, id, supplierID, sub); err != nil {
			return err
		}
		t.EffectiveFrom = &sub.EffectiveFrom
		return s.notifySubmitted(ctx, t.Supplier, t)
	})
	if err != nil {
		return nil, err
	}
	return s.store.FindPriceTable(ctx, id, now)
}

// Discard deletes a draft of the supplier and its file.
func (s *Service) Discard(ctx context.Context, supplierID, id int64) error {
	path, err := s.store.DeletePriceTableDraft(ctx, id, supplierID)
	if err != nil {
		return err
	}
	s.remove(ctx, path)
	return nil
}

// Withdraw withdraws a scheduled table of the supplier.
func (s *Service) Withdraw(ctx context.Context, supplierID, id int64) error {
	now := s.store.Now()
	t, err := s.store.FindPriceTable(ctx, id, now)
	if err != nil {
		return err
	}
	if t.SupplierID != supplierID || t.State == model.PriceTableDraft {
		return apperr.Errorf(apperr.ENOTFOUND, "Tabela de preços não encontrada.")
	}
	return s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.WithdrawPriceTable(ctx, id, supplierID, now); err != nil {
			return err
		}
		return s.store.Notify(ctx, model.Audience{Roles: staff, SupplierID: &t.SupplierID}, "price_table.withdrawn",
			fmt.Sprintf("%s retirou a tabela de preços nº %d (vigência prevista para %s).", t.Supplier.DisplayName(), t.ID, format.Date(*t.EffectiveFrom)),
			link(t.ID))
	})
}

// Reject rejects a scheduled table with a reason (purchasing).
func (s *Service) Reject(ctx context.Context, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < 5 || len(reason) > 2000 {
		return apperr.Invalid("Informe o motivo da recusa.", apperr.Detail{Field: "reason", Message: "Escreva o motivo da recusa (de 5 a 2.000 caracteres); o fornecedor o verá."})
	}
	now := s.store.Now()
	t, err := s.store.FindPriceTable(ctx, id, now)
	if err != nil {
		return err
	}
	if t.State == model.PriceTableDraft {
		return apperr.Errorf(apperr.ENOTFOUND, "Tabela de preços não encontrada.")
	}
	return s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.RejectPriceTable(ctx, id, reason, now); err != nil {
			return err
		}
		return s.store.Notify(ctx, model.Audience{SupplierID: &t.SupplierID, Roles: staff}, "price_table.rejected",
			fmt.Sprintf("A ConnectParts recusou a tabela de preços nº %d de %s: %s", t.ID, t.Supplier.DisplayName(), reason), link(t.ID))
	})
}

// GrantEarlyDate brings a scheduled table's effective date forward, past the
// notice rule (purchasing). The written justification is required and goes to
// the table and the audit log.
func (s *Service) GrantEarlyDate(ctx context.Context, id int64, effectiveDate, justification string) (*model.PriceTable, error) {
	justification = strings.TrimSpace(justification)
	var details []apperr.Detail
	if utf8.RuneCountInString(justification) < 10 || len(justification) > 2000 {
		details = append(details, apperr.Detail{Field: "justification", Message: "Escreva a justificativa da antecipação (de 10 a 2.000 caracteres); ela fica registrada na auditoria."})
	}
	date, err := ParseDate("effective_from", effectiveDate)
	if err != nil {
		details = append(details, apperr.Details(err)...)
	}
	now := s.store.Now()
	if err == nil && date.Before(format.Day(now)) {
		details = append(details, apperr.Detail{Field: "effective_from", Message: "A nova data não pode estar no passado."})
	}
	if len(details) > 0 {
		return nil, apperr.Invalid("Corrija os campos destacados.", details...)
	}
	t, err := s.store.FindPriceTable(ctx, id, now)
	if err != nil {
		return nil, err
	}
	if t.State == model.PriceTableDraft {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Tabela de preços não encontrada.")
	}
	if t.Status != model.PriceTableStatusScheduled {
		return nil, apperr.Errorf(apperr.ECONFLICT, "Só é possível antecipar uma tabela agendada, antes de entrar em vigor.")
	}
	effective := EffectiveInstant(date, now)
	if !effective.Before(*t.EffectiveFrom) {
		msg := fmt.Sprintf("A nova data deve ser anterior à vigência atual (%s).", format.Date(*t.EffectiveFrom))
		return nil, apperr.Invalid(msg, apperr.Detail{Field: "effective_from", Message: msg})
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.GrantPriceTableEarlyDate(ctx, id, effective, justification, now); err != nil {
			return err
		}
		return s.store.Notify(ctx, model.Audience{SupplierID: &t.SupplierID, Roles: staff}, "price_table.early_date",
			fmt.Sprintf("A ConnectParts antecipou a vigência da tabela de preços nº %d de %s para %s.", t.ID, t.Supplier.DisplayName(), format.Date(effective)),
			link(t.ID))
	})
	if err != nil {
		return nil, err
	}
	return s.store.FindPriceTable(ctx, id, now)
}

func (s *Service) notifySubmitted(ctx context.Context, sup *model.Supplier, t *model.PriceTable) error {
	when := "a partir de " + format.Date(*t.EffectiveFrom)
	if !t.EffectiveFrom.After(s.store.Now()) {
		when = "em vigor desde já"
	}
	return s.store.Notify(ctx, model.Audience{Roles: staff, SupplierID: &sup.ID}, "price_table.submitted",
		fmt.Sprintf("%s enviou a tabela de preços nº %d (%s), %s.", sup.DisplayName(), t.ID, format.Plural(t.LineCount, "linha", "linhas"), when),
		link(t.ID))
}

func link(id int64) string { return fmt.Sprintf("/price-tables/%d", id) }

// PriceAt returns the price in centavos of a product at instant t and the id
// of the table it comes from: the product's line in the table of its supplier
// in force at t (the newest submitted table whose effective date is not after
// t). ENOTFOUND when the supplier had no table in force or the table has no
// line for the product. Every feature that needs a supplier price uses this.
func (s *Service) PriceAt(ctx context.Context, productID int64, t time.Time) (cents, tableID int64, err error) {
	return s.store.PriceAt(ctx, productID, t)
}

// Announce tells the supplier and staff about tables that entered into force
// since the last run, once each. It returns how many were announced.
func (s *Service) Announce(ctx context.Context) (int, error) {
	now := s.store.Now()
	tables, err := s.store.PriceTablesToAnnounce(ctx, now, 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range tables {
		t := &tables[i]
		err := s.store.Tx(ctx, func(ctx context.Context) error {
			ok, err := s.store.MarkPriceTableAnnounced(ctx, t.ID, now)
			if err != nil || !ok || t.Status != model.PriceTableStatusInForce {
				return err // already announced, or superseded before anyone was told
			}
			n++
			return s.store.Notify(ctx, model.Audience{SupplierID: &t.SupplierID, Roles: staff}, "price_table.in_force",
				fmt.Sprintf("A tabela de preços nº %d de %s entrou em vigor em %s.", t.ID, t.Supplier.DisplayName(), format.Date(*t.EffectiveFrom)),
				link(t.ID))
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// PurgeDrafts deletes drafts older than DraftTTL, their files, stale
// spooled uploads and stored documents no row names.
func (s *Service) PurgeDrafts(ctx context.Context) (int, error) {
	now := s.store.Now()
	paths, err := s.store.DeleteStaleDrafts(ctx, now.Add(-DraftTTL))
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		s.remove(ctx, p)
	}
	if _, err := s.store.DeleteOrphanDocuments(ctx, now.Add(-DraftTTL)); err != nil {
		return len(paths), err
	}
	tmp := filepath.Join(s.dataDir, filesDir, "tmp")
	if entries, err := os.ReadDir(tmp); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > DraftTTL {
				os.Remove(filepath.Join(tmp, e.Name()))
			}
		}
	}
	return len(paths), nil
}

// OpenOriginal opens the file the supplier uploaded and returns its size.
func (s *Service) OpenOriginal(ctx context.Context, t *model.PriceTable) (io.ReadCloser, int64, error) {
	if t.FilePath == "" {
		return nil, 0, apperr.Errorf(apperr.ENOTFOUND, "O arquivo original desta tabela não está disponível.")
	}
	f, size, err := s.docs.Open(ctx, t.FilePath)
	if apperr.Is(err, apperr.ENOTFOUND) {
		return nil, 0, apperr.Errorf(apperr.ENOTFOUND, "O arquivo original desta tabela não está disponível.")
	}
	return f, size, err
}

// ExportItems writes the items of a table as a CSV that Excel in Brazil
// opens correctly, with every text cell neutralised against formula
// injection. Its header is accepted back by Upload.
func (s *Service) ExportItems(ctx context.Context, t *model.PriceTable, w io.Writer) error {
	cw := tabular.NewCSVWriter(w)
	if err := cw.Write([]string{"codigo", "descricao", "ean", "preco", "qtd_minima", "sku_connectparts", "produto_connectparts"}); err != nil {
		return err
	}
	rec := make([]string, 7)
	err := s.store.EachPriceTableItem(ctx, t.ID, store.PriceItemFilter{}, func(r *store.PriceItemRow) error {
		rec[0], rec[1], rec[2] = r.SupplierCode, r.Description, r.EAN
		rec[3], rec[4] = tabular.FormatCentavos(r.PriceCents), fmt.Sprint(r.MinQty)
		rec[5], rec[6] = r.SKU, r.Name
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}

// ignoredLines are the lines the reader left out (title above the header,
// summary after the data), kept with the table and shown in its preview.
func ignoredLines(rd *tabular.Reader) []model.IgnoredLine {
	var out []model.IgnoredLine
	for _, ig := range rd.Ignored() {
		out = append(out, model.IgnoredLine{Line: ig.Line, Text: ig.Text, Reason: ig.Reason})
	}
	return out
}
