package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/nfe/nfetest"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/testdb"
)

// instance is one `portal serve` process.
type instance struct {
	addr string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

func startInstance(t *testing.T, bin string, env map[string]string) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--addr", addr, "serve")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	in := &instance{addr: addr, cmd: cmd, logs: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = in.logs, in.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	for i := 0; i < 300; i++ {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return in
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("instance %s not ready:\n%s", addr, in.logs.String())
	return nil
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 60 * time.Second}

func (in *instance) do(t *testing.T, method, path, cookie, token, ctype string, body io.Reader) (int, []byte, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+in.addr+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != "" {
		req.Header.Set("Cookie", "cp_session="+cookie)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", method, path, in.addr, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res
}

func sessionCookieOf(res *http.Response, old string) string {
	for _, c := range res.Cookies() {
		if c.Name == "cp_session" {
			return c.Value
		}
	}
	return old
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page []byte) string {
	t.Helper()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%.2000s", page)
	}
	return string(m[1])
}

// TestTwoInstancesShareOnePostgreSQL is issue 14's "done when": two
// `portal serve` processes with their own PORTAL_DATA_DIR on one database
// behind an imaginary load balancer. A label uploaded through the first
// downloads byte-identical from the second (so do an NF-e and a price
// table's original file); a login on the
// first is valid on the second with the same cookie; a carrier mapping
// changed on the first applies to the next import the second runs.
func TestTwoInstancesShareOnePostgreSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two servers")
	}
	if !testdb.IsPostgres() {
		t.Skip("several instances share one PostgreSQL database: set " + testdb.EnvVar + " (make test does); SQLite is one file on one machine")
	}
	bin := filepath.Join(t.TempDir(), "portal")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	p := newPortal(t)
	p.env["PORTAL_SECRET"] = strings.Repeat("5a", 32)
	if out, err := p.run("", "seed", "--demo"); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	if out, err := p.run("", "platform", "add", "--kind", "sandbox", "--name", "Loja-B", "--setting", "seed=7", "--setting", "orders=40"); err != nil {
		t.Fatalf("platform add: %v\n%s", err, out)
	}
	db, err := sql.Open("pgx", p.env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var poNumber, supplierEmail string
	err = db.QueryRow(`SELECT po.number, u.email FROM purchase_orders po JOIN users u ON u.supplier_id = po.supplier_id
		WHERE po.status = 'billed' AND u.role = 'supplier' ORDER BY po.id LIMIT 1`).Scan(&poNumber, &supplierEmail)
	if err != nil {
		t.Fatalf("a billed PO of the demo: %v", err)
	}
	tokenOf := func(email string) string {
		out, err := p.run("", "token", "create", "--email", email)
		if err != nil {
			t.Fatalf("token for %s: %v", email, err)
		}
		tok := regexp.MustCompile(`[A-Za-z0-9_\-]{32,}`).FindString(out)
		if tok == "" {
			t.Fatalf("no token in %q", out)
		}
		return tok
	}
	supplierTok, adminTok := tokenOf(supplierEmail), tokenOf("admin@connectparts.example")

	envOf := func(workers string) map[string]string {
		env := map[string]string{"PORTAL_DATA_DIR": t.TempDir(), "PORTAL_WORKERS": workers}
		for _, k := range []string{"DATABASE_URL", "PORTAL_SECRET", "PORTAL_LOG_LEVEL"} {
			env[k] = p.env[k]
		}
		return env
	}
	// The first is web-only, so every job — the import below — runs on the second.
	a := startInstance(t, bin, envOf("false"))
	b := startInstance(t, bin, envOf("true"))

	// A 200 KB label uploaded through the first downloads from the second.
	label := append([]byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), bytes.Repeat([]byte("0123456789abcdef"), 200<<10/16)...)
	label = append(label, "\n%%EOF\n"...)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("carrier", "correios")
	_ = mw.WriteField("tracking_code", "AA473124829BR")
	fw, _ := mw.CreateFormFile("label", "etiqueta.pdf")
	_, _ = fw.Write(label)
	_ = mw.Close()
	status, body, _ := a.do(t, "POST", "/api/v1/purchase-orders/"+poNumber+"/shipment", "", supplierTok, mw.FormDataContentType(), &form)
	if status != 201 {
		t.Fatalf("ship through the first instance: %d %s", status, body)
	}
	status, got, _ := b.do(t, "GET", "/api/v1/purchase-orders/"+poNumber+"/label", "", supplierTok, "", nil)
	if status != 200 || !bytes.Equal(got, label) {
		t.Fatalf("label from the second instance: %d, %d bytes (want %d)", status, len(got), len(label))
	}
	// The billing NF-e of that PO, as the second instance serves it, is the
	// one the first serves, byte for byte.
	sa, xa, _ := a.do(t, "GET", "/api/v1/purchase-orders/"+poNumber+"/billing-invoice", "", supplierTok, "", nil)
	sb, xb, _ := b.do(t, "GET", "/api/v1/purchase-orders/"+poNumber+"/billing-invoice", "", supplierTok, "", nil)
	if sa != 200 || sb != 200 || !bytes.Equal(xa, xb) || !bytes.Contains(xa, []byte("<nfeProc")) {
		t.Fatalf("billing NF-e: %d/%d, %d/%d bytes", sa, sb, len(xa), len(xb))
	}

	// A supplier NF-e uploaded through the first (an accepted PO's), read
	// back from the second byte for byte.
	var ackPO, ackCNPJ, ackName, ackEmail, company string
	var ackID int64
	err = db.QueryRow(`SELECT po.id, po.number, s.cnpj, s.legal_name, u.email FROM purchase_orders po JOIN suppliers s ON s.id = po.supplier_id
		JOIN users u ON u.supplier_id = po.supplier_id AND u.role = 'supplier' WHERE po.status = 'acknowledged' ORDER BY po.id, u.id LIMIT 1`).
		Scan(&ackID, &ackPO, &ackCNPJ, &ackName, &ackEmail)
	if err != nil {
		t.Fatalf("an accepted PO in the demo: %v", err)
	}
	ackTok := tokenOf(ackEmail)
	if err := db.QueryRow(`SELECT value FROM settings WHERE key = 'company_cnpj'`).Scan(&company); err != nil {
		t.Fatalf("company CNPJ: %v", err)
	}
	doc := nfetest.Valid()
	doc.Proc, doc.Items, doc.VFrete = true, nil, ""
	doc.EmitCNPJ, doc.EmitName, doc.DestCNPJ, doc.DestCPF, doc.DestName = ackCNPJ, strings.ToUpper(ackName), company, "", "CONNECTPARTS"
	doc.NNF, doc.CNF = "887766", "20268877"
	doc.DhEmi = time.Now().Add(-time.Minute).In(format.Location).Format(time.RFC3339)
	rows, err := db.Query(`SELECT line, supplier_code, name, quantity, unit_price_cents FROM purchase_order_items WHERE po_id = $1 ORDER BY line`, ackID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line int
		var code, name string
		var qty, unit int64
		if err := rows.Scan(&line, &code, &name, &qty, &unit); err != nil {
			t.Fatal(err)
		}
		money := func(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }
		doc.Items = append(doc.Items, nfetest.Item{Code: code, EAN: "SEM GTIN", Desc: strings.ToUpper(name), NCM: "87083090", CFOP: "6119",
			Unit: "UN", Q: fmt.Sprint(qty), V: money(unit), VProd: money(unit * qty), XPed: ackPO, NItemPed: fmt.Sprint(line)})
	}
	rows.Close()
	nfeXML := []byte(doc.XML(t))
	status, body, _ = a.do(t, "POST", "/api/v1/purchase-orders/"+ackPO+"/invoice", "", ackTok, "application/xml", bytes.NewReader(nfeXML))
	if status != 201 {
		t.Fatalf("supplier NF-e through the first instance: %d %s", status, body)
	}
	status, got, _ = b.do(t, "GET", "/api/v1/purchase-orders/"+ackPO+"/invoices/"+doc.Key(), "", ackTok, "", nil)
	if status != 200 || !bytes.Equal(got, nfeXML) {
		t.Fatalf("supplier NF-e from the second instance: %d, %d bytes (want %d)", status, len(got), len(nfeXML))
	}

	// Login throttling counts the failures made on both: four wrong
	// passwords alternating between the instances (three are free, the
	// fourth sets a wait of 1 s), and the fifth, at once, is told to wait —
	// or, on a machine so loaded that the fifth came after that second, the
	// sixth (the fifth failure set 2 s). Counted per process, neither
	// instance would have seen more than three failures, all free.
	wrong := func(in *instance) int {
		_, page, res := in.do(t, "GET", "/login", "", "", "", nil)
		form := url.Values{"email": {"fiscal@connectparts.example"}, "password": {"nao-e-esta-senha"}, "_csrf": {csrfOf(t, page)}}
		status, _, _ := in.do(t, "POST", "/login", sessionCookieOf(res, ""), "", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		return status
	}
	for i, in := range []*instance{a, b, a, b} {
		if st := wrong(in); st != 401 {
			t.Fatalf("wrong password %d: %d, want 401", i+1, st)
		}
	}
	st := 0
	for i, in := range []*instance{a, b} {
		if st = wrong(in); st == 429 {
			break
		}
		if st != 401 {
			t.Fatalf("wrong password %d: %d", i+5, st)
		}
		t.Logf("wrong password %d: 401 (its wait had passed); one more", i+5)
	}
	if st != 429 {
		t.Fatalf("fifth and sixth wrong passwords, after four across both instances: %d, want 429", st)
	}

	// A login on the first is valid on the second with the same cookie.
	_, page, res := a.do(t, "GET", "/login", "", "", "", nil)
	cookie := sessionCookieOf(res, "")
	login := url.Values{"email": {"admin@connectparts.example"}, "password": {seed.DemoPassword}, "_csrf": {csrfOf(t, page)}}
	status, body, res = a.do(t, "POST", "/login", cookie, "", "application/x-www-form-urlencoded", strings.NewReader(login.Encode()))
	if status != 303 || strings.Contains(res.Header.Get("Location"), "/login") {
		t.Fatalf("login on the first instance: %d %s %s", status, res.Header.Get("Location"), body)
	}
	cookie = sessionCookieOf(res, cookie)
	var platformID int64
	if err := db.QueryRow("SELECT id FROM platforms WHERE name = 'Loja-B'").Scan(&platformID); err != nil {
		t.Fatal(err)
	}
	status, page, _ = b.do(t, "GET", fmt.Sprintf("/platforms/%d", platformID), cookie, "", "", nil)
	if status != 200 || !bytes.Contains(page, []byte("Loja-B")) {
		t.Fatalf("the first instance's session on the second: %d", status)
	}

	// A price table sent through the first: its original file downloads from
	// the second byte for byte.
	var code string
	if err := db.QueryRow(`SELECT p.supplier_code FROM products p JOIN users u ON u.supplier_id = p.supplier_id
		WHERE u.email = $1 AND p.supplier_code <> '' ORDER BY p.id LIMIT 1`, supplierEmail).Scan(&code); err != nil {
		t.Fatal(err)
	}
	csv := []byte("codigo;preco\r\n" + code + ";123,45\r\n")
	var ptForm bytes.Buffer
	mw = multipart.NewWriter(&ptForm)
	_ = mw.WriteField("effective_from", time.Now().AddDate(0, 0, 60).Format("2006-01-02"))
	fw, _ = mw.CreateFormFile("file", "tabela.csv")
	_, _ = fw.Write(csv)
	_ = mw.Close()
	status, body, _ = a.do(t, "POST", "/api/v1/price-tables", "", supplierTok, mw.FormDataContentType(), &ptForm)
	id := regexp.MustCompile(`"id":(\d+)`).FindSubmatch(body)
	if status != 201 || id == nil {
		t.Fatalf("price table through the first instance: %d %s", status, body)
	}
	status, got, _ = b.do(t, "GET", "/price-tables/"+string(id[1])+"/file", cookie, "", "", nil)
	// Staff get the CSV as its neutralised copy (UTF-8 with BOM, cells that
	// could run as formulas as text): this one has none, so it is the file
	// behind a BOM.
	if status != 200 || !bytes.Equal(got, append([]byte("\ufeff"), csv...)) {
		t.Fatalf("price table original from the second instance: %d %q", status, got)
	}

	// The second imports Loja B: every order is blocked, no carrier is mapped.
	openBlocked := func(method string) int {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM blocked_orders WHERE platform_id = $1 AND method = $2 AND resolved_at IS NULL", platformID, method).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	syncOnB := func(until func() bool) {
		t.Helper()
		status, body, _ := b.do(t, "POST", "/api/v1/platforms/"+url.PathEscape("Loja-B")+"/sync", "", adminTok, "", nil)
		if status != 202 {
			t.Fatalf("sync on the second instance: %d %s", status, body)
		}
		for i := 0; i < 600; i++ {
			if until() {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("the second instance's import did not get there\n%s", b.logs.String())
	}
	syncOnB(func() bool { return openBlocked("Normal") > 0 && openBlocked("Expressa") > 0 })

	// Through the first, logistics… here the admin maps "Normal" to Correios.
	status, page, _ = a.do(t, "GET", fmt.Sprintf("/platforms/%d", platformID), cookie, "", "", nil)
	if status != 200 {
		t.Fatalf("platform page on the first: %d", status)
	}
	mapForm := url.Values{"method": {"Normal"}, "carrier": {"Correios"}, "_csrf": {csrfOf(t, page)}}
	status, body, _ = a.do(t, "POST", fmt.Sprintf("/platforms/%d/carriers", platformID), cookie, "", "application/x-www-form-urlencoded", strings.NewReader(mapForm.Encode()))
	if status != 303 {
		t.Fatalf("carrier mapping on the first: %d %s", status, body)
	}
	// The second's next import applies it: the "Normal" orders come in, the
	// others stay blocked.
	syncOnB(func() bool { return openBlocked("Normal") == 0 })
	var imported int
	if err := db.QueryRow("SELECT COUNT(*) FROM sales_orders WHERE platform_id = $1", platformID).Scan(&imported); err != nil {
		t.Fatal(err)
	}
	if imported == 0 || openBlocked("Expressa") == 0 {
		t.Fatalf("after the mapping: %d imported, %d Expressa still blocked", imported, openBlocked("Expressa"))
	}
}
