// Package seed creates the demo data of `portal seed --demo` and of the first
// `make run`. Every step is idempotent: running it twice changes nothing.
package seed

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// DemoPassword is the password of every demo user. Demo data is for trying the
// portal out; production users come from `portal user add`.
const DemoPassword = "demo-connectparts"

// DemoCompanyCNPJ is ConnectParts' CNPJ in the demo data.
const DemoCompanyCNPJ = "33445566000186"

// Login is one demo account, printed for the newcomer.
type Login struct {
	Email string
	Role  model.Role
	Note  string
}

// Demo creates the demo data and returns the demo logins.
func Demo(ctx context.Context, st *store.Store, svc *auth.Service) ([]Login, error) {
	ctx = model.WithActor(ctx, model.Actor{Label: "seed"})
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
	return logins, nil
}
