package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
	"github.com/connectparts/portal/views"
)

// The whitelists of the sortable columns of each list (sort= → SQL).
var (
	poSortColumns = sortColumns{
		"number": "number", "order": "order_number", "customer": "customer_name", "status": "status",
		"total": "total_cents", "created": "created_at", "due": "due_at", "billed": "billed_at",
	}
	orderSortColumns = sortColumns{
		"number": "number", "customer": "customer_name", "status": "status", "total": "total_cents", "placed": "placed_at",
	}
	productSortColumns = sortColumns{
		"sku": "sku", "name": "LOWER(name)", "brand": "brand", "code": "supplier_code", "active": "active",
	}
	stockSortColumns = sortColumns{
		"sku": "p.sku", "name": "LOWER(p.name)", "code": "p.supplier_code",
		// product_stock's totals (store.stockList), no longer a sum over the balances
		"physical": "COALESCE(ps.physical, 0)", "reserved": "COALESCE(ps.reserved, 0)",
		"available": "COALESCE(ps.physical, 0) - COALESCE(ps.reserved, 0)",
	}
	priceTableSortColumns = sortColumns{
		"id": "t.id", "effective": "t.effective_from", "lines": "t.line_count", "submitted": "t.submitted_at",
	}
	auditSortColumns   = sortColumns{"at": "at", "actor": "actor", "action": "action", "entity": "entity"}
	syncRunSortColumns = sortColumns{
		"kind": "kind", "started": "started_at", "imported": "imported", "updated": "updated",
		"blocked": "blocked", "skipped": "skipped", "status": "status",
	}
	emailSortColumns = sortColumns{"created": "id", "to": "to_addr", "status": "status", "attempts": "attempts"}
	userSortColumns  = sortColumns{
		"name": "LOWER(name)", "email": "email", "role": "role", "active": "active", "login": "last_login_at",
	}
	supplierSortColumns = sortColumns{
		"name": "LOWER(legal_name)", "cnpj": "cnpj", "email": "email", "dispatch": "dispatch_hours", "active": "active",
	}
)

// exportPurchaseOrders answers the filtered PO list as a download; the
// filter already holds the supplier of a supplier user.
func (s *Server) exportPurchaseOrders(c *fiber.Ctx, fm tabular.Format, f store.PurchaseOrderFilter, u *model.User) error {
	isSupplier := u.Role == model.RoleSupplier
	// A supplier's export masks the customers of POs past their window and
	// logs the others (privacy); the log is written once the rows are sent.
	sight, err := s.privacy.Begin(c.UserContext(), u, model.ViewChannelExport, c.Path())
	if err != nil {
		return err
	}
	names := map[int64]string{}
	if !isSupplier {
		if names, err = s.supplierNames(c.UserContext()); err != nil {
			return err
		}
	}
	header := []string{"Pedido de compra", "Fornecedor", "Pedido de venda", "Cliente", "Status", "Total (R$)", "Criado em", "Prazo de envio"}
	if isSupplier {
		header = append(header[:1:1], header[2:]...)
	}
	return s.sendExport(c, fm, "pedidos-de-compra", header, func(ctx context.Context, write func(...string) error) error {
		err := s.store.EachPurchaseOrder(ctx, f, func(po *model.PurchaseOrder) error {
			sight.Apply(po)
			due := ""
			if !po.DueAt.IsZero() {
				due = format.DateTime(po.DueAt)
			}
			row := []string{po.Number, supplierName(names, po.SupplierID), po.OrderNumber, po.CustomerName, po.Status.Label(),
				tabular.FormatCentavos(po.TotalCents), format.DateTime(po.CreatedAt), due}
			if isSupplier {
				row = append(row[:1:1], row[2:]...)
			}
			return write(row...)
		})
		if ferr := s.privacy.Flush(ctx, sight); err == nil {
			err = ferr
		}
		return err
	})
}

func supplierName(names map[int64]string, id int64) string {
	if n, ok := names[id]; ok {
		return n
	}
	return "#" + strconv.FormatInt(id, 10)
}

// exportSuppliers answers the filtered supplier list as a download.
func (s *Server) exportSuppliers(c *fiber.Ctx, fm tabular.Format, f store.SupplierFilter) error {
	header := []string{"Razão social", "Nome fantasia", "CNPJ", "E-mail", "Prazo de envio (h)", "Aviso de preço (dias)", "Situação"}
	return s.sendExport(c, fm, "fornecedores", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachSupplier(ctx, f, func(sp *model.Supplier) error {
			state := "Ativo"
			if !sp.Active {
				state = "Inativo"
			}
			return write(sp.LegalName, sp.TradeName, cnpj.Format(sp.CNPJ), sp.Email,
				strconv.Itoa(sp.DispatchHours), strconv.Itoa(sp.PriceNoticeDays), state)
		})
	})
}

// exportUsers answers the filtered user list as a download.
func (s *Server) exportUsers(c *fiber.Ctx, fm tabular.Format, f store.UserFilter) error {
	header := []string{"Nome", "E-mail", "Perfil", "Fornecedor", "Situação", "Último acesso"}
	sups, err := s.store.AllSuppliers(c.UserContext())
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(sups))
	for _, sp := range sups {
		names[sp.ID] = sp.LegalName
	}
	return s.sendExport(c, fm, "usuarios", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachUser(ctx, f, func(u *model.User) error {
			state, supplier, login := "Ativo", "", ""
			if !u.Active {
				state = "Inativo"
			}
			if u.SupplierID != nil {
				supplier = names[*u.SupplierID]
			}
			if u.LastLoginAt != nil {
				login = format.DateTime(*u.LastLoginAt)
			}
			return write(u.Name, u.Email, u.Role.Label(), supplier, state, login)
		})
	})
}

// exportEmails answers the filtered outbox as a download (no bodies: they
// may hold reset links).
func (s *Server) exportEmails(c *fiber.Ctx, fm tabular.Format, f store.EmailFilter) error {
	header := []string{"Criado em", "Para", "Assunto", "Situação", "Tentativas", "Enviado em", "Último erro"}
	return s.sendExport(c, fm, "emails", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachEmail(ctx, f, func(e *model.Email) error {
			sent := ""
			if e.SentAt != nil {
				sent = format.DateTime(*e.SentAt)
			}
			return write(format.DateTime(e.CreatedAt), e.ToAddr, e.Subject, model.EmailStatusLabel(e.Status),
				strconv.Itoa(e.Attempts), sent, e.LastError)
		})
	})
}

// exportAudit answers the filtered audit log as a download.
func (s *Server) exportAudit(c *fiber.Ctx, fm tabular.Format, f store.AuditFilter) error {
	header := []string{"Quando", "Quem", "O quê", "Detalhes", "IP", "Registro", "Id", "Código da ação"}
	return s.sendExport(c, fm, "auditoria", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachAuditEntry(ctx, f, func(e *model.AuditEntry) error {
			row := views.DescribeAudit(*e, nil)
			details := make([]string, len(row.Details))
			for i, d := range row.Details {
				details[i] = d.Label + ": " + d.Value
			}
			return write(format.DateTime(e.At), e.Actor, row.Sentence, strings.Join(details, "; "), e.IP, e.Entity, e.EntityID, e.Action)
		})
	})
}

// exportSyncRuns answers the filtered sync log as a download.
func (s *Server) exportSyncRuns(c *fiber.Ctx, fm tabular.Format, f store.SyncRunFilter, platformNames map[int64]string) error {
	header := []string{"Plataforma", "Tipo", "Início", "Fim", "Resultado", "Importados", "Atualizados", "Bloqueados", "Erro"}
	return s.sendExport(c, fm, "sincronizacoes", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachSyncRun(ctx, f, func(r *model.SyncRun) error {
			return write(syncRunRow(r, platformNames)...)
		})
	})
}

func syncRunRow(r *model.SyncRun, names map[int64]string) []string {
	name, ok := names[r.PlatformID]
	if !ok {
		name = "#" + strconv.FormatInt(r.PlatformID, 10)
	}
	return []string{name, model.SyncKindLabel(r.Kind), format.DateTime(r.StartedAt), format.DateTimePtr(r.FinishedAt), r.Status.Label(),
		strconv.Itoa(r.Imported), strconv.Itoa(r.Updated), strconv.Itoa(r.Blocked), r.ErrorMessage}
}

// exportSalesOrders answers the filtered sales-order list as a download.
func (s *Server) exportSalesOrders(c *fiber.Ctx, fm tabular.Format, f store.OrderSearch, platformNames map[int64]string) error {
	header := []string{"Pedido", "Plataforma", "Id na plataforma", "Cliente", "CPF/CNPJ", "Cidade", "UF", "Status", "Total (R$)", "Feito em"}
	return s.sendExport(c, fm, "pedidos", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachSalesOrder(ctx, f, func(o *model.SalesOrder) error {
			return write(o.Number, supplierName(platformNames, o.PlatformID), o.ExternalID, o.CustomerName, o.CustomerDocument,
				o.DeliveryCity, o.DeliveryState, o.Status.Label(), tabular.FormatCentavos(o.TotalCents), format.DateTime(o.PlacedAt))
		})
	})
}

// exportProducts answers the filtered catalog as a download.
func (s *Server) exportProducts(c *fiber.Ctx, fm tabular.Format, f store.ProductFilter) error {
	names, err := s.supplierNames(c.UserContext())
	if err != nil {
		return err
	}
	header := []string{"SKU", "Nome", "Marca", "EAN", "NCM", "Fornecedor", "Cód. fornecedor", "Dropship", "Situação"}
	return s.sendExport(c, fm, "produtos", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachProduct(ctx, f, func(p *model.Product) error {
			sup := ""
			if p.SupplierID != nil {
				sup = supplierName(names, *p.SupplierID)
			}
			return write(p.SKU, p.Name, p.Brand, p.EAN, p.NCM, sup, p.SupplierCode, format.YesNo(p.Dropship), format.ActiveLabel(p.Active))
		})
	})
}

// supplierNames is every supplier's display name by id, for the exports
// that name a row's supplier (one query, not one per row).
func (s *Server) supplierNames(ctx context.Context) (map[int64]string, error) {
	sups, err := s.store.AllSuppliers(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(sups))
	for _, sp := range sups {
		names[sp.ID] = sp.DisplayName()
	}
	return names, nil
}

// exportStock answers the filtered stock list as a download; the filter
// already holds the supplier of a supplier user.
func (s *Server) exportStock(c *fiber.Ctx, fm tabular.Format, f store.StockFilter, sups []model.Supplier) error {
	names := make(map[int64]string, len(sups))
	for _, sp := range sups {
		names[sp.ID] = sp.DisplayName()
	}
	header := []string{"SKU", "Produto", "Cód. fornecedor", "Fornecedor", "Físico", "Reservado", "Disponível"}
	return s.sendExport(c, fm, "estoque", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachStockRow(ctx, f, func(r *store.StockRow) error {
			sup := ""
			if r.SupplierID != nil && len(names) > 0 {
				sup = supplierName(names, *r.SupplierID)
			}
			return write(r.SKU, r.Name, r.SupplierCode, sup, strconv.FormatInt(r.Physical, 10),
				strconv.FormatInt(r.Reserved, 10), strconv.FormatInt(r.Available(), 10))
		})
	})
}

// exportPriceTables answers the filtered price-table list as a download (a
// supplier's filter holds its own supplier).
func (s *Server) exportPriceTables(c *fiber.Ctx, fm tabular.Format, f store.PriceTableFilter, isSupplier bool) error {
	names := map[int64]string{}
	if !isSupplier {
		var err error
		if names, err = s.supplierNames(c.UserContext()); err != nil {
			return err
		}
	}
	header := []string{"Nº", "Fornecedor", "Situação", "Vigência", "Linhas", "Enviada em", "Arquivo"}
	if isSupplier {
		header = append(header[:1:1], header[2:]...)
	}
	now := s.store.Now()
	return s.sendExport(c, fm, "tabelas-de-preco", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachPriceTable(ctx, f, now, func(t *model.PriceTable) error {
			eff := ""
			if t.EffectiveFrom != nil {
				eff = format.Date(*t.EffectiveFrom)
			}
			row := []string{strconv.FormatInt(t.ID, 10), supplierName(names, t.SupplierID), t.Status.Label(), eff,
				strconv.Itoa(t.LineCount), format.DateTimePtr(t.SubmittedAt), t.FileName}
			if isSupplier {
				row = append(row[:1:1], row[2:]...)
			}
			return write(row...)
		})
	})
}
