package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleSupplierList(c *fiber.Ctx) error {
	q := copyString(strings.TrimSpace(c.Query("q")))
	status := copyString(c.Query("status"))
	p := pageFromQuery(c)
	f := store.SupplierFilter{Query: q, Active: statusFilter(status), Sort: sortFromQuery(c, supplierSortColumns)}
	if fm, ok := exportFormat(c); ok {
		return s.exportSuppliers(c, fm, f)
	}
	items, total, err := s.store.ListSuppliers(c.UserContext(), f, p)
	if err != nil {
		return err
	}
	return s.render(c, views.SuppliersPage(views.SuppliersProps{
		Items: items, Query: q, Status: status, Pager: pager(c, p, total),
		CanManage: currentUser(c).Can(model.PermManageSuppliers),
	}))
}

func (s *Server) handleSupplierNew(c *fiber.Ctx) error {
	sup := model.Supplier{DispatchHours: model.DefaultDispatchHours, PriceNoticeDays: model.DefaultPriceNoticeDays, Active: true}
	return s.render(c, views.SupplierForm(views.SupplierFormProps{Supplier: sup, IsNew: true, CanManage: true}))
}

// supplierFromForm reads the form; unparseable numbers become field errors.
func supplierFromForm(c *fiber.Ctx, sup *model.Supplier) views.FieldErrors {
	fe := views.FieldErrors{}
	if v := c.FormValue("cnpj"); v != "" {
		sup.CNPJ = copyString(v)
	}
	sup.LegalName = copyString(c.FormValue("legal_name"))
	sup.TradeName = copyString(c.FormValue("trade_name"))
	sup.Email = copyString(c.FormValue("email"))
	var err error
	if sup.DispatchHours, err = strconv.Atoi(strings.TrimSpace(c.FormValue("dispatch_hours"))); err != nil {
		fe["dispatch_hours"] = "Informe um número inteiro de horas."
	}
	if sup.PriceNoticeDays, err = strconv.Atoi(strings.TrimSpace(c.FormValue("price_notice_days"))); err != nil {
		fe["price_notice_days"] = "Informe um número inteiro de dias."
	}
	sup.Normalize()
	return fe
}

func (s *Server) handleSupplierCreate(c *fiber.Ctx) error {
	sup := model.Supplier{Active: true}
	fe := supplierFromForm(c, &sup)
	err := sup.Validate()
	if err == nil && len(fe) == 0 {
		err = s.store.CreateSupplier(c.UserContext(), &sup)
	}
	if err != nil || len(fe) > 0 {
		if err != nil && !isUserError(err) {
			return err
		}
		msg, errs := formErrors(err, fe)
		if apperr.Is(err, apperr.ECONFLICT) {
			errs["cnpj"] = msg
		}
		sup.CNPJ = cnpj.Format(sup.CNPJ)
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.SupplierForm(views.SupplierFormProps{Supplier: sup, IsNew: true, Errors: errs, Error: msg, CanManage: true}))
	}
	return redirectWith(c, "/suppliers/"+itoa(sup.ID), "success", "Fornecedor "+sup.DisplayName()+" cadastrado.")
}

// supplierUsers lists the users of a supplier, shown on its page.
func (s *Server) supplierUsers(c *fiber.Ctx, supplierID int64) ([]model.User, error) {
	users, _, err := s.store.ListUsers(c.UserContext(), store.UserFilter{SupplierID: &supplierID}, store.Page{Size: 200})
	return users, err
}

func (s *Server) handleSupplierShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sup, err := s.store.FindSupplier(c.UserContext(), id)
	if err != nil {
		return err
	}
	users, err := s.supplierUsers(c, sup.ID)
	if err != nil {
		return err
	}
	return s.render(c, views.SupplierForm(views.SupplierFormProps{
		Supplier: *sup, Users: users, CanManage: currentUser(c).Can(model.PermManageSuppliers),
	}))
}

func (s *Server) handleSupplierUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sup, err := s.store.FindSupplier(c.UserContext(), id)
	if err != nil {
		return err
	}
	fe := supplierFromForm(c, sup)
	sup.Active = c.FormValue("active") == "1"
	err = sup.Validate()
	if err == nil && len(fe) == 0 {
		err = s.store.UpdateSupplier(c.UserContext(), sup)
	}
	if err != nil || len(fe) > 0 {
		if err != nil && !isUserError(err) {
			return err
		}
		msg, errs := formErrors(err, fe)
		users, uerr := s.supplierUsers(c, sup.ID)
		if uerr != nil {
			return uerr
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.SupplierForm(views.SupplierFormProps{Supplier: *sup, Users: users, Errors: errs, Error: msg, CanManage: true}))
	}
	return redirectWith(c, "/suppliers/"+itoa(sup.ID), "success", "Fornecedor atualizado.")
}
