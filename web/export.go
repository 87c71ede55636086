package web

import (
	"bufio"
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
)

// exportFormat reads the list's format= parameter; ok false renders the page.
func exportFormat(c *fiber.Ctx) (tabular.Format, bool) {
	return tabular.ExportFormat(c.Query("format"))
}

// sendExport answers the whole filtered list as a download, streamed: each
// runs after the handler returns, reading the rows through a cursor and
// writing them as they come (never all rows in memory). each must capture
// everything it needs from c before: the request is gone when it runs. An
// error midway can no longer change the status; it is logged and the file
// ends short.
func (s *Server) sendExport(c *fiber.Ctx, f tabular.Format, name string, header []string,
	each func(ctx context.Context, write func(...string) error) error) error {
	ctx := context.WithoutCancel(c.UserContext())
	filename := name + "-" + format.Day(s.store.Now()).Format("2006-01-02") + "." + f.Ext()
	c.Set(fiber.HeaderContentType, tabular.ContentType(f))
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		rw, err := tabular.NewRowWriter(w, f)
		if err == nil {
			err = rw.Write(header)
		}
		if err == nil {
			err = each(ctx, func(cells ...string) error { return rw.Write(cells) })
		}
		if err == nil {
			err = rw.Close()
		}
		if err != nil {
			log.Error("export failed", "file", filename, "err", err)
		}
		_ = w.Flush()
	})
	return nil
}

// sortColumns maps a list's sort= values to SQL columns (the whitelist).
type sortColumns map[string]string

// sortFromQuery reads sort= and dir=; an unknown column keeps the list's
// default order.
func sortFromQuery(c *fiber.Ctx, cols sortColumns) store.Sort {
	col, ok := cols[strings.TrimSpace(c.Query("sort"))]
	if !ok {
		return store.Sort{}
	}
	return store.Sort{Column: col, Desc: c.Query("dir") == "desc"}
}
