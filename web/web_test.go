package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

func TestLoginLogoutAndHome(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)

	b := env.Browser()
	res := b.Get("/")
	if res.Status != http.StatusFound || res.Location() != "/login" {
		t.Fatalf("anonymous home: %d %s", res.Status, res.Location())
	}
	cookie := res.Header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "cp_session="} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie lacks %s: %s", attr, cookie)
		}
	}
	res = b.Submit("/login", url.Values{"email": {"admin@cp.example"}, "password": {"errada-123456"}})
	if res.Status != http.StatusUnauthorized || res.Text("[data-testid=form-error]") != "E-mail ou senha incorretos." {
		t.Fatalf("wrong password: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
	if v, _ := res.Doc.Find("#f-email").Attr("value"); v != "admin@cp.example" {
		t.Errorf("e-mail not kept after failed login: %q", v)
	}
	before := sessionCookie(b, env)
	res = b.Submit("/login", url.Values{"email": {"ADMIN@cp.example"}, "password": {apptest.Password}})
	if res.Status != http.StatusSeeOther || res.Location() != "/" {
		t.Fatalf("login: %d %s", res.Status, res.Location())
	}
	if after := sessionCookie(b, env); after == before {
		t.Error("session cookie not renewed at login")
	}
	res = b.Get("/")
	if res.Status != 200 || res.Text("[data-testid=staff-home]") == "" {
		t.Fatalf("home: %d", res.Status)
	}
	res = b.Submit("/logout", nil)
	if res.Status != http.StatusSeeOther || res.Location() != "/login" {
		t.Fatalf("logout: %d %s", res.Status, res.Location())
	}
	if res := b.Get("/"); res.Status != http.StatusFound {
		t.Fatalf("after logout home: %d", res.Status)
	}
}

func sessionCookie(b *apptest.Browser, env *apptest.Env) string {
	u, _ := url.Parse(env.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "cp_session" {
			return c.Value
		}
	}
	return ""
}

func TestLoginRedirectsBackToRequestedPage(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Browser()
	res := b.Get("/suppliers?q=abc")
	if res.Location() != "/login?next=%2Fsuppliers%3Fq%3Dabc" {
		t.Fatalf("redirect: %s", res.Location())
	}
	res = b.Get(res.Location())
	res = b.Submit("/login", url.Values{"email": {"admin@cp.example"}, "password": {apptest.Password}, "next": {"/suppliers?q=abc"}})
	if res.Location() != "/suppliers?q=abc" {
		t.Fatalf("next: %s", res.Location())
	}
	// An open redirect is refused.
	b2 := env.Browser()
	res = b2.Submit("/login", url.Values{"email": {"admin@cp.example"}, "password": {apptest.Password}, "next": {"//evil.example/x"}})
	if res.Location() != "/" {
		t.Fatalf("open redirect: %s", res.Location())
	}
}

func TestCSRFRequired(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	before, _ := env.App.Store.CountSuppliers(env.Ctx)
	form := url.Values{"cnpj": {"11222333000181"}, "legal_name": {"X"}, "dispatch_hours": {"24"}, "price_notice_days": {"20"}}
	res := b.PostRaw("/suppliers", form)
	if res.Status != http.StatusForbidden || !strings.Contains(res.Text("[data-testid=error-page]"), "token de segurança inválido") {
		t.Fatalf("missing CSRF: %d %s", res.Status, res.Text("[data-testid=error-page]"))
	}
	form.Set("_csrf", strings.Repeat("0", 64))
	if res := b.PostRaw("/suppliers", form); res.Status != http.StatusForbidden {
		t.Fatalf("wrong CSRF: %d", res.Status)
	}
	if after, _ := env.App.Store.CountSuppliers(env.Ctx); after != before {
		t.Fatal("a supplier was created without a valid CSRF token")
	}
	// Login itself is protected too.
	anon := env.Browser()
	if res := anon.PostRaw("/login", url.Values{"email": {"admin@cp.example"}, "password": {apptest.Password}}); res.Status != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d", res.Status)
	}
}

func TestSupplierUserIsolation(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista Autopeças Ltda")
	env.User("forn@paulista.example", model.RoleSupplier, sup)
	b := env.Login("forn@paulista.example")
	res := b.Get("/")
	if res.Status != 200 || res.Text("[data-testid=supplier-home]") != "Paulista Autopeças Ltda" {
		t.Fatalf("supplier home: %d %q", res.Status, res.Text("[data-testid=supplier-home]"))
	}
	for _, path := range []string{"/admin/users", "/admin/users/1", "/admin/audit", "/admin/settings", "/admin/anything", "/suppliers", "/suppliers/1", "/suppliers/new"} {
		if res := b.Get(path); res.Status != http.StatusForbidden {
			t.Errorf("GET %s as supplier: %d", path, res.Status)
		}
	}
	if res := b.Submit("/suppliers", url.Values{"cnpj": {"12ABC34501DE35"}, "legal_name": {"X"}}); res.Status != http.StatusForbidden {
		t.Errorf("POST /suppliers as supplier: %d", res.Status)
	}
	// No staff links in a supplier's navigation.
	res = b.Get("/")
	if res.Doc.Find("[data-testid=nav-suppliers], [data-testid=nav-users]").Length() != 0 {
		t.Error("supplier sees staff navigation")
	}
}

func TestRolesSeeOnlyTheirPages(t *testing.T) {
	env := apptest.New(t)
	env.User("fiscal@cp.example", model.RoleFiscal, nil)
	env.User("compras@cp.example", model.RolePurchasing, nil)
	fiscal := env.Login("fiscal@cp.example")
	if res := fiscal.Get("/suppliers"); res.Status != 200 {
		t.Errorf("fiscal suppliers: %d", res.Status)
	}
	if res := fiscal.Get("/suppliers/new"); res.Status != http.StatusForbidden {
		t.Errorf("fiscal new supplier: %d", res.Status)
	}
	if res := fiscal.Get("/admin/users"); res.Status != http.StatusForbidden {
		t.Errorf("fiscal users: %d", res.Status)
	}
	compras := env.Login("compras@cp.example")
	if res := compras.Get("/suppliers/new"); res.Status != 200 {
		t.Errorf("purchasing new supplier: %d", res.Status)
	}
}

func TestSupplierCreateValidationAndAudit(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	b.Get("/suppliers/new")
	res := b.Submit("/suppliers", url.Values{"cnpj": {"11.222.333/0001-82"}, "legal_name": {""}, "email": {"nope"}, "dispatch_hours": {"abc"}, "price_notice_days": {"20"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid supplier: %d", res.Status)
	}
	for field, want := range map[string]string{
		"cnpj": "Dígitos verificadores", "legal_name": "razão social", "email": "E-mail inválido", "dispatch_hours": "número inteiro",
	} {
		if got := res.Text("#e-" + field); !strings.Contains(got, want) {
			t.Errorf("error next to %s = %q, want %q", field, got, want)
		}
	}
	if v, _ := res.Doc.Find("#f-cnpj").Attr("value"); v != "11.222.333/0001-82" {
		t.Errorf("typed CNPJ not kept: %q", v)
	}
	if n, _ := env.App.Store.CountSuppliers(env.Ctx); n != 0 {
		t.Fatal("invalid supplier saved")
	}
	res = b.Submit("/suppliers", url.Values{"cnpj": {"12.abc.345/01de-35"}, "legal_name": {"Freios & Cia S.A."}, "dispatch_hours": {"48"}, "price_notice_days": {"20"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("valid alphanumeric CNPJ: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	sup, err := env.App.Store.FindSupplierByCNPJ(env.Ctx, "12ABC34501DE35")
	if err != nil || sup.DispatchHours != 48 {
		t.Fatalf("stored: %+v %v", sup, err)
	}
	res = b.Submit("/suppliers", url.Values{"cnpj": {"12ABC34501DE35"}, "legal_name": {"Outra"}, "dispatch_hours": {"24"}, "price_notice_days": {"20"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#e-cnpj"), "Já existe") {
		t.Fatalf("duplicate CNPJ: %d %q", res.Status, res.Text("#e-cnpj"))
	}
	entries, _, _ := env.App.Store.ListAudit(env.Ctx, store.AuditFilter{Entity: "supplier"}, store.Page{Size: 10})
	if len(entries) != 1 || entries[0].Actor != "admin@cp.example" || entries[0].IP != "127.0.0.1" || entries[0].Action != "supplier.create" {
		t.Fatalf("audit: %+v", entries)
	}
}

func TestSupplierListSearchAndPagination(t *testing.T) {
	env := apptest.New(t)
	env.User("viewer@cp.example", model.RoleViewer, nil)
	cnpjs := []string{"11222333000181", "12ABC34501DE35", "33445566000186", "45812390000132", "SUPP1234000169"}
	for i, c := range cnpjs {
		env.Supplier(c, "Fornecedor "+string(rune('A'+i)))
	}
	b := env.Login("viewer@cp.example")
	res := b.Get("/suppliers?q=fornecedor+c")
	if n := res.Doc.Find("[data-testid=suppliers-table] tbody tr").Length(); n != 1 {
		t.Fatalf("search rows = %d", n)
	}
	res = b.Get("/suppliers?q=12.ABC")
	if !strings.Contains(res.Text("[data-testid=suppliers-table]"), "12.ABC.345/01DE-35") {
		t.Fatal("search by formatted CNPJ failed")
	}
	// 30 more suppliers → two pages of 25.
	for i := 0; i < 30; i++ {
		s := &model.Supplier{CNPJ: validCNPJ(i), LegalName: "Extra " + string(rune('a'+i%26)), DispatchHours: 24, PriceNoticeDays: 20, Active: true}
		if err := env.App.Store.CreateSupplier(env.Ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	res = b.Get("/suppliers")
	if n := res.Doc.Find("[data-testid=suppliers-table] tbody tr").Length(); n != 25 {
		t.Fatalf("page 1 rows = %d", n)
	}
	if !strings.Contains(res.Text(".pager"), "1–25 de 35") {
		t.Fatalf("pager: %q", res.Text(".pager"))
	}
	res = b.Get("/suppliers?page=2")
	if n := res.Doc.Find("[data-testid=suppliers-table] tbody tr").Length(); n != 10 {
		t.Fatalf("page 2 rows = %d", n)
	}
}

// validCNPJ builds distinct valid CNPJs for bulk fixtures.
func validCNPJ(i int) string {
	base := []byte("990000" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "0001")
	d := func(b []byte, w []int) byte {
		s := 0
		for k := range b {
			s += int(b[k]-'0') * w[k]
		}
		r := s % 11
		if r < 2 {
			return '0'
		}
		return byte('0' + 11 - r)
	}
	d1 := d(base, []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2})
	d2 := d(append(append([]byte{}, base...), d1), []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2})
	return string(base) + string(d1) + string(d2)
}

func TestAdminManagesUsers(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	sup := env.Supplier("11222333000181", "Paulista")
	b := env.Login("admin@cp.example")
	b.Get("/admin/users/new")
	res := b.Submit("/admin/users", url.Values{"email": {"novo@paulista.example"}, "name": {"Novo"}, "role": {"supplier"}, "supplier_id": {itoa(sup.ID)}})
	if res.Status != 200 {
		t.Fatalf("create user: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	pw, _ := res.Doc.Find("[data-testid=secret-value]").Attr("value")
	if len(pw) != 16 {
		t.Fatalf("generated password shown: %q", pw)
	}
	u, err := env.App.Store.FindUserByEmail(env.Ctx, "novo@paulista.example")
	if err != nil || u.SupplierID == nil || *u.SupplierID != sup.ID || !u.MustChangePassword {
		t.Fatalf("stored user: %+v %v", u, err)
	}
	// The new user must change the temporary password before anything else.
	nb := env.Browser()
	res = nb.Submit("/login", url.Values{"email": {"novo@paulista.example"}, "password": {pw}})
	if res.Location() != "/account/password" {
		t.Fatalf("forced change: %s", res.Location())
	}
	if res := nb.Get("/"); res.Location() != "/account/password" {
		t.Fatalf("home before change: %d %s", res.Status, res.Location())
	}
	nb.Get("/account/password")
	res = nb.Submit("/account/password", url.Values{"current": {pw}, "password": {"minha-senha-nova"}, "confirm": {"minha-senha-nova"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	if res := nb.Get("/"); res.Status != 200 {
		t.Fatalf("home after change: %d", res.Status)
	}

	// Disable: the open session ends at once and login is refused.
	b.Get("/admin/users/" + itoa(u.ID))
	res = b.Submit("/admin/users/"+itoa(u.ID), url.Values{"name": {"Novo"}, "role": {"supplier"}, "supplier_id": {itoa(sup.ID)}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", res.Status, res.Text("[data-testid=form-error]"))
	}
	if res := nb.Get("/"); res.Status != http.StatusFound {
		t.Fatalf("disabled user's session still open: %d", res.Status)
	}
	res = env.Browser().Submit("/login", url.Values{"email": {"novo@paulista.example"}, "password": {"minha-senha-nova"}})
	if res.Status != http.StatusForbidden || !strings.Contains(res.Text("[data-testid=form-error]"), "desativado") {
		t.Fatalf("disabled login: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}

	// An admin cannot disable themself.
	admin, _ := env.App.Store.FindUserByEmail(env.Ctx, "admin@cp.example")
	b.Get("/admin/users/" + itoa(admin.ID))
	res = b.Submit("/admin/users/"+itoa(admin.ID), url.Values{"name": {"Admin"}, "role": {"admin"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("self-disable: %d", res.Status)
	}
}

func TestLockoutMessage(t *testing.T) {
	env := apptest.New(t)
	env.User("admin@cp.example", model.RoleAdmin, nil)
	now := time.Now().UTC()
	env.App.Store.SetClock(func() time.Time { return now }) // the 1 s wait must not lapse between requests
	b := env.Browser()
	var res *apptest.Response
	for i := 0; i < 5; i++ {
		res = b.Submit("/login", url.Values{"email": {"admin@cp.example"}, "password": {"errada-errada"}})
	}
	if res.Status != http.StatusTooManyRequests || !strings.Contains(res.Text("[data-testid=form-error]"), "Tente novamente em 1 s") {
		t.Fatalf("lockout: %d %q", res.Status, res.Text("[data-testid=form-error]"))
	}
}

func TestExpiredSessionMessage(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.SessionIdle = time.Second; c.SessionAbsolute = time.Hour }})
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	env.App.Store.SetClock(func() time.Time { return time.Now().UTC().Add(time.Minute) })
	res := b.Get("/suppliers")
	if res.Status != http.StatusFound {
		t.Fatalf("expired session: %d", res.Status)
	}
	res = b.Get(res.Location())
	if !strings.Contains(res.Text("[data-testid=flash-info]"), "Sua sessão expirou") {
		t.Fatalf("no expiry message: %q", res.Text("main"))
	}
}

func TestErrorPagesAndHeaders(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.MaxBodyBytes = 1 << 20 }})
	env.User("admin@cp.example", model.RoleAdmin, nil)
	b := env.Login("admin@cp.example")
	res := b.Get("/nao-existe")
	if res.Status != 404 || res.Text("[data-testid=error-page] h1") != "Página não encontrada" {
		t.Fatalf("404: %d %q", res.Status, res.Text("h1"))
	}
	if res := b.Get("/suppliers/999999"); res.Status != 404 {
		t.Fatalf("missing supplier: %d", res.Status)
	}
	if res := b.Get("/suppliers/abc"); res.Status != 404 {
		t.Fatalf("bad id: %d", res.Status)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	// The server answers as soon as it sees the declared length, before the
	// body arrives, so the request is written by hand and the answer read back.
	conn, err := net.Dial("tcp", strings.TrimPrefix(env.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /suppliers HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nx=aaaa", 2<<20)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	hres, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(hres.Body)
	if hres.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "grande demais: o limite é de 1 MB") {
		t.Fatalf("oversized body: %d %s", hres.StatusCode, body)
	}
	res = b.Get("/static/app.css")
	if res.Status != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "max-age") {
		t.Fatalf("static: %d %q", res.Status, res.Header.Get("Cache-Control"))
	}
	// The icon the layout links, and the /favicon.ico browsers ask for anyway.
	if res = b.Get("/static/favicon.svg"); res.Status != 200 || !strings.Contains(res.Body, "<svg") {
		t.Fatalf("favicon.svg: %d", res.Status)
	}
	if res = b.Get("/favicon.ico"); res.Status != http.StatusMovedPermanently || res.Header.Get("Location") != "/static/favicon.svg" {
		t.Fatalf("/favicon.ico: %d %q", res.Status, res.Header.Get("Location"))
	}
	if res = b.Get("/"); !strings.Contains(res.Body, `rel="icon" href="/static/favicon.svg"`) {
		t.Fatalf("the layout links no icon: %d %.300s", res.Status, res.Body)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	if res := b.Get("/healthz"); res.Status != 200 {
		t.Fatalf("healthz: %d", res.Status)
	}
	if res := b.Get("/readyz"); res.Status != 200 {
		t.Fatalf("readyz: %d %s", res.Status, res.Body)
	}
	env.App.DB.SQL.Close()
	if res := b.Get("/readyz"); res.Status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database closed: %d", res.Status)
	}
	if res := b.Get("/healthz"); res.Status != 200 {
		t.Fatalf("healthz with the database closed: %d", res.Status)
	}
}

func TestAPIAuthentication(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista")
	u := env.User("forn@paulista.example", model.RoleSupplier, sup)
	token := env.Token(u)
	res := env.API("", "GET", "/api/v1/me", nil, "")
	var e struct {
		Error struct{ Code, Message string }
	}
	if res.Status != 401 || json.Unmarshal([]byte(res.Body), &e) != nil || e.Error.Code != "unauthorized" {
		t.Fatalf("no token: %d %s", res.Status, res.Body)
	}
	if res := env.API("cpp_wrong", "GET", "/api/v1/me", nil, ""); res.Status != 401 {
		t.Fatalf("bad token: %d", res.Status)
	}
	res = env.API(token, "GET", "/api/v1/me", nil, "")
	var me struct {
		Email        string
		Role         string
		SupplierCNPJ string `json:"supplier_cnpj"`
	}
	if res.Status != 200 || json.Unmarshal([]byte(res.Body), &me) != nil || me.SupplierCNPJ != "11222333000181" || me.Role != "supplier" {
		t.Fatalf("me: %d %s", res.Status, res.Body)
	}
	if res := env.API(token, "GET", "/api/v1/nothing", nil, ""); res.Status != 404 || !strings.Contains(res.Body, `"not_found"`) {
		t.Fatalf("api 404: %d %s", res.Status, res.Body)
	}
	// The API never uses cookies, so it needs no CSRF token; a browser session is no API credential.
	b := env.Login("forn@paulista.example")
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/me", nil)
	if res := b.Do(req); res.Status != 401 {
		t.Fatalf("cookie on API: %d", res.Status)
	}
}

func TestTokensPage(t *testing.T) {
	env := apptest.New(t)
	sup := env.Supplier("11222333000181", "Paulista")
	env.User("forn@paulista.example", model.RoleSupplier, sup)
	b := env.Login("forn@paulista.example")
	b.Get("/account/tokens")
	res := b.Submit("/account/tokens", url.Values{"label": {"ERP"}})
	tok, _ := res.Doc.Find("[data-testid=secret-value]").Attr("value")
	if !strings.HasPrefix(tok, "cpp_") {
		t.Fatalf("token page: %d %q", res.Status, tok)
	}
	if res := env.API(tok, "GET", "/api/v1/me", nil, ""); res.Status != 200 {
		t.Fatalf("new token rejected: %d", res.Status)
	}
	res = b.Get("/account/tokens")
	if strings.Contains(res.Body, tok) {
		t.Fatal("token shown again")
	}
}

func itoa(n int64) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
