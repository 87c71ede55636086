// Package seed creates the demo data of `portal seed --demo` and of the first
// `make run`. Every step is idempotent: running it twice changes nothing.
package seed

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
)

// DemoPassword is the password of every demo user. Demo data is for trying the
// portal out; production users come from `portal user add`.
const DemoPassword = "demo-pastilha-ventilada"

// DemoCompanyCNPJ is ConnectParts' CNPJ in the demo data.
const DemoCompanyCNPJ = "33445566000186"

// Login is one demo account, printed for the newcomer.
type Login struct {
	Email string
	Role  model.Role
	Note  string
}

// Deps are the services the demo data goes through (the same rules as users get).
type Deps struct {
	Store *store.Store
	Auth  *auth.Service
	Stock *stock.Service

	PriceTables *pricetable.Service // nil: no demo price tables
	Orders      *syncengine.Service // nil: no demo platform
	Purchasing  *purchasing.Service // nil: the demo POs all stay awaiting the supplier
}

// Demo creates the demo data and returns the demo logins.
func Demo(ctx context.Context, d Deps) ([]Login, error) {
	st, svc := d.Store, d.Auth
	ctx = model.WithActor(ctx, model.Actor{Label: "seed"})
	end := st.Now().Add(-time.Minute) // the story (demo_clock.go) ends as the seed starts
	clock := startDemoClock(st)
	defer clock.stop()
	clock.at(end.Add(-demoSetupAge))
	suppliers := []model.Supplier{
		{CNPJ: "11222333000181", LegalName: "Autopeças Paulista Distribuidora Ltda", TradeName: "Paulista Autopeças", Email: "pedidos@paulista.example", DispatchHours: 24, PriceNoticeDays: 20, Active: true},
		{CNPJ: "12ABC34501DE35", LegalName: "Freios & Cia Indústria de Componentes S.A.", TradeName: "Freios & Cia", Email: "vendas@freioscia.example", DispatchHours: 48, PriceNoticeDays: 20, Active: true},
	}
	ids := make([]int64, len(suppliers))
	for i := range suppliers {
		sup := suppliers[i]
		existing, err := st.FindSupplierByCNPJ(ctx, sup.CNPJ)
		switch {
		case err == nil:
			ids[i] = existing.ID
		case apperr.Is(err, apperr.ENOTFOUND):
			if err := st.CreateSupplier(ctx, &sup); err != nil {
				return nil, fmt.Errorf("fornecedor %s: %w", sup.CNPJ, err)
			}
			ids[i] = sup.ID
		default:
			return nil, err
		}
	}
	users := []struct {
		email, name string
		role        model.Role
		supplier    int // index+1 into suppliers, 0 for staff
		note        string
	}{
		{"admin@connectparts.example", "Administrador Demo", model.RoleAdmin, 0, "administrador"},
		{"compras@connectparts.example", "Carla Compras", model.RolePurchasing, 0, "compras"},
		{"fiscal@connectparts.example", "Fábio Fiscal", model.RoleFiscal, 0, "fiscal"},
		{"logistica@connectparts.example", "Lúcia Logística", model.RoleLogistics, 0, "logística"},
		{"consulta@connectparts.example", "Vítor Consulta", model.RoleViewer, 0, "consulta"},
		{"fornecedor@paulista.example", "Paulo (Paulista Autopeças)", model.RoleSupplier, 1, "fornecedor Paulista Autopeças"},
		{"fornecedor@freioscia.example", "Fernanda (Freios & Cia)", model.RoleSupplier, 2, "fornecedor Freios & Cia"},
	}
	var logins []Login
	for _, u := range users {
		logins = append(logins, Login{Email: u.email, Role: u.role, Note: u.note})
		if _, err := st.FindUserByEmail(ctx, u.email); err == nil {
			continue
		} else if !apperr.Is(err, apperr.ENOTFOUND) {
			return nil, err
		}
		in := auth.NewUser{Email: u.email, Name: u.name, Role: u.role, Password: DemoPassword}
		if u.supplier > 0 {
			id := ids[u.supplier-1]
			in.SupplierID = &id
		}
		if _, _, err := svc.CreateUser(ctx, in); err != nil {
			return nil, fmt.Errorf("usuário %s: %w", u.email, err)
		}
	}
	if err := demoCatalog(ctx, d, ids); err != nil {
		return nil, err
	}
	if err := demoPriceTables(ctx, d, ids); err != nil {
		return nil, err
	}
	if err := demoPlatform(ctx, d, clock, end); err != nil {
		return nil, err
	}
	if v, err := st.GetSetting(ctx, store.SettingCompanyCNPJ); err != nil {
		return nil, err
	} else if v == "" {
		if err := st.SetSetting(ctx, store.SettingCompanyCNPJ, DemoCompanyCNPJ); err != nil {
			return nil, err
		}
		if err := st.SetSetting(ctx, store.SettingCompanyName, "ConnectParts Comércio de Autopeças Ltda (demo)"); err != nil {
			return nil, err
		}
	}
	if err := demoPurchaseOrders(ctx, d, ids, clock, end); err != nil {
		return nil, err
	}
	return logins, nil
}

// demoProduct is a demo catalog product; stock is its supplier's stock three
// days ago, enough for the demo's orders since (no product shows a negative
// available stock).
type demoProduct struct {
	sku, name, brand, ean, ncm, code string
	supplier                         int // index into the demo suppliers
	stock                            int64
}

var demoProducts = []demoProduct{
	{"CP-PF-1001", "Pastilha de freio dianteira Gol G5", "Cobreq", "7896224800112", "87083090", "PAU-PF-01", 0, 12},
	{"CP-PF-1002", "Pastilha de freio traseira Onix", "Cobreq", "", "87083090", "PAU-PF-02", 0, 8},
	{"CP-AM-2001", "Amortecedor dianteiro HB20", "Monroe", "", "87088000", "PAU-AM-11", 0, 9},
	{"CP-FO-3001", "Filtro de óleo motor 1.0", "Tecfil", "", "84212300", "PAU-FO-21", 0, 40},
	{"CP-VE-4001", "Vela de ignição (jogo com 4)", "NGK", "", "85111000", "PAU-VE-31", 0, 10},
	{"CP-DF-5001", "Disco de freio ventilado Corolla", "Fremax", "", "87083090", "FC-DF-500", 1, 6},
	{"CP-DF-5002", "Disco de freio sólido Palio", "Fremax", "", "87083090", "FC-DF-501", 1, 10},
	{"CP-PF-5003", "Pastilha cerâmica Civic", "Fras-le", "", "87083090", "FC-PF-502", 1, 15},
	{"CP-FL-5004", "Fluido de freio DOT 4 500 ml", "Bosch", "", "38190000", "FC-FL-503", 1, 30},
	{"CP-SE-5005", "Sensor de ABS dianteiro", "Bosch", "", "90318090", "FC-SE-504", 1, 12},
}

// demoCatalog creates the demo products and their suppliers' stock.
func demoCatalog(ctx context.Context, d Deps, supplierIDs []int64) error {
	for _, dp := range demoProducts {
		sid := supplierIDs[dp.supplier]
		p, err := d.Store.FindProductBySKU(ctx, dp.sku)
		if apperr.Is(err, apperr.ENOTFOUND) {
			p = &model.Product{SKU: dp.sku, Name: dp.name, Brand: dp.brand, EAN: dp.ean, NCM: dp.ncm,
				SupplierID: &sid, SupplierCode: dp.code, Dropship: true, Active: true}
			p.Normalize()
			if err = p.Validate(); err == nil {
				err = d.Store.CreateProduct(ctx, p)
			}
		}
		if err != nil {
			return fmt.Errorf("produto %s: %w", dp.sku, err)
		}
		if d.Stock == nil {
			continue
		}
		loc, err := d.Stock.LocationFor(ctx, p)
		if err != nil {
			return err
		}
		if t, err := d.Stock.Of(ctx, p.ID); err != nil {
			return err
		} else if len(t.Locations) > 0 {
			continue // the demo never overwrites stock people have changed since
		}
		if _, err := d.Stock.Count(ctx, p.ID, loc.ID, dp.stock, model.SourceSpreadsheet, "seed", "estoque inicial de demonstração"); err != nil {
			return err
		}
	}
	return nil
}

// DemoPlatformName is the demo sandbox platform.
const DemoPlatformName = "Loja Demo"

// demoPlatform connects a sandbox platform whose orders were placed from
// yesterday morning to a few hours ago, maps its shipping methods to
// carriers and imports the orders as they came: each import runs a little
// after the order was paid, and moves the paid ones on to ready for handling
// (the default po_at), so that each PO is raised just after its order. A
// second run (the sandbox builds the same orders from its settings) imports
// nothing twice.
func demoPlatform(ctx context.Context, d Deps, clock *demoClock, end time.Time) error {
	if d.Orders == nil {
		return nil
	}
	p, err := d.Store.FindPlatformByName(ctx, DemoPlatformName)
	created := false
	if apperr.Is(err, apperr.ENOTFOUND) {
		first := end.Add(-demoFirstOrder).Truncate(time.Minute)
		interval := (demoFirstOrder - demoLastOrder) / (demoOrders - 1)
		p, err = d.Orders.AddPlatform(ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: DemoPlatformName,
			Settings: map[string]string{"orders": strconv.Itoa(demoOrders), "start": first.Format(time.RFC3339),
				"interval": interval.Truncate(time.Minute).String()}})
		created = true
	}
	if err != nil {
		return fmt.Errorf("plataforma de demonstração: %w", err)
	}
	for _, m := range [][2]string{{"Normal", "Correios"}, {"Expressa", "Jadlog"}, {"Econômica", "Loggi"}} {
		// A method mapped already is left alone (as people may have changed
		// it), and a second run writes no audit entry.
		if _, err := d.Store.FindCarrierMapping(ctx, p.ID, m[0]); err == nil {
			continue
		} else if !apperr.Is(err, apperr.ENOTFOUND) {
			return err
		}
		if _, err := d.Orders.MapCarrier(ctx, p.Name, m[0], m[1]); err != nil {
			return fmt.Errorf("vínculo de transportadora %s: %w", m[0], err)
		}
	}
	ad, err := d.Orders.Registry().Adapter(ctx, p)
	if err != nil {
		return err
	}
	sb, ok := ad.(*sandbox.Platform)
	if !ok {
		return fmt.Errorf("plataforma de demonstração: %q não é a plataforma de demonstração", p.Name)
	}
	moments := []time.Time{end} // a second run imports once, now
	if created {
		moments = moments[:0]
		for _, o := range sb.Orders() {
			moments = append(moments, minTime(o.CreatedAt.Add(demoImportLag), end))
		}
		sort.Slice(moments, func(i, j int) bool { return moments[i].Before(moments[j]) })
	}
	for _, at := range moments {
		clock.at(at)
		if _, err := d.Orders.RunImport(ctx, p.ID); err != nil {
			return fmt.Errorf("importação da plataforma de demonstração: %w", err)
		}
		// The cancellation window of the paid orders passes: ready for
		// handling, and the next import raises their POs.
		for _, o := range sb.Orders() {
			if o.Status == model.SOPaymentApproved && !o.UpdatedAt.After(at) {
				if err := sb.SetStatus(o.ExternalID, model.SOReadyForHandling); err != nil {
					return err
				}
			}
		}
		if _, err := d.Orders.RunImport(ctx, p.ID); err != nil {
			return fmt.Errorf("importação da plataforma de demonstração: %w", err)
		}
	}
	return nil
}

// demoOrders is how many orders the demo platform has.
const demoOrders = 20

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
