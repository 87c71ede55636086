package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// apiSalesOrder is the JSON shape of a sales order.
type apiSalesOrder struct {
	ID              int64            `json:"id"`
	Platform        string           `json:"platform"`
	PlatformKind    string           `json:"platform_kind"`
	ExternalID      string           `json:"external_id"`
	Number          string           `json:"number"`
	Status          string           `json:"status"`
	ChannelStatus   string           `json:"channel_status"`
	CancelRequested bool             `json:"cancel_requested"`
	Customer        apiOrderCustomer `json:"customer"`
	Delivery        apiOrderDelivery `json:"delivery"`
	ShippingMethod  string           `json:"shipping_method"`
	Carrier         *string          `json:"carrier"`
	TrackingNumber  string           `json:"tracking_number"`
	ItemsCents      int64            `json:"items_cents"`
	ShippingCents   int64            `json:"shipping_cents"`
	DiscountCents   int64            `json:"discount_cents"`
	TotalCents      int64            `json:"total_cents"`
	PlacedAt        time.Time        `json:"placed_at"`
	PaidAt          *time.Time       `json:"paid_at"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
	Items           []apiOrderItem   `json:"items"`
}

type apiOrderCustomer struct {
	Name              string   `json:"name"`
	TradeName         string   `json:"trade_name"`
	PersonType        string   `json:"person_type"`
	Document          string   `json:"document"`
	StateRegistration string   `json:"state_registration"`
	ICMSContributor   bool     `json:"icms_contributor"`
	Suframa           string   `json:"suframa"`
	Email             string   `json:"email"`
	Phones            []string `json:"phones"`
}

type apiOrderDelivery struct {
	Recipient  string `json:"recipient"`
	Street     string `json:"street"`
	Number     string `json:"number"`
	Complement string `json:"complement"`
	Reference  string `json:"reference"`
	District   string `json:"district"`
	CEP        string `json:"cep"`
	City       string `json:"city"`
	State      string `json:"state"`
	Country    string `json:"country"`
	IBGECode   string `json:"ibge_code"`
}

type apiOrderItem struct {
	Line           int    `json:"line"`
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	TotalCents     int64  `json:"total_cents"`
}

type apiOrderEvent struct {
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	Actor   string    `json:"actor"`
}

func toAPISalesOrder(o *model.SalesOrder, p *model.Platform, carriers map[int64]string) apiSalesOrder {
	out := apiSalesOrder{
		ID: o.ID, ExternalID: o.ExternalID, Number: o.Number, Status: string(o.Status),
		ChannelStatus: o.ChannelStatus, CancelRequested: o.CancelRequested,
		Customer: apiOrderCustomer{
			Name: o.CustomerName, TradeName: o.CustomerTradeName, PersonType: string(o.CustomerType),
			Document: o.CustomerDocument, StateRegistration: o.CustomerStateRegistration,
			ICMSContributor: o.CustomerICMSContributor, Suframa: o.CustomerSuframa, Email: o.CustomerEmail,
			Phones: []string{},
		},
		Delivery: apiOrderDelivery{
			Recipient: o.DeliveryRecipient, Street: o.DeliveryStreet, Number: o.DeliveryNumber,
			Complement: o.DeliveryComplement, Reference: o.DeliveryReference, District: o.DeliveryDistrict,
			CEP: o.DeliveryCEP, City: o.DeliveryCity, State: o.DeliveryState, Country: o.DeliveryCountry,
			IBGECode: o.DeliveryIBGECode,
		},
		ShippingMethod: o.ShippingMethod, TrackingNumber: o.TrackingNumber,
		ItemsCents: o.ItemsCents, ShippingCents: o.ShippingCents, DiscountCents: o.DiscountCents, TotalCents: o.TotalCents,
		PlacedAt: o.PlacedAt.UTC(), PaidAt: utc(o.PaidAt), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
		Items: make([]apiOrderItem, 0, len(o.Items)),
	}
	if p != nil {
		out.Platform, out.PlatformKind = p.Name, p.Kind
	}
	for _, ph := range strings.Split(o.CustomerPhones, ",") {
		if ph = strings.TrimSpace(ph); ph != "" {
			out.Customer.Phones = append(out.Customer.Phones, ph)
		}
	}
	if o.CarrierID != nil {
		if name, ok := carriers[*o.CarrierID]; ok {
			out.Carrier = &name
		}
	}
	for _, it := range o.Items {
		out.Items = append(out.Items, apiOrderItem{Line: it.Line, SKU: it.SKU, Name: it.Name, Quantity: it.Quantity,
			UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents})
	}
	return out
}

// handleAPIOrderList is GET /api/v1/orders: sales orders, newest first
// (by id); ?status= filters; ?cursor= pages.
func (s *Server) handleAPIOrderList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f := store.OrderSearch{WithItems: true}
	if st := c.Query("status"); st != "" {
		if !validStatus(st) {
			return apperr.Invalid("Status inválido.", apperr.Detail{Field: "status",
				Message: "Use awaiting_payment, payment_approved, ready_for_handling, handling, invoiced, dispatched, delivered ou cancelled."})
		}
		f.Status = model.SOStatus(st)
	}
	l, err := readAPIList(c, apiOrderSorts)
	if err != nil {
		return err
	}
	f.BeforeID, f.Sort = 1<<63-1, l.Sort // the API's stable order: by id, or keyset by the chosen column
	if l.BeforeID > 0 {
		f.BeforeID = l.BeforeID
	}
	items, _, err := s.store.SearchSalesOrders(ctx, f, store.Page{Size: l.Limit + 1})
	if err != nil {
		return err
	}
	platforms, err := s.store.ListPlatforms(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]*model.Platform, len(platforms))
	for i := range platforms {
		byID[platforms[i].ID] = &platforms[i]
	}
	carriers, err := s.carrierNames(c)
	if err != nil {
		return err
	}
	out := struct {
		Items      []apiSalesOrder `json:"items"`
		NextCursor *string         `json:"next_cursor"`
	}{}
	out.Items, out.NextCursor = apiPage(l, items, func(o *model.SalesOrder) int64 { return o.ID }, func(o *model.SalesOrder) apiSalesOrder { return toAPISalesOrder(o, byID[o.PlatformID], carriers) })
	return c.JSON(out)
}

func (s *Server) carrierNames(c *fiber.Ctx) (map[int64]string, error) {
	list, err := s.store.ListCarriers(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(list))
	for _, cr := range list {
		out[cr.ID] = cr.Name
	}
	return out, nil
}

// handleAPIOrderShow is GET /api/v1/orders/{id}: one order with its items,
// purchase orders (none until that feature lands) and timeline.
func (s *Server) handleAPIOrderShow(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "Pedido de venda não encontrado.")
	}
	d, err := s.store.FindSalesOrderDetail(c.UserContext(), id)
	if err != nil {
		return err
	}
	carriers := map[int64]string{}
	if d.Carrier != nil {
		carriers[d.Carrier.ID] = d.Carrier.Name
	}
	out := apiSalesOrderDetail{
		apiSalesOrder:  toAPISalesOrder(&d.Order, &d.Platform, carriers),
		PurchaseOrders: []any{}, Timeline: make([]apiOrderEvent, 0, len(d.Events)),
	}
	for _, e := range d.Events {
		out.Timeline = append(out.Timeline, apiOrderEvent{At: e.At.UTC(), Kind: e.Kind, Message: e.Message, Actor: e.Actor})
	}
	return c.JSON(out)
}

// apiSalesOrderDetail is one order with its purchase orders and timeline.
type apiSalesOrderDetail struct {
	apiSalesOrder
	// PurchaseOrders come with the purchase order feature; always [] for now.
	PurchaseOrders []any           `json:"purchase_orders"`
	Timeline       []apiOrderEvent `json:"timeline"`
}
