package mercadolivre

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// idString reads ids Mercado Livre sends as numbers in some payloads and as
// strings in others (buyer.id is 266272126 in one example, "123456789" in
// another); null is "".
type idString string

func (s *idString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = idString(v)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = idString(n.String())
	}
	return nil
}

type mlOrder struct {
	ID              idString    `json:"id"`
	Status          string      `json:"status"`
	DateCreated     string      `json:"date_created"`
	LastUpdated     string      `json:"last_updated"`
	DateLastUpdated string      `json:"date_last_updated"`
	PackID          idString    `json:"pack_id"`
	TotalAmount     json.Number `json:"total_amount"`
	ShippingCost    json.Number `json:"shipping_cost"`
	Coupon          struct {
		Amount json.Number `json:"amount"`
	} `json:"coupon"`
	OrderItems []struct {
		Item struct {
			ID                  string   `json:"id"`
			Title               string   `json:"title"`
			VariationID         idString `json:"variation_id"`
			SellerSKU           string   `json:"seller_sku"`
			SellerCustomField   string   `json:"seller_custom_field"`
			VariationAttributes []struct {
				Name      string `json:"name"`
				ValueName string `json:"value_name"`
			} `json:"variation_attributes"`
		} `json:"item"`
		Quantity  json.Number `json:"quantity"`
		UnitPrice json.Number `json:"unit_price"`
	} `json:"order_items"`
	Payments []struct {
		Status       string      `json:"status"`
		DateApproved string      `json:"date_approved"`
		ShippingCost json.Number `json:"shipping_cost"`
	} `json:"payments"`
	Shipping struct {
		ID idString `json:"id"`
	} `json:"shipping"`
	Buyer struct {
		ID          idString `json:"id"`
		Nickname    string   `json:"nickname"`
		FirstName   string   `json:"first_name"`
		LastName    string   `json:"last_name"`
		BillingInfo struct {
			ID idString `json:"id"`
		} `json:"billing_info"`
	} `json:"buyer"`
}

// updatedAt is date_last_updated, or last_updated for payloads without it
// (the GET order example has only last_updated).
func (o *mlOrder) updatedAt() time.Time {
	if o.DateLastUpdated != "" {
		return platform.ParseTime(o.DateLastUpdated)
	}
	return platform.ParseTime(o.LastUpdated)
}

type namedRef struct {
	ID   idString `json:"id"`
	Name string   `json:"name"`
}

type mlShipment struct {
	ID             idString `json:"id"`
	Status         string   `json:"status"`
	Substatus      string   `json:"substatus"`
	TrackingNumber string   `json:"tracking_number"`
	TrackingMethod string   `json:"tracking_method"`
	Logistic       struct {
		Mode string `json:"mode"`
		Type string `json:"type"`
	} `json:"logistic"`
	Destination struct {
		ReceiverName    string `json:"receiver_name"`
		ReceiverPhone   string `json:"receiver_phone"`
		ShippingAddress struct {
			StreetName   string   `json:"street_name"`
			StreetNumber idString `json:"street_number"`
			Comment      string   `json:"comment"`
			ZipCode      string   `json:"zip_code"`
			City         namedRef `json:"city"`
			State        namedRef `json:"state"`
			Country      namedRef `json:"country"`
			Neighborhood namedRef `json:"neighborhood"`
		} `json:"shipping_address"`
	} `json:"destination"`
	LeadTime struct {
		ShippingMethod struct {
			Name string `json:"name"`
		} `json:"shipping_method"`
	} `json:"lead_time"`
}

type mlBilling struct {
	Buyer struct {
		BillingInfo struct {
			Name           string `json:"name"`
			LastName       string `json:"last_name"`
			Identification struct {
				Type   string   `json:"type"`
				Number idString `json:"number"`
			} `json:"identification"`
			Taxes struct {
				Inscriptions json.RawMessage `json:"inscriptions"`
				TaxpayerType struct {
					Description string `json:"description"`
				} `json:"taxpayer_type"`
			} `json:"taxes"`
			Attributes struct {
				CustType string `json:"cust_type"`
			} `json:"attributes"`
		} `json:"billing_info"`
	} `json:"buyer"`
}

type searchResponse struct {
	Results []mlOrder `json:"results"`
	Paging  struct {
		Total  int `json:"total"`
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	} `json:"paging"`
}

// mlTime formats a search bound as the docs write them:
// 2015-07-01T00:00:00.000-00:00.
func mlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000") + "-00:00" }

// Changes searches the seller's orders by date_last_updated in the window
// [cursor − Overlap, now − Lag] (the first window starts InitialLookback ago),
// sort=date_asc, 50 per page. The overlap re-reads the edge of the previous
// window on purpose (an order updated while the previous search ran is not
// lost); repeats are de-duplicated within the batch and the engine is
// idempotent across batches. When the window holds more than
// MaxWindowResults orders it is halved until it fits and the cursor stops at
// its end; the next call continues from there. Batch.Cursor is the window's
// upper bound (RFC 3339); an unreadable cursor counts as none.
func (c *Client) Changes(ctx context.Context, cursor string) (platform.Batch, error) {
	to := c.cfg.Clock.Now().UTC().Add(-c.cfg.Lag)
	from := to.Add(-c.cfg.InitialLookback)
	if cursor != "" {
		if t, err := time.Parse(time.RFC3339Nano, cursor); err == nil {
			from = t.Add(-c.cfg.Overlap)
		}
	}
	if !from.Before(to) {
		return platform.Batch{Cursor: cursor}, nil
	}
	for {
		page, err := c.search(ctx, from, to, 0)
		if err != nil {
			return platform.Batch{}, err
		}
		if page.Paging.Total > c.cfg.MaxWindowResults && to.Sub(from) > time.Minute {
			to = from.Add(to.Sub(from) / 2)
			continue
		}
		var b platform.Batch
		seen := map[string]bool{}
		offset := 0
		for {
			for _, o := range page.Results {
				id := string(o.ID)
				if id == "" || seen[id] {
					continue
				}
				seen[id] = true
				b.Changes = append(b.Changes, platform.Change{
					ExternalID: id, ChannelStatus: o.Status, ChangedAt: o.updatedAt(),
				})
			}
			offset += len(page.Results)
			if len(page.Results) == 0 || offset >= page.Paging.Total {
				break
			}
			if page, err = c.search(ctx, from, to, offset); err != nil {
				return platform.Batch{}, err
			}
		}
		b.Cursor = to.Format(time.RFC3339Nano)
		return b, nil
	}
}

func (c *Client) search(ctx context.Context, from, to time.Time, offset int) (*searchResponse, error) {
	const op = "search_orders"
	q := url.Values{
		"seller":                       {c.cfg.SellerID},
		"order.date_last_updated.from": {mlTime(from)},
		"order.date_last_updated.to":   {mlTime(to)},
		"sort":                         {"date_asc"},
		"offset":                       {strconv.Itoa(offset)},
		"limit":                        {strconv.Itoa(c.cfg.PageSize)},
	}
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: "/orders/search?" + q.Encode()})
	if err != nil {
		return nil, err
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	var s searchResponse
	if err := c.call.Decode(op, resp, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Ack does nothing: for Mercado Livre the stored cursor is the acknowledgement.
func (c *Client) Ack(context.Context, []platform.Change) error { return nil }

// GetOrder reads the order, its shipment (x-format-new) and the buyer's fiscal
// data. An order in a pack of several orders comes back as the whole pack
// (packs.go): the lead order's id, every order's items, the pack's shipment. The buyer's fiscal data come from /orders/billing-info/{site}/{id} when
// the order carries buyer.billing_info.id, else from the older
// /orders/{id}/billing_info with x-version: 2. Mercado Livre does not always
// have them (404): the order is returned without document then. A shipment
// that answers 404 is likewise left out (no address, no shipping method: the
// engine blocks the import for want of a carrier mapping).
func (c *Client) GetOrder(ctx context.Context, externalID string) (*platform.Order, error) {
	o, resp, err := c.fetchOrder(ctx, externalID)
	if err != nil {
		return nil, err
	}
	if o, err = c.withPack(ctx, o); err != nil {
		return nil, err
	}
	var sh *mlShipment
	if o.Shipping.ID != "" {
		if sh, err = c.fetchShipment(ctx, string(o.Shipping.ID)); err != nil && platform.KindOf(err) != platform.ErrNotFound {
			return nil, err
		}
	}
	bi, err := c.fetchBilling(ctx, o)
	if err != nil && platform.KindOf(err) != platform.ErrNotFound {
		return nil, err
	}
	out, perr := toOrder(o, sh, bi)
	if perr != nil {
		return nil, c.call.Invalid("get_order", resp, perr.Error())
	}
	return out, nil
}

func (c *Client) fetchOrder(ctx context.Context, id string) (*mlOrder, *platform.Response, error) {
	const op = "get_order"
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: "/orders/" + url.PathEscape(id)})
	if err != nil {
		return nil, nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, nil, c.call.NotFound(op, fmt.Sprintf("Venda %s não encontrada no Mercado Livre.", id), resp)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, nil, err
	}
	var o mlOrder
	if err := c.call.Decode(op, resp, &o); err != nil {
		return nil, nil, err
	}
	if o.ID == "" || o.Status == "" {
		return nil, nil, c.call.Invalid(op, resp, "venda sem id ou status")
	}
	return &o, resp, nil
}

func (c *Client) fetchShipment(ctx context.Context, id string) (*mlShipment, error) {
	const op = "get_shipment"
	h := http.Header{}
	h.Set("x-format-new", "true")
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: "/shipments/" + url.PathEscape(id), header: h})
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, c.call.NotFound(op, fmt.Sprintf("Envio %s não encontrado no Mercado Livre.", id), resp)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	var sh mlShipment
	if err := c.call.Decode(op, resp, &sh); err != nil {
		return nil, err
	}
	return &sh, nil
}

func (c *Client) fetchBilling(ctx context.Context, o *mlOrder) (*mlBilling, error) {
	const op = "get_billing_info"
	h := http.Header{}
	path := "/orders/billing-info/" + url.PathEscape(c.cfg.SiteID) + "/" + url.PathEscape(string(o.Buyer.BillingInfo.ID))
	if o.Buyer.BillingInfo.ID == "" {
		path = "/orders/" + url.PathEscape(string(o.ID)) + "/billing_info"
		h.Set("x-version", "2")
	}
	resp, err := c.api(ctx, apiRequest{op: op, method: http.MethodGet, path: path, header: h})
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, c.call.NotFound(op, "Dados fiscais do comprador não disponíveis no Mercado Livre.", resp)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	var bi mlBilling
	if err := c.call.Decode(op, resp, &bi); err != nil {
		return nil, err
	}
	return &bi, nil
}

// ParseOrder translates the payloads of GET /orders/{id}, GET /shipments/{id}
// (x-format-new) and the billing info (the last two may be nil). Exported for
// tests and tools.
func ParseOrder(order, shipment, billing []byte) (*platform.Order, error) {
	call := platform.Caller{Platform: model.PlatformMercadoLivre}
	var o mlOrder
	if err := call.Decode("parse_order", &platform.Response{Status: 200, Body: order}, &o); err != nil {
		return nil, err
	}
	var sh *mlShipment
	if shipment != nil {
		sh = new(mlShipment)
		if err := call.Decode("parse_shipment", &platform.Response{Status: 200, Body: shipment}, sh); err != nil {
			return nil, err
		}
	}
	var bi *mlBilling
	if billing != nil {
		bi = new(mlBilling)
		if err := call.Decode("parse_billing_info", &platform.Response{Status: 200, Body: billing}, bi); err != nil {
			return nil, err
		}
	}
	out, err := toOrder(&o, sh, bi)
	if err != nil {
		return nil, call.Invalid("parse_order", nil, err.Error())
	}
	return out, nil
}

// toOrder maps the three payloads onto the neutral Order. Choices:
//   - Money: every amount is converted from the JSON number's text with
//     platform.CentsFromDecimal (exact, no float). ItemsCents is
//     total_amount, ShippingCents the order's shipping_cost (else the sum of
//     the approved payments' shipping_cost), DiscountCents coupon.amount,
//     TotalCents ItemsCents + ShippingCents.
//   - Items: SKU is item.seller_sku (the SELLER_SKU attribute), else
//     seller_custom_field; "" when the listing has neither.
//   - ShippingMethod is the shipment's logistic.type (CONTRACT.md); Carrier
//     the shipment's tracking_method, else lead_time.shipping_method.name.
//   - Address from destination.shipping_address; the state comes as
//     "BR-RJ" (or a name) and becomes "RJ". Mercado Livre gives no IBGE code
//     and hides the address until payment is confirmed.
//   - Customer from the billing info (identification CPF/CNPJ, taxes.
//     inscriptions.state_registration, taxpayer_type "Contribuinte" → ICMS
//     contributor); without it, the buyer's first/last name. Mercado Livre
//     does not share buyers' e-mails; receiver_phone exists for ME1 only.
func toOrder(o *mlOrder, sh *mlShipment, bi *mlBilling) (*platform.Order, error) {
	out := &platform.Order{
		Platform:   model.PlatformMercadoLivre,
		ExternalID: string(o.ID),
		Number:     string(o.PackID),
		CreatedAt:  platform.ParseTime(o.DateCreated),
		UpdatedAt:  o.updatedAt(),
	}

	var shipStatus, shipSub string
	if sh != nil {
		shipStatus, shipSub = sh.Status, sh.Substatus
	}
	out.ChannelStatus = channelStatus(o.Status, shipStatus, shipSub)
	out.Status, out.Reserve, _ = MapStatus(o.Status, shipStatus, shipSub)
	if sh != nil {
		out.Logistics = logistics(sh.Logistic.Mode, sh.Logistic.Type)
		switch {
		case out.Logistics == model.LogisticsPlatformFulfils:
			// Full: the units sold are in Mercado Livre's warehouse, not the
			// supplier's; nothing to reserve.
			out.Reserve = false
		case sh.Logistic.Type == LogisticSelfService && out.Status == model.SOInvoiced:
			// Flex: Mercado Livre does not wait for an NF-e before
			// ready_to_ship, so ready_to_ship is not "invoiced" — the order
			// is invoiced when ConnectParts bills it.
			out.Status = model.SOReadyForHandling
		}
	}

	var err error
	if out.ItemsCents, err = cents("total_amount", o.TotalAmount); err != nil {
		return nil, err
	}
	if o.ShippingCost != "" {
		if out.ShippingCents, err = cents("shipping_cost", o.ShippingCost); err != nil {
			return nil, err
		}
	} else {
		for _, p := range o.Payments {
			if p.Status != "approved" {
				continue
			}
			v, err := cents("payments.shipping_cost", p.ShippingCost)
			if err != nil {
				return nil, err
			}
			out.ShippingCents += v
		}
	}
	if out.DiscountCents, err = cents("coupon.amount", o.Coupon.Amount); err != nil {
		return nil, err
	}
	out.TotalCents = out.ItemsCents + out.ShippingCents
	for _, p := range o.Payments {
		if p.Status == "approved" {
			if t := platform.ParseTime(p.DateApproved); !t.IsZero() {
				out.PaidAt = &t
				break
			}
		}
	}

	for _, it := range o.OrderItems {
		qty, err := strconv.ParseInt(it.Quantity.String(), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("quantidade inválida %q", it.Quantity)
		}
		unit, err := cents("unit_price", it.UnitPrice)
		if err != nil {
			return nil, err
		}
		sku := strings.TrimSpace(it.Item.SellerSKU)
		if sku == "" {
			sku = strings.TrimSpace(it.Item.SellerCustomField)
		}
		var attrs []string
		for _, a := range it.Item.VariationAttributes {
			attrs = append(attrs, a.Name+": "+a.ValueName)
		}
		out.Items = append(out.Items, platform.Item{
			SKU:            sku,
			PlatformItemID: it.Item.ID,
			VariationID:    string(it.Item.VariationID),
			Name:           it.Item.Title,
			Variation:      strings.Join(attrs, ", "),
			Quantity:       qty,
			UnitCents:      unit,
			TotalCents:     unit * qty,
		})
	}

	out.ShipmentID = string(o.Shipping.ID)
	if sh != nil {
		out.ShippingMethod = sh.Logistic.Type
		out.Carrier = sh.TrackingMethod
		if out.Carrier == "" {
			out.Carrier = sh.LeadTime.ShippingMethod.Name
		}
		out.TrackingNumber = sh.TrackingNumber
		d := sh.Destination
		a := d.ShippingAddress
		state := string(a.State.ID)
		if !strings.HasPrefix(strings.ToUpper(state), "BR-") {
			state = a.State.Name
		}
		out.Address = platform.Address{
			Recipient:  d.ReceiverName,
			Street:     a.StreetName,
			Number:     string(a.StreetNumber),
			Complement: a.Comment,
			District:   a.Neighborhood.Name,
			CEP:        platform.DigitsOnly(a.ZipCode),
			City:       a.City.Name,
			State:      platform.StateUF(state),
			Country:    platform.NormalizeCountry(string(a.Country.ID)),
		}
		if p := strings.TrimSpace(d.ReceiverPhone); p != "" {
			out.Customer.Phones = []string{p}
		}
	}

	cu := &out.Customer
	cu.Name = strings.TrimSpace(o.Buyer.FirstName + " " + o.Buyer.LastName)
	if bi != nil {
		b := bi.Buyer.BillingInfo
		if n := strings.TrimSpace(b.Name + " " + b.LastName); n != "" {
			cu.Name = n
		}
		cu.Document = platform.NormalizeDocument(string(b.Identification.Number))
		switch strings.ToUpper(b.Identification.Type) {
		case "CNPJ":
			cu.Type = model.PersonCompany
		case "CPF":
			cu.Type = model.PersonIndividual
		default:
			switch b.Attributes.CustType {
			case "BU":
				cu.Type = model.PersonCompany
			case "CO":
				cu.Type = model.PersonIndividual
			default:
				cu.Type = platform.DocumentPersonType(cu.Document)
			}
		}
		cu.StateRegistration = stateRegistration(b.Taxes.Inscriptions)
		cu.ICMSContributor = platform.Fold(b.Taxes.TaxpayerType.Description) == "contribuinte"
	}
	if cu.Name == "" {
		cu.Name = o.Buyer.Nickname
	}
	return out, nil
}

// stateRegistration reads taxes.inscriptions, documented as an object
// {"state_registration": …}; a list of such objects is accepted too.
func stateRegistration(raw json.RawMessage) string {
	type insc struct {
		StateRegistration idString `json:"state_registration"`
	}
	var one insc
	if json.Unmarshal(raw, &one) == nil && one.StateRegistration != "" {
		return strings.TrimSpace(string(one.StateRegistration))
	}
	var many []insc
	if json.Unmarshal(raw, &many) == nil {
		for _, i := range many {
			if i.StateRegistration != "" {
				return strings.TrimSpace(string(i.StateRegistration))
			}
		}
	}
	return ""
}

func cents(field string, n json.Number) (int64, error) {
	if n == "" {
		return 0, nil
	}
	v, err := platform.CentsFromDecimal(n.String())
	if err != nil {
		return 0, fmt.Errorf("valor inválido em %s: %q", field, n)
	}
	return v, nil
}
