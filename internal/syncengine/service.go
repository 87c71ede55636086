// Package syncengine imports sales orders from the connected platforms: a
// registry that builds each platform's adapter from its sealed settings, and
// the import run (RunImport) that turns platform changes into sales orders,
// stock reservations and blocked orders.
//
// The import follows the Eccosys model (DOMAIN.md): an order whose shipping
// method has no carrier mapping, or with an item whose SKU is not in the
// catalog, is not imported but recorded as blocked with the reason, and
// imported by the first run after the cause is fixed; importing reserves
// stock (except orders awaiting payment on platforms that reserve by
// themselves), cancellation before invoicing releases it, invoicing consumes
// it. Each order is applied in its own transaction and every rule is
// idempotent, so a run that stops half-way loses nothing and running again
// never duplicates.
package syncengine

import (
	"context"
	"log/slog"
	"maps"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
)

// Service connects platforms and imports their orders. It embeds the
// sales-order steps (SalesOrders) it shares with purchasing.
type Service struct {
	*SalesOrders
	box      *secret.Box
	registry *Registry
	logger   *slog.Logger
	// importFetchers: GetOrder requests in flight during an import (0: default).
	importFetchers int
	// applyBatchSize: fetched orders applied per transaction (0: ApplyBatch).
	applyBatchSize int
	// pagesPerRunN: pages of changes an import run takes (0: PagesPerRun).
	pagesPerRunN int
	// purchasing creates POs when an order reaches payment approved; nil: none.
	purchasing PurchaseOrders
}

// Options are the service's dependencies, all given at construction.
type Options struct {
	Store  *store.Store
	Stock  *stock.Service
	Box    *secret.Box // seals platform settings (app.Keys.Data)
	Logger *slog.Logger
	Queue  Queue // nil: no background jobs (tests, the CLI without workers)
	// Purchasing creates, cancels and delivers the POs of imported orders;
	// nil: no PO is created.
	Purchasing PurchaseOrders
	// SalesOrders is the sales-order side shared with purchasing; nil: one
	// is built on Store, Stock and Queue.
	SalesOrders *SalesOrders
}

// New builds the service.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	so := o.SalesOrders
	if so == nil {
		so = NewSalesOrders(o.Store, o.Stock, o.Queue)
	}
	return &Service{SalesOrders: so, box: o.Box, registry: NewRegistry(o.Store, o.Box), logger: o.Logger, purchasing: o.Purchasing}
}

// Registry returns the adapter registry.
func (s *Service) Registry() *Registry { return s.registry }

// NewPlatform is a platform to connect (`portal platform add`).
type NewPlatform struct {
	Kind     string
	Name     string
	BaseURL  string
	Settings map[string]string
	// ImportInterval is the robot's period; 0 means DefaultImportInterval.
	ImportInterval time.Duration
}

// AddPlatform validates the settings as the platform's adapter reads them,
// seals them and stores the platform. import_from and po_at are kept in their own columns.
func (s *Service) AddPlatform(ctx context.Context, in NewPlatform) (*model.Platform, error) {
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	in.Name = strings.TrimSpace(in.Name)
	in.BaseURL = strings.TrimSpace(in.BaseURL)
	var d []apperr.Detail
	if in.Name == "" {
		d = append(d, apperr.Detail{Field: "name", Message: "Informe o nome da plataforma."})
	}
	settings := map[string]string{}
	for k, v := range in.Settings {
		settings[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if err := ValidateSettings(in.Kind, in.BaseURL, settings); err != nil {
		if !apperr.Is(err, apperr.EINVALID) {
			return nil, err
		}
		d = append(d, apperr.Details(err)...) // ValidateSettings names every field it refuses
	}
	if len(d) > 0 {
		return nil, apperr.Invalid("Não foi possível conectar a plataforma.", d...)
	}
	from, err := model.ParseImportFrom(settings["import_from"])
	if err != nil {
		return nil, err
	}
	poAt, err := model.ParsePOAt(settings["po_at"])
	if err != nil {
		return nil, err
	}
	stored := maps.Clone(settings)
	delete(stored, "import_from")
	delete(stored, "po_at")
	sealed, err := sealSettings(s.box, stored)
	if err != nil {
		return nil, err
	}
	p := &model.Platform{
		Kind: in.Kind, Name: in.Name, BaseURL: in.BaseURL, SettingsSealed: sealed, Enabled: true,
		ImportIntervalSeconds: int(model.DefaultImportInterval.Seconds()), ImportFrom: from, POAt: poAt,
	}
	if in.ImportInterval > 0 {
		p.ImportIntervalSeconds = int(in.ImportInterval.Seconds())
	}
	if err := s.store.CreatePlatform(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// MapCarrier maps a platform's shipping method to a carrier, creating the
// carrier when new. Orders blocked for that method are imported by the next run.
func (s *Service) MapCarrier(ctx context.Context, platformName, method, carrier string) (*model.CarrierMapping, error) {
	p, err := s.store.FindPlatformByName(ctx, platformName)
	if err != nil {
		return nil, err
	}
	return s.store.MapCarrier(ctx, p.ID, method, carrier)
}
