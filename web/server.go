// Package web is the HTTP layer: Fiber routes, middleware and handlers that
// load → check → render. It runs no SQL; it calls the store and services.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/static"
)

// Readiness answers whether the process can serve (database up, schema current).
type Readiness interface {
	Ready(ctx context.Context) error
}

// Deps is everything the web layer needs.
type Deps struct {
	Config config.Config
	Store  *store.Store
	Auth   *auth.Service
	Ready  Readiness
	Keys   secret.Keys
	Logger *slog.Logger
}

// Server is the portal's HTTP server.
type Server struct {
	app      *fiber.App
	cfg      config.Config
	store    *store.Store
	auth     *auth.Service
	ready    Readiness
	log      *slog.Logger
	sessions *sessionManager
}

// New builds the Fiber application with every route.
func New(d Deps) *Server {
	s := &Server{
		cfg: d.Config, store: d.Store, auth: d.Auth, ready: d.Ready, log: d.Logger,
		sessions: newSessionManager(d.Keys, d.Config),
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
	})
	s.routes()
	return s
}

// App exposes the Fiber app (tests use app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// routes lists every route of the portal in one place.
func (s *Server) routes() {
	app := s.app
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(s.requestID, s.securityHeaders, s.logRequests)
	app.Use(compress.New(compress.Config{Level: compress.LevelDefault}))

	app.Get("/healthz", s.handleHealth)
	app.Get("/readyz", s.handleReady)
	app.Use("/static", s.staticCache, filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 0}))

	api := app.Group("/api/v1", s.apiAuth)
	api.Get("/me", s.handleAPIMe)
	api.Use(s.handleAPINotFound)

	web := app.Group("", s.loadSession, s.csrf, s.loadUser)
	web.Get("/login", s.handleLoginShow)
	web.Post("/login", s.handleLoginSubmit)
	web.Post("/logout", s.handleLogout)

	in := web.Group("", s.requireLogin)
	in.Get("/", s.handleHome)
	in.Get("/account/password", s.handlePasswordShow)
	in.Post("/account/password", s.handlePasswordSubmit)
	in.Get("/account/tokens", s.handleTokenList)
	in.Post("/account/tokens", s.handleTokenCreate)
	in.Post("/account/tokens/:id/revoke", s.handleTokenRevoke)

	in.Get("/suppliers", s.require(model.PermViewSuppliers), s.handleSupplierList)
	in.Get("/suppliers/new", s.require(model.PermManageSuppliers), s.handleSupplierNew)
	in.Post("/suppliers", s.require(model.PermManageSuppliers), s.handleSupplierCreate)
	in.Get("/suppliers/:id", s.require(model.PermViewSuppliers), s.handleSupplierShow)
	in.Post("/suppliers/:id", s.require(model.PermManageSuppliers), s.handleSupplierUpdate)

	admin := in.Group("/admin")
	admin.Get("/users", s.require(model.PermManageUsers), s.handleUserList)
	admin.Get("/users/new", s.require(model.PermManageUsers), s.handleUserNew)
	admin.Post("/users", s.require(model.PermManageUsers), s.handleUserCreate)
	admin.Get("/users/:id", s.require(model.PermManageUsers), s.handleUserShow)
	admin.Post("/users/:id", s.require(model.PermManageUsers), s.handleUserUpdate)
	admin.Post("/users/:id/reset-password", s.require(model.PermManageUsers), s.handleUserResetPassword)
	admin.Get("/audit", s.require(model.PermViewAudit), s.handleAuditList)
	admin.Get("/settings", s.require(model.PermManageSettings), s.handleSettingsShow)
	admin.Post("/settings", s.require(model.PermManageSettings), s.handleSettingsSubmit)
	admin.Use(s.require(model.PermManageUsers)) // any other /admin URL: 403 for non-admins before 404

	app.Use(s.handleNotFound)
}
