package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

func (s *Server) handleSyncRunList(c *fiber.Ctx) error {
	p := views.SyncRunsProps{PlatformID: copyString(c.Query("platform")), Status: copyString(c.Query("status"))}
	f := store.SyncRunFilter{PlatformID: queryID(p.PlatformID), Sort: sortFromQuery(c, syncRunSortColumns)}
	switch st := model.SyncRunStatus(p.Status); st {
	case model.SyncRunning, model.SyncOK, model.SyncFailed, model.SyncInterrupted:
		f.Status = st
	default:
		p.Status = ""
	}
	var err error
	if p.Platforms, p.PlatformNames, err = s.platformNames(c); err != nil {
		return err
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportSyncRuns(c, fm, f, p.PlatformNames)
	}
	page := pageFromQuery(c)
	rows, total, err := s.store.SearchSyncRuns(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	p.Rows, p.Pager = rows, pager(c, page, total)
	if p.Failed, err = s.store.ListFailedPushes(c.UserContext(), f.PlatformID, 100); err != nil {
		return err
	}
	return s.render(c, views.SyncRunsPage(p))
}
