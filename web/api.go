package web

import (
	"github.com/gofiber/fiber/v2"
)

// apiUser is the JSON shape of a user in the API.
type apiUser struct {
	ID           int64   `json:"id"`
	Email        string  `json:"email"`
	Name         string  `json:"name"`
	Role         string  `json:"role"`
	SupplierCNPJ *string `json:"supplier_cnpj"`
}

// handleAPIMe tells a token's owner who they are (useful to check a token).
func (s *Server) handleAPIMe(c *fiber.Ctx) error {
	u := currentUser(c)
	out := apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)}
	if u.Supplier != nil {
		out.SupplierCNPJ = &u.Supplier.CNPJ
	}
	return c.JSON(out)
}
