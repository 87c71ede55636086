package web

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
	"github.com/connectparts/portal/views"
)

// lateSortKeys orders the late list (computed in Go: its deadline is, see
// store.ListLatePurchaseOrders) by the sort= column; the default is the
// store's, oldest billing first.
var lateSortKeys = map[string]func(a, b *model.PurchaseOrder) int{
	"number":   func(a, b *model.PurchaseOrder) int { return cmp.Compare(a.Number, b.Number) },
	"supplier": func(a, b *model.PurchaseOrder) int { return cmp.Compare(lateSupplier(a), lateSupplier(b)) },
	"order":    func(a, b *model.PurchaseOrder) int { return cmp.Compare(a.OrderNumber, b.OrderNumber) },
	"customer": func(a, b *model.PurchaseOrder) int {
		return cmp.Compare(strings.ToLower(a.CustomerName), strings.ToLower(b.CustomerName))
	},
	"due": func(a, b *model.PurchaseOrder) int { return lateDue(a).Compare(lateDue(b)) },
}

// handleLatePurchaseOrders is the logistics list of billed POs past their
// ship-by deadline without a shipment, filtered by supplier and by words
// (PO, sales order, customer), sorted by a column, or exported.
func (s *Server) handleLatePurchaseOrders(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := views.LatePurchaseOrdersProps{Now: s.store.Now(), SupplierID: copyString(c.Query("supplier")),
		Query: copyString(strings.TrimSpace(c.Query("q")))}
	all, err := s.purchasing.LatePurchaseOrders(ctx)
	if err != nil {
		return err
	}
	supplierID := queryID(p.SupplierID)
	if supplierID == nil {
		p.SupplierID = ""
	}
	q := strings.ToLower(p.Query)
	rows := all[:0]
	for _, po := range all {
		if supplierID != nil && po.SupplierID != *supplierID {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(po.Number+" "+po.OrderNumber+" "+po.CustomerName), q) {
			continue
		}
		rows = append(rows, po)
	}
	if key, ok := lateSortKeys[c.Query("sort")]; ok {
		desc := c.Query("dir") == "desc"
		slices.SortStableFunc(rows, func(a, b model.PurchaseOrder) int {
			if desc {
				return key(&b, &a)
			}
			return key(&a, &b)
		})
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportLate(c, fm, rows)
	}
	if p.Suppliers, err = s.store.AllSuppliers(ctx); err != nil {
		return err
	}
	p.Rows = rows
	p.Pager = pager(c, store.Page{Number: 1, Size: max(len(rows), 1)}, int64(len(rows)))
	return s.render(c, views.LatePurchaseOrdersPage(p))
}

// exportLate answers the filtered late list as a download. The list is the
// billed-not-shipped slice the page reads whole already (bounded by what
// logistics has in flight), written row by row.
func (s *Server) exportLate(c *fiber.Ctx, fm tabular.Format, rows []model.PurchaseOrder) error {
	header := []string{"Pedido de compra", "Fornecedor", "Pedido de venda", "Cliente", "Faturado em", "Prazo de envio", "Despachado em"}
	return s.sendExport(c, fm, "envios-atrasados", header, func(_ context.Context, write func(...string) error) error {
		for i := range rows {
			po := &rows[i]
			due := lateDue(po)
			if err := write(po.Number, lateSupplier(po), po.OrderNumber, po.CustomerName, format.DateTimePtr(po.BilledAt),
				format.DateTime(due), format.DateTimePtr(po.DispatchedAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

func lateSupplier(po *model.PurchaseOrder) string {
	if po.Supplier == nil {
		return ""
	}
	return po.Supplier.DisplayName()
}

func lateDue(po *model.PurchaseOrder) time.Time {
	if d := po.ShipDeadline(); d != nil {
		return *d
	}
	return po.DueAt
}
