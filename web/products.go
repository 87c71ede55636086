package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/errgroup"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleProductList(c *fiber.Ctx) error {
	q := copyString(strings.TrimSpace(c.Query("q")))
	status := copyString(c.Query("status"))
	dropship := copyString(c.Query("dropship"))
	supplier := copyString(c.Query("supplier_id"))
	f := store.ProductFilter{Query: q, Active: statusFilter(status)}
	if f.SupplierID = queryID(supplier); f.SupplierID == nil {
		supplier = ""
	}
	switch dropship {
	case "yes", "no":
		v := dropship == "yes"
		f.Dropship = &v
	default:
		dropship = ""
	}
	f.Sort = sortFromQuery(c, productSortColumns)
	if fm, ok := exportFormat(c); ok {
		return s.exportProducts(c, fm, f)
	}
	p := pageFromQuery(c)
	var (
		items []model.Product
		total int64
		sups  []model.Supplier
	)
	g, gctx := errgroup.WithContext(c.UserContext())
	g.Go(func() (err error) { items, total, err = s.store.ListProducts(gctx, f, p); return })
	g.Go(func() (err error) { sups, err = s.store.AllSuppliers(gctx); return })
	if err := g.Wait(); err != nil {
		return err
	}
	return s.render(c, views.ProductsPage(views.ProductsProps{
		Items: items, Suppliers: sups, Query: q, SupplierID: supplier, Status: status, Dropship: dropship,
		Pager: pager(c, p, total), CanManage: currentUser(c).Can(model.PermManageProducts),
	}))
}

// productForm renders the form with the supplier choices: the active
// suppliers, plus the product's own supplier should it be inactive.
func (s *Server) productForm(c *fiber.Ctx, p views.ProductFormProps) error {
	sups, err := s.store.AllSuppliers(c.UserContext())
	if err != nil {
		return err
	}
	if id := p.Product.SupplierID; id != nil && !hasSupplier(sups, *id) {
		if sup, err := s.store.FindSupplier(c.UserContext(), *id); err == nil {
			sups = append(sups, *sup)
		}
	}
	p.Suppliers = sups
	if len(p.Errors) > 0 || p.Error != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, views.ProductForm(p))
}

func hasSupplier(sups []model.Supplier, id int64) bool {
	for _, s := range sups {
		if s.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) handleProductNew(c *fiber.Ctx) error {
	// ?sku= comes from the blocked order queue (an order with an unknown SKU).
	sku := copyString(strings.TrimSpace(c.Query("sku")))
	return s.productForm(c, views.ProductFormProps{Product: model.Product{SKU: sku, Dropship: true, Active: true}, IsNew: true, CanManage: true})
}

func (s *Server) handleProductShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.FindProduct(c.UserContext(), id)
	if err != nil {
		return err
	}
	props := views.ProductFormProps{Product: *p, CanManage: currentUser(c).Can(model.PermManageProducts)}
	if err := s.loadSKUAliases(c, &props); err != nil {
		return err
	}
	return s.productForm(c, props)
}

// productFromForm reads the editable fields of the form into p.
func productFromForm(c *fiber.Ctx, p *model.Product) {
	p.Name = copyString(c.FormValue("name"))
	p.Brand = copyString(c.FormValue("brand"))
	p.EAN = copyString(c.FormValue("ean"))
	p.NCM = copyString(c.FormValue("ncm"))
	p.SupplierID = queryID(c.FormValue("supplier_id"))
	p.SupplierCode = copyString(c.FormValue("supplier_code"))
	p.Dropship = c.FormValue("dropship") == "1"
	p.Supplier = nil
	p.Normalize()
}

func (s *Server) handleProductCreate(c *fiber.Ctx) error {
	p := model.Product{SKU: copyString(c.FormValue("sku")), Active: true}
	productFromForm(c, &p)
	err := p.Validate()
	if err == nil {
		err = s.store.CreateProduct(c.UserContext(), &p)
	}
	if err != nil {
		if !isUserError(err) {
			return err
		}
		msg, errs := fieldErrors(err)
		return s.productForm(c, views.ProductFormProps{Product: p, IsNew: true, Errors: errs, Error: msg, CanManage: true})
	}
	return redirectWith(c, "/products/"+itoa(p.ID), "success", "Produto "+p.SKU+" cadastrado.")
}

func (s *Server) handleProductUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.FindProduct(c.UserContext(), id)
	if err != nil {
		return err
	}
	productFromForm(c, p)
	p.Active = c.FormValue("active") == "1"
	err = p.Validate()
	if err == nil {
		err = s.store.UpdateProduct(c.UserContext(), p)
	}
	if err != nil {
		if !isUserError(err) {
			return err
		}
		msg, errs := fieldErrors(err)
		return s.productForm(c, views.ProductFormProps{Product: *p, Errors: errs, Error: msg, CanManage: true})
	}
	return redirectWith(c, "/products/"+itoa(p.ID), "success", "Produto "+p.SKU+" atualizado.")
}
