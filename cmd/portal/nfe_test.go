package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runNFe runs the command line without any configuration: nfe check needs no database.
func runNFe(t *testing.T, stdin string, args ...string) ([]map[string]any, string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out)
	var reports []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		var r map[string]any
		if jerr := json.Unmarshal([]byte(line), &r); jerr != nil {
			t.Fatalf("not one JSON object per line: %q: %v", line, jerr)
		}
		reports = append(reports, r)
	}
	return reports, out.String(), err
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "internal", "nfe", "testdata", "nfephp-org__sped-nfe__"+name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func problemCodes(r map[string]any) []string {
	var out []string
	for _, p := range r["problems"].([]any) {
		out = append(out, p.(map[string]any)["code"].(string))
	}
	return out
}

func TestCLINFeCheck(t *testing.T) {
	bare, prot := fixture(t, "nfe_layout4.xml"), fixture(t, "nfe_layout4_com_prot.xml")
	old, bad := fixture(t, "2017protocoled.xml"), fixture(t, "nfe_4.0.xml")
	missing := filepath.Join(t.TempDir(), "nao-existe.xml")

	// Every file valid: exit status 0.
	reports, out, err := runNFe(t, "", "nfe", "check", bare, prot)
	if err != nil || len(reports) != 2 {
		t.Fatalf("valid files: %v\n%s", err, out)
	}
	r := reports[1]
	// CONTRACT.md's keys, plus the additive ibs_cbs_total (README).
	keys := []string{"file", "valid", "authorized", "key", "model", "version", "series", "number", "issued_at",
		"issuer", "recipient", "total_cents", "items", "problems", "ibs_cbs_total"}
	if len(r) != len(keys) {
		t.Errorf("keys: %v", r)
	}
	for _, k := range keys {
		if _, ok := r[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if r["file"] != prot || r["valid"] != true || r["authorized"] != true || r["key"] != "43180906929383000163550010000000261000010301" ||
		r["model"] != 55.0 || r["version"] != "4.00" || r["series"] != 1.0 || r["number"] != 26.0 ||
		r["issued_at"] != "2018-09-25T00:00:00-03:00" || r["total_cents"] != 50000.0 || len(problemCodes(r)) != 0 {
		t.Errorf("report: %v", r)
	}
	if iss := r["issuer"].(map[string]any); iss["cnpj"] != "06929383000163" || iss["name"] != "UMA RAZAO SOCIAL DE TESTE QUALQUER" {
		t.Errorf("issuer %v", iss)
	}
	if rec := r["recipient"].(map[string]any); rec["document"] != "58716523000119" {
		t.Errorf("recipient %v", rec)
	}
	item := r["items"].([]any)[0].(map[string]any)
	if item["n"] != 1.0 || item["code"] != "11007" || item["quantity"] != "10.0000" || item["unit_price"] != "50" ||
		item["total_cents"] != 50000.0 || item["cfop"] != "6101" || item["ncm"] != "64011000" || item["order_ref"] != "" {
		t.Errorf("item %v", item)
	}
	if reports[0]["valid"] != true || reports[0]["authorized"] != false {
		t.Errorf("bare NFe: %v", reports[0])
	}

	// Any invalid or unreadable file: every file still reported, then an error (exit status 1, not usage).
	reports, out, err = runNFe(t, "", "nfe", "check", bare, old, missing, bad)
	if err == nil || errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "3 de 4") {
		t.Fatalf("invalid files: err %v", err)
	}
	if len(reports) != 4 {
		t.Fatalf("%d reports:\n%s", len(reports), out)
	}
	want := [][]string{nil, {"unsupported_version"}, {"read_error"},
		{"key_check_digit", "key_mismatch_cnpj", "issuer_cnpj_invalid", "recipient_document_invalid"}}
	for i, r := range reports {
		if got := problemCodes(r); strings.Join(got, ",") != strings.Join(want[i], ",") || r["valid"] != (len(want[i]) == 0) {
			t.Errorf("file %d: valid %v problems %v, want %v", i, r["valid"], got, want[i])
		}
	}
	if reports[2]["file"] != missing || reports[2]["items"] == nil || len(reports[2]["items"].([]any)) != 0 {
		t.Errorf("unreadable file report: %v", reports[2])
	}
	if msg := reports[2]["problems"].([]any)[0].(map[string]any)["message"]; msg != "arquivo não encontrado" {
		t.Errorf("unreadable message %v", msg)
	}

	// "-" reads standard input.
	data, _ := os.ReadFile(bare)
	if reports, _, err := runNFe(t, string(data), "nfe", "check", "-"); err != nil || len(reports) != 1 || reports[0]["valid"] != true {
		t.Errorf("stdin: %v %v", err, reports)
	}

	// Usage errors.
	for _, args := range [][]string{{"nfe", "check"}, {"nfe"}, {"nfe", "validate", bare}} {
		if _, _, err := runNFe(t, "", args...); !errors.As(err, new(usageError)) {
			t.Errorf("%v: %v", args, err)
		}
	}
}
