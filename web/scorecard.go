package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/views"
)

// scorecardMaxDays bounds a scorecard's period (one supplier's POs of a year
// are a few thousand rows at ConnectParts' scale).
const scorecardMaxDays = 366

// handleSupplierScorecard is any supplier's scorecard, for staff.
func (s *Server) handleSupplierScorecard(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sup, err := s.store.FindSupplier(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.renderScorecard(c, sup, "/suppliers/"+itoa(sup.ID)+"/scorecard", true)
}

// handleOwnScorecard is the logged-in supplier's own scorecard: the
// supplier comes from the session, never from the URL.
func (s *Server) handleOwnScorecard(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.SupplierID == nil {
		return apperr.Errorf(apperr.EFORBIDDEN, "Só um fornecedor tem indicadores próprios.")
	}
	sup, err := s.store.FindSupplier(c.UserContext(), *u.SupplierID)
	if err != nil {
		return err
	}
	return s.renderScorecard(c, sup, "/scorecard", false)
}

// scorecardPeriod reads from/to (YYYY-MM-DD, to inclusive; default the last
// 30 days) as São Paulo midnights [from, end).
func scorecardPeriod(c *fiber.Ctx, now time.Time) (from, end time.Time, msg string) {
	today := format.Day(now)
	end, from = today.AddDate(0, 0, 1), today.AddDate(0, 0, -29)
	if v := strings.TrimSpace(c.Query("to")); v != "" {
		if t, err := format.ParseDate(v); err == nil {
			end = t.AddDate(0, 0, 1)
			from = t.AddDate(0, 0, -29)
		} else {
			msg = "Data final inválida: use o seletor de data."
		}
	}
	if v := strings.TrimSpace(c.Query("from")); v != "" {
		if t, err := format.ParseDate(v); err == nil {
			from = t
		} else {
			msg = "Data inicial inválida: use o seletor de data."
		}
	}
	if !from.Before(end) {
		from, msg = end.AddDate(0, 0, -1), "A data inicial é posterior à final: mostrando só o último dia."
	}
	if end.Sub(from) > scorecardMaxDays*24*time.Hour+2*time.Hour {
		from, msg = end.AddDate(0, 0, -scorecardMaxDays), "O período vai até 366 dias: mostrando os últimos 366."
	}
	return from, end, msg
}

func (s *Server) renderScorecard(c *fiber.Ctx, sup *model.Supplier, action string, staff bool) error {
	now := s.store.Now()
	from, end, msg := scorecardPeriod(c, now)
	rows, err := s.store.ScorecardRows(c.UserContext(), sup.ID, from, end)
	if err != nil {
		return err
	}
	last := end.AddDate(0, 0, -1)
	p := views.ScorecardProps{SupplierName: sup.DisplayName(), Action: action, From: format.ISODate(from), To: format.ISODate(last),
		PeriodLabel: format.Date(from) + " a " + format.Date(last), Error: msg}
	list := func(from, to time.Time, extra url.Values) string {
		q := url.Values{"date": {"created"}, "from": {format.ISODate(from)}, "to": {format.ISODate(to)}}
		if staff {
			q.Set("supplier", strconv.FormatInt(sup.ID, 10))
		}
		for k, v := range extra {
			q[k] = v
		}
		return poListURL(q)
	}
	sc := model.ComputeScorecard(rows, now)
	mean := func(total time.Duration, n int) string {
		if d, ok := model.Mean(total, n); ok {
			return format.Duration(d)
		}
		return "—"
	}
	rate := func(part, whole int) string {
		if r, ok := model.Rate(part, whole); ok {
			return format.Percent(r)
		}
		return "—"
	}
	all := list(from, last, nil)
	shipped := list(from, last, url.Values{"shipped": {"any"}})
	p.Figures = []views.ScoreFigure{
		{Label: "Pedidos de compra recebidos", Value: format.Int(int64(sc.POs)), Basis: "ver pedidos", Href: all, TestID: "sc-pos"},
		{Label: "Tempo médio para aceitar", Value: mean(sc.AckTotal, sc.Acknowledged), Basis: plural(int64(sc.Acknowledged), "pedido aceito", "pedidos aceitos"), Href: all, TestID: "sc-ack"},
		{Label: "Tempo médio até a NF-e de venda aceita", Value: mean(sc.InvoiceTotal, sc.Invoiced), Basis: plural(int64(sc.Invoiced), "NF-e aceita", "NF-e aceitas"), Href: all, TestID: "sc-invoice"},
		{Label: "Folga média no envio (prazo menos envio)", Value: mean(sc.MarginTotal, sc.Shipped), Basis: plural(int64(sc.Shipped), "envio", "envios"), Href: shipped, TestID: "sc-margin"},
		{Label: "Envios no prazo", Value: rate(sc.OnTime, sc.Shipped), Basis: fmt.Sprintf("%d de %s", sc.OnTime, plural(int64(sc.Shipped), "envio", "envios")),
			Href: list(from, last, url.Values{"shipped": {"on_time"}}), TestID: "sc-ontime"},
		{Label: "Enviados após o prazo", Value: format.Int(int64(sc.Shipped - sc.OnTime)), Basis: "ver envios atrasados",
			Href: list(from, last, url.Values{"shipped": {"late"}}), TestID: "sc-shipped-late"},
		{Label: "Atrasados agora (faturados, sem envio)", Value: format.Int(int64(sc.LateNow)), Basis: "pedidos faturados",
			Href: list(from, last, url.Values{"status": {string(model.POBilled)}}), TestID: "sc-late-now"},
		{Label: "NF-e com divergência", Value: rate(sc.Divergent, sc.NFeSent), Basis: fmt.Sprintf("%d de %s", sc.Divergent, plural(int64(sc.NFeSent), "pedido com NF-e enviada", "pedidos com NF-e enviada")), Href: all, TestID: "sc-divergent"},
		{Label: "Sem estoque", Value: rate(sc.Backordered, sc.POs), Basis: fmt.Sprintf("%d de %s", sc.Backordered, plural(int64(sc.POs), "pedido", "pedidos")), Href: all, TestID: "sc-backorder"},
	}
	ch := views.BarChart{ID: "chart-scorecard", Title: "Envios no prazo por semana de criação do pedido", Max: 100,
		Desc: "Porcentagem dos pedidos criados em cada semana do período e já enviados que saíram dentro do prazo de despacho; cada barra abre a lista desses pedidos."}
	for _, w := range model.ScorecardWeeks(rows, from, end, now) {
		wl := w.To.AddDate(0, 0, -1)
		b := views.Bar{Label: w.From.Format("02/01"), Href: list(w.From, wl, url.Values{"shipped": {"any"}})}
		if r, ok := model.Rate(w.OnTime, w.Shipped); ok {
			b.Value, b.Text = r, format.Percent(r)
			b.Detail = fmt.Sprintf("Pedidos criados de %s a %s: %d de %s no prazo (%s)", format.Date(w.From), format.Date(wl), w.OnTime,
				plural(int64(w.Shipped), "enviado", "enviados"), b.Text)
		} else {
			b.Detail = fmt.Sprintf("Pedidos criados de %s a %s: nenhum enviado", format.Date(w.From), format.Date(wl))
		}
		ch.Bars = append(ch.Bars, b)
	}
	p.Chart = ch
	return s.render(c, views.Scorecard(p))
}
