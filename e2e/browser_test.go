package e2e_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectparts/portal/internal/apptest"
)

// browser is one Chromium tab pointed at a running portal.
type browser struct {
	t   *testing.T
	env *apptest.Env
	ctx context.Context
	n   int
	// With newBrowsers: the user's label, put in the screenshots' names, and
	// the numbering shared by the users of the test.
	label string
	seq   *int
}

func chromiumPath() string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// newBrowser starts Chromium for this test, or skips (fails under CI=true) without it.
func newBrowser(t *testing.T, env *apptest.Env) *browser {
	t.Helper()
	b := &browser{t: t, env: env, ctx: startChromium(t)}
	os.RemoveAll(b.dir()) // screenshots of an earlier run would mislead
	return b
}

// newBrowsers starts one Chromium for this test with a separate browser
// context (cookies, session) per user label, as if each user had their own
// browser. Their screenshots share the test's folder and one numbering,
// NN-label-name.png, so that they read in the order of the walk.
func newBrowsers(t *testing.T, env *apptest.Env, labels ...string) []*browser {
	t.Helper()
	root := startChromium(t)
	seq := new(int)
	var out []*browser
	for _, l := range labels {
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("browser context %s: %v", l, err)
		}
		out = append(out, &browser{t: t, env: env, ctx: ctx, label: l, seq: seq})
	}
	os.RemoveAll(out[0].dir())
	return out
}

// startChromium starts the browser and returns its first tab.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium not found and CI=true: browser tests may not be skipped (apt-get install chromium)")
		}
		t.Skip("SKIPPED: Chromium not found; install Debian's chromium package to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // the suite runs as root in CI
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first call starts the browser; it gets no timeout, since that would stop the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func (b *browser) dir() string {
	return filepath.Join("..", "test-output", "browser", strings.ReplaceAll(b.t.Name(), "/", "_"))
}

// run runs steps with a per-step deadline; a failure saves a screenshot.
func (b *browser) run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failure")
		b.t.Fatalf("browser: %v", err)
	}
}

func (b *browser) visit(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.env.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	var s string
	var err error
	for range 5 {
		s, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		// A node found on the page a submit is leaving is gone when its text
		// is read: look again on the page that replaced it.
		if err == nil || !strings.Contains(err.Error(), "given id") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		b.shot("failure")
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browser) exists(sel string) bool {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	return err == nil && len(nodes) > 0
}

// shot saves a full-page screenshot in test-output/browser/<test>/NN-name.png.
func (b *browser) shot(name string) {
	n := &b.n
	if b.seq != nil {
		n = b.seq
	}
	*n++
	if b.label != "" {
		name = b.label + "-" + name
	}
	dir := b.dir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot dir: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", *n, name))
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// fill types into an input identified by a CSS selector, replacing its value.
func fill(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		clear(sel),
		chromedp.SendKeys(chromedp.CSS(sel), value),
	)
}

// clear empties an input (chromedp's SetValue refuses the empty string).
func clear(sel string) chromedp.Action[chromedp.Void] {
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = ""; return true })()`, sel)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return err
	})
}

// choose selects an option of a <select> by value.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), value)
}

// submit clicks a button and waits for the next page.
// submit clicks a button or link and waits for what it starts to finish: the
// next page loaded (a plain post or link), or the upload of a
// form[data-upload] answered in place. A click that starts neither (a
// refused confirm, a browser-side validation) is given a few seconds.
func (b *browser) submit(buttonSel string) {
	b.t.Helper()
	mark := fmt.Sprintf(`(() => { const el = document.querySelector(%q);
		window.__cpSubmitted = true;
		window.__cpUpload = !!(el && el.form && el.form.hasAttribute("data-upload"));
		return true })()`, buttonSel)
	b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](mark)(ctx, t)
		return err
	}), chromedp.Click(chromedp.CSS(buttonSel)))
	const done = `!window.__cpSubmitted || (window.__cpUpload && !document.querySelector("[aria-busy=true]"))`
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](done))
		cancel()
		if err == nil && ok { // an error is the page changing under the check: ask again
			break
		}
	}
	b.run(chromedp.WaitReady(chromedp.CSS("body")))
}

func (b *browser) login(email, password string) {
	b.t.Helper()
	b.visit("/login")
	b.run(fill("#f-email", email), fill("#f-password", password))
	b.submit("[data-testid=login-submit]")
}

func (b *browser) location() string {
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return strings.TrimPrefix(u, b.env.URL)
}

// at reports whether the page's address starts with prefix; while the page
// is changing (the target answers "navigated or closed") it is not there yet.
func (b *browser) at(prefix string) bool {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	return err == nil && strings.HasPrefix(strings.TrimPrefix(u, b.env.URL), prefix)
}
