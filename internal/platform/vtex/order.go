package vtex

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// vtexOrder holds the fields of GET /api/oms/pvt/orders/{orderId} the portal
// uses. Money fields are integer cents in the VTEX API.
type vtexOrder struct {
	OrderID        string `json:"orderId"`
	Sequence       string `json:"sequence"`
	Status         string `json:"status"`
	Value          int64  `json:"value"`
	CreationDate   string `json:"creationDate"`
	LastChange     string `json:"lastChange"`
	AuthorizedDate string `json:"authorizedDate"`
	CancelReason   string `json:"cancelReason"`
	Totals         []struct {
		ID    string `json:"id"`
		Value int64  `json:"value"`
	} `json:"totals"`
	ClientProfileData *struct {
		Email             string `json:"email"`
		FirstName         string `json:"firstName"`
		LastName          string `json:"lastName"`
		DocumentType      string `json:"documentType"`
		Document          string `json:"document"`
		Phone             string `json:"phone"`
		CorporateName     string `json:"corporateName"`
		TradeName         string `json:"tradeName"`
		CorporateDocument string `json:"corporateDocument"`
		StateInscription  string `json:"stateInscription"`
		CorporatePhone    string `json:"corporatePhone"`
		IsCorporate       bool   `json:"isCorporate"`
	} `json:"clientProfileData"`
	ShippingData *struct {
		Address       *vtexAddress `json:"address"`
		LogisticsInfo []struct {
			ItemIndex       int    `json:"itemIndex"`
			SelectedSla     string `json:"selectedSla"`
			DeliveryCompany string `json:"deliveryCompany"`
			DeliveryIDs     []struct {
				CourierName string `json:"courierName"`
			} `json:"deliveryIds"`
		} `json:"logisticsInfo"`
	} `json:"shippingData"`
	Items []struct {
		ID              string `json:"id"`
		RefID           string `json:"refId"`
		Name            string `json:"name"`
		Quantity        int64  `json:"quantity"`
		Price           int64  `json:"price"`
		SellingPrice    int64  `json:"sellingPrice"`
		IsGift          bool   `json:"isGift"`
		PriceDefinition *struct {
			CalculatedSellingPrice int64 `json:"calculatedSellingPrice"`
			Total                  int64 `json:"total"`
		} `json:"priceDefinition"`
	} `json:"items"`
	PackageAttachment *struct {
		Packages []struct {
			Type           string `json:"type"`
			InvoiceNumber  string `json:"invoiceNumber"`
			Courier        string `json:"courier"`
			TrackingNumber string `json:"trackingNumber"`
			TrackingURL    string `json:"trackingUrl"`
			CourierStatus  *struct {
				Finished      bool   `json:"finished"`
				DeliveredDate string `json:"deliveredDate"`
			} `json:"courierStatus"`
		} `json:"packages"`
	} `json:"packageAttachment"`
}

type vtexAddress struct {
	ReceiverName string `json:"receiverName"`
	PostalCode   string `json:"postalCode"`
	City         string `json:"city"`
	State        string `json:"state"`
	Country      string `json:"country"`
	Street       string `json:"street"`
	Number       string `json:"number"`
	Neighborhood string `json:"neighborhood"`
	Complement   string `json:"complement"`
	Reference    string `json:"reference"`
}

// GetOrder fetches an order, waiting on the Get-order token bucket first.
func (c *Client) GetOrder(ctx context.Context, externalID string) (*platform.Order, error) {
	raw, err := c.fetchOrder(ctx, externalID)
	if err != nil {
		return nil, err
	}
	return toOrder(raw), nil
}

func (c *Client) fetchOrder(ctx context.Context, id string) (*vtexOrder, error) {
	const op = "get_order"
	if err := c.getOrder.Wait(ctx); err != nil {
		return nil, err
	}
	resp, err := c.request(ctx, op, http.MethodGet, orderPath(id, ""), nil, false)
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, c.call.NotFound(op, fmt.Sprintf("Pedido %s não encontrado na VTEX.", id), resp)
	}
	if err := c.call.Check(op, resp); err != nil {
		return nil, err
	}
	return decodeOrder(&c.call, op, resp)
}

// decodeOrder reads a GET order answer; an order without id or status is
// ErrInvalidResponse.
func decodeOrder(call *platform.Caller, op string, resp *platform.Response) (*vtexOrder, error) {
	var o vtexOrder
	if err := call.Decode(op, resp, &o); err != nil {
		return nil, err
	}
	if o.OrderID == "" || o.Status == "" {
		return nil, call.Invalid(op, resp, "pedido sem orderId ou status")
	}
	return &o, nil
}

// ParseOrder translates a GET order payload (exported for tests and tools).
func ParseOrder(body []byte) (*platform.Order, error) {
	o, err := decodeOrder(&platform.Caller{Platform: model.PlatformVTEX}, "parse_order",
		&platform.Response{Status: http.StatusOK, Body: body})
	if err != nil {
		return nil, err
	}
	return toOrder(o), nil
}

// toOrder maps a VTEX order onto the neutral Order. Choices:
//   - Status from MapStatus; an "invoiced" order whose (Output) package has a
//     tracking number is dispatched, and delivered once courierStatus says
//     finished with a deliveredDate (VTEX has no workflow status after
//     invoiced). Input packages are return invoices and are ignored.
//   - Totals from the "totals" array (Items, Shipping, Discounts — negative in
//     VTEX, kept positive here); TotalCents from "value".
//   - Item unit price and total from priceDefinition (price after discounts)
//     when present, else sellingPrice × quantity. unitMultiplier is ignored:
//     the catalog sells whole units.
//   - ShippingMethod is the first non-empty selectedSla by item index (orders
//     mixing SLAs are keyed on the first); Carrier is the courierName of the
//     delivery, else deliveryCompany.
//   - Customer: isCorporate → PJ with corporateName/corporateDocument/
//     stateInscription; VTEX has no ICMS-contributor flag, so a company with
//     a state registration other than "ISENTO" is taken as a contributor.
//     VTEX has no SUFRAMA field and no IBGE code.
func toOrder(o *vtexOrder) *platform.Order {
	out := &platform.Order{
		Platform:      model.PlatformVTEX,
		ExternalID:    o.OrderID,
		Number:        o.Sequence,
		ChannelStatus: o.Status,
		TotalCents:    o.Value,
		CreatedAt:     platform.ParseTime(o.CreationDate),
		UpdatedAt:     platform.ParseTime(o.LastChange),
	}
	out.Status, out.Reserve, _ = MapStatus(o.Status)
	out.CancelRequested = cancelRequests[o.Status]
	if out.Status == model.SOCancelled {
		out.CancelReason = o.CancelReason
	}
	if t := platform.ParseTime(o.AuthorizedDate); !t.IsZero() {
		out.PaidAt = &t
	}
	for _, t := range o.Totals {
		switch t.ID {
		case "Items":
			out.ItemsCents = t.Value
		case "Shipping":
			out.ShippingCents = t.Value
		case "Discounts":
			out.DiscountCents = abs(t.Value)
		}
	}

	if p := o.ClientProfileData; p != nil {
		cu := &out.Customer
		cu.Email = p.Email
		if p.IsCorporate {
			cu.Type = model.PersonCompany
			cu.Name = strings.TrimSpace(p.CorporateName)
			cu.TradeName = strings.TrimSpace(p.TradeName)
			cu.Document = platform.NormalizeDocument(p.CorporateDocument)
			cu.StateRegistration = strings.TrimSpace(p.StateInscription)
			cu.ICMSContributor = cu.StateRegistration != "" && !strings.EqualFold(cu.StateRegistration, "ISENTO")
		} else {
			cu.Type = model.PersonIndividual
			cu.Name = strings.TrimSpace(p.FirstName + " " + p.LastName)
			cu.Document = platform.NormalizeDocument(p.Document)
		}
		if cu.Name == "" {
			cu.Name = strings.TrimSpace(p.FirstName + " " + p.LastName)
		}
		for _, ph := range []string{p.Phone, p.CorporatePhone} {
			if ph = strings.TrimSpace(ph); ph != "" && !slices.Contains(cu.Phones, ph) {
				cu.Phones = append(cu.Phones, ph)
			}
		}
	}

	if sd := o.ShippingData; sd != nil {
		if a := sd.Address; a != nil {
			out.Address = platform.Address{
				Recipient:  a.ReceiverName,
				Street:     a.Street,
				Number:     a.Number,
				Complement: a.Complement,
				Reference:  a.Reference,
				District:   a.Neighborhood,
				CEP:        platform.DigitsOnly(a.PostalCode),
				City:       a.City,
				State:      platform.StateUF(a.State),
				Country:    platform.NormalizeCountry(a.Country),
			}
		}
		li := append(sd.LogisticsInfo[:0:0], sd.LogisticsInfo...)
		sort.SliceStable(li, func(i, j int) bool { return li[i].ItemIndex < li[j].ItemIndex })
		for _, l := range li {
			if l.SelectedSla == "" {
				continue
			}
			out.ShippingMethod = l.SelectedSla
			for _, d := range l.DeliveryIDs {
				if d.CourierName != "" {
					out.Carrier = d.CourierName
					break
				}
			}
			if out.Carrier == "" {
				out.Carrier = l.DeliveryCompany
			}
			break
		}
	}

	for _, it := range o.Items {
		unit, total := it.SellingPrice, it.SellingPrice*it.Quantity
		if pd := it.PriceDefinition; pd != nil && (pd.Total != 0 || pd.CalculatedSellingPrice != 0) {
			unit, total = pd.CalculatedSellingPrice, pd.Total
		}
		out.Items = append(out.Items, platform.Item{
			SKU:            it.RefID,
			PlatformItemID: it.ID,
			Name:           it.Name,
			Quantity:       it.Quantity,
			UnitCents:      unit,
			TotalCents:     total,
			Gift:           it.IsGift,
		})
	}

	if pa := o.PackageAttachment; pa != nil {
		delivered := false
		for _, p := range pa.Packages {
			if p.Type == "Input" {
				continue // a return invoice, not the delivery
			}
			if p.TrackingNumber != "" {
				out.TrackingNumber, out.TrackingURL = p.TrackingNumber, p.TrackingURL
			}
			if p.InvoiceNumber != "" {
				out.Invoices = append(out.Invoices, platform.OrderInvoice{Number: p.InvoiceNumber, TrackingNumber: p.TrackingNumber})
			}
			if cs := p.CourierStatus; cs != nil && cs.Finished && cs.DeliveredDate != "" {
				delivered = true
			}
		}
		if out.Status == model.SOInvoiced {
			switch {
			case delivered:
				out.Status = model.SODelivered
			case out.TrackingNumber != "":
				out.Status = model.SODispatched
			}
		}
	}
	return out
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
