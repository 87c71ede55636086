package vtexfake

import (
	"bytes"
	"encoding/json"
)

// withPackages adds to an order's JSON the invoices received for it, as
// packageAttachment.packages (vtex-order-full.json): one package per invoice
// notification, with its type, number, value, key, issuance date and items,
// and the courier, tracking number and URL of the latest tracking PATCHed to
// that invoice (vtex-tracking-and-handling.json: the PATCH "updates the
// invoice" with them). The example's own packages are kept. Caller holds mu.
func (s *Server) withPackages(id string, order []byte) []byte {
	if len(s.invoices[id]) == 0 {
		return order
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(order))
	dec.UseNumber()
	must(dec.Decode(&m))
	att, _ := m["packageAttachment"].(map[string]any)
	if att == nil {
		att = map[string]any{}
	}
	pkgs, _ := att["packages"].([]any)
	for _, raw := range s.invoices[id] {
		var inv map[string]any
		must(json.Unmarshal(raw, &inv))
		pkg := map[string]any{}
		for _, k := range []string{"type", "invoiceNumber", "invoiceKey", "invoiceUrl", "issuanceDate", "items", "courier", "trackingNumber", "trackingUrl"} {
			if v, ok := inv[k]; ok {
				pkg[k] = v
			}
		}
		if v, ok := inv["invoiceValue"].(string); ok {
			pkg["invoiceValue"] = json.Number(v) // a number in the order, a string in the notification
		}
		if num, _ := inv["invoiceNumber"].(string); s.tracked[[2]string{id, num}] != nil {
			var t map[string]any
			if json.Unmarshal(s.tracked[[2]string{id, num}], &t) == nil {
				for _, k := range []string{"courier", "trackingNumber", "trackingUrl"} {
					if v, ok := t[k]; ok {
						pkg[k] = v
					}
				}
			}
		}
		pkgs = append(pkgs, pkg)
	}
	att["packages"] = pkgs
	m["packageAttachment"] = att
	b, err := json.Marshal(m)
	must(err)
	return b
}
