package web

import (
	"io"
	"mime/multipart"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/nfe"
)

// uploadedFile opens the multipart part field. found is false when the part
// is missing, so each caller answers with its own message.
func uploadedFile(c *fiber.Ctx, field string) (f multipart.File, fh *multipart.FileHeader, found bool, err error) {
	fh, ferr := c.FormFile(field)
	if ferr != nil {
		return nil, nil, false, nil
	}
	f, err = fh.Open()
	if err != nil {
		return nil, nil, false, apperr.Wrap(err, apperr.EINTERNAL, "")
	}
	return f, fh, true, nil
}

// readFormFile reads the uploaded file of field up to max bytes (one more
// is read so the caller's checks see it is too big); nil when the field is
// absent (an empty file is an empty, non-nil slice).
func readFormFile(c *fiber.Ctx, field string, max int64) ([]byte, error) {
	f, _, found, err := uploadedFile(c, field)
	if !found || err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.EINTERNAL, "")
	}
	return data, nil
}

// errNoSpreadsheetPart is the API's answer to a multipart body without its "file".
var errNoSpreadsheetPart = apperr.Errorf(apperr.EMALFORMED, `Envie a planilha na parte "file" do formulário multipart.`)

// apiSupplierFilter is the supplier a list of the API is limited to: always
// the caller's own for a supplier, else the one named by ?supplier_cnpj=.
func (s *Server) apiSupplierFilter(c *fiber.Ctx) (*int64, error) {
	if u := currentUser(c); u.SupplierID != nil {
		return u.SupplierID, nil
	}
	v := c.Query("supplier_cnpj")
	if v == "" {
		return nil, nil
	}
	sup, err := s.store.FindSupplierByCNPJ(c.UserContext(), cnpj.Normalize(v))
	if err != nil {
		return nil, err
	}
	return &sup.ID, nil
}

// xmlUploadBody copies an NF-e XML body out of Fiber's buffer, at most one
// byte more than nfe.DefaultMaxBytes: the NF-e reader refuses a bigger file
// by its size, and a 60 MB body is not copied whole to be refused.
func xmlUploadBody(c *fiber.Ctx) []byte {
	b := c.Body()
	if len(b) > nfe.DefaultMaxBytes {
		b = b[:nfe.DefaultMaxBytes+1]
	}
	return append([]byte(nil), b...)
}
