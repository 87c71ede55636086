package views_test

import (
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/views"
)

func TestDescribeAudit(t *testing.T) {
	names := views.AuditNames{"user:7": "ana@connectparts.example", "platform:2": "Loja VTEX"}
	for _, tc := range []struct {
		e        model.AuditEntry
		sentence string
		details  string
	}{
		{model.AuditEntry{Action: "auth.login", Entity: "user", EntityID: "7"}, "Entrou no portal", ""},
		{model.AuditEntry{Action: "purchase_order.shipped", Entity: "purchase_order", EntityID: "PC-000010",
			Details: `{"carrier":"correios","tracking_code":"DM526000103BR","label_sha256":"ab12"}`},
			"PC-000010 enviado — Correios DM526000103BR", "Transportadora: Correios; Rastreio: DM526000103BR"},
		{model.AuditEntry{Action: "user.update", Entity: "user", EntityID: "7", Details: `{"role":"fiscal","active":false}`},
			"Alterou o usuário ana@connectparts.example", "Ativo: não; Perfil: Fiscal"},
		{model.AuditEntry{Action: "user.create", Entity: "user", EntityID: "99"}, "Criou o usuário nº 99", ""},
		{model.AuditEntry{Action: "carrier.map", Entity: "platform", EntityID: "2", Details: `{"method":"Expressa","carrier":"Jadlog"}`},
			"Vinculou o método de envio “Expressa” à transportadora Jadlog (Loja VTEX)", "Transportadora: Jadlog; Método de envio: Expressa"},
		{model.AuditEntry{Action: "setting.update", Entity: "setting", EntityID: "company_cnpj", Details: `{"before":"","after":"11222333000181"}`},
			"Alterou a configuração “CNPJ da empresa”", "Depois: 11222333000181"},
	} {
		row := views.DescribeAudit(tc.e, names)
		if row.Sentence != tc.sentence {
			t.Errorf("%s: sentence %q, want %q", tc.e.Action, row.Sentence, tc.sentence)
		}
		var parts []string
		for _, d := range row.Details {
			parts = append(parts, d.Label+": "+d.Value)
		}
		if got := strings.Join(parts, "; "); got != tc.details {
			t.Errorf("%s: details %q, want %q", tc.e.Action, got, tc.details)
		}
	}
}
