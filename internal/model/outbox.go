package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EventPing is the webhook test event ("Enviar evento de teste"); it is never
// published to people.
const EventPing = "ping"

// WebhookEvents are the event kinds a supplier's webhook may subscribe to,
// in display order.
var WebhookEvents = []string{EventPOCreated, EventPOBilled, EventPOCancelled, EventPODeadlineNear}

// EventLabel is an event kind's Portuguese name.
func EventLabel(kind string) string {
	switch kind {
	case EventPOCreated:
		return "Novo pedido de compra"
	case EventPOBilled:
		return "Nota de faturamento disponível"
	case EventPOCancelled:
		return "Pedido de compra cancelado"
	case EventPODeadlineNear:
		return "Prazo de envio próximo"
	case EventPing:
		return "Evento de teste"
	case EmailPasswordReset:
		return "Redefinição de senha"
	}
	return kind
}

// Emailed reports whether an event kind is also sent by e-mail.
func Emailed(kind string) bool { return slices.Contains(WebhookEvents, kind) }

// E-mail statuses in the outbox.
const (
	EmailHeld    = "held"    // SMTP not configured: shown on the outbox page, never sent
	EmailPending = "pending" // waiting for its job
	EmailSent    = "sent"
	EmailFailed  = "failed" // the last attempt failed (retried while attempts remain)
)

// EmailStatuses lists the statuses in display order.
var EmailStatuses = []string{EmailPending, EmailSent, EmailFailed, EmailHeld}

// EmailStatusLabel is a status in Portuguese.
func EmailStatusLabel(s string) string {
	switch s {
	case EmailHeld:
		return "Não enviado — SMTP não configurado"
	case EmailPending:
		return "Aguardando envio"
	case EmailSent:
		return "Enviado"
	case EmailFailed:
		return "Falhou"
	}
	return s
}

// Email is one message of the e-mail outbox, to one user.
type Email struct {
	ID            int64
	UserID        *int64
	Kind          string
	ToAddr        string
	Subject       string
	Body          string
	Status        string
	Attempts      int
	LastError     string
	CreatedAt     time.Time
	LastAttemptAt *time.Time
	SentAt        *time.Time
}

// TableName is email_outbox.
func (Email) TableName() string { return "email_outbox" }

// ComposeEmail is the subject and plain-text body of an event's e-mail to
// one person; link is absolute.
func ComposeEmail(ev Event, name, link string) (subject, body string) {
	subject = "ConnectParts: " + EventLabel(ev.Kind)
	if po, ok := ev.Data["purchase_order"].(map[string]any); ok {
		if n, ok := po["number"].(string); ok && n != "" {
			subject += " — " + n
		}
	}
	var b strings.Builder
	if name = strings.TrimSpace(name); name != "" {
		fmt.Fprintf(&b, "Olá, %s,\n\n", name)
	} else {
		b.WriteString("Olá,\n\n")
	}
	b.WriteString(ev.Message)
	b.WriteString("\n\n")
	if link != "" {
		fmt.Fprintf(&b, "Acesse: %s\n\n", link)
	}
	b.WriteString("— Portal de Dropshipping ConnectParts\n" +
		"Mensagem automática; não responda a este e-mail.\n")
	return subject, b.String()
}

// Webhook is a supplier's endpoint that receives events as signed JSON POSTs.
// The signing secret is stored sealed and shown only when created or rotated.
type Webhook struct {
	ID              int64
	SupplierID      int64
	Supplier        *Supplier `gorm:"foreignKey:SupplierID"` // loaded by the staff list only
	URL             string    `gorm:"column:url"`
	Events          string    // comma-separated kinds
	SecretSealed    string
	Active          bool
	SecretRotatedAt time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// EventList returns the subscribed kinds.
func (w *Webhook) EventList() []string {
	var out []string
	for _, k := range strings.Split(w.Events, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// Subscribed reports whether the webhook receives kind (ping always).
func (w *Webhook) Subscribed(kind string) bool {
	return kind == EventPing || slices.Contains(w.EventList(), kind)
}

// Webhook delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// DeliveryStatusLabel is a delivery status in Portuguese.
func DeliveryStatusLabel(s string) string {
	switch s {
	case DeliveryPending:
		return "Aguardando"
	case DeliveryDelivered:
		return "Entregue"
	case DeliveryFailed:
		return "Falhou"
	}
	return s
}

// WebhookDelivery is one event sent to a webhook, with its attempts.
type WebhookDelivery struct {
	ID             int64
	WebhookID      int64
	SupplierID     int64
	Event          string
	Message        string
	Link           string // absolute
	Data           string // JSON object
	Status         string
	Attempts       int
	LastStatusCode int
	LastError      string
	CreatedAt      time.Time
	LastAttemptAt  *time.Time
	DeliveredAt    *time.Time
}

// WebhookAttempt is one POST of a delivery: its HTTP status (0 when there
// was no response), error and the start of the response body.
type WebhookAttempt struct {
	ID          int64
	DeliveryID  int64
	AttemptedAt time.Time
	StatusCode  int
	Error       string
	Response    string
	DurationMS  int64 `gorm:"column:duration_ms"`
}
