package platform

import (
	"sort"

	"github.com/connectparts/portal/internal/apperr"
)

// UnknownSettings lists, in name order, every setting the platform does not
// take, so a typo is reported instead of silently ignored. import_from and
// po_at are known to every platform (the engine validates po_at).
func UnknownSettings(settings map[string]string, platformName string, known ...string) []apperr.Detail {
	ok := map[string]bool{"import_from": true, "po_at": true}
	for _, k := range known {
		ok[k] = true
	}
	var unknown []string
	for k := range settings {
		if !ok[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	d := make([]apperr.Detail, 0, len(unknown))
	for _, k := range unknown {
		d = append(d, apperr.Detail{Field: k, Message: "Configuração desconhecida para " + platformName + "."})
	}
	return d
}
