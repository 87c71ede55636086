package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handleAuditList is GET /admin/audit: who changed what, in words, filtered
// by user, record, action and period.
func (s *Server) handleAuditList(c *fiber.Ctx) error {
	q := func(k string) string { return copyString(strings.TrimSpace(c.Query(k))) }
	p := views.AuditProps{Query: q("q"), Entity: q("entity"), Action: q("action"), Actor: q("user"), From: q("from"), To: q("to")}
	f := store.AuditFilter{Query: p.Query, Entity: p.Entity, Action: p.Action, Actor: p.Actor, Sort: sortFromQuery(c, auditSortColumns)}
	var periodErr string
	f.From, f.To, periodErr = dayPeriod(p.From, p.To)
	if periodErr != "" {
		p.Error = periodErr
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.AuditPage(p))
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportAudit(c, fm, f)
	}
	page := pageFromQuery(c)
	items, total, err := s.store.ListAudit(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	if p.Items, err = s.auditRows(c.UserContext(), items); err != nil {
		return err
	}
	p.Pager = pager(c, page, total)
	return s.render(c, views.AuditPage(p))
}

// auditRows describes audit entries in words, naming the users, suppliers,
// platforms and products they point at (one query per kind of record).
func (s *Server) auditRows(ctx context.Context, entries []model.AuditEntry) ([]views.AuditRow, error) {
	ids := map[string][]string{}
	for _, e := range entries {
		ids[e.Entity] = append(ids[e.Entity], e.EntityID)
	}
	names, err := s.store.AuditNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]views.AuditRow, len(entries))
	for i, e := range entries {
		rows[i] = views.DescribeAudit(e, names)
	}
	return rows, nil
}
