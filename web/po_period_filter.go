package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// poPeriodParams maps the PO list's date parameter to its column.
var poPeriodParams = map[string]string{"created": "created_at", "dispatched": "dispatched_at", "shipped": "shipped_at"}

// poPeriodFromQuery reads the PO list's period filters (kept in the URL):
// date=created|dispatched|shipped with from/to (YYYY-MM-DD, São Paulo days,
// to inclusive); lead=dispatched|shipped with lead_min/lead_max hours from
// the payment approval; shipped=any|on_time|late. Unknown values are dropped.
func poPeriodFromQuery(c *fiber.Ctx, f *store.PurchaseOrderFilter) views.POPeriodProps {
	p := views.POPeriodProps{Date: copyString(c.Query("date")), From: copyString(strings.TrimSpace(c.Query("from"))),
		To: copyString(strings.TrimSpace(c.Query("to"))), Lead: copyString(c.Query("lead")),
		LeadMin: copyString(c.Query("lead_min")), LeadMax: copyString(c.Query("lead_max")), Shipped: copyString(c.Query("shipped"))}
	col, ok := poPeriodParams[p.Date]
	if !ok && (p.From != "" || p.To != "") {
		p.Date, col, ok = "created", "created_at", true
	}
	if ok {
		f.Period.Column = col
		if p.From != "" {
			if t, err := format.ParseDate(p.From); err == nil {
				f.Period.From = &t
			} else {
				p.Error, p.From = "Data inicial inválida: use o seletor de data.", ""
			}
		}
		if p.To != "" {
			if t, err := format.ParseDate(p.To); err == nil {
				end := t.AddDate(0, 0, 1)
				f.Period.To = &end
			} else {
				p.Error, p.To = "Data final inválida: use o seletor de data.", ""
			}
		}
	} else {
		p.Date = ""
	}
	if col, ok := poPeriodParams[p.Lead]; ok && p.Lead != "created" {
		l := &store.POLead{Stamp: store.LeadStamp(col)}
		if v, err := strconv.ParseFloat(p.LeadMin, 64); err == nil {
			l.MinHours = &v
		} else {
			p.LeadMin = ""
		}
		if v, err := strconv.ParseFloat(p.LeadMax, 64); err == nil {
			l.MaxHours = &v
		} else {
			p.LeadMax = ""
		}
		f.Lead = l
	} else {
		p.Lead, p.LeadMin, p.LeadMax = "", "", ""
	}
	switch sh := store.POShipped(p.Shipped); sh {
	case store.POShippedAny, store.POShippedOnTime, store.POShippedLate:
		f.Shipped = sh
	default:
		p.Shipped = ""
	}
	return p
}
