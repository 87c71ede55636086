package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
	"github.com/connectparts/portal/views"
)

// The whitelists of the lists that gained sort and export after the first
// ones (export_lists.go).
var (
	notificationSortColumns = sortColumns{
		"created": "id", "message": "LOWER(message)", "read": "CASE WHEN read_at IS NULL THEN 0 ELSE 1 END",
	}
)

// exportNotifications answers the user's filtered notifications as a
// download.
func (s *Server) exportNotifications(c *fiber.Ctx, fm tabular.Format, f store.NotificationFilter) error {
	header := []string{"Quando", "Mensagem", "Situação", "Lida em", "Endereço"}
	return s.sendExport(c, fm, "notificacoes", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachNotification(ctx, f, func(n *model.Notification) error {
			return write(format.DateTime(n.CreatedAt), n.Message, notificationState(n), format.DateTimePtr(n.ReadAt), n.Link)
		})
	})
}

func notificationState(n *model.Notification) string {
	if n.ReadAt == nil {
		return "Não lida"
	}
	return "Lida"
}

// personalDataViewSortColumns is the LGPD access log's sort whitelist.
var personalDataViewSortColumns = sortColumns{"at": "at", "actor": "actor", "po": "po_number", "channel": "channel"}

// exportPersonalDataViews answers the filtered LGPD access log as a download.
func (s *Server) exportPersonalDataViews(c *fiber.Ctx, fm tabular.Format, f store.PersonalDataViewFilter, sups []model.Supplier) error {
	names := make(map[int64]string, len(sups))
	for _, sp := range sups {
		names[sp.ID] = sp.DisplayName()
	}
	header := []string{"Quando", "Quem", "Fornecedor", "Pedido de compra", "Onde", "Endereço acessado", "IP"}
	return s.sendExport(c, fm, "acessos-dados-pessoais", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachPersonalDataView(ctx, f, func(v *model.PersonalDataView) error {
			return write(format.DateTime(v.At), v.Actor, supplierName(names, v.SupplierID), v.PONumber,
				model.ViewChannelLabel(v.Channel), v.Path, v.IP)
		})
	})
}

// deliverySortColumns is the webhook delivery log's sort whitelist.
var deliverySortColumns = sortColumns{"id": "id", "created": "created_at", "event": "event", "status": "status", "attempts": "attempts"}

// deliveryFilter reads the delivery log's filters of one supplier; unknown
// values are dropped.
func deliveryFilter(c *fiber.Ctx, supplierID int64) store.DeliveryFilter {
	f := store.DeliveryFilter{SupplierID: supplierID, Sort: sortFromQuery(c, deliverySortColumns)}
	switch st := c.Query("status"); st {
	case model.DeliveryPending, model.DeliveryDelivered, model.DeliveryFailed:
		f.Status = st
	}
	for _, k := range model.WebhookEvents {
		if c.Query("event") == k {
			f.Event = k
		}
	}
	return f
}

// exportDeliveries answers one supplier's filtered webhook deliveries as a
// download (no payloads: the log lists, the delivery page shows).
func (s *Server) exportDeliveries(c *fiber.Ctx, fm tabular.Format, f store.DeliveryFilter) error {
	header := []string{"Nº", "Criada em", "Evento", "Mensagem", "Situação", "Tentativas", "Último código HTTP", "Último erro", "Entregue em"}
	return s.sendExport(c, fm, "entregas-webhook", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachDelivery(ctx, f, func(d *model.WebhookDelivery) error {
			code := ""
			if d.LastStatusCode > 0 {
				code = strconv.Itoa(d.LastStatusCode)
			}
			return write(strconv.FormatInt(d.ID, 10), format.DateTime(d.CreatedAt), model.EventLabel(d.Event), d.Message,
				model.DeliveryStatusLabel(d.Status), strconv.Itoa(d.Attempts), code, d.LastError, format.DateTimePtr(d.DeliveredAt))
		})
	})
}

// platformSortColumns is the platform list's sort whitelist. A platform
// never notified sorts as the oldest notification, alike on both databases
// (COALESCE to the epoch, not NULLS FIRST/LAST, which they order apart).
var platformSortColumns = sortColumns{
	"name": "LOWER(name)", "kind": "kind", "enabled": "enabled", "interval": "import_interval_seconds",
	"notified": "COALESCE(last_notification_at, '1970-01-01')",
}

// platformListFilter reads the platform list's filters; unknown values are
// dropped.
func platformListFilter(c *fiber.Ctx) (views.PlatformsProps, store.PlatformFilter) {
	p := views.PlatformsProps{Query: copyString(strings.TrimSpace(c.Query("q")))}
	f := store.PlatformFilter{Query: p.Query, Sort: sortFromQuery(c, platformSortColumns)}
	for _, k := range views.PlatformKinds {
		if c.Query("kind") == k {
			p.Kind, f.Kind = k, k
		}
	}
	if f.Enabled = statusFilter(c.Query("status")); f.Enabled != nil {
		p.Status = c.Query("status")
	}
	return p, f
}

// exportPlatforms answers the filtered platform list as a download (a
// handful of rows, already read for the page).
func (s *Server) exportPlatforms(c *fiber.Ctx, fm tabular.Format, items []model.Platform, latest map[int64]model.SyncRun) error {
	header := []string{"Nome", "Tipo", "Situação", "Intervalo (min)", "Importa a partir de", "Última sincronização", "Resultado",
		"Notificações", "Última notificação"}
	return s.sendExport(c, fm, "plataformas", header, func(_ context.Context, write func(...string) error) error {
		for i := range items {
			pl := &items[i]
			state := "Ativa"
			if !pl.Enabled {
				state = "Desativada"
			}
			last, result := "", "Nunca"
			if r, ok := latest[pl.ID]; ok {
				last, result = format.DateTime(r.StartedAt), r.Status.Label()
			}
			if err := write(pl.Name, model.PlatformKindLabel(pl.Kind), state, strconv.Itoa(pl.ImportIntervalSeconds/60),
				model.ImportFromLabel(pl.ImportFrom), last, result, pl.HookStatus(), format.DateTimePtr(pl.LastNotificationAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// blockedSortColumns is the blocked queue's sort whitelist.
var blockedSortColumns = sortColumns{
	"platform": "p.name", "order": "b.external_id", "reason": "b.reason", "first": "b.first_seen_at", "last": "b.last_seen_at",
}

// blockedListFilter reads the blocked queue's filters into f and the page's
// props; unknown values are dropped.
func blockedListFilter(c *fiber.Ctx, p *views.BlockedProps) store.BlockedFilter {
	p.Query = copyString(strings.TrimSpace(c.Query("q")))
	f := store.BlockedFilter{PlatformID: queryID(p.PlatformID), OpenOnly: !p.ShowResolved, Query: p.Query,
		Sort: sortFromQuery(c, blockedSortColumns)}
	switch r := model.BlockReason(c.Query("reason")); r {
	case model.BlockUnmappedCarrier, model.BlockUnknownSKU:
		f.Reason, p.Reason = r, string(r)
	}
	return f
}

// exportBlocked answers the filtered blocked queue as a download. Its state
// column says open or resolved; whether an open order's cause is fixed
// already is the page's (it needs the mappings and catalog of the moment).
func (s *Server) exportBlocked(c *fiber.Ctx, fm tabular.Format, f store.BlockedFilter) error {
	header := []string{"Plataforma", "Pedido na plataforma", "Status no canal", "Motivo", "Forma de envio", "SKU", "Detalhe",
		"Primeira vez", "Última vez", "Resolvido em"}
	return s.sendExport(c, fm, "pedidos-bloqueados", header, func(ctx context.Context, write func(...string) error) error {
		return s.store.EachBlocked(ctx, f, func(b *store.BlockedRow) error {
			return write(b.PlatformName, b.ExternalID, model.ChannelStatusLabel(b.ChannelStatus), b.Reason.Label(), b.Method, b.SKU,
				b.Detail, format.DateTime(b.FirstSeenAt), format.DateTime(b.LastSeenAt), format.DateTimePtr(b.ResolvedAt))
		})
	})
}
