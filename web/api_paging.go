package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// apiPaging reads the cursor pagination of the API lists: ?cursor= is the id
// the previous page ended at (0 when absent), ?limit= 1–100 (default 50).
func apiPaging(c *fiber.Ctx) (beforeID int64, limit int, err error) {
	if v := c.Query("cursor"); v != "" {
		id, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || id <= 0 {
			return 0, 0, apperr.Errorf(apperr.EMALFORMED, "Cursor inválido.")
		}
		beforeID = id
	}
	limit, _ = strconv.Atoi(c.Query("limit"))
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return beforeID, limit, nil
}

// cursorPage converts up to limit items (the store is asked for limit+1) and
// returns the cursor of the next page, nil on the last one.
func cursorPage[T, U any](items []T, limit int, id func(*T) int64, conv func(*T) U) ([]U, *string) {
	out := make([]U, 0, min(len(items), limit))
	for i := range items {
		if i == limit {
			next := itoa(id(&items[i-1]))
			return out, &next
		}
		out = append(out, conv(&items[i]))
	}
	return out, nil
}
