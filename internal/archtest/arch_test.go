// Package archtest holds the architecture test: the import direction of the
// portal's packages (web → services → store → model), read from `go list`.
package archtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// value packages are small, dependency-free helpers any layer may import.
var value = []string{"internal/apperr", "internal/cnpj", "internal/gtin", "internal/format", "internal/pdflabel"}

// A rule forbids imports of the packages it applies to; each names itself
// in the failure.
type rule struct {
	name    string
	applies func(pkg string) bool
	allowed func(imp string) bool // for module packages only; the standard library and modules are checked by stdlibOnly
	// stdlibOnly: no third-party module either.
	stdlibOnly bool
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

func oneOf(p string, list ...string) bool {
	for _, l := range list {
		if p == l {
			return true
		}
	}
	return false
}

// harness packages are test code: they may import anything.
func harness(p string) bool {
	return oneOf(p, "internal/apptest", "internal/testdb", "e2e") || strings.HasSuffix(p, "test") && under(p, "internal/platform") ||
		p == "internal/nfe/nfetest"
}

var rules = []rule{
	{
		name:       "model imports only the standard library and small value packages (apperr, cnpj, gtin, format)",
		applies:    func(p string) bool { return p == "internal/model" },
		allowed:    func(imp string) bool { return oneOf(imp, value...) },
		stdlibOnly: true,
	},
	{
		name:    "store imports only model, database and value packages: no service, adapter or web",
		applies: func(p string) bool { return p == "internal/store" },
		allowed: func(imp string) bool {
			return oneOf(imp, "internal/model", "internal/database") || oneOf(imp, value...)
		},
	},
	{
		name:    "platform adapters import no store, service or web: only model, value packages and internal/platform",
		applies: func(p string) bool { return under(p, "internal/platform") && !harness(p) },
		allowed: func(imp string) bool {
			return under(imp, "internal/platform") || imp == "internal/model" || oneOf(imp, value...)
		},
	},
	{
		name:    "nothing imports web but cmd, internal/app and tests",
		applies: func(p string) bool { return !under(p, "cmd") && p != "internal/app" && !harness(p) },
		allowed: func(imp string) bool { return imp != "web" },
	},
	{
		name:    "nothing imports views but web, cmd, internal/app and tests",
		applies: func(p string) bool { return !under(p, "cmd") && !oneOf(p, "internal/app", "web") && !harness(p) },
		allowed: func(imp string) bool { return imp != "views" },
	},
	{
		name:    "services and the domain import no wiring (internal/app, cmd)",
		applies: func(p string) bool { return !under(p, "cmd") && p != "internal/app" && !harness(p) },
		allowed: func(imp string) bool { return imp != "internal/app" && !under(imp, "cmd") },
	},
}

// violations lists every forbidden import of graph (package → its imports,
// module packages relative to module, standard library as is).
func violations(module string, graph map[string][]string) []string {
	var out []string
	for pkg, imps := range graph {
		for _, r := range rules {
			if !r.applies(pkg) {
				continue
			}
			for _, imp := range imps {
				local, ok := strings.CutPrefix(imp, module+"/")
				switch {
				case ok && !r.allowed(local):
					out = append(out, fmt.Sprintf("%s → %s: forbidden (%s)", pkg, local, r.name))
				case !ok && r.stdlibOnly && strings.Contains(strings.SplitN(imp, "/", 2)[0], "."):
					out = append(out, fmt.Sprintf("%s → %s: forbidden (%s)", pkg, imp, r.name))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// importGraph is the module's packages and their (non-test) imports.
func importGraph(t *testing.T) (string, map[string][]string) {
	t.Helper()
	mod, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	module := strings.TrimSpace(string(mod))
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		graph[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")] = p.Imports
	}
	return module, graph
}

// TestImportDirection: the portal's packages import in one direction.
func TestImportDirection(t *testing.T) {
	module, graph := importGraph(t)
	if len(graph["internal/model"]) == 0 || len(graph["web"]) == 0 {
		t.Fatalf("go list read no graph: %d packages", len(graph))
	}
	for _, v := range violations(module, graph) {
		t.Error(v)
	}
}

// TestRulesCatchForbiddenImports: the rules name what they forbid.
func TestRulesCatchForbiddenImports(t *testing.T) {
	const m = "example.com/portal"
	graph := map[string][]string{
		"internal/model":          {"time", m + "/internal/apperr", m + "/internal/store", "gorm.io/gorm"},
		"internal/store":          {m + "/internal/model", m + "/internal/purchasing"},
		"internal/platform/vtex":  {m + "/internal/platform", m + "/internal/store"},
		"internal/purchasing":     {m + "/internal/store", m + "/web"},
		"internal/syncengine":     {m + "/views", m + "/internal/purchasing"},
		"web":                     {m + "/views", m + "/internal/purchasing"},
		"cmd/portal":              {m + "/web", m + "/internal/app"},
		"internal/app":            {m + "/web"},
		"internal/apptest":        {m + "/web"},
		"internal/platform/other": {m + "/internal/platform/platformtest"},
	}
	want := []string{
		"internal/model → gorm.io/gorm: forbidden (model imports only the standard library and small value packages (apperr, cnpj, gtin, format))",
		"internal/model → internal/store: forbidden (model imports only the standard library and small value packages (apperr, cnpj, gtin, format))",
		"internal/platform/vtex → internal/store: forbidden (platform adapters import no store, service or web: only model, value packages and internal/platform)",
		"internal/purchasing → web: forbidden (nothing imports web but cmd, internal/app and tests)",
		"internal/store → internal/purchasing: forbidden (store imports only model, database and value packages: no service, adapter or web)",
		"internal/syncengine → views: forbidden (nothing imports views but web, cmd, internal/app and tests)",
	}
	got := violations(m, graph)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
