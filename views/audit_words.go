package views

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/shipping"
)

// AuditRow is one audit entry as people read it: who, a sentence saying what
// was done ("Entrou no portal", "PC-000010 enviado — Correios DM526000103BR"),
// and the details as labelled values, never codes or raw JSON.
type AuditRow struct {
	model.AuditEntry
	Sentence string
	Details  []AuditDetail
}

// AuditDetail is one labelled value of an audit entry.
type AuditDetail struct{ Label, Value string }

// AuditNames gives the display names of records an audit entry points at, by
// "entity:id" ("user:3" → "ana@connectparts.com.br", "supplier:2" → "Paulista").
type AuditNames map[string]string

// AuditActions lists the actions the filter offers, with their Portuguese names.
var AuditActions = [][2]string{
	{"auth.login", "Entrada no portal"}, {"auth.logout", "Saída do portal"}, {"auth.login_failed", "Entrada recusada"},
	{"user.create", "Usuário criado"}, {"user.update", "Usuário alterado"}, {"user.password_change", "Senha trocada"},
	{"user.password_reset", "Senha temporária gerada"}, {"user.password_reset_requested", "Redefinição de senha pedida"},
	{"user.password_reset_by_link", "Senha redefinida por link"},
	{"token.create", "Token de API criado"}, {"token.revoke", "Token de API revogado"},
	{"supplier.create", "Fornecedor cadastrado"}, {"supplier.update", "Fornecedor alterado"},
	{"product.create", "Produto cadastrado"}, {"product.update", "Produto alterado"}, {"product.import", "Catálogo importado"},
	{"price_table.submit", "Tabela de preços enviada"}, {"price_table.withdraw", "Tabela de preços retirada"},
	{"price_table.reject", "Tabela de preços recusada"}, {"price_table.early_date", "Vigência antecipada"},
	{"platform.create", "Plataforma conectada"}, {"platform.update", "Plataforma alterada"},
	{"platform.hook", "Notificações da plataforma registradas"}, {"token.revoke_all", "Tokens de API revogados"},
	{"webhook.rotate_secret", "Segredo do webhook trocado"}, {"purchase_order.platform_label", "Etiqueta da plataforma recebida"},
	{"carrier.map", "Transportadora vinculada"}, {"carrier.unmap", "Vínculo de transportadora removido"},
	{"sku_alias.create", "SKU de plataforma vinculado"}, {"sku_alias.delete", "Vínculo de SKU removido"},
	{"setting.update", "Configuração alterada"},
	{"webhook.create", "Webhook cadastrado"}, {"webhook.update", "Webhook alterado"}, {"webhook.delete", "Webhook removido"},
	{"webhook.retry", "Entrega de webhook reenviada"}, {"email.resend", "E-mail reenviado"},
	{"purchase_order.created", "Pedido de compra criado"}, {"purchase_order.acknowledged", "Pedido de compra aceito"},
	{"purchase_order.backordered", "Falta de estoque informada"}, {"purchase_order.invoice_accepted", "NF-e do fornecedor aceita"},
	{"purchase_order.invoice_divergent", "NF-e do fornecedor divergente"}, {"purchase_order.invoice_booked", "NF-e escriturada"},
	{"purchase_order.billed", "Pedido faturado"}, {"purchase_order.dispatched", "Pedido despachado"},
	{"purchase_order.shipped", "Pedido enviado"}, {"purchase_order.delivered", "Pedido entregue"},
	{"purchase_order.cancelled", "Pedido de compra cancelado"}, {"purchase_order.repriced", "Pedido reprecificado"},
	{"purchase_order.backorder_resumed", "Pedido continuado sem estoque"},
	{"purchase_order.remind_invoice", "Fornecedor cobrado: NF-e corrigida"}, {"purchase_order.remind_shipment", "Fornecedor cobrado: envio atrasado"},
	{"status_push.retry", "Envio de status à plataforma tentado de novo"}, {"stock_push.retry", "Envio de estoque à plataforma tentado de novo"},
	{"purchase_order.cancel_exception", "Cancelado após o despacho"}, {"purchase_order.exception_resolved", "Exceção resolvida"},
}

// auditActionName is the Portuguese name of an action, or the action itself.
func auditActionName(action string) string {
	for _, a := range AuditActions {
		if a[0] == action {
			return a[1]
		}
	}
	return action
}

// poVerb is what happened to a PO, after its number.
var poVerb = map[string]string{
	model.POEventCreated: "criado", model.POEventAcknowledged: "aceito pelo fornecedor",
	model.POEventBackordered: "sem estoque no fornecedor", model.POEventInvoice: "com NF-e do fornecedor aceita",
	model.POEventDivergent: "com NF-e do fornecedor divergente", model.POEventBooked: "com NF-e escriturada",
	model.POEventBilled: "faturado", model.POEventDispatched: "despachado", model.POEventShipped: "enviado",
	model.POEventDelivered: "entregue", model.POEventCancelled: "cancelado", model.POEventRepriced: "reprecificado",
	model.POEventResumed:         "continuado (o cliente aguarda o estoque)",
	"remind_invoice":             "— fornecedor cobrado: enviar NF-e corrigida",
	"remind_shipment":            "— fornecedor cobrado: envio atrasado",
	model.POEventCancelException: "cancelado na plataforma após o despacho", model.POEventExceptionResolved: "com exceção resolvida",
	"platform_label": "com etiqueta da plataforma recebida", // purchasing.POEventPlatformLabel
}

// DescribeAudit turns an entry into an AuditRow.
func DescribeAudit(e model.AuditEntry, names AuditNames) AuditRow {
	var d map[string]any
	if strings.HasPrefix(strings.TrimSpace(e.Details), "{") {
		_ = json.Unmarshal([]byte(e.Details), &d)
	}
	str := func(k string) string {
		if v, ok := d[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	who := func(entity string) string {
		if n := names[entity+":"+e.EntityID]; n != "" {
			return n
		}
		return "nº " + e.EntityID
	}
	row := AuditRow{AuditEntry: e}
	switch a := e.Action; {
	case a == "auth.login":
		row.Sentence = "Entrou no portal"
	case a == "auth.logout":
		row.Sentence = "Saiu do portal"
	case a == "auth.login_failed":
		row.Sentence = "Tentativa de entrada recusada"
	case a == "user.create":
		row.Sentence = "Criou o usuário " + who("user")
	case a == "user.update":
		row.Sentence = "Alterou o usuário " + who("user")
	case a == "user.password_change":
		row.Sentence = "Trocou a senha de " + who("user")
	case a == "user.password_reset":
		row.Sentence = "Gerou uma senha temporária para " + who("user")
	case a == "user.password_reset_requested":
		row.Sentence = "Pedido de link de redefinição de senha para " + who("user")
	case a == "user.password_reset_by_link":
		row.Sentence = "Redefiniu a senha de " + who("user") + " pelo link enviado por e-mail"
	case a == "token.create":
		row.Sentence = "Criou o token de API “" + str("label") + "”"
	case a == "token.revoke":
		row.Sentence = "Revogou um token de API"
	case a == "supplier.create":
		row.Sentence = "Cadastrou o fornecedor " + who("supplier")
	case a == "supplier.update":
		row.Sentence = "Alterou o fornecedor " + who("supplier")
	case a == "product.create":
		row.Sentence = "Cadastrou o produto " + str("sku")
	case a == "product.update":
		row.Sentence = "Alterou o produto " + firstNonEmpty(str("sku"), who("product"))
	case a == "product.import":
		row.Sentence = "Importou o catálogo (" + e.EntityID + ")"
	case a == "price_table.submit":
		row.Sentence = "Enviou a tabela de preços nº " + e.EntityID
	case a == "price_table.withdraw":
		row.Sentence = "Retirou a tabela de preços nº " + e.EntityID
	case a == "price_table.reject":
		row.Sentence = "Recusou a tabela de preços nº " + e.EntityID
	case a == "price_table.early_date":
		row.Sentence = "Antecipou a vigência da tabela de preços nº " + e.EntityID
	case a == "platform.create":
		row.Sentence = "Conectou a plataforma " + who("platform")
	case a == "platform.update":
		row.Sentence = "Alterou a plataforma " + who("platform")
	case a == "carrier.map":
		row.Sentence = "Vinculou o método de envio “" + str("method") + "” à transportadora " + str("carrier") + " (" + who("platform") + ")"
	case a == "carrier.unmap":
		row.Sentence = "Removeu o vínculo do método de envio “" + str("method") + "” (" + who("platform") + ")"
	case a == "sku_alias.create":
		row.Sentence = "Vinculou o SKU “" + str("platform_sku") + "” de " + str("platform") + " ao produto " + str("sku")
	case a == "sku_alias.delete":
		row.Sentence = "Removeu o vínculo do SKU “" + str("platform_sku") + "” de " + str("platform") + " com o produto " + str("sku")
	case a == "setting.update":
		row.Sentence = "Alterou a configuração “" + settingName(e.EntityID) + "”"
	case strings.HasPrefix(a, "webhook."):
		row.Sentence = auditActionName(a)
	case a == "email.resend":
		row.Sentence = "Reenviou um e-mail"
	case strings.HasPrefix(a, "purchase_order."):
		kind := strings.TrimPrefix(a, "purchase_order.")
		verb := poVerb[kind]
		if verb == "" {
			verb = "alterado"
		}
		row.Sentence = e.EntityID + " " + verb
		if kind == model.POEventShipped && str("tracking_code") != "" {
			row.Sentence += " — " + shipping.CarrierLabel(str("carrier")) + " " + str("tracking_code")
		}
	default:
		row.Sentence = auditActionName(a)
	}
	row.Details = auditDetails(d, e.Details)
	return row
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// detailLabels names the detail keys the stores write.
var detailLabels = map[string]string{
	"email": "E-mail", "name": "Nome", "role": "Perfil", "active": "Ativo", "label": "Rótulo", "prefix": "Início do token",
	"reason": "Motivo", "before": "Antes", "after": "Depois", "sku": "SKU", "brand": "Marca", "ean": "EAN", "ncm": "NCM",
	"supplier_code": "Código do fornecedor", "dropship": "Dropship", "method": "Método de envio", "carrier": "Transportadora",
	"tracking_code": "Rastreio", "invoice_key": "Chave da NF-e", "url": "Endereço", "events": "Eventos",
	"effective_from": "Vigência", "justification": "Justificativa", "note": "Observação", "file": "Arquivo",
	"lines": "Linhas", "created": "Novos", "updated": "Atualizados", "unchanged": "Sem alteração", "kind": "Tipo",
	"base_url": "Endereço da API", "enabled": "Ativa", "number": "Número", "total_cents": "Total", "key": "Chave",
	"price_cents": "Preço", "registered": "Registrado", "error": "Erro", "revoked": "Revogados", "format": "Formato",
	"size": "Tamanho (bytes)", "platform": "Plataforma", "platform_sku": "SKU na plataforma",
	// Records audited whole (suppliers) carry their Go field names.
	"CNPJ": "CNPJ", "LegalName": "Razão social", "TradeName": "Nome fantasia", "Email": "E-mail", "Active": "Ativo",
	"DispatchHours": "Prazo de despacho (h)", "PriceNoticeDays": "Aviso de preço (dias)", "Phone": "Telefone",
}

// hiddenDetails are internal references nobody reads (ids, hashes).
var hiddenDetails = map[string]bool{"user_id": true, "supplier_id": true, "label_sha256": true, "id": true, "platform_id": true,
	"ID": true, "CreatedAt": true, "UpdatedAt": true, "sha256": true}

// auditDetails lists the details as labelled values: known keys in
// Portuguese, booleans as sim/não, money in reais, nested values flattened.
func auditDetails(d map[string]any, raw string) []AuditDetail {
	if d == nil {
		if raw = strings.TrimSpace(raw); raw != "" && !strings.HasPrefix(raw, "{") && !strings.HasPrefix(raw, "[") {
			return []AuditDetail{{Label: "Detalhe", Value: raw}}
		}
		return nil
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		if !hiddenDetails[k] && !strings.HasSuffix(k, "_id") && !strings.HasSuffix(k, "_sha256") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []AuditDetail
	for _, k := range keys {
		v := detailValue(k, d[k])
		if v == "" {
			continue
		}
		label := detailLabels[k]
		if label == "" {
			label = strings.ReplaceAll(k, "_", " ")
		}
		out = append(out, AuditDetail{Label: label, Value: v})
	}
	return out
}

func detailValue(k string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "sim"
		}
		return "não"
	case float64:
		if strings.HasSuffix(k, "_cents") {
			return format.Money(int64(x))
		}
		return format.Int(int64(x))
	case string:
		switch k {
		case "role":
			return model.Role(x).Label()
		case "carrier":
			return shipping.CarrierLabel(x)
		}
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, detailValue(k, e))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		inner := auditDetails(x, "")
		parts := make([]string, 0, len(inner))
		for _, e := range inner {
			parts = append(parts, e.Label+": "+e.Value)
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

// settingName is a settings key in Portuguese.
func settingName(key string) string {
	switch key {
	case "company_cnpj":
		return "CNPJ da empresa"
	case "company_name":
		return "Razão social da empresa"
	case "price_alert_percent":
		return "Alerta de variação de preço"
	case "po_fiscal_note":
		return "Texto fiscal do pedido de compra"
	case "po_auto_dispatch":
		return "Despachar ao faturar"
	case "personal_data_days":
		return "Dias de dados pessoais visíveis ao fornecedor após o envio (LGPD)"
	}
	return key
}

// auditActor is who acted, in words ("sistema" and "cli" are the portal itself).
func auditActor(label string) string {
	switch label {
	case "", "sistema":
		return "Sistema (tarefas automáticas)"
	case "cli":
		return "Linha de comando"
	}
	return label
}
