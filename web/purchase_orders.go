package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handlePurchaseOrderList is the inbox: a supplier's own POs, or every
// supplier's for staff (?supplier= narrows), by status, searched by number.
func (s *Server) handlePurchaseOrderList(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	p := views.PurchaseOrderListProps{
		Query: copyString(strings.TrimSpace(c.Query("q"))), Status: copyString(c.Query("status")),
		IsSupplier: u.Role == model.RoleSupplier, Now: s.store.Now(), CanFiscal: u.Can(model.PermFiscalPurchaseOrders),
	}
	f := store.PurchaseOrderFilter{SupplierID: poViewer(u), Query: p.Query, Sort: sortFromQuery(c, poSortColumns)}
	if st := model.POStatus(p.Status); st.Valid() {
		f.Status = st
	} else {
		p.Status = ""
	}
	if !p.IsSupplier {
		p.SupplierID = copyString(c.Query("supplier"))
		if id, err := strconv.ParseInt(p.SupplierID, 10, 64); err == nil {
			f.SupplierID = &id
		}
		var err error
		if p.Suppliers, err = s.store.AllSuppliers(ctx); err != nil {
			return err
		}
	}
	p.Period = poPeriodFromQuery(c, &f)
	if fm, ok := exportFormat(c); ok {
		return s.exportPurchaseOrders(c, fm, f, u)
	}
	counts, err := s.store.CountPurchaseOrderTabs(ctx, f.SupplierID)
	if err != nil {
		return err
	}
	for _, st := range model.POStatuses {
		p.Counts = append(p.Counts, views.POStatusCount{Status: st, Count: counts.ByStatus[st]})
	}
	p.Total, p.Cap = counts.Total, store.ListCountCap
	page := pageFromQuery(c)
	rows, total, err := s.store.ListPurchaseOrders(ctx, f, page)
	if err != nil {
		return err
	}
	if err := s.privacy.ProtectList(ctx, u, model.ViewChannelPage, c.Path(), rows); err != nil {
		return err
	}
	p.Rows, p.Pager = rows, pager(c, page, total)
	return s.render(c, views.PurchaseOrderListPage(p))
}

// purchaseOrderProps loads one PO as the user may see it (another
// supplier's is a 404), with its history and invoices.
func (s *Server) purchaseOrderProps(c *fiber.Ctx) (views.PurchaseOrderProps, error) {
	u := currentUser(c)
	ctx := c.UserContext()
	po, err := s.purchasing.Find(ctx, poViewer(u), copyString(c.Params("number")))
	if err != nil {
		return views.PurchaseOrderProps{}, err
	}
	if err := s.privacy.Protect(ctx, u, model.ViewChannelPage, c.Path(), po); err != nil {
		return views.PurchaseOrderProps{}, err
	}
	p := views.PurchaseOrderProps{PO: *po, IsSupplier: u.Role == model.RoleSupplier, Now: s.store.Now(),
		CanAnswer:   u.Can(model.PermAnswerPurchaseOrders) && u.SupplierID != nil && *u.SupplierID == po.SupplierID,
		CanFiscal:   u.Can(model.PermFiscalPurchaseOrders),
		CanDispatch: u.Can(model.PermDispatchOrders), CanManage: u.Can(model.PermManagePurchaseOrders)}
	if po.BilledAt != nil {
		if p.Billing, err = s.store.FindBillingInvoice(ctx, po.ID); err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
			return p, err
		}
	}
	if po.ShippedAt != nil {
		if p.Shipment, err = s.store.FindPOShipment(ctx, po.ID); err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
			return p, err
		}
	}
	if p.PlatformShipping, err = s.purchasing.UsesPlatformLabel(ctx, po); err != nil {
		return p, err
	}
	if p.PlatformShipping {
		if p.PlatformLabels, err = s.purchasing.PlatformLabels(ctx, poViewer(u), po.Number); err != nil {
			return p, err
		}
	}
	if p.Events, err = s.store.ListPurchaseOrderEvents(ctx, po.ID); err != nil {
		return p, err
	}
	invs, err := s.store.ListSupplierInvoices(ctx, po.ID)
	if err != nil {
		return p, err
	}
	for i := range invs {
		p.Invoices = append(p.Invoices, views.InvoiceView{Invoice: invs[i], Checks: invoiceChecks(&invs[i])})
	}
	return p, nil
}

func (s *Server) handlePurchaseOrderShow(c *fiber.Ctx) error {
	p, err := s.purchaseOrderProps(c)
	if err != nil {
		return err
	}
	var r poUploadReport
	if found, err := s.uploadReport(c, model.UploadReportPurchaseOrder, &r); err != nil {
		return err
	} else if found && r.Number == p.PO.Number {
		p.Upload, p.Carrier, p.TrackingCode = &r.Upload, r.Carrier, r.TrackingCode
	}
	return s.render(c, views.PurchaseOrderPage(p))
}

func poURL(c *fiber.Ctx) string { return "/purchase-orders/" + copyString(c.Params("number")) }

// handlePurchaseOrderAcknowledge is the supplier accepting the PO.
func (s *Server) handlePurchaseOrderAcknowledge(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	po, err := s.purchasing.Acknowledge(c.UserContext(), sid, copyString(c.Params("number")))
	switch {
	case apperr.Is(err, apperr.ECONFLICT):
		return redirectWith(c, poURL(c), "error", apperr.Message(err))
	case err != nil:
		return err
	}
	return redirectWith(c, "/purchase-orders/"+po.Number, "success", "Pedido "+po.Number+" aceito.")
}

// handlePurchaseOrderBackorder is the supplier declaring no stock.
func (s *Server) handlePurchaseOrderBackorder(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	date, reason := copyString(c.FormValue("available_on")), copyString(c.FormValue("reason"))
	po, err := s.purchasing.Backorder(c.UserContext(), sid, copyString(c.Params("number")), date, reason)
	switch {
	case apperr.Is(err, apperr.EINVALID):
		p, perr := s.purchaseOrderProps(c)
		if perr != nil {
			return perr
		}
		p.Error, p.Errors = fieldErrors(err)
		p.AvailableOn, p.Reason = date, reason
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.PurchaseOrderPage(p))
	case apperr.Is(err, apperr.ECONFLICT):
		return redirectWith(c, poURL(c), "error", apperr.Message(err))
	case err != nil:
		return err
	}
	return redirectWith(c, "/purchase-orders/"+po.Number, "success", "Falta de estoque informada à ConnectParts.")
}

// handlePurchaseOrderInvoice uploads the supplier's NF-e XML and shows the
// match: accepted, divergent (line by line) or refused (every problem).
func (s *Server) handlePurchaseOrderInvoice(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	data, err := readFormFile(c, "xml", nfe.DefaultMaxBytes)
	switch {
	case err != nil:
		return err
	case data == nil:
		return s.renderPOUpload(c, noInvoiceFile)
	}
	res, err := s.purchasing.UploadInvoice(c.UserContext(), sid, copyString(c.Params("number")), data)
	switch {
	case err != nil:
		return s.renderPOUploadError(c, err)
	case !res.Accepted():
		return s.renderPOUpload(c, views.InvoiceUploadResult{Message: apperr.Message(res.Err()), Checks: res.Checks})
	}
	// Post/Redirect/Get: a refresh must not send the file again, and the
	// address bar must name the PO, not the upload (which has no GET).
	return redirectWith(c, "/purchase-orders/"+copyString(c.Params("number")), "success",
		"NF-e nº "+strconv.Itoa(res.Invoice.Number)+" conferida com o pedido: total "+format.Money(res.Invoice.TotalCents)+".")
}

// noInvoiceFile answers an NF-e upload form sent without its file.
var noInvoiceFile = views.InvoiceUploadResult{Message: "Escolha o arquivo XML da NF-e."}

// uploadRefusal is how the PO page shows a file it refused: the message and
// every problem. ok is false for an error that is not the user's, which goes
// to the error page.
func uploadRefusal(err error) (up views.InvoiceUploadResult, ok bool) {
	if !isUserError(err) && !apperr.Is(err, apperr.ETOOLARGE) {
		return up, false
	}
	return views.InvoiceUploadResult{Message: apperr.Message(err), Problems: apperr.Details(err)}, true
}

// poUploadReport is what the PO page shows after a refused upload on it:
// the result, and the shipment form's values to fill in again.
type poUploadReport struct {
	Number       string                    `json:"number"`
	Upload       views.InvoiceUploadResult `json:"upload"`
	Carrier      string                    `json:"carrier,omitempty"`
	TrackingCode string                    `json:"tracking_code,omitempty"`
}

// renderPOUploadError shows a refused upload on the PO page (see
// uploadRefusal), after a redirect.
func (s *Server) renderPOUploadError(c *fiber.Ctx, err error) error {
	up, ok := uploadRefusal(err)
	if !ok {
		return err
	}
	return s.renderPOUpload(c, up)
}

// renderPOUpload answers an upload on the PO page with its result:
// Post/Redirect/Get, so a refresh sends nothing again and the address bar
// names the PO (the upload's own address has no page, or is the DANFE).
func (s *Server) renderPOUpload(c *fiber.Ctx, up views.InvoiceUploadResult) error {
	return s.redirectPOReport(c, poUploadReport{Upload: up})
}

func (s *Server) redirectPOReport(c *fiber.Ctx, r poUploadReport) error {
	// A PO the user may not see is a 404, whatever the upload's fault was.
	po, err := s.purchasing.Find(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")))
	if err != nil {
		return err
	}
	r.Number = po.Number
	return s.redirectWithReport(c, "/purchase-orders/"+r.Number, model.UploadReportPurchaseOrder, r)
}
