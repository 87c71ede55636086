package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/format"
)

// The dashboard's daily figures of past days are kept in dashboard_days
// (migration 00037): a past São Paulo day's placed_at, created_at,
// dispatched_at and shipped_at are all but immutable, so its counts are
// computed once and read afterwards. Triggers bump the day's generation in
// dashboard_day_gens when a write touches a past day's figures; a day whose
// cached rows carry another generation is computed again. Today is always
// computed live.

// cacheSettle is how long after a day's end it is first cached: a write
// transaction that began before midnight stamps the day that just ended as
// "today" and bumps no generation, so it must have committed by then.
const cacheSettle = 10 * time.Minute

// DashboardFigures is what the dashboard charts over a span of days.
type DashboardFigures struct {
	// Orders and POs are the sales orders placed and POs created per day
	// (days without any left out), in day order.
	Orders, POs []DayCount
	// Lead holds, per stamp, the POs of the span per band of hours from the
	// payment approval (DashboardFiguresFor's edges): len(edges)+1 counts.
	Lead map[LeadStamp][]int64
	// Shipping is ShippingByDay over the span.
	Shipping []SupplierDayShipping
}

// dayFigures is one day's figures: the rows of dashboard_days.
type dayFigures struct {
	gen         int64 // the day's generation they were counted at
	orders, pos int64
	lead        map[LeadStamp][]int64
	shipping    []SupplierDayShipping
}

// Figure names of dashboard_days.
const (
	figOrders   = "orders"
	figPOs      = "pos"
	figShipped  = "shipped"
	figOnTime   = "on_time"
	figComputed = "computed"
)

var leadStamps = []LeadStamp{LeadDispatch, LeadShip}

// edgesSig is the signature of the lead bands in figure names, so changing
// the bands never reads rows counted with others.
func edgesSig(edges []float64) string {
	parts := make([]string, len(edges))
	for i, e := range edges {
		parts[i] = strconv.FormatFloat(e, 'f', -1, 64)
	}
	return strings.Join(parts, ",")
}

func leadFigure(l LeadStamp, sig string, band int) string {
	return "lead:" + string(l) + ":" + sig + ":" + strconv.Itoa(band)
}

// leadBand is the band of h: how many edges are at or below it, so band i
// is [edges[i-1], edges[i]), the first open below and the last open above.
func leadBand(h float64, edges []float64) int {
	b := 0
	for _, e := range edges {
		if h >= e {
			b++
		}
	}
	return b
}

// DashboardFiguresFor returns the dashboard's figures of the São Paulo days
// from from to today (both day starts, format.Day), with the lead times
// counted in the bands edges (ascending hours). Past days come from
// dashboard_days when their generation is current, else are computed (and
// kept); today is computed live. The numbers equal CountSalesOrdersByDay,
// CountPurchaseOrdersByDay, LeadTimeHours and ShippingByDay over the span.
func (s *Store) DashboardFiguresFor(ctx context.Context, from, today time.Time, edges []float64) (*DashboardFigures, error) {
	sig := edgesSig(edges)
	// cached days end cacheSettle before now, by both the store's clock and
	// the database's (which the triggers read)
	now := s.Now()
	if wall := time.Now(); wall.Before(now) {
		now = wall
	}
	var days []time.Time
	for d := from; !d.After(today); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	var cachable []string
	for _, d := range days {
		if !d.AddDate(0, 0, 1).After(now.Add(-cacheSettle)) {
			cachable = append(cachable, format.ISODate(d))
		}
	}
	cached := map[string]*dayFigures{}
	if len(cachable) > 0 {
		var err error
		if cached, err = s.cachedDays(ctx, cachable[0], cachable[len(cachable)-1], sig, len(edges)); err != nil {
			return nil, err
		}
	}
	out := &DashboardFigures{Lead: map[LeadStamp][]int64{}}
	for _, l := range leadStamps {
		out.Lead[l] = make([]int64, len(edges)+1)
	}
	for i, d := range days {
		iso := format.ISODate(d)
		f := cached[iso]
		if f == nil {
			keep := i < len(cachable)
			var err error
			if keep {
				// viewers arriving together compute a day once
				f, err = s.dayFlights.do(iso+"|"+sig, func() (*dayFigures, error) { return s.computeDay(ctx, d, edges, sig, true) })
				if err == nil {
					s.dayMemo.put(iso, sig, f)
				}
			} else {
				f, err = s.computeDay(ctx, d, edges, sig, false)
			}
			if err != nil {
				return nil, err
			}
		}
		if f.orders > 0 {
			out.Orders = append(out.Orders, DayCount{Day: iso, N: f.orders})
		}
		if f.pos > 0 {
			out.POs = append(out.POs, DayCount{Day: iso, N: f.pos})
		}
		for _, l := range leadStamps {
			for b, n := range f.lead[l] {
				out.Lead[l][b] += n
			}
		}
		out.Shipping = append(out.Shipping, f.shipping...)
	}
	return out, nil
}

// dayFlights runs one computation of a key at a time: callers asking for a
// key being computed wait for that computation's result.
type dayFlights struct {
	mu    sync.Mutex
	calls map[string]*dayCall
}

type dayCall struct {
	done chan struct{}
	f    *dayFigures
	err  error
}

func (g *dayFlights) do(key string, fn func() (*dayFigures, error)) (*dayFigures, error) {
	g.mu.Lock()
	if c, ok := g.calls[key]; ok {
		g.mu.Unlock()
		<-c.done
		return c.f, c.err
	}
	if g.calls == nil {
		g.calls = map[string]*dayCall{}
	}
	c := &dayCall{done: make(chan struct{})}
	g.calls[key] = c
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.calls, key)
		g.mu.Unlock()
		close(c.done)
	}()
	c.f, c.err = fn()
	return c.f, c.err
}

// dayMemo holds, in this process, the figures of the days it last read
// from dashboard_days or computed, with the generation they were counted
// at: a view reads the span's generations (one row a day) and reads from
// dashboard_days only the days whose generation moved since, instead of
// scanning the span's 3,000 rows on every view.
type dayMemo struct {
	mu   sync.Mutex
	days map[string]*dayFigures // by day|sig
}

// dayMemoMax bounds the memo: past it, it starts afresh (a span is 29 days).
const dayMemoMax = 400

func (m *dayMemo) get(iso, sig string, gen int64) *dayFigures {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f := m.days[iso+"|"+sig]; f != nil && f.gen == gen {
		return f
	}
	return nil
}

func (m *dayMemo) put(iso, sig string, f *dayFigures) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.days == nil || len(m.days) >= dayMemoMax {
		m.days = map[string]*dayFigures{}
	}
	m.days[iso+"|"+sig] = f
}

// cachedDays reads the cached figures of the days fromISO to toISO whose
// rows are complete (a computed marker of these bands) and of the day's
// current generation: from the memo when it holds that generation, else
// from dashboard_days.
func (s *Store) cachedDays(ctx context.Context, fromISO, toISO, sig string, nEdges int) (map[string]*dayFigures, error) {
	var gens []struct {
		Day string
		Gen int64
	}
	if err := s.conn(ctx).Table("dashboard_day_gens").Select("day, gen").Where("day >= ? AND day <= ?", fromISO, toISO).
		Find(&gens).Error; err != nil {
		return nil, translate(err, "Painel")
	}
	current := map[string]int64{}
	for _, g := range gens {
		current[g.Day] = g.Gen
	}
	out := map[string]*dayFigures{}
	var missing []string
	from, err := format.ParseDate(fromISO)
	if err != nil {
		return nil, err
	}
	for d := from; format.ISODate(d) <= toISO; d = d.AddDate(0, 0, 1) {
		iso := format.ISODate(d)
		if f := s.dayMemo.get(iso, sig, current[iso]); f != nil {
			out[iso] = f
		} else {
			missing = append(missing, iso)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	rows, err := s.dashboardRows(ctx, missing)
	if err != nil {
		return nil, err
	}
	read := map[string]*dayFigures{}
	stale := map[string]bool{}
	computed := map[string]bool{}
	ship := map[string]map[int64]*SupplierDayShipping{}
	for _, r := range rows {
		if r.gen != current[r.day] {
			stale[r.day] = true
			continue
		}
		f := read[r.day]
		if f == nil {
			f = &dayFigures{gen: r.gen, lead: map[LeadStamp][]int64{}}
			for _, l := range leadStamps {
				f.lead[l] = make([]int64, nEdges+1)
			}
			read[r.day] = f
		}
		switch {
		case r.figure == figComputed+":"+sig:
			computed[r.day] = true
		case r.figure == figOrders:
			f.orders = r.n
		case r.figure == figPOs:
			f.pos = r.n
		case r.figure == figShipped || r.figure == figOnTime:
			if ship[r.day] == nil {
				ship[r.day] = map[int64]*SupplierDayShipping{}
			}
			sd := ship[r.day][r.supplierID]
			if sd == nil {
				sd = &SupplierDayShipping{SupplierID: r.supplierID, Day: r.day}
				ship[r.day][r.supplierID] = sd
			}
			if r.figure == figShipped {
				sd.Shipped = r.n
			} else {
				sd.OnTime = r.n
			}
		default:
			for _, l := range leadStamps {
				prefix := "lead:" + string(l) + ":" + sig + ":"
				if b, err := strconv.Atoi(strings.TrimPrefix(r.figure, prefix)); err == nil && strings.HasPrefix(r.figure, prefix) && b >= 0 && b <= nEdges {
					f.lead[l][b] = r.n
				}
			}
		}
	}
	for day, f := range read {
		if stale[day] || !computed[day] {
			continue
		}
		for _, sd := range ship[day] {
			f.shipping = append(f.shipping, *sd)
		}
		sortShipping(f.shipping)
		out[day] = f
		s.dayMemo.put(day, sig, f)
	}
	return out, nil
}

// dayRow is a row of dashboard_days.
type dayRow struct {
	day, figure string
	supplierID  int64
	n, gen      int64
}

// dashboardRows reads the rows of dashboard_days of the days, scanned by
// hand: the span holds thousands of rows.
func (s *Store) dashboardRows(ctx context.Context, days []string) ([]dayRow, error) {
	rows, err := s.conn(ctx).Raw("SELECT day, figure, supplier_id, n, gen FROM dashboard_days WHERE day IN ?", days).Rows()
	if err != nil {
		return nil, translate(err, "Painel")
	}
	defer rows.Close()
	var out []dayRow
	for rows.Next() {
		var r dayRow
		if err := rows.Scan(&r.day, &r.figure, &r.supplierID, &r.n, &r.gen); err != nil {
			return nil, translate(err, "Painel")
		}
		out = append(out, r)
	}
	return out, translate(rows.Err(), "Painel")
}

func sortShipping(rows []SupplierDayShipping) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].SupplierID < rows[j-1].SupplierID; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// computeDay counts the figures of the day starting at d with the live
// queries, in one snapshot together with the day's generation, and keeps
// them in dashboard_days when keep.
func (s *Store) computeDay(ctx context.Context, d time.Time, edges []float64, sig string, keep bool) (*dayFigures, error) {
	next := d.AddDate(0, 0, 1)
	iso := format.ISODate(d)
	f := &dayFigures{lead: map[LeadStamp][]int64{}}
	var gen int64
	read := func(ctx context.Context) error {
		var err error
		if f.orders, err = s.countBetween(ctx, "sales_orders", "placed_at", d, next); err != nil {
			return err
		}
		if f.pos, err = s.countBetween(ctx, "purchase_orders", "created_at", d, next); err != nil {
			return err
		}
		for _, l := range leadStamps {
			hours, err := s.LeadTimeHours(ctx, l, d, next)
			if err != nil {
				return err
			}
			counts := make([]int64, len(edges)+1)
			for _, h := range hours {
				counts[leadBand(h, edges)]++
			}
			f.lead[l] = counts
		}
		if f.shipping, err = s.ShippingByDay(ctx, d, next); err != nil {
			return err
		}
		if !keep {
			return nil
		}
		var gens []int64
		if err := s.conn(ctx).Table("dashboard_day_gens").Where("day = ?", iso).Pluck("gen", &gens).Error; err != nil {
			return translate(err, "Painel")
		}
		if len(gens) > 0 {
			gen = gens[0]
		}
		return nil
	}
	if !keep {
		return f, read(ctx)
	}
	if err := s.snapshot(ctx, read); err != nil {
		return nil, err
	}
	if err := s.keepDay(ctx, iso, sig, gen, f); err != nil {
		return nil, err
	}
	f.gen = gen
	return f, nil
}

// countBetween counts the rows of table whose col is in [from, to): one
// day's counts of CountSalesOrdersByDay and CountPurchaseOrdersByDay, read
// from the index alone.
func (s *Store) countBetween(ctx context.Context, table, col string, from, to time.Time) (int64, error) {
	var n int64
	err := s.conn(ctx).Table(table).Where(col+" >= ? AND "+col+" < ?", from.UTC(), to.UTC()).Count(&n).Error
	return n, translate(err, "Painel")
}

// snapshot runs fn in a read transaction that sees one snapshot (PostgreSQL
// REPEATABLE READ; SQLite's transactions read one snapshot).
func (s *Store) snapshot(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	var opts []*sql.TxOptions
	if s.dialect == database.Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}, opts...)
}

// keepDay replaces the cached rows of a day with f, counted at generation
// gen. Another viewer keeping the same day meanwhile is harmless: its rows
// stay (ON CONFLICT DO NOTHING), and rows of mixed generations are
// recomputed by the next view.
func (s *Store) keepDay(ctx context.Context, iso, sig string, gen int64, f *dayFigures) error {
	type row struct {
		fig string
		sup int64
		n   int64
	}
	rows := []row{{figComputed + ":" + sig, 0, 0}}
	if f.orders > 0 {
		rows = append(rows, row{figOrders, 0, f.orders})
	}
	if f.pos > 0 {
		rows = append(rows, row{figPOs, 0, f.pos})
	}
	for _, l := range leadStamps {
		for b, n := range f.lead[l] {
			if n > 0 {
				rows = append(rows, row{leadFigure(l, sig, b), 0, n})
			}
		}
	}
	for _, sd := range f.shipping {
		rows = append(rows, row{figShipped, sd.SupplierID, sd.Shipped}, row{figOnTime, sd.SupplierID, sd.OnTime})
	}
	var sb strings.Builder
	args := make([]any, 0, 5*len(rows))
	sb.WriteString("INSERT INTO dashboard_days (day, figure, supplier_id, n, gen) VALUES ")
	for i, r := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?)")
		args = append(args, iso, r.fig, r.sup, r.n, gen)
	}
	sb.WriteString(" ON CONFLICT DO NOTHING")
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Exec("DELETE FROM dashboard_days WHERE day = ?", iso).Error; err != nil {
			return translate(err, "Painel")
		}
		return translate(s.conn(ctx).Exec(sb.String(), args...).Error, "Painel")
	})
}

// String is for test failures.
func (f *DashboardFigures) String() string {
	return fmt.Sprintf("orders %v pos %v lead %v shipping %v", f.Orders, f.POs, f.Lead, f.Shipping)
}
