package web

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/store"
)

// apiPurchaseOrder is the JSON shape of a purchase order. History and
// invoices are filled on the detail only.
type apiPurchaseOrder struct {
	Number         string           `json:"number"`
	Status         string           `json:"status"`
	Supplier       apiPOSupplier    `json:"supplier"`
	SalesOrder     apiPOSalesOrder  `json:"sales_order"`
	Customer       apiOrderCustomer `json:"customer"`
	Delivery       apiOrderDelivery `json:"delivery"`
	ShippingMethod string           `json:"shipping_method"`
	Carrier        string           `json:"carrier"`
	FiscalNote     string           `json:"fiscal_note"`
	TotalCents     int64            `json:"total_cents"`
	// PersonalDataMasked: the customer and delivery fields are masked
	// (LGPD: the PO was closed longer ago than the days staff set).
	PersonalDataMasked bool                 `json:"personal_data_masked"`
	PricedAt           time.Time            `json:"priced_at"`
	CreatedAt          time.Time            `json:"created_at"`
	Deadlines          apiPODeadlines       `json:"deadlines"`
	AcknowledgedAt     *time.Time           `json:"acknowledged_at"`
	Backorder          *apiPOBackorder      `json:"backorder"`
	InvoicedAt         *time.Time           `json:"invoiced_at"`
	BookedAt           *time.Time           `json:"booked_at"`
	BilledAt           *time.Time           `json:"billed_at"`
	DispatchedAt       *time.Time           `json:"dispatched_at"`
	ShipDueAt          *time.Time           `json:"ship_due_at"`
	ShippedAt          *time.Time           `json:"shipped_at"`
	DeliveredAt        *time.Time           `json:"delivered_at"`
	CancelledAt        *time.Time           `json:"cancelled_at"`
	CancelReason       string               `json:"cancel_reason"`
	CancelExc          *apiPOCancelExc      `json:"cancel_exception"`
	Items              []apiPOItem          `json:"items"`
	History            []apiOrderEvent      `json:"history,omitempty"`
	Invoices           []apiSupplierInvoice `json:"invoices,omitempty"`
}

type apiPOSupplier struct {
	CNPJ string `json:"cnpj"`
	Name string `json:"name"`
}

type apiPOSalesOrder struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
}

// apiPODeadlines: dispatch_due_at is created_at + the supplier's dispatch hours.
type apiPODeadlines struct {
	DispatchHours int       `json:"dispatch_hours"`
	DispatchDueAt time.Time `json:"dispatch_due_at"`
	Overdue       bool      `json:"overdue"`
}

type apiPOBackorder struct {
	AvailableOn string     `json:"available_on"`
	Reason      string     `json:"reason"`
	DeclaredAt  *time.Time `json:"declared_at"`
}

// apiPOItem: prices are null when no table in force had one (status no_price).
type apiPOItem struct {
	Line           int    `json:"line"`
	SKU            string `json:"sku"`
	SupplierCode   string `json:"supplier_code"`
	EAN            string `json:"ean"`
	NCM            string `json:"ncm"`
	Name           string `json:"name"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents *int64 `json:"unit_price_cents"`
	TotalCents     *int64 `json:"total_cents"`
	PriceTableID   *int64 `json:"price_table_id"`
}

type apiSupplierInvoice struct {
	ID         int64                `json:"id"`
	AccessKey  string               `json:"access_key"`
	Number     int                  `json:"number"`
	Series     int                  `json:"series"`
	IssuedAt   time.Time            `json:"issued_at"`
	TotalCents int64                `json:"total_cents"`
	Status     string               `json:"status"`
	Checks     []model.InvoiceCheck `json:"checks"`
	UploadedAt time.Time            `json:"uploaded_at"`
}

func toAPIPurchaseOrder(po *model.PurchaseOrder, now time.Time) apiPurchaseOrder {
	out := apiPurchaseOrder{
		Number: po.Number, Status: string(po.Status), SalesOrder: apiPOSalesOrder{ID: po.SalesOrderID, Number: po.OrderNumber},
		Customer: apiOrderCustomer{
			Name: po.CustomerName, TradeName: po.CustomerTradeName, PersonType: string(po.CustomerType),
			Document: po.CustomerDocument, StateRegistration: po.CustomerStateRegistration,
			ICMSContributor: po.CustomerICMSContributor, Suframa: po.CustomerSuframa, Email: po.CustomerEmail, Phones: []string{},
		},
		Delivery: apiOrderDelivery{
			Recipient: po.DeliveryRecipient, Street: po.DeliveryStreet, Number: po.DeliveryNumber,
			Complement: po.DeliveryComplement, Reference: po.DeliveryReference, District: po.DeliveryDistrict,
			CEP: po.DeliveryCEP, City: po.DeliveryCity, State: po.DeliveryState, Country: po.DeliveryCountry, IBGECode: po.DeliveryIBGECode,
		},
		PersonalDataMasked: po.PersonalDataMasked,
		ShippingMethod:     po.ShippingMethod, Carrier: po.CarrierName, FiscalNote: po.FiscalNote, TotalCents: po.TotalCents,
		PricedAt: po.PricedAt.UTC(), CreatedAt: po.CreatedAt.UTC(),
		Deadlines:      apiPODeadlines{DispatchHours: po.DispatchHours, DispatchDueAt: po.DueAt.UTC(), Overdue: purchasing.Overdue(po, now)},
		AcknowledgedAt: utc(po.AcknowledgedAt), InvoicedAt: utc(po.InvoicedAt), Items: make([]apiPOItem, 0, len(po.Items)),
		BookedAt: utc(po.BookedAt), BilledAt: utc(po.BilledAt), DispatchedAt: utc(po.DispatchedAt), ShipDueAt: utc(po.ShipDeadline()),
		ShippedAt: utc(po.ShippedAt),
	}
	if po.Supplier != nil {
		out.Supplier = apiPOSupplier{CNPJ: po.Supplier.CNPJ, Name: po.Supplier.DisplayName()}
	}
	for _, ph := range strings.Split(po.CustomerPhones, ",") {
		if ph = strings.TrimSpace(ph); ph != "" {
			out.Customer.Phones = append(out.Customer.Phones, ph)
		}
	}
	out.DeliveredAt, out.CancelledAt, out.CancelReason = utc(po.DeliveredAt), utc(po.CancelledAt), po.CancelReason
	if po.CancelExceptionAt != nil {
		out.CancelExc = &apiPOCancelExc{At: po.CancelExceptionAt.UTC(), Reason: po.CancelExceptionReason,
			ResolvedAt: utc(po.ExceptionResolvedAt), Resolution: po.ExceptionResolution}
	}
	if po.BackorderAvailableOn != "" {
		out.Backorder = &apiPOBackorder{AvailableOn: po.BackorderAvailableOn, Reason: po.BackorderReason, DeclaredAt: utc(po.BackorderedAt)}
	}
	for _, it := range po.Items {
		out.Items = append(out.Items, apiPOItem{Line: it.Line, SKU: it.SKU, SupplierCode: it.SupplierCode, EAN: it.EAN, NCM: it.NCM,
			Name: it.Name, Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents, PriceTableID: it.PriceTableID})
	}
	return out
}

func toAPISupplierInvoice(inv *model.SupplierInvoice) apiSupplierInvoice {
	return apiSupplierInvoice{ID: inv.ID, AccessKey: inv.AccessKey, Number: inv.Number, Series: inv.Series,
		IssuedAt: inv.IssuedAt.UTC(), TotalCents: inv.TotalCents, Status: inv.Status, UploadedAt: inv.UploadedAt.UTC(), Checks: invoiceChecks(inv)}
}

// invoiceChecks decodes the divergences stored with a supplier invoice
// (page and API); never nil.
func invoiceChecks(inv *model.SupplierInvoice) []model.InvoiceCheck {
	var checks []model.InvoiceCheck
	_ = json.Unmarshal([]byte(inv.Report), &checks)
	if checks == nil {
		return []model.InvoiceCheck{}
	}
	return checks
}

// apiPO answers an API action on one PO: its error, or the PO as JSON.
func (s *Server) apiPO(c *fiber.Ctx, po *model.PurchaseOrder, err error) error {
	if err != nil {
		return err
	}
	if err := s.privacy.Protect(c.UserContext(), currentUser(c), model.ViewChannelAPI, c.Path(), po); err != nil {
		return err
	}
	return c.JSON(toAPIPurchaseOrder(po, s.store.Now()))
}

// poViewer is the supplier whose POs the user sees; nil for staff (all).
func poViewer(u *model.User) *int64 {
	if u.Role == model.RoleSupplier {
		if u.SupplierID == nil {
			return new(int64) // a supplier user without supplier sees nothing
		}
		return u.SupplierID
	}
	return nil
}

// handleAPIPurchaseOrderList is GET /api/v1/purchase-orders: newest first;
// ?status= filters, ?supplier_cnpj= narrows (staff), ?cursor= pages.
func (s *Server) handleAPIPurchaseOrderList(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	f := store.PurchaseOrderFilter{SupplierID: poViewer(u)}
	if st := c.Query("status"); st != "" {
		f.Status = model.POStatus(st)
		if !f.Status.Valid() {
			return apperr.Invalid("Status inválido.", apperr.Detail{Field: "status", Message: "Use um dos status de pedido de compra da API (awaiting_supplier, acknowledged, …)."})
		}
	}
	switch c.Query("exception") {
	case "":
	case "cancelled_after_dispatch":
		if u.Role == model.RoleSupplier {
			return apperr.Errorf(apperr.EFORBIDDEN, "A fila de exceções é da equipe da ConnectParts.")
		}
		f.CancelException = true
	default:
		return apperr.Invalid("Fila inválida.", apperr.Detail{Field: "exception", Message: "Use exception=cancelled_after_dispatch."})
	}
	var err error
	if f.SupplierID, err = s.apiSupplierFilter(c); err != nil {
		return err
	}
	l, err := readAPIList(c, apiPOSorts)
	if err != nil {
		return err
	}
	f.BeforeID, f.Sort = l.BeforeID, l.Sort
	items, _, err := s.store.ListPurchaseOrders(ctx, f, store.Page{Size: l.Limit + 1})
	if err != nil {
		return err
	}
	if len(items) > l.Limit { // the extra row only tells whether a next page exists
		if err := s.privacy.ProtectList(ctx, u, model.ViewChannelAPI, c.Path(), items[:l.Limit]); err != nil {
			return err
		}
	} else if err := s.privacy.ProtectList(ctx, u, model.ViewChannelAPI, c.Path(), items); err != nil {
		return err
	}
	now := s.store.Now()
	out := struct {
		Items      []apiPurchaseOrder `json:"items"`
		NextCursor *string            `json:"next_cursor"`
	}{}
	out.Items, out.NextCursor = apiPage(l, items, func(po *model.PurchaseOrder) int64 { return po.ID }, func(po *model.PurchaseOrder) apiPurchaseOrder { return toAPIPurchaseOrder(po, now) })
	return c.JSON(out)
}

// handleAPIPurchaseOrderShow is GET /api/v1/purchase-orders/{number}.
func (s *Server) handleAPIPurchaseOrderShow(c *fiber.Ctx) error {
	po, err := s.purchasing.Find(c.UserContext(), poViewer(currentUser(c)), copyString(c.Params("number")))
	if err != nil {
		return err
	}
	if err := s.privacy.Protect(c.UserContext(), currentUser(c), model.ViewChannelAPI, c.Path(), po); err != nil {
		return err
	}
	out, err := s.apiPurchaseOrderDetail(c, po)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) apiPurchaseOrderDetail(c *fiber.Ctx, po *model.PurchaseOrder) (apiPurchaseOrder, error) {
	ctx := c.UserContext()
	out := toAPIPurchaseOrder(po, s.store.Now())
	evs, err := s.store.ListPurchaseOrderEvents(ctx, po.ID)
	if err != nil {
		return out, err
	}
	out.History = make([]apiOrderEvent, 0, len(evs))
	for _, e := range evs {
		out.History = append(out.History, apiOrderEvent{At: e.At.UTC(), Kind: e.Kind, Message: e.Message, Actor: e.Actor})
	}
	invs, err := s.store.ListSupplierInvoices(ctx, po.ID)
	if err != nil {
		return out, err
	}
	out.Invoices = make([]apiSupplierInvoice, 0, len(invs))
	for i := range invs {
		out.Invoices = append(out.Invoices, toAPISupplierInvoice(&invs[i]))
	}
	return out, nil
}

// supplierOf is the supplier of a user allowed to answer POs.
func supplierOf(u *model.User) (int64, error) {
	if u.SupplierID == nil {
		return 0, apperr.Errorf(apperr.EFORBIDDEN, "Somente fornecedores respondem a pedidos de compra.")
	}
	return *u.SupplierID, nil
}

// handleAPIPurchaseOrderAcknowledge is POST /api/v1/purchase-orders/{number}/acknowledge.
func (s *Server) handleAPIPurchaseOrderAcknowledge(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	po, err := s.purchasing.Acknowledge(c.UserContext(), sid, copyString(c.Params("number")))
	return s.apiPO(c, po, err)
}

// handleAPIPurchaseOrderBackorder is POST /api/v1/purchase-orders/{number}/backorder
// with {"available_on": "YYYY-MM-DD", "reason"}.
func (s *Server) handleAPIPurchaseOrderBackorder(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	var in struct {
		AvailableOn string `json:"available_on"`
		Reason      string `json:"reason"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return apperr.Errorf(apperr.EMALFORMED, "Envie JSON: {\"available_on\": \"AAAA-MM-DD\", \"reason\": \"…\"}.")
	}
	po, err := s.purchasing.Backorder(c.UserContext(), sid, copyString(c.Params("number")), in.AvailableOn, in.Reason)
	return s.apiPO(c, po, err)
}

// apiInvoiceUpload is the 201 answer of an accepted supplier invoice.
type apiInvoiceUpload struct {
	Invoice       apiSupplierInvoice `json:"invoice"`
	NFe           nfe.Report         `json:"nfe"`
	Match         apiInvoiceMatch    `json:"match"`
	PurchaseOrder apiPurchaseOrder   `json:"purchase_order"`
}

type apiInvoiceMatch struct {
	Accepted bool                 `json:"accepted"`
	Checks   []model.InvoiceCheck `json:"checks"`
}

// handleAPIPurchaseOrderInvoice is POST /api/v1/purchase-orders/{number}/invoice,
// the body the NF-e XML: 201 when it matches the PO; 422 listing every
// problem of the file or every divergence (a divergent invoice is kept in
// the PO's history; the PO takes another upload).
func (s *Server) handleAPIPurchaseOrderInvoice(c *fiber.Ctx) error {
	sid, err := supplierOf(currentUser(c))
	if err != nil {
		return err
	}
	body := xmlUploadBody(c)
	res, err := s.purchasing.UploadInvoice(c.UserContext(), sid, copyString(c.Params("number")), body)
	if err != nil {
		return err
	}
	if !res.Accepted() {
		return res.Err()
	}
	if err := s.privacy.Protect(c.UserContext(), currentUser(c), model.ViewChannelAPI, c.Path(), res.PO); err != nil {
		return err
	}
	out := apiInvoiceUpload{
		Invoice: toAPISupplierInvoice(res.Invoice), NFe: nfe.NewReport("", res.Document, nil),
		Match: apiInvoiceMatch{Accepted: true, Checks: []model.InvoiceCheck{}}, PurchaseOrder: toAPIPurchaseOrder(res.PO, s.store.Now()),
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}
