package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

func fmtMoney(cents int64) string { return format.Money(cents) }

// fmtDocument renders a CPF as 000.000.000-00 and a CNPJ as 00.000.000/0000-00.
func fmtDocument(doc string) string {
	d := cnpj.Normalize(doc)
	switch len(d) {
	case 11:
		return d[0:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:11]
	case 14:
		return cnpj.Format(d)
	case 0:
		return "—"
	}
	return doc
}

// fmtCEP renders 8 digits as 00000-000.
func fmtCEP(cep string) string {
	if len(cep) == 8 {
		return cep[:5] + "-" + cep[5:]
	}
	return cep
}

// fmtDuration renders a run's duration: "850 ms", "12 s", "3 min 05 s".
func fmtDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Minute:
		return strconv.FormatInt(int64(d/time.Second), 10) + " s"
	}
	s := int64(d / time.Second)
	sec := strconv.FormatInt(s%60, 10)
	if len(sec) == 1 {
		sec = "0" + sec
	}
	return strconv.FormatInt(s/60, 10) + " min " + sec + " s"
}

func orderStatusClass(s model.SOStatus) string {
	switch s {
	case model.SOCancelled:
		return "badge badge-bad"
	case model.SOAwaitingPayment:
		return "badge badge-warn"
	case model.SOInvoiced, model.SODispatched, model.SODelivered:
		return "badge badge-ok"
	}
	return "badge badge-info"
}

func syncStatusClass(s model.SyncRunStatus) string {
	switch s {
	case model.SyncOK:
		return "badge badge-ok"
	case model.SyncFailed, model.SyncInterrupted:
		return "badge badge-bad"
	}
	return "badge badge-warn"
}

func eventKindLabel(kind string) string {
	switch kind {
	case model.OrderEventImported:
		return "Importado"
	case model.OrderEventStatusChanged:
		return "Status"
	case model.OrderEventStockReserved:
		return "Estoque reservado"
	case model.OrderEventStockReleased:
		return "Reserva liberada"
	case model.OrderEventStockConsumed:
		return "Estoque baixado"
	case model.OrderEventCancelRequested:
		return "Cancelamento solicitado"
	case "purchase_order":
		return "Pedido de compra"
	}
	return "Evento"
}

func platformName(names map[int64]string, id int64) string {
	if n, ok := names[id]; ok {
		return n
	}
	return "#" + itoa(id)
}

// SettingField is one platform setting on the platform forms.
type SettingField struct {
	Key    string
	Label  string
	Secret bool // never shown back: blank keeps the stored value
	Hint   string
}

// PlatformSettingFields lists the settings each kind takes (CONTRACT.md).
var PlatformSettingFields = map[string][]SettingField{
	model.PlatformVTEX: {
		{Key: "account", Label: "Conta (account)", Hint: "O nome da loja em {account}.vtexcommercestable.com.br."},
		{Key: "app_key", Label: "App key", Secret: true},
		{Key: "app_token", Label: "App token", Secret: true},
		{Key: "warehouse", Label: "Estoque VTEX (warehouse)", Hint: "Id do estoque (warehouse) que recebe as quantidades do portal."},
	},
	model.PlatformMercadoLivre: {
		{Key: "client_id", Label: "Client ID (APP ID)"},
		{Key: "client_secret", Label: "Client secret", Secret: true},
		{Key: "refresh_token", Label: "Refresh token", Secret: true},
		{Key: "seller_id", Label: "Id do vendedor (seller_id)"},
		{Key: "store_id", Label: "Depósito multi-origem (store_id, opcional)", Hint: "Só para contas com estoque multi-origem (warehouse_management) e mais de um depósito: o depósito que recebe o estoque do portal."},
	},
	model.PlatformSandbox: {
		{Key: "seed", Label: "Semente (seed)", Hint: "Mesma semente, mesmos pedidos. Padrão: 1."},
		{Key: "orders", Label: "Pedidos gerados", Hint: "Padrão: 20."},
	},
}

// PlatformKinds are the kinds in the order the forms offer them.
var PlatformKinds = []string{model.PlatformVTEX, model.PlatformMercadoLivre, model.PlatformSandbox}

var importFromOptions = []model.ImportFrom{model.ImportFromAwaitingPayment, model.ImportFromPaymentConfirmed}

func minutes(seconds int) string { return strconv.Itoa(seconds / 60) }

// fmtPhones renders a comma-separated list of phone numbers the Brazilian
// way: "+5548966862223" → "(48) 96686-2223". A number that is not a
// Brazilian landline or mobile is shown as written; none is "—".
func fmtPhones(list string) string {
	var out []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		out = append(out, fmtPhone(p))
	}
	if len(out) == 0 {
		return "—"
	}
	return strings.Join(out, ", ")
}

func fmtPhone(p string) string {
	var d strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	n := d.String()
	if (len(n) == 12 || len(n) == 13) && strings.HasPrefix(n, "55") && (strings.HasPrefix(p, "+") || strings.HasPrefix(p, "55")) {
		n = n[2:]
	}
	switch len(n) {
	case 10:
		return "(" + n[:2] + ") " + n[2:6] + "-" + n[6:]
	case 11:
		return "(" + n[:2] + ") " + n[2:7] + "-" + n[7:]
	}
	return p
}
