package model_test

import (
	"testing"

	"github.com/connectparts/portal/internal/model"
)

func TestChannelStatusLabel(t *testing.T) {
	for raw, want := range map[string]string{
		"ready-for-handling":                    "Pronto para manuseio",
		"payment-pending":                       "Pagamento pendente",
		"handling":                              "Preparando entrega",
		"canceled":                              "Cancelado",
		"paid":                                  "Pago",
		"paid / ready_to_ship:invoice_pending":  "Pago · pronto para envio (aguardando nota fiscal)",
		"paid / pending:buffered":               "Pago · envio pendente (aguardando liberação)",
		"paid / shipped":                        "Pago · enviado",
		"paid / ready_to_ship:some_new_substat": "Pago · pronto para envio (some_new_substat)",
		"ready_for_handling":                    "Pronto para manuseio", // the sandbox
		"something-new":                         "something-new",        // undocumented: shown as it came
		"":                                      "",
	} {
		if got := model.ChannelStatusLabel(raw); got != want {
			t.Errorf("ChannelStatusLabel(%q) = %q, want %q", raw, got, want)
		}
	}
}
