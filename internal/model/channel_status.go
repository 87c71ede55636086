package model

import "strings"

// ChannelStatusLabel is a platform's own order status (SalesOrder.ChannelStatus,
// kept verbatim) in Portuguese, for the pages. VTEX statuses take the VTEX
// Admin's own Portuguese names (help center "Fluxo e status de pedidos",
// shared/fixtures/platforms/vtex-order-statuses.json); Mercado Livre's
// composite "order / shipment:substatus" is spelled out part by part; the
// sandbox's codes are the portal's own (SOStatus). A status
// neither platform documents is shown as it came, so nothing is hidden.
func ChannelStatusLabel(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if l, ok := vtexStatusPT[raw]; ok {
		return l
	}
	for _, st := range SOStatuses { // the sandbox speaks the portal's own codes
		if raw == string(st) {
			return st.Label()
		}
	}
	order, ship, _ := strings.Cut(raw, " / ")
	ol, ok := meliOrderPT[order]
	if !ok {
		return raw
	}
	if ship == "" {
		return ol
	}
	st, sub, _ := strings.Cut(ship, ":")
	sl, ok := meliShipmentPT[st]
	if !ok {
		return ol + " · envio " + ship
	}
	if sub != "" {
		if l, ok := meliSubstatusPT[sub]; ok {
			sl += " (" + l + ")"
		} else {
			sl += " (" + sub + ")"
		}
	}
	return ol + " · " + sl
}

// vtexStatusPT: the VTEX Admin's names; the statuses the table leaves without
// an Admin name (system states) get a description of what they are.
var vtexStatusPT = map[string]string{
	"order-created":                    "Pedido criado",
	"on-order-completed":               "Pedido concluído na loja",
	"on-order-completed-ffm":           "Pedido concluído (fulfillment)",
	"waiting-for-authorization":        "Aguardando confirmação do seller",
	"waiting-for-sellers-confirmation": "Aguardando confirmação do seller",
	"payment-pending":                  "Pagamento pendente",
	"payment-approved":                 "Pagamento aprovado",
	"window-to-change-payment":         "Janela para mudança de pagamento",
	"window-to-change-seller":          "Janela para mudança de seller",
	"waiting-ffmt-authorization":       "Aguardando autorização do fulfillment",
	"waiting-for-manual-authorization": "Aguardando autorização para despachar",
	"authorize-fulfillment":            "Autorizar despacho",
	"window-to-cancel":                 "Janela para cancelamento",
	"ready-for-handling":               "Pronto para manuseio",
	"start-handling":                   "Iniciar manuseio",
	"handling":                         "Preparando entrega",
	"ready-for-invoicing":              "Pronto para faturar",
	"invoice":                          "Verificando nota fiscal",
	"invoiced":                         "Faturado",
	"request-cancel":                   "Cancelamento solicitado",
	"cancellation-requested":           "Cancelamento solicitado",
	"canceling":                        "Cancelando",
	"canceled":                         "Cancelado",
	"waiting-for-mkt-authorization":    "Aguardando autorização do marketplace",
	"waiting-seller-handling":          "Aguardando manuseio do seller",
	"waiting-for-fulfillment":          "Aguardando fulfillment",
}

// Mercado Livre order statuses (orders API "status").
var meliOrderPT = map[string]string{
	"confirmed":          "Confirmado",
	"payment_required":   "Pagamento pendente",
	"payment_in_process": "Pagamento em análise",
	"partially_paid":     "Pago parcialmente",
	"paid":               "Pago",
	"partially_refunded": "Reembolsado parcialmente",
	"pending_cancel":     "Cancelamento pendente",
	"cancelled":          "Cancelado",
	"invalid":            "Inválido",
}

// Mercado Livre shipment statuses (shipments API "status").
var meliShipmentPT = map[string]string{
	"pending":       "envio pendente",
	"handling":      "envio em preparação",
	"ready_to_ship": "pronto para envio",
	"shipped":       "enviado",
	"delivered":     "entregue",
	"not_delivered": "não entregue",
	"cancelled":     "envio cancelado",
	"to_be_agreed":  "envio a combinar",
}

// The Mercado Livre shipment substatuses the portal acts on.
var meliSubstatusPT = map[string]string{
	"invoice_pending":       "aguardando nota fiscal",
	"buffered":              "aguardando liberação",
	"ready_to_print":        "etiqueta pronta para imprimir",
	"printed":               "etiqueta impressa",
	"ready_for_pickup":      "aguardando coleta",
	"picked_up":             "coletado",
	"dropped_off":           "entregue na agência",
	"in_hub":                "no centro de distribuição",
	"authorized_by_carrier": "autorizado pela transportadora",
	"in_packing_list":       "na lista de embalagem",
}
