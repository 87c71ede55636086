// Package search is the global search box: one text, typed as people have
// it at hand (an order or PO number, a platform order id, an NF-e key, a
// tracking code, a CPF/CNPJ with or without punctuation, a SKU or a
// supplier's product code), looked up exactly or as a prefix on indexed
// columns, and answered as links grouped by kind. A supplier finds only its
// own rows: its POs, its products, the invoices and shipments of its POs.
package search

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/privacy"
	"github.com/connectparts/portal/internal/store"
)

// Result kinds, in the order the page shows them.
const (
	KindSalesOrder    = "sales_order"
	KindPurchaseOrder = "purchase_order"
	KindProduct       = "product"
	KindSupplier      = "supplier"
	KindInvoice       = "invoice"
	KindShipment      = "shipment"
)

// Kinds lists every kind in display order.
var Kinds = []string{KindSalesOrder, KindPurchaseOrder, KindInvoice, KindShipment, KindProduct, KindSupplier}

// KindLabel is the Portuguese heading of a kind.
func KindLabel(kind string) string {
	switch kind {
	case KindSalesOrder:
		return "Pedidos de venda"
	case KindPurchaseOrder:
		return "Pedidos de compra"
	case KindProduct:
		return "Produtos"
	case KindSupplier:
		return "Fornecedores"
	case KindInvoice:
		return "Notas fiscais"
	case KindShipment:
		return "Envios"
	}
	return kind
}

// Result is one hit: what it is, how it reads and where it opens.
type Result struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	URL   string `json:"url"`
}

// MaxQueryLen bounds the text searched; longer input finds nothing.
const MaxQueryLen = 100

// Service runs searches on the store.
type Service struct {
	store   *store.Store
	privacy *privacy.Service
}

// New returns the search service.
func New(st *store.Store) *Service { return &Service{store: st, privacy: privacy.New(st)} }

// Keys turns the typed text into the keys looked up: the text as typed and
// upper-cased, a CPF/CNPJ without punctuation, a 44-digit NF-e key (spaces
// removed).
func Keys(q string) store.SearchKeys {
	q = strings.TrimSpace(q)
	var k store.SearchKeys
	if q == "" || len(q) > MaxQueryLen {
		return k
	}
	k.Terms = append(k.Terms, q)
	if up := strings.ToUpper(q); up != q {
		k.Terms = append(k.Terms, up)
	}
	if doc := cnpj.Normalize(q); (len(doc) == 11 && allDigits(doc)) || (len(doc) == 14 && alnum(doc) && unicode.IsDigit(rune(doc[12])) && unicode.IsDigit(rune(doc[13]))) {
		k.Document = doc
	}
	if key := strings.Join(strings.Fields(q), ""); len(key) == 44 && allDigits(key) {
		k.AccessKey = key
	}
	return k
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Search finds what u may see for q, grouped by kind in Kinds order. A
// supplier user is narrowed to its supplier; each kind needs the permission
// of the page it links to.
func (s *Service) Search(ctx context.Context, u *model.User, q string) ([]Result, error) {
	k := Keys(q)
	if len(k.Terms) == 0 {
		return nil, nil
	}
	supplier := u.Role == model.RoleSupplier
	if supplier {
		if u.SupplierID == nil {
			return nil, nil
		}
		k.SupplierID = u.SupplierID
	}
	var out []Result
	if !supplier && u.Can(model.PermViewOrders) {
		sos, err := s.store.SearchSalesOrdersByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, so := range sos {
			out = append(out, Result{Kind: KindSalesOrder, Label: "Pedido " + so.Number + " — " + so.CustomerName,
				URL: "/orders/" + strconv.FormatInt(so.ID, 10)})
		}
	}
	if u.Can(model.PermViewPurchaseOrders) {
		pos, err := s.store.SearchPurchaseOrdersByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		if pos, err = s.protect(ctx, u, k, pos); err != nil {
			return nil, err
		}
		for _, po := range pos {
			out = append(out, Result{Kind: KindPurchaseOrder, Label: po.Number + " — pedido " + po.OrderNumber + " — " + po.CustomerName,
				URL: "/purchase-orders/" + url.PathEscape(po.Number)})
		}
		invs, err := s.store.SearchInvoicesByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			r := Result{Kind: KindInvoice, Label: "NF-e " + strconv.Itoa(inv.Number) + " do fornecedor — " + inv.PONumber,
				URL: "/purchase-orders/" + url.PathEscape(inv.PONumber) + "/invoices/" + inv.AccessKey}
			if inv.Billing {
				r.Label = "NF-e de faturamento " + strconv.Itoa(inv.Number) + " — " + inv.PONumber
				r.URL = "/purchase-orders/" + url.PathEscape(inv.PONumber) + "/billing-invoice"
			}
			out = append(out, r)
		}
		shs, err := s.store.SearchShipmentsByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, sh := range shs {
			out = append(out, Result{Kind: KindShipment, Label: sh.PONumber + " enviado — " + sh.Carrier + " " + sh.TrackingCode,
				URL: "/purchase-orders/" + url.PathEscape(sh.PONumber)})
		}
	}
	if u.Can(model.PermViewProducts) || supplier {
		ps, err := s.store.SearchProductsByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			r := Result{Kind: KindProduct, Label: p.SKU + " — " + p.Name, URL: "/products/" + strconv.FormatInt(p.ID, 10)}
			if supplier || !u.Can(model.PermViewProducts) {
				// Suppliers have no product page: their stock list shows the product.
				r.URL = "/stock?q=" + url.QueryEscape(p.SKU)
			}
			if p.SupplierCode != "" {
				r.Label += " (código " + p.SupplierCode + ")"
			}
			out = append(out, r)
		}
	}
	if !supplier && u.Can(model.PermViewSuppliers) {
		sups, err := s.store.SearchSuppliersByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, sp := range sups {
			out = append(out, Result{Kind: KindSupplier, Label: sp.DisplayName() + " — CNPJ " + cnpj.Format(sp.CNPJ),
				URL: "/suppliers/" + strconv.FormatInt(sp.ID, 10)})
		}
	}
	return group(out), nil
}

// group orders results by kind (Kinds order), keeping each kind's order.
func group(rs []Result) []Result {
	out := make([]Result, 0, len(rs))
	for _, kind := range Kinds {
		for _, r := range rs {
			if r.Kind == kind {
				out = append(out, r)
			}
		}
	}
	return out
}

// protect applies the personal-data rule to the POs a supplier user found
// (privacy): past its window a PO's customer is masked in the label, and a
// PO found only by its customer's CPF/CNPJ is not found at all (the hit
// would tie that document to the PO).
func (s *Service) protect(ctx context.Context, u *model.User, k store.SearchKeys, pos []model.PurchaseOrder) ([]model.PurchaseOrder, error) {
	sight, err := s.privacy.Begin(ctx, u, model.ViewChannelSearch, "/search")
	if err != nil {
		return nil, err
	}
	kept := pos[:0]
	for i := range pos {
		po := &pos[i]
		if sight.Expired(po) && k.Document != "" && po.CustomerDocument == k.Document {
			continue
		}
		sight.Apply(po)
		kept = append(kept, *po)
	}
	return kept, s.privacy.Flush(ctx, sight)
}
