package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/connectparts/portal/internal/nfe/nfetest"
)

func writeNFe(t *testing.T, name string, f *nfetest.Doc) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(f.XML(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// nfe check reports the tax reform's IBS/CBS per item and in total, in
// centavos, beside the unchanged contract fields; a wrong IBSCBSTot makes
// the file invalid with a Portuguese reason; an import leaving vII out of
// vNF is valid.
func TestCLINFeCheckIBSCBSAndImport(t *testing.T) {
	good := nfetest.WithIBSCBS(t, nfetest.Valid())
	good.Proc = true
	wrong := nfetest.WithIBSCBS(t, nfetest.Valid())
	tot := wrong.SumIBSCBS(t)
	tot.VCBS = "9.99"
	wrong.IBSCBSTot = &tot
	imp := nfetest.Import()
	imp.VNF = "1200.00"

	reports, out, err := runNFe(t, "", "nfe", "check", writeNFe(t, "ibscbs.xml", good), writeNFe(t, "import.xml", imp))
	if err != nil || len(reports) != 2 {
		t.Fatalf("%v\n%s", err, out)
	}
	r := reports[0]
	if r["valid"] != true || r["total_cents"] != 19630.0 {
		t.Errorf("report %v", r)
	}
	tt, _ := r["ibs_cbs_total"].(map[string]any)
	if tt["base_cents"] != 18080.0 || tt["ibs_uf_cents"] != 18.0 || tt["ibs_mun_cents"] != 0.0 || tt["ibs_cents"] != 18.0 || tt["cbs_cents"] != 163.0 {
		t.Errorf("ibs_cbs_total %v", r["ibs_cbs_total"])
	}
	item := r["items"].([]any)[0].(map[string]any)
	g, _ := item["ibs_cbs"].(map[string]any)
	if item["total_cents"] != 17980.0 || g["cst"] != "000" || g["class_trib"] != "000001" || g["base_cents"] != 17980.0 ||
		g["ibs_uf_rate"] != "0.10" || g["ibs_uf_cents"] != 18.0 || g["ibs_mun_rate"] != "0.00" || g["ibs_cents"] != 18.0 ||
		g["cbs_rate"] != "0.90" || g["cbs_cents"] != 162.0 {
		t.Errorf("item ibs_cbs %v", item["ibs_cbs"])
	}
	if reports[1]["valid"] != true || reports[1]["authorized"] != true || reports[1]["total_cents"] != 120000.0 ||
		reports[1]["ibs_cbs_total"] != nil {
		t.Errorf("import %v", reports[1])
	}

	reports, _, err = runNFe(t, "", "nfe", "check", writeNFe(t, "wrong.xml", wrong))
	if err == nil || len(reports) != 1 || reports[0]["valid"] != false {
		t.Fatalf("wrong IBSCBSTot: %v %v", err, reports)
	}
	p := reports[0]["problems"].([]any)[0].(map[string]any)
	if p["code"] != "ibscbs_total_mismatch" ||
		p["message"] != "o total da CBS na nota (IBSCBSTot/gCBS/vCBS) é R$ 9,99, mas a soma dos itens é R$ 1,63" {
		t.Errorf("problem %v", p)
	}
}
