package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/shipping"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
)

// ScalePassword is the password of every user the scale seed creates.
const ScalePassword = "escala-connectparts"

// ScalePlatformName is the sandbox platform the scale orders come from.
const ScalePlatformName = "Loja Escala"

// scaleMarker is the settings key that records a finished scale seed.
const scaleMarker = "seed.scale"

// ScaleOptions sizes the scale dataset.
type ScaleOptions struct {
	Orders    int
	Suppliers int
	Products  int
	// Now is the end of the two years the orders span (zero: the store's clock).
	Now time.Time
	// Progress, when set, is told how many orders were written so far.
	Progress func(orders int)
	// Step, when set, is told when each step of the load begins (the
	// store.BulkStep names, and ScaleStepReference / ScaleStepAnalyze).
	Step func(step string)
}

// The scale seed's own steps, beside the bulk load's (store.BulkStep…).
const (
	ScaleStepReference = "reference" // users, suppliers, platform through the services
	ScaleStepAnalyze   = "analyze"   // planner statistics of the loaded tables
)

// ScaleResult says what the scale seed did.
type ScaleResult struct {
	Already bool // a scale seed ran before: nothing was written
	Orders  int
	POs     int
	Rows    int64
	Took    time.Duration
	// Where the time went: the reference data, the bulk load's steps and
	// tables, the statistics.
	Reference time.Duration
	Load      *store.BulkReport
	Analyze   time.Duration
}

// Scale writes a large, consistent dataset: N sales orders over two years
// with items, their POs in every state with events, supplier and billing
// invoices, shipments, and a stock ledger whose balances are the sums of its
// movements. Small reference data (users, suppliers, the platform, stock
// locations) goes through the services; the bulk through store.BulkLoad
// (COPY on PostgreSQL, batched prepared INSERTs on SQLite), in one
// transaction with the marker, so a second run finds the marker and writes
// nothing, and a failed run leaves no half dataset. It refuses a database
// holding the demo data or orders of its own.
func Scale(ctx context.Context, d Deps, o ScaleOptions) (*ScaleResult, error) {
	start := time.Now()
	st := d.Store
	ctx = model.WithActor(ctx, model.Actor{Label: "seed"})
	if o.Orders < 1 {
		return nil, apperr.Errorf(apperr.EINVALID, "--scale precisa ser um número de pedidos maior que zero.")
	}
	if o.Suppliers < 1 {
		o.Suppliers = 50
	}
	if o.Products < o.Suppliers {
		o.Products = max(o.Suppliers, 50000)
	}
	if o.Now.IsZero() {
		o.Now = st.Now()
	}
	if v, err := st.GetSetting(ctx, scaleMarker); err == nil && v != "" {
		return &ScaleResult{Already: true}, nil
	} else if err != nil && !apperr.Is(err, apperr.ENOTFOUND) {
		return nil, err
	}
	if _, err := st.FindUserByEmail(ctx, "admin@connectparts.example"); err == nil {
		return nil, apperr.Errorf(apperr.ECONFLICT, "O banco tem os dados de demonstração (admin@connectparts.example): a carga de escala não se mistura com eles. Use um banco vazio.")
	}
	if p, err := st.FindPlatformByName(ctx, DemoPlatformName); err == nil && p != nil {
		return nil, apperr.Errorf(apperr.ECONFLICT, "O banco tem a plataforma de demonstração %q: a carga de escala não se mistura com ela. Use um banco vazio.", DemoPlatformName)
	}
	if n, err := st.CountSalesOrders(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, apperr.Errorf(apperr.ECONFLICT, "O banco já tem %d pedidos de venda: a carga de escala só roda num banco sem pedidos.", n)
	}

	step := func(s string) {
		if o.Step != nil {
			o.Step(s)
		}
	}
	step(ScaleStepReference)
	ref, err := scaleReference(ctx, d, o)
	if err != nil {
		return nil, err
	}
	res := &ScaleResult{Orders: o.Orders, Reference: time.Since(start)}
	g := newScaleGen(o, ref)
	res.Load, err = st.BulkLoadReport(ctx, scaleTables, store.BulkOptions{Step: o.Step}, func(l *store.BulkLoader) error {
		if err := g.catalog(ctx, l); err != nil {
			return err
		}
		if err := g.orders(ctx, l); err != nil {
			return err
		}
		if err := g.balances(ctx, l); err != nil {
			return err
		}
		if err := l.RebuildCatalogFigures(ctx); err != nil { // the products' triggers were off
			return err
		}
		// the orders' and POs' triggers were off too: no dashboard day kept
		// before the load may be read again (they are computed on first view)
		if err := l.Exec(ctx, "DELETE FROM dashboard_days"); err != nil {
			return err
		}
		marker, _ := json.Marshal(map[string]any{"orders": o.Orders, "suppliers": o.Suppliers, "products": o.Products, "at": o.Now})
		if err := l.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", scaleMarker, string(marker), o.Now); err != nil {
			return err
		}
		return l.Exec(ctx, "INSERT INTO audit_log (at, actor, action, entity, entity_id, details) VALUES (?, 'seed', 'seed.scale', 'database', '', ?)", o.Now, string(marker))
	})
	if err != nil {
		return nil, err
	}
	var analyze []string
	for _, t := range scaleTables {
		analyze = append(analyze, t.Name)
	}
	step(ScaleStepAnalyze)
	analyzeStart := time.Now()
	if err := st.Analyze(ctx, analyze...); err != nil {
		return nil, err
	}
	res.Analyze = time.Since(analyzeStart)
	res.POs, res.Rows, res.Took = g.poSeq, g.rows, time.Since(start)
	return res, nil
}

// scaleRef is the reference data created through the services.
type scaleRef struct {
	platformID int64
	carrierID  int64
	suppliers  []model.Supplier
	locations  []int64 // per supplier
	firstIDs   map[string]int64
}

func scaleSupplierCNPJ(i int) string {
	return withCNPJDigits(fmt.Sprintf("%08d0001", 90000000+i))
}

// withCNPJDigits appends the two check digits to a 12-character base.
func withCNPJDigits(base string) string {
	dv := func(s string, w []int) int {
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i]-'0') * w[i]
		}
		if r := sum % 11; r >= 2 {
			return 11 - r
		}
		return 0
	}
	d1 := dv(base, []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2})
	d2 := dv(base+strconv.Itoa(d1), []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2})
	c := base + strconv.Itoa(d1) + strconv.Itoa(d2)
	if !cnpj.Valid(c) {
		panic("seed: invalid CNPJ built from " + base)
	}
	return c
}

func scaleReference(ctx context.Context, d Deps, o ScaleOptions) (*scaleRef, error) {
	st := d.Store
	ref := &scaleRef{}
	for i := 0; i < o.Suppliers; i++ {
		c := scaleSupplierCNPJ(i)
		sup, err := st.FindSupplierByCNPJ(ctx, c)
		if apperr.Is(err, apperr.ENOTFOUND) {
			sup = &model.Supplier{CNPJ: c, LegalName: fmt.Sprintf("Distribuidora de Autopeças Escala %02d Ltda", i+1),
				TradeName: fmt.Sprintf("Escala %02d", i+1), Email: fmt.Sprintf("pedidos%02d@escala.example", i+1),
				DispatchHours: 24 + 24*(i%3), PriceNoticeDays: 20, Active: true}
			err = st.CreateSupplier(ctx, sup)
		}
		if err != nil {
			return nil, fmt.Errorf("fornecedor %s: %w", c, err)
		}
		loc, err := d.Stock.SupplierLocation(ctx, sup)
		if err != nil {
			return nil, err
		}
		ref.suppliers = append(ref.suppliers, *sup)
		ref.locations = append(ref.locations, loc.ID)
	}
	staff := []struct {
		email string
		role  model.Role
	}{
		{"admin@escala.example", model.RoleAdmin}, {"compras@escala.example", model.RolePurchasing},
		{"fiscal@escala.example", model.RoleFiscal}, {"logistica@escala.example", model.RoleLogistics},
		{"consulta@escala.example", model.RoleViewer},
	}
	// one bcrypt hash for every account: they share the published password
	var users []auth.NewUser
	want := func(email, name string, role model.Role, sup *int64) {
		if _, err := st.FindUserByEmail(ctx, email); err == nil {
			return
		}
		users = append(users, auth.NewUser{Email: email, Name: name, Role: role, SupplierID: sup})
	}
	for _, u := range staff {
		want(u.email, "Equipe "+string(u.role), u.role, nil)
	}
	for i := range ref.suppliers {
		id := ref.suppliers[i].ID
		want(fmt.Sprintf("fornecedor%02d@escala.example", i+1), "Fornecedor "+ref.suppliers[i].TradeName, model.RoleSupplier, &id)
	}
	if len(users) > 0 {
		if _, err := d.Auth.CreateUsersSharingPassword(ctx, ScalePassword, users); err != nil {
			return nil, fmt.Errorf("usuários da carga de escala: %w", err)
		}
	}
	p, err := st.FindPlatformByName(ctx, ScalePlatformName)
	if apperr.Is(err, apperr.ENOTFOUND) {
		if d.Orders == nil {
			return nil, fmt.Errorf("carga de escala: sem o motor de sincronização para criar a plataforma")
		}
		p, err = d.Orders.AddPlatform(ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: ScalePlatformName,
			Settings: map[string]string{"orders": "0"}})
	}
	if err != nil {
		return nil, err
	}
	ref.platformID = p.ID
	c, _, err := st.EnsureCarrier(ctx, "Correios")
	if err != nil {
		return nil, err
	}
	ref.carrierID = c.ID
	if ref.firstIDs, err = st.NextIDs(ctx, scaleTableNames()...); err != nil {
		return nil, err
	}
	return ref, nil
}

// The tables of the bulk load, parents first; the column lists are the
// rows the generator writes.
const (
	tProducts = iota
	tPriceTables
	tPriceItems
	tOrders
	tOrderItems
	tOrderEvents
	tPOs
	tPOItems
	tPOEvents
	tSupplierInvoices
	tBillingInvoices
	tShipments
	tMovements
	tBalances
	tProductStock
)

var scaleTables = []store.BulkTable{
	tProducts: {Name: "products", Rebuild: true, NoTriggers: true, Serial: true, Columns: []string{"id", "sku", "name", "brand", "ean", "ncm", "supplier_id", "supplier_code", "dropship", "active", "created_at", "updated_at"}},
	tPriceTables: {Name: "price_tables", Rebuild: true, Serial: true, Columns: []string{"id", "supplier_id", "state", "effective_from", "notice_days", "earliest_allowed", "line_count",
		"file_name", "file_format", "created_at", "submitted_at", "in_force_notified_at", "updated_at"}},
	tPriceItems: {Name: "price_table_items", Rebuild: true, Columns: []string{"table_id", "product_id", "line", "supplier_code", "price_cents", "min_qty", "ean", "description"}},
	tOrders: {Name: "sales_orders", Rebuild: true, NoTriggers: true, Serial: true, Columns: []string{"id", "platform_id", "external_id", "number", "status", "channel_status", "reserved", "stock_consumed",
		"customer_name", "customer_type", "customer_document", "customer_email", "customer_phones",
		"delivery_recipient", "delivery_street", "delivery_number", "delivery_district", "delivery_cep", "delivery_city", "delivery_state", "delivery_country", "delivery_ibge_code",
		"shipping_method", "carrier_id", "tracking_number", "items_cents", "shipping_cents", "total_cents",
		"placed_at", "paid_at", "channel_updated_at", "created_at", "updated_at"}},
	tOrderItems:  {Name: "sales_order_items", Rebuild: true, Serial: true, Columns: []string{"id", "order_id", "line", "product_id", "location_id", "sku", "platform_item_id", "name", "quantity", "unit_price_cents", "total_cents", "consumed"}},
	tOrderEvents: {Name: "sales_order_events", Rebuild: true, Serial: true, Columns: []string{"id", "order_id", "at", "kind", "message", "actor"}},
	tPOs: {Name: "purchase_orders", Rebuild: true, NoTriggers: true, Serial: true, Columns: []string{"id", "number", "sales_order_id", "supplier_id", "status", "order_number",
		"customer_name", "customer_type", "customer_document", "customer_email",
		"delivery_recipient", "delivery_street", "delivery_number", "delivery_district", "delivery_cep", "delivery_city", "delivery_state", "delivery_country", "delivery_ibge_code",
		"shipping_method", "carrier_name", "total_cents", "priced_at", "dispatch_hours", "due_at",
		"acknowledged_at", "backordered_at", "backorder_available_on", "backorder_reason", "invoiced_at",
		"billed_at", "dispatched_at", "shipped_at", "delivered_at", "cancelled_at", "cancel_reason", "created_at", "updated_at"}},
	tPOItems:  {Name: "purchase_order_items", Rebuild: true, Serial: true, Columns: []string{"id", "po_id", "line", "product_id", "sku", "supplier_code", "ean", "ncm", "name", "quantity", "unit_price_cents", "total_cents", "price_table_id"}},
	tPOEvents: {Name: "purchase_order_events", Rebuild: true, Serial: true, Columns: []string{"id", "po_id", "at", "kind", "message", "actor"}},
	tSupplierInvoices: {Name: "supplier_invoices", Rebuild: true, Serial: true, Columns: []string{"id", "po_id", "access_key", "number", "series", "issued_at", "issuer_cnpj", "total_cents",
		"xml", "status", "report", "uploaded_at"}},
	tBillingInvoices: {Name: "billing_invoices", Rebuild: true, Serial: true, Columns: []string{"id", "po_id", "access_key", "number", "series", "issued_at", "recipient_document", "total_cents", "xml", "uploaded_at"}},
	tShipments:       {Name: "po_shipments", Rebuild: true, Serial: true, Columns: []string{"id", "po_id", "carrier", "tracking_code", "tracking_url", "label_kind", "label_path", "label_sha256", "label_size", "shipped_at"}},
	tMovements: {Name: "stock_movements", Rebuild: true, Serial: true, Columns: []string{"id", "product_id", "location_id", "source", "physical_delta", "reserved_delta", "physical_after", "reserved_after",
		"reference", "note", "actor", "created_at"}},
	tBalances: {Name: "stock_balances", Rebuild: true, NoTriggers: true, Columns: []string{"product_id", "location_id", "physical", "reserved", "updated_at"}},
	// what the triggers of products and stock_balances (off for the load) keep
	tProductStock: {Name: "product_stock", Rebuild: true, Columns: []string{"product_id", "physical", "reserved"}},
}

func scaleTableNames() []string {
	var out []string
	for _, t := range scaleTables {
		if t.Serial {
			out = append(out, t.Name)
		}
	}
	return out
}

// scaleStage is where an order stands, with the status of each of its POs
// ("" when it has none yet).
type scaleStage struct {
	so        model.SOStatus
	po        model.POStatus
	cancelled bool
}

// scaleOrder is one planned order: the same index always plans the same order.
type scaleOrder struct {
	placed   time.Time
	stage    scaleStage
	products [3]int32
	qty      [3]int8
	n        int
}

type scaleGen struct {
	o   ScaleOptions
	ref *scaleRef
	t0  time.Time

	// per product (index): supplier index, price, units consumed by the
	// whole dataset, running physical and reserved
	consumed []int64
	physical []int64
	reserved []int64

	priceTables []int64 // per supplier

	ids   map[string]int64
	rows  int64
	poSeq int
	nfSeq int
}

func newScaleGen(o ScaleOptions, ref *scaleRef) *scaleGen {
	g := &scaleGen{o: o, ref: ref, t0: o.Now.AddDate(-2, 0, 0), ids: map[string]int64{}}
	for k, v := range ref.firstIDs {
		g.ids[k] = v
	}
	g.consumed = make([]int64, o.Products)
	g.physical = make([]int64, o.Products)
	g.reserved = make([]int64, o.Products)
	return g
}

// id returns the next id of a table.
func (g *scaleGen) id(table string) int64 {
	v := g.ids[table]
	g.ids[table] = v + 1
	return v
}

func (g *scaleGen) add(ctx context.Context, l *store.BulkLoader, t int, row ...any) error {
	g.rows++
	return l.Add(ctx, t, row...)
}

func (g *scaleGen) productID(i int) int64 { return g.ref.firstIDs["products"] + int64(i) }
func (g *scaleGen) supplierOf(i int) int  { return i % g.o.Suppliers }
func (g *scaleGen) basePrice(i int) int64 { return 990 + int64((i*7919)%60000) }
func (g *scaleGen) salePrice(i int) int64 { return g.basePrice(i) * 135 / 100 }
func (g *scaleGen) sku(i int) string      { return fmt.Sprintf("ESC-%06d", i+1) }
func (g *scaleGen) supplierCode(i int) string {
	return fmt.Sprintf("F%02d-%06d", g.supplierOf(i)+1, i+1)
}

var scaleParts = []string{"Pastilha de freio", "Disco de freio", "Filtro de óleo", "Filtro de ar", "Amortecedor dianteiro",
	"Vela de ignição", "Correia dentada", "Bomba d'água", "Radiador", "Embreagem kit", "Bieleta", "Pivô de suspensão",
	"Terminal de direção", "Lâmpada farol H4", "Palheta limpador", "Sensor de oxigênio", "Junta do cabeçote", "Rolamento de roda"}
var scaleBrands = []string{"Bosch", "Cofap", "Fras-le", "Mahle", "NGK", "Gates", "Nakata", "Monroe", "Valeo", "SKF"}
var scaleCars = []string{"Gol", "Onix", "HB20", "Palio", "Corolla", "Civic", "Uno", "Fiesta", "Sandero", "Strada"}

func (g *scaleGen) productName(i int) string {
	return fmt.Sprintf("%s %s %s %d", scaleParts[i%len(scaleParts)], scaleCars[(i/7)%len(scaleCars)], scaleBrands[(i/3)%len(scaleBrands)], 1+i%997)
}

// ean13 builds a valid EAN-13 from a 12-digit body.
func ean13(body int) string {
	s := fmt.Sprintf("789%09d", body%1000000000)
	sum := 0
	for i, c := range s {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + strconv.Itoa((10-sum%10)%10)
}

// catalog writes the products and one price table in force per supplier.
func (g *scaleGen) catalog(ctx context.Context, l *store.BulkLoader) error {
	created := g.t0.AddDate(0, 0, -30)
	for i := 0; i < g.o.Products; i++ {
		sup := g.ref.suppliers[g.supplierOf(i)].ID
		if err := g.add(ctx, l, tProducts, g.id("products"), g.sku(i), g.productName(i), scaleBrands[(i/3)%len(scaleBrands)],
			ean13(i+1), "87083090", sup, g.supplierCode(i), true, true, created, created); err != nil {
			return err
		}
	}
	tableIDs := make([]int64, g.o.Suppliers)
	for s := range g.ref.suppliers {
		tableIDs[s] = g.id("price_tables")
		lines := (g.o.Products - s + g.o.Suppliers - 1) / g.o.Suppliers
		eff := g.t0.AddDate(0, 0, -1)
		if err := g.add(ctx, l, tPriceTables, tableIDs[s], g.ref.suppliers[s].ID, "submitted", eff, 20, eff, lines,
			"tabela-escala.csv", "csv", created, created, eff, created); err != nil {
			return err
		}
	}
	line := make([]int, g.o.Suppliers)
	for i := 0; i < g.o.Products; i++ {
		s := g.supplierOf(i)
		line[s]++
		if err := g.add(ctx, l, tPriceItems, tableIDs[s], g.productID(i), line[s], g.supplierCode(i), g.basePrice(i), 1, ean13(i+1), g.productName(i)); err != nil {
			return err
		}
	}
	g.priceTables = tableIDs
	return nil
}

// plan decides order i: when it was placed, where it stands and what it holds.
func (g *scaleGen) plan(i int) scaleOrder {
	r := rand.New(rand.NewPCG(uint64(g.o.Products), uint64(i)))
	span := g.o.Now.Sub(g.t0)
	placed := g.t0.Add(time.Duration(float64(span) * (float64(i) + r.Float64()) / float64(g.o.Orders))).Truncate(time.Second)
	if placed.After(g.o.Now) {
		placed = g.o.Now
	}
	age := g.o.Now.Sub(placed)
	if i >= g.o.Orders-200 && age >= 2*time.Hour && age < 48*time.Hour {
		// a small dataset still has work in every step (some of it late)
		age = 24 * time.Hour
	} else if i >= g.o.Orders-200 && age >= 48*time.Hour {
		age = time.Duration(i%2+1) * 24 * time.Hour
	}
	so := scaleOrder{placed: placed, stage: scaleStageFor(age, r)}
	so.n = 1
	switch x := r.IntN(100); {
	case x >= 92:
		so.n = 3
	case x >= 70:
		so.n = 2
	}
	// a few best sellers, a long tail
	first := int(float64(g.o.Products) * r.Float64() * r.Float64())
	sup := g.supplierOf(first)
	used := map[int]bool{}
	for k := 0; k < so.n; k++ {
		p := first
		if k > 0 {
			p = r.IntN(g.o.Products)
			if r.IntN(100) < 80 { // mostly the same supplier
				p = p - g.supplierOf(p) + sup
				if p >= g.o.Products {
					p -= g.o.Suppliers
				}
			}
		}
		if used[p] {
			so.n = k
			break
		}
		used[p] = true
		so.products[k] = int32(p)
		so.qty[k] = 1
		if x := r.IntN(100); x >= 95 {
			so.qty[k] = 4
		} else if x >= 75 {
			so.qty[k] = 2
		}
	}
	return so
}

// scaleStageFor picks where an order placed age ago stands: old orders are
// delivered or cancelled, recent ones spread over every step.
func scaleStageFor(age time.Duration, r *rand.Rand) scaleStage {
	day := 24 * time.Hour
	x := r.IntN(100)
	switch {
	case age < 2*time.Hour:
		switch {
		case x < 45:
			return scaleStage{so: model.SOAwaitingPayment}
		case x < 75:
			return scaleStage{so: model.SOPaymentApproved}
		default:
			return scaleStage{so: model.SOReadyForHandling, po: model.POAwaitingSupplier}
		}
	case age < 2*day:
		pos := []scaleStage{
			{so: model.SOReadyForHandling, po: model.POAwaitingSupplier},
			{so: model.SOReadyForHandling, po: model.POBackordered},
			{so: model.SOReadyForHandling, po: model.PONoPrice},
			{so: model.SOHandling, po: model.POAcknowledged},
			{so: model.SOHandling, po: model.POAcknowledged},
			{so: model.SOHandling, po: model.POSupplierInvoiced},
			{so: model.SOHandling, po: model.POInvoiceDivergent},
			{so: model.SOHandling, po: model.POInvoiceBooked},
			{so: model.SOInvoiced, po: model.POBilled},
			{so: model.SOCancelled, po: model.POCancelled, cancelled: true},
		}
		return pos[x%len(pos)]
	case age < 10*day:
		switch {
		case x < 25:
			return scaleStage{so: model.SOInvoiced, po: model.POBilled}
		case x < 65:
			return scaleStage{so: model.SODispatched, po: model.POShipped}
		case x < 95:
			return scaleStage{so: model.SODelivered, po: model.PODelivered}
		default:
			return scaleStage{so: model.SOCancelled, po: model.POCancelled, cancelled: true}
		}
	default:
		switch {
		case x < 3:
			return scaleStage{so: model.SOCancelled, cancelled: true} // before payment: no PO
		case x < 7:
			return scaleStage{so: model.SOCancelled, po: model.POCancelled, cancelled: true}
		default:
			return scaleStage{so: model.SODelivered, po: model.PODelivered}
		}
	}
}

// poRank orders the PO statuses along the flow, for "has it reached …".
var poRank = map[model.POStatus]int{
	model.POAwaitingSupplier: 1, model.PONoPrice: 1, model.POBackordered: 2, model.POAcknowledged: 2,
	model.POInvoiceDivergent: 3, model.POSupplierInvoiced: 3, model.POInvoiceBooked: 4, model.POBilled: 5,
	model.POShipped: 6, model.PODelivered: 7, model.POCancelled: 0,
}

func reached(st model.POStatus, want model.POStatus) bool { return poRank[st] >= poRank[want] }

var scaleFirstNames = []string{"Ana", "Bruno", "Carla", "Diego", "Elaine", "Fábio", "Gabriela", "Heitor", "Isabela", "João", "Larissa", "Marcos", "Natália", "Otávio", "Paula", "Rafael"}
var scaleLastNames = []string{"Silva", "Souza", "Oliveira", "Santos", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento", "Lima", "Araújo", "Fernandes"}
var scaleCities = []struct{ city, uf, ibge, cep string }{
	{"São Paulo", "SP", "3550308", "01310100"}, {"Campinas", "SP", "3509502", "13010001"}, {"Rio de Janeiro", "RJ", "3304557", "20040002"},
	{"Belo Horizonte", "MG", "3106200", "30130010"}, {"Curitiba", "PR", "4106902", "80010000"}, {"Porto Alegre", "RS", "4314902", "90010000"},
	{"Salvador", "BA", "2927408", "40010000"}, {"Recife", "PE", "2611606", "50010000"}, {"Goiânia", "GO", "5208707", "74003010"},
}

// cpf builds a valid CPF from a 9-digit body.
func cpf(body int) string {
	s := fmt.Sprintf("%09d", body%1000000000)
	for n := 0; n < 2; n++ {
		sum := 0
		for i, c := range s {
			sum += int(c-'0') * (len(s) + 1 - i)
		}
		d := 11 - sum%11
		if d >= 10 {
			d = 0
		}
		s += strconv.Itoa(d)
	}
	return s
}

// nfeKey builds a valid 44-digit access key.
func nfeKey(at time.Time, issuer string, number, cnf int) string {
	first := fmt.Sprintf("35%02d%02d%s55001%09d1%08d", at.Year()%100, int(at.Month()), issuer, number, cnf%100000000)
	return first + strconv.Itoa(nfe.KeyCheckDigit(first))
}

// s10 builds a valid Correios tracking code.
func s10(serial int) string {
	s := fmt.Sprintf("%08d", serial%100000000)
	d, _ := shipping.S10CheckDigit(s)
	return "SC" + s + strconv.Itoa(d) + "BR"
}

// companyCNPJ is the issuer of the billing invoices in the scale data.
const companyCNPJ = DemoCompanyCNPJ

// orders writes the orders, their POs and everything hanging from them,
// and the stock ledger: each product's stock is first fed (a spreadsheet
// large enough for what the dataset sells), then reserved by each order,
// consumed by the booking of the supplier's invoice or released by a
// cancellation.
func (g *scaleGen) orders(ctx context.Context, l *store.BulkLoader) error {
	// Pass 1: what each product sells, to feed enough stock first.
	for i := 0; i < g.o.Orders; i++ {
		so := g.plan(i)
		if so.stage.cancelled {
			continue
		}
		for k := 0; k < so.n; k++ {
			g.consumed[so.products[k]] += int64(so.qty[k])
		}
	}
	feedAt := g.t0.AddDate(0, 0, -1)
	for i := 0; i < g.o.Products; i++ {
		g.physical[i] = g.consumed[i] + int64(i*31%120)
		if i%17 == 0 { // some products run out
			g.physical[i] = g.consumed[i]
		}
		if err := g.add(ctx, l, tMovements, g.id("stock_movements"), g.productID(i), g.ref.locations[g.supplierOf(i)], string(model.SourceSpreadsheet),
			g.physical[i], 0, g.physical[i], 0, "carga inicial", "", "seed", feedAt); err != nil {
			return err
		}
	}
	for i := 0; i < g.o.Orders; i++ {
		if err := g.order(ctx, l, i); err != nil {
			return err
		}
		if g.o.Progress != nil && (i+1)%100000 == 0 {
			g.o.Progress(i + 1)
		}
	}
	return nil
}

func (g *scaleGen) move(ctx context.Context, l *store.BulkLoader, p int, src model.StockSource, dPhys, dRes int64, ref string, at time.Time) error {
	g.physical[p] += dPhys
	g.reserved[p] += dRes
	return g.add(ctx, l, tMovements, g.id("stock_movements"), g.productID(p), g.ref.locations[g.supplierOf(p)], string(src),
		dPhys, dRes, g.physical[p], g.reserved[p], ref, "", "seed", at)
}

func (g *scaleGen) order(ctx context.Context, l *store.BulkLoader, i int) error {
	so := g.plan(i)
	r := rand.New(rand.NewPCG(uint64(i), 7))
	st := so.stage
	id := g.id("sales_orders")
	number := fmt.Sprintf("%08d", i+1)
	external := fmt.Sprintf("ESC-%08d-01", i+1)
	pj := r.IntN(100) < 8
	name := scaleFirstNames[r.IntN(len(scaleFirstNames))] + " " + scaleLastNames[r.IntN(len(scaleLastNames))]
	doc, ptype := cpf(100000000+i*7), model.PersonType("PF")
	if pj {
		base := fmt.Sprintf("%08d0001", 10000000+i%89999999)
		doc, ptype, name = withCNPJDigits(base), model.PersonType("PJ"), name+" Autopeças Ltda"
	}
	city := scaleCities[r.IntN(len(scaleCities))]
	email := fmt.Sprintf("cliente%d@exemplo.com.br", i+1)
	street, num, district := "Rua das Oficinas", strconv.Itoa(1+r.IntN(2999)), "Centro"
	placed := so.placed
	at := func(h float64) time.Time { return placed.Add(time.Duration(h * float64(time.Hour))) }
	var paid *time.Time
	if st.so != model.SOAwaitingPayment && !(st.cancelled && st.po == "") {
		t := at(0.3)
		paid = &t
	}
	var items, shipCents int64 = 0, 1490 + int64(r.IntN(3000))
	for k := 0; k < so.n; k++ {
		items += g.salePrice(int(so.products[k])) * int64(so.qty[k])
	}
	tracking := ""
	if reached(st.po, model.POShipped) {
		tracking = s10(int(g.ids["purchase_orders"])) // its first PO's shipment
	}
	updated := placed
	final := g.lastChange(st, placed)
	if final.After(updated) {
		updated = final
	}
	booked := reached(st.po, model.POInvoiceBooked)
	// like the platforms, an order awaiting payment reserves nothing
	reserves := st.so != model.SOAwaitingPayment && !(st.cancelled && st.po == "")
	reservedNow := reserves && !st.cancelled && !booked
	if err := g.add(ctx, l, tOrders, id, g.ref.platformID, external, number, string(st.so), string(st.so), reservedNow, booked,
		name, string(ptype), doc, email, "11999990000",
		name, street, num, district, city.cep, city.city, city.uf, "BRA", city.ibge,
		"Normal", g.ref.carrierID, tracking, items, shipCents, items+shipCents,
		placed, paid, updated, placed, updated); err != nil {
		return err
	}
	if err := g.add(ctx, l, tOrderEvents, g.id("sales_order_events"), id, placed, model.OrderEventImported, "Pedido importado da plataforma.", "sistema"); err != nil {
		return err
	}
	if st.so != model.SOAwaitingPayment {
		if err := g.add(ctx, l, tOrderEvents, g.id("sales_order_events"), id, updated, model.OrderEventStatusChanged, "Status: "+st.so.Label()+".", "sistema"); err != nil {
			return err
		}
	}
	itemIDs := make([]int64, so.n)
	for k := 0; k < so.n; k++ {
		p := int(so.products[k])
		q := int64(so.qty[k])
		itemIDs[k] = g.id("sales_order_items")
		if err := g.add(ctx, l, tOrderItems, itemIDs[k], id, k+1, g.productID(p), g.ref.locations[g.supplierOf(p)], g.sku(p), strconv.Itoa(k+1),
			g.productName(p), q, g.salePrice(p), g.salePrice(p)*q, booked); err != nil {
			return err
		}
		if !reserves {
			continue
		}
		if err := g.move(ctx, l, p, model.SourceOrder, 0, q, "Pedido "+number, *paid); err != nil {
			return err
		}
	}
	if st.po == "" {
		return nil // not paid (or cancelled before): nothing reserved, no PO
	}
	// one PO per supplier of the order
	bySup := map[int][]int{}
	var sups []int
	for k := 0; k < so.n; k++ {
		s := g.supplierOf(int(so.products[k]))
		if _, ok := bySup[s]; !ok {
			sups = append(sups, s)
		}
		bySup[s] = append(bySup[s], k)
	}
	for _, s := range sups {
		if err := g.po(ctx, l, so, s, bySup[s], id, number, name, string(ptype), doc, email, street, num, district, city); err != nil {
			return err
		}
	}
	return g.release(ctx, l, so, st, number, updated)
}

// release gives back a cancelled order's reservation.
func (g *scaleGen) release(ctx context.Context, l *store.BulkLoader, so scaleOrder, st scaleStage, number string, at time.Time) error {
	if !st.cancelled {
		return nil
	}
	for k := 0; k < so.n; k++ {
		if err := g.move(ctx, l, int(so.products[k]), model.SourceOrder, 0, -int64(so.qty[k]), "Pedido "+number, at); err != nil {
			return err
		}
	}
	return nil
}

// lastChange is when an order at stage st last moved.
func (g *scaleGen) lastChange(st scaleStage, placed time.Time) time.Time {
	h := map[model.POStatus]float64{"": 0.3, model.POAwaitingSupplier: 1, model.PONoPrice: 1, model.POBackordered: 3, model.POAcknowledged: 2,
		model.POSupplierInvoiced: 6, model.POInvoiceDivergent: 6, model.POInvoiceBooked: 8, model.POBilled: 10, model.POShipped: 30,
		model.PODelivered: 24 * 5, model.POCancelled: 12}[st.po]
	t := placed.Add(time.Duration(h * float64(time.Hour)))
	if t.After(g.o.Now) {
		t = g.o.Now
	}
	return t
}

func (g *scaleGen) po(ctx context.Context, l *store.BulkLoader, so scaleOrder, s int, ks []int, orderID int64, number, name, ptype, doc, email, street, num, district string,
	city struct{ city, uf, ibge, cep string }) error {
	st := so.stage
	sup := g.ref.suppliers[s]
	g.poSeq++
	id := g.id("purchase_orders")
	poNumber := fmt.Sprintf("PC-%06d", id)
	placed := so.placed
	clamp := func(h float64) *time.Time {
		t := placed.Add(time.Duration(h * float64(time.Hour)))
		if t.After(g.o.Now) {
			t = g.o.Now
		}
		return &t
	}
	created := *clamp(0.5)
	var ack, backAt, invoiced, billed, dispatched, shipped, delivered, cancelled *time.Time
	backOn, backReason, cancelReason := "", "", ""
	if st.po == model.POBackordered {
		backAt, backOn, backReason = clamp(3), placed.AddDate(0, 0, 10).Format("2006-01-02"), "Sem estoque no fornecedor"
	}
	if reached(st.po, model.POAcknowledged) && st.po != model.POBackordered {
		ack = clamp(2)
	}
	if reached(st.po, model.POSupplierInvoiced) {
		invoiced = clamp(6)
	}
	if reached(st.po, model.POBilled) {
		billed = clamp(10)
	}
	if reached(st.po, model.POShipped) {
		dispatched, shipped = clamp(24), clamp(30)
	}
	if st.po == model.PODelivered {
		delivered = clamp(24 * 5)
	}
	if st.po == model.POCancelled {
		cancelled, cancelReason = clamp(12), "Pedido cancelado na plataforma."
	}
	var total int64
	for _, k := range ks {
		if st.po != model.PONoPrice {
			total += g.basePrice(int(so.products[k])) * int64(so.qty[k])
		}
	}
	updated := g.lastChange(st, placed)
	due := created.Add(time.Duration(sup.DispatchHours) * time.Hour)
	if err := g.add(ctx, l, tPOs, id, poNumber, orderID, sup.ID, string(st.po), number,
		name, ptype, doc, email, name, street, num, district, city.cep, city.city, city.uf, "BRA", city.ibge,
		"Normal", "Correios", total, created, sup.DispatchHours, due,
		ack, backAt, backOn, backReason, invoiced, billed, dispatched, shipped, delivered, cancelled, cancelReason, created, updated); err != nil {
		return err
	}
	for n, k := range ks {
		p := int(so.products[k])
		q := int64(so.qty[k])
		var unit, tot, table any
		if st.po != model.PONoPrice {
			unit, tot, table = g.basePrice(p), g.basePrice(p)*q, g.priceTables[s]
		}
		if err := g.add(ctx, l, tPOItems, g.id("purchase_order_items"), id, n+1, g.productID(p), g.sku(p), g.supplierCode(p), ean13(p+1), "87083090",
			g.productName(p), q, unit, tot, table); err != nil {
			return err
		}
	}
	ev := func(at *time.Time, kind, msg, actor string) error {
		if at == nil {
			return nil
		}
		return g.add(ctx, l, tPOEvents, g.id("purchase_order_events"), id, *at, kind, msg, actor)
	}
	steps := []struct {
		at          *time.Time
		kind, msg   string
		actor       string
		onlyIfState model.POStatus
	}{
		{&created, model.POEventCreated, "Pedido de compra criado.", "sistema", ""},
		{ack, model.POEventAcknowledged, "Fornecedor confirmou o pedido.", sup.TradeName, ""},
		{backAt, model.POEventBackordered, "Fornecedor sem estoque.", sup.TradeName, ""},
		{invoiced, model.POEventInvoice, "NF-e do fornecedor recebida.", sup.TradeName, ""},
		{clamp(8), model.POEventBooked, "NF-e do fornecedor escriturada.", "fiscal", model.POInvoiceBooked},
		{billed, model.POEventBilled, "NF-e de faturamento emitida.", "fiscal", ""},
		{dispatched, model.POEventDispatched, "Despachado.", "logística", ""},
		{shipped, model.POEventShipped, "Enviado.", sup.TradeName, ""},
		{delivered, "delivered", "Entregue ao cliente.", "sistema", ""},
		{cancelled, "cancelled", cancelReason, "sistema", ""},
	}
	for _, e := range steps {
		if e.onlyIfState != "" && !reached(st.po, e.onlyIfState) {
			continue
		}
		if err := ev(e.at, e.kind, e.msg, e.actor); err != nil {
			return err
		}
	}
	if invoiced != nil {
		g.nfSeq++
		status := "accepted"
		if st.po == model.POInvoiceDivergent {
			status = "divergent"
		}
		key := nfeKey(*invoiced, sup.CNPJ, g.nfSeq, int(id))
		if err := g.add(ctx, l, tSupplierInvoices, g.id("supplier_invoices"), id, key, g.nfSeq, 1, *invoiced, sup.CNPJ, total,
			"", status, "[]", *invoiced); err != nil {
			return err
		}
		if reached(st.po, model.POInvoiceBooked) {
			for _, k := range ks {
				if err := g.move(ctx, l, int(so.products[k]), model.SourceInvoiceEntry, -int64(so.qty[k]), -int64(so.qty[k]), key, *clamp(8)); err != nil {
					return err
				}
			}
		}
	}
	if billed != nil {
		key := nfeKey(*billed, companyCNPJ, int(id), int(id)*3)
		if err := g.add(ctx, l, tBillingInvoices, g.id("billing_invoices"), id, key, int(id), 2, *billed, doc, total, "", *billed); err != nil {
			return err
		}
	}
	if shipped != nil {
		code := s10(int(id))
		if err := g.add(ctx, l, tShipments, g.id("po_shipments"), id, "correios", code, shipping.TrackingURL("correios", code), "zpl",
			"scale/label.zpl", "", int64(0), *shipped); err != nil {
			return err
		}
	}
	return nil
}

// balances writes each product's balance, the sums of its movements, and
// its stock totals (one location a product).
func (g *scaleGen) balances(ctx context.Context, l *store.BulkLoader) error {
	for i := 0; i < g.o.Products; i++ {
		if err := g.add(ctx, l, tBalances, g.productID(i), g.ref.locations[g.supplierOf(i)], g.physical[i], g.reserved[i], g.o.Now); err != nil {
			return err
		}
		if err := g.add(ctx, l, tProductStock, g.productID(i), g.physical[i], g.reserved[i]); err != nil {
			return err
		}
	}
	return nil
}
