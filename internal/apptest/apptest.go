// Package apptest starts the whole portal on a real port with a fresh
// database (SQLite, or PostgreSQL when PORTAL_TEST_DATABASE_URL is set) and
// gives tests real HTTP clients: browser-like ones with cookies and CSRF, and
// API ones with bearer tokens.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/testdb"
)

// Password is the password of users made by Env.User.
const Password = "senha-de-teste-123"

// Env is one running portal.
type Env struct {
	T   testing.TB
	App *app.App
	URL string
	Ctx context.Context
	// DatabaseURL is this portal's database; pass it in Options to start a
	// second instance on the same database.
	DatabaseURL string
}

// Options tunes New.
type Options struct {
	Work   bool                   // run background workers
	Config func(c *config.Config) // adjust the configuration
	App    func(o *app.Options)   // adjust the application options (webhook transport, retry backoff)
	// DatabaseURL, when set, shares another Env's database instead of a fresh one.
	DatabaseURL string
}

// New starts a portal for this test; it stops at the end of the test.
func New(tb testing.TB, opts ...Options) *Env {
	tb.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	dbURL := o.DatabaseURL
	if dbURL == "" {
		dbURL = testdb.URL(tb)
	}
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return dbURL
		case "PORTAL_DATA_DIR":
			return tb.TempDir()
		case "PORTAL_LOG_LEVEL":
			return "error"
		}
		return ""
	})
	if err != nil {
		tb.Fatal(err)
	}
	if o.Config != nil {
		o.Config(&cfg)
	}
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	aopts := app.Options{Migrate: true, Work: o.Work, BcryptCost: bcrypt.MinCost}
	if o.App != nil {
		o.App(&aopts)
	}
	a, err := app.Open(ctx, cfg, logger, aopts)
	if err != nil {
		tb.Fatalf("open app: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if err := a.Jobs.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	go a.Web.App().Listener(ln) //nolint:errcheck
	tb.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Web.Shutdown(sctx) //nolint:errcheck
		a.Jobs.Stop(sctx)    //nolint:errcheck
		a.Close()
	})
	return &Env{T: tb, App: a, URL: "http://" + ln.Addr().String(), Ctx: model.WithActor(ctx, model.Actor{Label: "test"}), DatabaseURL: dbURL}
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Supplier creates a supplier with a valid CNPJ.
func (e *Env) Supplier(cnpjDigits, name string) *model.Supplier {
	e.T.Helper()
	s := &model.Supplier{CNPJ: cnpjDigits, LegalName: name, DispatchHours: 24, PriceNoticeDays: 20, Active: true}
	s.Normalize()
	if err := s.Validate(); err != nil {
		e.T.Fatalf("supplier %s: %v", cnpjDigits, err)
	}
	if err := e.App.Store.CreateSupplier(e.Ctx, s); err != nil {
		e.T.Fatalf("supplier %s: %v", cnpjDigits, err)
	}
	return s
}

// User creates an active user with Password; supplier may be nil for staff.
func (e *Env) User(email string, role model.Role, supplier *model.Supplier) *model.User {
	e.T.Helper()
	in := auth.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, Password: Password}
	if supplier != nil {
		in.SupplierID = &supplier.ID
	}
	u, _, err := e.App.Auth.CreateUser(e.Ctx, in)
	if err != nil {
		e.T.Fatalf("user %s: %v", email, err)
	}
	return u
}

// Token returns a new API token of the user.
func (e *Env) Token(u *model.User) string {
	e.T.Helper()
	plain, _, err := e.App.Auth.CreateToken(e.Ctx, u.ID, "test")
	if err != nil {
		e.T.Fatal(err)
	}
	return plain
}

// Browser is an HTTP client with cookies that behaves like a browser
// submitting the portal's forms (it carries the page's CSRF token).
type Browser struct {
	e      *Env
	Client *http.Client
	Header http.Header // sent with every request (e.g. X-Forwarded-For)
	csrf   string
}

// Browser returns a new, logged-out browser.
func (e *Env) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{e: e, Client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Login logs in and fails the test if it does not succeed.
func (e *Env) Login(email string) *Browser {
	e.T.Helper()
	b := e.Browser()
	res := b.Submit("/login", url.Values{"email": {email}, "password": {Password}})
	if res.Status != http.StatusSeeOther {
		e.T.Fatalf("login %s: status %d: %s", email, res.Status, res.Text("[data-testid=form-error]"))
	}
	return b
}

// Response is a read response with its HTML parsed.
type Response struct {
	Status int
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

// Text returns the trimmed text of the elements matching sel.
func (r *Response) Text(sel string) string {
	if r.Doc == nil {
		return ""
	}
	return strings.TrimSpace(r.Doc.Find(sel).Text())
}

// Location is the redirect target.
func (r *Response) Location() string { return r.Header.Get("Location") }

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]+)"`)

func (b *Browser) do(req *http.Request) *Response {
	b.e.T.Helper()
	for k, v := range b.Header {
		req.Header[k] = v
	}
	res, err := b.Client.Do(req)
	if err != nil {
		b.e.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r := &Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		r.Doc, _ = goquery.NewDocumentFromReader(strings.NewReader(r.Body))
		if m := csrfMeta.FindStringSubmatch(r.Body); m != nil {
			b.csrf = m[1]
		}
	}
	return r
}

// Get fetches a page.
func (b *Browser) Get(path string) *Response {
	b.e.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.URL+path, nil)
	return b.do(req)
}

// Submit posts a form with the CSRF token of the last page (fetching the path
// first when no page was loaded yet).
func (b *Browser) Submit(path string, form url.Values) *Response {
	b.e.T.Helper()
	if b.csrf == "" {
		b.Get(path)
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if f.Get("_csrf") == "" {
		f.Set("_csrf", b.csrf)
	}
	return b.PostRaw(path, f)
}

// PostRaw posts a form exactly as given (no CSRF token added).
func (b *Browser) PostRaw(path string, form url.Values) *Response {
	b.e.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// Do sends an arbitrary request with the browser's cookies and CSRF token header.
func (b *Browser) Do(req *http.Request) *Response {
	b.e.T.Helper()
	if b.csrf != "" && req.Header.Get("X-CSRF-Token") == "" {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	return b.do(req)
}

// API sends a request to /api/v1 with a bearer token and returns the response.
func (e *Env) API(token, method, path string, body io.Reader, contentType string) *Response {
	e.T.Helper()
	req, _ := http.NewRequest(method, e.URL+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}
