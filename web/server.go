// Package web is the HTTP layer: Fiber routes, middleware and handlers that
// load → check → render. It runs no SQL; it calls the store and services.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/catalog"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/notify"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/privacy"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/search"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/static"
)

// Readiness answers whether the process can serve (database up, schema current).
type Readiness interface {
	Ready(ctx context.Context) error
}

// Deps is everything the web layer needs.
type Deps struct {
	Config  config.Config
	Store   *store.Store
	Catalog *catalog.Service
	Stock   *stock.Service
	Auth    *auth.Service
	Ready   Readiness
	Keys    secret.Keys
	Logger  *slog.Logger

	PriceTables *pricetable.Service
	SyncEngine  *syncengine.Service
	Sync        SyncQueue // nil: sync buttons and the tasks page answer 503
	Purchasing  *purchasing.Service
	Notify      *notify.Service
	Requests    RequestObserver // nil: request latencies are not recorded
}

// Server is the portal's HTTP server.
type Server struct {
	app      *fiber.App
	cfg      config.Config
	store    *store.Store
	catalog  *catalog.Service
	stock    *stock.Service
	auth     *auth.Service
	ready    Readiness
	log      *slog.Logger
	sessions *sessionManager
	proxies  []*net.IPNet // PORTAL_TRUSTED_PROXIES

	priceTables *pricetable.Service
	syncEngine  *syncengine.Service
	sync        SyncQueue
	purchasing  *purchasing.Service
	notify      *notify.Service
	requests    RequestObserver
	search      *search.Service
	privacy     *privacy.Service
	drain       drain // shutdown of requests still reading their body
}

// New builds the Fiber application with every route.
func New(d Deps) *Server {
	s := &Server{
		cfg: d.Config, store: d.Store, catalog: d.Catalog, stock: d.Stock, auth: d.Auth, ready: d.Ready, log: d.Logger,
		sessions: newSessionManager(d.Keys, d.Config), priceTables: d.PriceTables,
		syncEngine: d.SyncEngine, sync: d.Sync, purchasing: d.Purchasing, notify: d.Notify,
		proxies:  trustedProxies(d.Config.TrustedProxies),
		requests: d.Requests,
		search:   search.New(d.Store),
		privacy:  privacy.New(d.Store),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "connectparts-portal",
		BodyLimit:             d.Config.MaxBodyBytes,
		ReadTimeout:           2 * time.Minute,
		WriteTimeout:          2 * time.Minute,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		ServerHeader:          "",
		ReadBufferSize:        16 << 10,
		// X-Forwarded-For counts only from PORTAL_TRUSTED_PROXIES; see clientIP.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
	})
	s.routes()
	return s
}

// App exposes the Fiber app (tests use app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown (see drain.go).
func (s *Server) Listen(addr string) error { return s.listen(addr) }

// Shutdown stops accepting requests and waits for those in flight; a
// request whose body is still arriving near the end of ctx's time is
// answered 503 (see drain.go).
func (s *Server) Shutdown(ctx context.Context) error { return s.shutdown(ctx) }

// routes lists every route of the portal in one place.
func (s *Server) routes() {
	app := s.app
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(s.requestID, s.securityHeaders, s.logRequests)
	// the fastest level: a third of the CPU of the default for pages a few
	// percent larger, which on an intranet cost nothing to send
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	app.Get("/healthz", s.handleHealth)
	app.Get("/readyz", s.handleReady)
	// Metrics and pprof live on PORTAL_METRICS_ADDR only: 404 here for anyone.
	app.All("/metrics", s.handleNotFound)
	app.All("/debug/pprof/*", s.handleNotFound)
	app.Use("/static", s.staticCache, filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 0}))
	// Browsers ask for /favicon.ico whatever the page links; the icon is an SVG.
	app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.Redirect("/static/favicon.svg", fiber.StatusMovedPermanently) })

	// Platform notifications: no session, no CSRF (each checks its own secret).
	app.Post("/hooks/vtex/:platform", s.handleHookVTEX)
	app.Post("/hooks/mercadolivre/:platform", s.handleHookMercadoLivre)

	app.Get("/api/v1/openapi.json", s.handleOpenAPI) // public: the description, not the data
	api := app.Group("/api/v1", s.apiAuth)
	api.Get("/me", s.handleAPIMe)
	api.Get("/search", s.handleAPISearch)
	api.Put("/products", s.require(model.PermManageProducts), s.handleAPIProductsPut)
	api.Put("/stock", s.require(model.PermSubmitStockFeed), s.handleAPIStockPut)
	api.Get("/stock", s.handleAPIStockGet)
	api.Get("/price-tables", s.require(model.PermViewPriceTables), s.handleAPIPriceTableList)
	api.Post("/price-tables", s.require(model.PermSubmitPriceTables), s.handleAPIPriceTableCreate)
	api.Get("/price-tables/:id", s.require(model.PermViewPriceTables), s.handleAPIPriceTableShow)
	api.Get("/orders", s.require(model.PermViewOrders), s.handleAPIOrderList)
	api.Get("/orders/:id", s.require(model.PermViewOrders), s.handleAPIOrderShow)
	api.Post("/platforms/:name/sync", s.require(model.PermManagePlatforms), s.handleAPIPlatformSync)
	api.Get("/purchase-orders", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderList)
	api.Get("/purchase-orders/:number", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderShow)
	api.Post("/purchase-orders/:number/acknowledge", s.require(model.PermAnswerPurchaseOrders), s.handleAPIPurchaseOrderAcknowledge)
	api.Post("/purchase-orders/:number/backorder", s.require(model.PermAnswerPurchaseOrders), s.handleAPIPurchaseOrderBackorder)
	api.Post("/purchase-orders/:number/invoice", s.require(model.PermAnswerPurchaseOrders), s.handleAPIPurchaseOrderInvoice)
	api.Post("/purchase-orders/dispatch", s.require(model.PermDispatchOrders), s.handleAPIPurchaseOrderDispatch)
	api.Post("/purchase-orders/:number/book-supplier-invoice", s.require(model.PermFiscalPurchaseOrders), s.handleAPIPurchaseOrderBook)
	api.Get("/purchase-orders/:number/billing-invoice", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderBillingXML)
	api.Get("/purchase-orders/:number/invoices/:key", s.require(model.PermViewPurchaseOrders), s.handleSupplierInvoiceXML)
	api.Post("/purchase-orders/:number/billing-invoice", s.require(model.PermFiscalPurchaseOrders), s.handleAPIPurchaseOrderBilling)
	api.Post("/purchase-orders/:number/shipment", s.require(model.PermAnswerPurchaseOrders), s.handleAPIPurchaseOrderShipment)
	api.Get("/purchase-orders/:number/shipment", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderShipmentShow)
	api.Get("/purchase-orders/:number/label", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderLabel)
	api.Get("/purchase-orders/:number/platform-label/:format", s.require(model.PermViewPurchaseOrders), s.handlePurchaseOrderPlatformLabel)
	api.Post("/purchase-orders/:number/reprice", s.require(model.PermManagePurchaseOrders), s.handleAPIPurchaseOrderReprice)
	api.Post("/purchase-orders/:number/continue", s.require(model.PermManagePurchaseOrders), s.handleAPIPurchaseOrderContinue)
	api.Post("/purchase-orders/:number/cancel", s.require(model.PermManagePurchaseOrders), s.handleAPIPurchaseOrderCancel)
	api.Post("/purchase-orders/:number/resolve-exception", s.require(model.PermManagePurchaseOrders), s.handleAPIPurchaseOrderResolve)
	api.Get("/webhook", s.require(model.PermAnswerPurchaseOrders), s.handleAPIWebhookGet)
	api.Put("/webhook", s.require(model.PermAnswerPurchaseOrders), s.handleAPIWebhookPut)
	api.Delete("/webhook", s.require(model.PermAnswerPurchaseOrders), s.handleAPIWebhookDelete)
	api.Use(s.handleAPINotFound)

	web := app.Group("", s.loadSession, s.csrf, s.loadUser)
	web.Get("/login", s.handleLoginShow)
	web.Post("/login", s.handleLoginSubmit)
	web.Post("/logout", s.handleLogout)
	web.Get("/password/forgot", s.handlePasswordForgotShow)
	web.Post("/password/forgot", s.handlePasswordForgotSubmit)
	web.Get("/password/reset/:token", s.handlePasswordResetShow)
	web.Post("/password/reset/:token", s.handlePasswordResetSubmit)

	in := web.Group("", s.requireLogin)
	in.Get("/", s.handleHome)
	in.Get("/search", s.handleSearch)
	in.Get("/dashboard", s.require(model.PermStaffArea), s.handleDashboard)
	in.Get("/scorecard", s.require(model.PermSupplierArea), s.handleOwnScorecard)
	in.Get("/account/password", s.handlePasswordShow)
	in.Post("/account/password", s.handlePasswordSubmit)
	in.Get("/account/tokens", s.handleTokenList)
	in.Post("/account/tokens", s.handleTokenCreate)
	in.Post("/account/tokens/:id/revoke", s.handleTokenRevoke)

	in.Get("/suppliers", s.require(model.PermViewSuppliers), s.handleSupplierList)
	in.Get("/suppliers/new", s.require(model.PermManageSuppliers), s.handleSupplierNew)
	in.Post("/suppliers", s.require(model.PermManageSuppliers), s.handleSupplierCreate)
	in.Get("/suppliers/:id", s.require(model.PermViewSuppliers), s.handleSupplierShow)
	in.Get("/suppliers/:id/scorecard", s.require(model.PermViewSuppliers), s.handleSupplierScorecard)
	in.Post("/suppliers/:id", s.require(model.PermManageSuppliers), s.handleSupplierUpdate)

	in.Get("/products", s.require(model.PermViewProducts), s.handleProductList)
	in.Get("/products/new", s.require(model.PermManageProducts), s.handleProductNew)
	in.Post("/products", s.require(model.PermManageProducts), s.handleProductCreate)
	in.Get("/products/import", s.require(model.PermManageProducts), s.handleProductImportShow)
	in.Post("/products/import", s.require(model.PermManageProducts), s.handleProductImportSubmit)
	in.Get("/products/:id", s.require(model.PermViewProducts), s.handleProductShow)
	in.Post("/products/:id", s.require(model.PermManageProducts), s.handleProductUpdate)
	in.Post("/products/:id/sku-aliases", s.require(model.PermManageProducts), s.handleProductSKUAliasCreate)
	in.Post("/products/:id/sku-aliases/:alias/delete", s.require(model.PermManageProducts), s.handleProductSKUAliasDelete)

	in.Get("/stock", s.requireAny(model.PermViewStock, model.PermSubmitStockFeed), s.handleStockList)
	in.Post("/stock/feed", s.require(model.PermSubmitStockFeed), s.handleStockFeedUpload)
	in.Get("/stock/products/:id", s.require(model.PermViewStock), s.handleStockProduct)
	in.Post("/stock/products/:id/entries", s.require(model.PermManageStock), s.handleStockEntry)

	in.Get("/price-tables", s.require(model.PermViewPriceTables), s.handlePriceTableList)
	in.Post("/price-tables/upload", s.require(model.PermSubmitPriceTables), s.handlePriceTableUpload)
	in.Get("/price-tables/:id", s.require(model.PermViewPriceTables), s.handlePriceTableShow)
	in.Post("/price-tables/:id/submit", s.require(model.PermSubmitPriceTables), s.handlePriceTableSubmit)
	in.Post("/price-tables/:id/discard", s.require(model.PermSubmitPriceTables), s.handlePriceTableDiscard)
	in.Post("/price-tables/:id/withdraw", s.require(model.PermSubmitPriceTables), s.handlePriceTableWithdraw)
	in.Post("/price-tables/:id/reject", s.require(model.PermReviewPriceTables), s.handlePriceTableReject)
	in.Post("/price-tables/:id/early", s.require(model.PermReviewPriceTables), s.handlePriceTableGrantEarly)
	in.Get("/price-tables/:id/file", s.require(model.PermViewPriceTables), s.handlePriceTableFile)
	in.Get("/price-tables/:id/items.csv", s.require(model.PermViewPriceTables), s.handlePriceTableItemsCSV)

	in.Get("/exceptions", s.requireInbox, s.handleExceptions)
	in.Post("/exceptions/sku-alias", requireFix(model.ExcBlockedSKU), s.handleExceptionsSKUAlias)
	in.Post("/exceptions/import-now", requireFix(model.ExcBlockedCarrier, model.ExcBlockedSKU), s.handleExceptionsImportNow)
	in.Post("/exceptions/retry-push", requireFix(model.ExcFailedPush), s.handleExceptionsRetryPush)
	in.Post("/exceptions/remind/:number", requireFix(model.ExcInvoiceDivergent, model.ExcLate), s.handleExceptionsRemind)

	in.Get("/orders", s.require(model.PermViewOrders), s.handleOrderList)
	in.Get("/orders/blocked", s.require(model.PermViewOrders), s.handleBlockedList)
	in.Post("/orders/blocked/map-carrier", s.require(model.PermManagePlatforms), s.handleBlockedMapCarrier)
	in.Get("/orders/:id", s.require(model.PermViewOrders), s.handleOrderShow)

	in.Get("/platforms", s.require(model.PermManagePlatforms), s.handlePlatformList)
	in.Get("/platforms/new", s.require(model.PermManagePlatforms), s.handlePlatformNew)
	in.Post("/platforms", s.require(model.PermManagePlatforms), s.handlePlatformCreate)
	in.Get("/platforms/:id", s.require(model.PermManagePlatforms), s.handlePlatformShow)
	in.Post("/platforms/:id", s.require(model.PermManagePlatforms), s.handlePlatformUpdate)
	in.Post("/platforms/:id/carriers", s.require(model.PermManagePlatforms), s.handlePlatformCarrierMap)
	in.Post("/platforms/:id/carriers/remove", s.require(model.PermManagePlatforms), s.handlePlatformCarrierUnmap)
	in.Post("/platforms/:id/sync", s.require(model.PermManagePlatforms), s.handlePlatformSync)
	in.Post("/platforms/:id/hook", s.require(model.PermManagePlatforms), s.handlePlatformHookRegister)
	in.Post("/platforms/:id/backfill", s.require(model.PermManagePlatforms), s.handlePlatformBackfill)
	in.Get("/sync-runs", s.require(model.PermViewOrders), s.handleSyncRunList)

	in.Get("/purchase-orders", s.require(model.PermViewPurchaseOrders), s.handlePurchaseOrderList)
	in.Get("/purchase-orders/exceptions", s.require(model.PermManagePurchaseOrders), s.handlePOExceptions) // before /:number
	in.Get("/purchase-orders/:number", s.require(model.PermViewPurchaseOrders), s.handlePurchaseOrderShow)
	in.Post("/purchase-orders/:number/reprice", s.require(model.PermManagePurchaseOrders), s.handlePurchaseOrderReprice)
	in.Post("/purchase-orders/:number/continue", s.require(model.PermManagePurchaseOrders), s.handlePurchaseOrderContinue)
	in.Post("/purchase-orders/:number/cancel", s.require(model.PermManagePurchaseOrders), s.handlePurchaseOrderCancel)
	in.Post("/purchase-orders/:number/resolve-exception", s.require(model.PermManagePurchaseOrders), s.handlePurchaseOrderResolve)
	in.Post("/purchase-orders/:number/acknowledge", s.require(model.PermAnswerPurchaseOrders), s.handlePurchaseOrderAcknowledge)
	in.Post("/purchase-orders/:number/backorder", s.require(model.PermAnswerPurchaseOrders), s.handlePurchaseOrderBackorder)
	in.Post("/purchase-orders/:number/invoice", s.require(model.PermAnswerPurchaseOrders), s.handlePurchaseOrderInvoice)
	in.Post("/purchase-orders/:number/book", s.require(model.PermFiscalPurchaseOrders), s.handlePurchaseOrderBook)
	in.Post("/purchase-orders/:number/billing-invoice", s.require(model.PermFiscalPurchaseOrders), s.handlePurchaseOrderBillingUpload)
	in.Get("/purchase-orders/:number/billing-invoice.xml", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderBillingXML)
	in.Get("/purchase-orders/:number/billing-invoice", s.require(model.PermViewPurchaseOrders), s.handleBillingDANFE)
	in.Get("/purchase-orders/:number/invoices/:key.xml", s.require(model.PermViewPurchaseOrders), s.handleSupplierInvoiceXML)
	in.Get("/purchase-orders/:number/invoices/:key", s.require(model.PermViewPurchaseOrders), s.handleSupplierInvoiceDANFE)
	in.Post("/purchase-orders/:number/shipment", s.require(model.PermAnswerPurchaseOrders), s.handlePurchaseOrderShipment)
	in.Get("/purchase-orders/:number/label", s.require(model.PermViewPurchaseOrders), s.handleAPIPurchaseOrderLabel)
	in.Get("/purchase-orders/:number/platform-label/:format", s.require(model.PermViewPurchaseOrders), s.handlePurchaseOrderPlatformLabel)
	in.Get("/logistics/dispatch", s.require(model.PermDispatchOrders), s.handleDispatchQueue)
	in.Get("/logistics/late", s.require(model.PermDispatchOrders), s.handleLatePurchaseOrders)
	in.Post("/logistics/dispatch", s.require(model.PermDispatchOrders), s.handleDispatchSubmit)

	in.Get("/webhooks", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookShow)
	in.Post("/webhooks", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookSave)
	in.Post("/webhooks/rotate", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookRotate)
	in.Post("/webhooks/delete", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookDelete)
	in.Post("/webhooks/test", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookTest)
	in.Get("/webhooks/deliveries/:id", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookDeliveryShow)
	in.Post("/webhooks/deliveries/:id/retry", s.require(model.PermAnswerPurchaseOrders), s.handleWebhookDeliveryRetry)

	in.Get("/notifications", s.handleNotificationList)
	in.Post("/notifications/read", s.handleNotificationsRead)
	in.Get("/notifications/:id", s.handleNotificationOpen)

	admin := in.Group("/admin")
	admin.Get("/users", s.require(model.PermManageUsers), s.handleUserList)
	admin.Get("/users/new", s.require(model.PermManageUsers), s.handleUserNew)
	admin.Post("/users", s.require(model.PermManageUsers), s.handleUserCreate)
	admin.Get("/users/:id", s.require(model.PermManageUsers), s.handleUserShow)
	admin.Post("/users/:id", s.require(model.PermManageUsers), s.handleUserUpdate)
	admin.Post("/users/:id/reset-password", s.require(model.PermManageUsers), s.handleUserResetPassword)
	admin.Get("/audit", s.require(model.PermViewAudit), s.handleAuditList)
	admin.Get("/personal-data-views", s.require(model.PermViewAudit), s.handlePersonalDataViews)
	admin.Get("/settings", s.require(model.PermManageSettings), s.handleSettingsShow)
	admin.Post("/settings", s.require(model.PermManageSettings), s.handleSettingsSubmit)
	admin.Get("/tasks", s.require(model.PermManageSettings), s.handleTaskList)
	admin.Get("/outbox", s.require(model.PermManageSettings), s.handleOutboxList)
	admin.Get("/outbox/:id", s.require(model.PermManageSettings), s.handleOutboxShow)
	admin.Post("/outbox/resend", s.require(model.PermManageSettings), s.handleOutboxResend)
	admin.Get("/webhooks", s.require(model.PermManageSettings), s.handleAdminWebhookList)
	admin.Get("/webhooks/deliveries/:id", s.require(model.PermManageSettings), s.handleAdminWebhookDelivery)
	admin.Get("/webhooks/:id", s.require(model.PermManageSettings), s.handleAdminWebhookShow)
	admin.Use(s.require(model.PermManageUsers)) // any other /admin URL: 403 for non-admins before 404

	app.Use(s.handleNotFound)
}
