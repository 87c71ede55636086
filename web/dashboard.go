package web

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/errgroup"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// dashboardDays is the span of the dashboard's daily charts.
const dashboardDays = 30

// leadBuckets are the histogram's bins of the time from payment approval
// to despacho or shipment, in hours: [edge[i], edge[i+1]), the first open
// below, the last open above.
var leadBuckets = []struct {
	min, max *float64
	label    string
}{
	{nil, fp(12), "até 12 h"}, {fp(12), fp(24), "12 a 24 h"}, {fp(24), fp(48), "1 a 2 dias"}, {fp(48), fp(72), "2 a 3 dias"},
	{fp(72), fp(120), "3 a 5 dias"}, {fp(120), fp(168), "5 a 7 dias"}, {fp(168), nil, "7 dias ou mais"},
}

func fp(f float64) *float64 { return &f }

// leadEdges are the inner edges of leadBuckets, ascending: the store counts
// the lead times in these bands.
func leadEdges() []float64 {
	var out []float64
	for _, b := range leadBuckets[1:] {
		out = append(out, *b.min)
	}
	return out
}

// handleDashboard is the staff dashboard: today's numbers and the charts of
// the last 30 days, every number and bar a link to the list behind it.
func (s *Server) handleDashboard(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	now := s.store.Now()
	today := format.Day(now)
	from := today.AddDate(0, 0, -(dashboardDays - 1))
	todayISO := format.ISODate(today)
	p := views.DashboardProps{Today: format.Date(today), PeriodLabel: format.Date(from) + " a " + format.Date(today)}

	// the daily charts, the lead times and the on-time rates read past days
	// from the store's cache of day figures, today live; the figures are
	// independent reads, made side by side
	var (
		figs                              *store.DashboardFigures
		counts                            map[model.POStatus]int64
		late, blocked, cancelled, failing int64
		names                             map[int64]string
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { figs, err = s.store.DashboardFiguresFor(gctx, from, today, leadEdges()); return })
	g.Go(func() (err error) { counts, err = s.store.CountOpenPurchaseOrdersByStatus(gctx, nil); return })
	g.Go(func() (err error) { late, err = s.store.CountLatePurchaseOrders(gctx, nil, now); return })
	g.Go(func() (err error) { blocked, err = s.store.CountOpenBlocked(gctx); return })
	g.Go(func() (err error) {
		cancelled, err = s.store.CountPurchaseOrders(gctx, store.PurchaseOrderFilter{CancelException: true})
		return
	})
	g.Go(func() (err error) { failing, err = s.store.CountFailingPushes(gctx); return })
	g.Go(func() (err error) { names, err = s.store.SupplierNames(gctx); return })
	if err := g.Wait(); err != nil {
		return err
	}
	orders, pos := figs.Orders, figs.POs
	ordersByDay := dayMap(orders)
	when := func(perm model.Permission, href string) string {
		if u.Can(perm) {
			return href
		}
		return ""
	}
	p.Today0 = []views.Figure{
		{Label: "Pedidos de venda de hoje", N: ordersByDay[todayISO], Href: when(model.PermViewOrders, "/orders?from="+todayISO+"&to="+todayISO), TestID: "today-orders"},
		{Label: "Importações bloqueadas", N: blocked, Href: when(model.PermViewOrders, "/orders/blocked"), TestID: "today-blocked", Alarm: true},
		{Label: "Envios atrasados", N: late, Href: when(model.PermDispatchOrders, "/logistics/late"), TestID: "today-late", Alarm: true},
		{Label: "Exceções de compras", N: counts[model.PONoPrice] + counts[model.POBackordered] + cancelled,
			Href: when(model.PermManagePurchaseOrders, "/purchase-orders/exceptions"), TestID: "today-exceptions", Alarm: true},
		{Label: "NF-e com divergência", N: counts[model.POInvoiceDivergent], Href: when(model.PermViewPurchaseOrders, "/purchase-orders?status="+string(model.POInvoiceDivergent)), TestID: "today-divergent", Alarm: true},
		{Label: "Envios às plataformas com falha", N: failing, Href: when(model.PermViewOrders, "/sync-runs"), TestID: "today-failing", Alarm: true},
	}
	for _, st := range openStatuses() {
		p.OpenByStep = append(p.OpenByStep, views.Figure{Label: st.Label(), N: counts[st],
			Href: when(model.PermViewPurchaseOrders, "/purchase-orders?status="+string(st)), TestID: "step-" + string(st)})
	}

	p.Orders = dailyChart("chart-orders", "Pedidos de venda por dia", "pedido de venda", "pedidos de venda", from, ordersByDay,
		func(day string) string { return "/orders?from=" + day + "&to=" + day })
	p.POs = dailyChart("chart-pos", "Pedidos de compra criados por dia", "pedido de compra", "pedidos de compra", from, dayMap(pos),
		func(day string) string { return poListURL(url.Values{"date": {"created"}, "from": {day}, "to": {day}}) })
	fromISO := format.ISODate(from)
	for _, l := range []struct {
		stamp store.LeadStamp
		into  *views.BarChart
		id    string
		title string
		param string
	}{
		{store.LeadDispatch, &p.LeadDisp, "chart-lead-dispatch", "Da aprovação do pagamento ao despacho", "dispatched"},
		{store.LeadShip, &p.LeadShip, "chart-lead-ship", "Da aprovação do pagamento ao envio pelo fornecedor", "shipped"},
	} {
		*l.into = leadChart(l.id, l.title, l.param, fromISO, todayISO, figs.Lead[l.stamp])
	}
	p.OnTime = onTimeCharts(today, figs.Shipping, names)
	return s.render(c, views.Dashboard(p))
}

func openStatuses() []model.POStatus {
	return []model.POStatus{model.POAwaitingSupplier, model.POAcknowledged, model.POBackordered, model.PONoPrice,
		model.POInvoiceDivergent, model.POSupplierInvoiced, model.POInvoiceBooked, model.POBilled}
}

func dayMap(rows []store.DayCount) map[string]int64 {
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.Day] = r.N
	}
	return m
}

func poListURL(q url.Values) string { return "/purchase-orders?" + q.Encode() }

// dailyChart is one bar per day from from, 30 bars, each linking to href(day).
func dailyChart(id, title, one, many string, from time.Time, byDay map[string]int64, href func(day string) string) views.BarChart {
	ch := views.BarChart{ID: id, Title: title}
	var total int64
	for i := 0; i < dashboardDays; i++ {
		d := from.AddDate(0, 0, i)
		iso := format.ISODate(d)
		n := byDay[iso]
		total += n
		ch.Bars = append(ch.Bars, views.Bar{Label: d.Format("02/01"), Value: float64(n), Text: format.Int(n), Href: href(iso),
			Detail: format.Date(d) + ": " + plural(n, one, many)})
	}
	ch.Desc = fmt.Sprintf("%s de %s a %s: %s no total. Cada barra abre a lista desse dia.", title,
		format.Date(from), format.Date(from.AddDate(0, 0, dashboardDays-1)), plural(total, one, many))
	return ch
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return format.Int(n) + " " + many
}

// leadChart is the histogram of lead times, each bar linking to the POs of
// that bin (the same SQL expression decides both).
func leadChart(id, title, param, fromISO, toISO string, counts []int64) views.BarChart {
	var total int64
	for _, n := range counts {
		total += n
	}
	ch := views.BarChart{ID: id, Title: title,
		Desc: fmt.Sprintf("Distribuição de %s nos últimos 30 dias, por faixa de tempo; cada barra abre a lista desses pedidos.",
			plural(total, "pedido de compra", "pedidos de compra"))}
	for i, b := range leadBuckets {
		q := url.Values{"date": {param}, "from": {fromISO}, "to": {toISO}, "lead": {param}}
		if b.min != nil {
			q.Set("lead_min", strconv.FormatFloat(*b.min, 'f', -1, 64))
		}
		if b.max != nil {
			q.Set("lead_max", strconv.FormatFloat(*b.max, 'f', -1, 64))
		}
		ch.Bars = append(ch.Bars, views.Bar{Label: b.label, Value: float64(counts[i]), Text: format.Int(counts[i]), Href: poListURL(q),
			Detail: b.label + ": " + plural(counts[i], "pedido de compra", "pedidos de compra")})
	}
	return ch
}

// onTimeWeeks is how many weeks the on-time charts show.
const onTimeWeeks = 4

// onTimeCharts is, per supplier that shipped in the last 4 weeks (the 12
// busiest), its rate of shipments within the ship-by deadline per week, from
// the shipments per supplier and day of the dashboard's span (rows before
// the 4 weeks are left out).
func onTimeCharts(today time.Time, all []store.SupplierDayShipping, names map[int64]string) []views.SupplierOnTime {
	start := today.AddDate(0, 0, -(7*onTimeWeeks - 1))
	startISO := format.ISODate(start)
	var rows []store.SupplierDayShipping
	for _, r := range all {
		if r.Day >= startISO {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	type week struct{ shipped, onTime int64 }
	bySupplier := map[int64][]week{}
	volume := map[int64]int64{}
	for _, r := range rows {
		d, err := format.ParseDate(r.Day)
		if err != nil {
			continue
		}
		w := int(d.Sub(start).Hours()+12) / (24 * 7)
		if w < 0 || w >= onTimeWeeks {
			continue
		}
		if bySupplier[r.SupplierID] == nil {
			bySupplier[r.SupplierID] = make([]week, onTimeWeeks)
		}
		bySupplier[r.SupplierID][w].shipped += r.Shipped
		bySupplier[r.SupplierID][w].onTime += r.OnTime
		volume[r.SupplierID] += r.Shipped
	}
	ids := make([]int64, 0, len(bySupplier))
	for id := range bySupplier {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if volume[ids[i]] != volume[ids[j]] {
			return volume[ids[i]] > volume[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if len(ids) > 12 {
		ids = ids[:12]
	}
	var out []views.SupplierOnTime
	for _, id := range ids {
		ch := views.BarChart{ID: "chart-ontime-" + strconv.FormatInt(id, 10), Title: "Envios no prazo: " + names[id], Max: 100,
			Desc: "Porcentagem dos envios de cada semana feitos dentro do prazo de despacho; cada barra abre a lista desses envios."}
		for w, wk := range bySupplier[id] {
			ws := start.AddDate(0, 0, 7*w)
			we := ws.AddDate(0, 0, 6)
			b := views.Bar{Label: ws.Format("02/01") + "–" + we.Format("02/01"),
				Href: poListURL(url.Values{"supplier": {strconv.FormatInt(id, 10)}, "date": {"shipped"},
					"from": {format.ISODate(ws)}, "to": {format.ISODate(we)}, "shipped": {"any"}})}
			if rate, ok := model.Rate(int(wk.onTime), int(wk.shipped)); ok {
				b.Value, b.Text = rate, format.Percent(rate)
				b.Detail = fmt.Sprintf("Semana de %s a %s: %d de %s no prazo (%s)", format.Date(ws), format.Date(we), wk.onTime,
					plural(wk.shipped, "envio", "envios"), b.Text)
			} else {
				b.Detail = fmt.Sprintf("Semana de %s a %s: nenhum envio", format.Date(ws), format.Date(we))
			}
			ch.Bars = append(ch.Bars, b)
		}
		out = append(out, views.SupplierOnTime{Name: names[id], Chart: ch})
	}
	return out
}
