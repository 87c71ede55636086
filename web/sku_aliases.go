package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handleExceptionsSKUAlias is the other fix of an unknown SKU in the blocked
// queue: the platform lists an existing product under another code, so the
// platform SKU is pointed at it (vínculo de SKU) instead of creating a
// product. Every order it held back is then taken by the next import
// ("Importar agora" beside it says how many).
func (s *Server) handleExceptionsSKUAlias(c *fiber.Ctx) error {
	ctx := c.UserContext()
	back, ok := inboxBack(c)
	if !ok {
		back = "/orders/blocked"
	}
	p, err := s.formPlatform(c)
	if err != nil {
		return err
	}
	platformSKU := copyString(strings.TrimSpace(c.FormValue("platform_sku")))
	productSKU := copyString(strings.TrimSpace(c.FormValue("sku")))
	a, err := s.store.CreateSKUAlias(ctx, p.ID, platformSKU, productSKU)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		return redirectWith(c, back, "error", apperr.Message(err))
	}
	// The orders the alias frees: those missing this SKU and no other now.
	freed, waiting, err := s.blockedFixedWaiting(ctx, p.ID, platformSKU)
	if err != nil {
		return err
	}
	msg := unblockedSKUWords(freed)
	switch {
	case waiting == 1:
		msg += " 1 pedido bloqueado por ele ainda aguarda outro SKU."
	case waiting > 1:
		msg += " " + itoa(waiting) + " pedidos bloqueados por ele ainda aguardam outro SKU."
	}
	return redirectWith(c, back, "success", "SKU "+a.PlatformSKU+" de "+p.Name+" vinculado ao produto "+a.Product.SKU+
		" ("+a.Product.Name+"); "+msg)
}

func unblockedSKUWords(n int64) string {
	switch n {
	case 0:
		return "nenhum pedido estava bloqueado por ele."
	case 1:
		return "o pedido bloqueado por ele é importado na próxima sincronização (ou já, com Importar agora)."
	}
	return "os " + itoa(n) + " pedidos bloqueados por ele são importados na próxima sincronização (ou já, com Importar agora)."
}

// handleProductSKUAliasCreate points a platform SKU at this product, from
// the product page.
func (s *Server) handleProductSKUAliasCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	prod, err := s.store.FindProduct(ctx, id)
	if err != nil {
		return err
	}
	back := "/products/" + itoa(prod.ID) + "#sku-aliases"
	p, err := s.formPlatform(c)
	if err != nil {
		return err
	}
	a, err := s.store.CreateSKUAlias(ctx, p.ID, copyString(c.FormValue("platform_sku")), prod.SKU)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		return redirectWith(c, back, "error", apperr.Message(err))
	}
	return redirectWith(c, back, "success", "SKU "+a.PlatformSKU+" de "+p.Name+" vinculado a este produto.")
}

// handleProductSKUAliasDelete removes one of the product's aliases; orders
// imported through it keep their product.
func (s *Server) handleProductSKUAliasDelete(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	aliasID, err := paramID(c, "alias")
	if err != nil {
		return err
	}
	a, err := s.store.FindSKUAlias(ctx, aliasID)
	if err != nil {
		return err
	}
	if a.ProductID != id {
		return apperr.Errorf(apperr.ENOTFOUND, "Vínculo de SKU não encontrado.")
	}
	if _, err := s.store.DeleteSKUAlias(ctx, a.ID); err != nil {
		return err
	}
	name := ""
	if a.Platform != nil {
		name = " de " + a.Platform.Name
	}
	return redirectWith(c, "/products/"+itoa(id)+"#sku-aliases", "success",
		"Vínculo do SKU "+a.PlatformSKU+name+" removido: pedidos novos com ele voltam a ficar bloqueados.")
}

// loadSKUAliases fills the product page's list of platform SKUs pointed at
// the product, for staff.
func (s *Server) loadSKUAliases(c *fiber.Ctx, p *views.ProductFormProps) error {
	if !currentUser(c).Can(model.PermStaffArea) {
		return nil
	}
	ctx := c.UserContext()
	list, err := s.store.ListSKUAliases(ctx, store.SKUAliasFilter{ProductID: &p.Product.ID})
	if err != nil {
		return err
	}
	a := &views.SKUAliasesProps{ProductID: p.Product.ID, Aliases: list, CanManage: p.CanManage}
	if a.CanManage {
		if a.Platforms, err = s.store.ListPlatforms(ctx); err != nil {
			return err
		}
	}
	p.Aliases = a
	return nil
}
