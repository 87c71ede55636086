package notify

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Headers of a webhook delivery.
const (
	HeaderEvent     = "X-Portal-Event"
	HeaderDelivery  = "X-Portal-Delivery"
	HeaderTimestamp = "X-Portal-Timestamp"
	HeaderSignature = "X-Portal-Signature"
)

// Sign is the X-Portal-Signature of a body sent at ts (unix seconds):
// "sha256=" and the hex HMAC-SHA256 of "<ts>.<body>" under the secret.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signature the way a receiver should: the HMAC compared in
// constant time and the timestamp within tolerance of now (replays refused).
func Verify(secret, tsHeader, sigHeader string, body []byte, now time.Time, tolerance time.Duration) bool {
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sigHeader))
}

// payload is the JSON body of a delivery.
type payload struct {
	ID         int64           `json:"id"`
	Event      string          `json:"event"`
	OccurredAt string          `json:"occurred_at"`
	Message    string          `json:"message"`
	Link       string          `json:"link"`
	Data       json.RawMessage `json:"data"`
}

// Body is the JSON a delivery POSTs.
func Body(d *model.WebhookDelivery) ([]byte, error) {
	data := json.RawMessage(d.Data)
	if !json.Valid(data) {
		data = json.RawMessage("{}")
	}
	return json.Marshal(payload{
		ID: d.ID, Event: d.Event, OccurredAt: d.CreatedAt.UTC().Format(time.RFC3339),
		Message: d.Message, Link: d.Link, Data: data,
	})
}

// newSecret is a fresh signing secret: "whsec_" and 32 random bytes in hex.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + hex.EncodeToString(b), nil
}

// CheckURL validates a webhook URL: absolute https://, no credentials, at
// most 2,000 characters.
func CheckURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	field := func(msg string) error {
		return apperr.Invalid(msg, apperr.Detail{Field: "url", Message: msg})
	}
	if raw == "" {
		return "", field("Informe o endereço (URL) do webhook.")
	}
	if len(raw) > 2000 {
		return "", field("O endereço do webhook é longo demais (máximo de 2.000 caracteres).")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", field("Endereço inválido: use uma URL completa, como https://erp.suaempresa.com.br/webhooks/connectparts.")
	}
	if u.Scheme == "http" {
		return "", field("O webhook precisa usar https:// (conexão segura); endereços http:// não são aceitos.")
	}
	if u.User != nil {
		return "", field("Não coloque usuário e senha no endereço do webhook; a assinatura X-Portal-Signature autentica as entregas.")
	}
	u.Fragment = ""
	return u.String(), nil
}

// CheckEvents validates the subscribed events (at least one, all known).
func CheckEvents(events []string) ([]string, error) {
	seen := map[string]bool{}
	for _, e := range events {
		seen[strings.TrimSpace(e)] = true
	}
	var out []string
	for _, k := range model.WebhookEvents {
		if seen[k] {
			out = append(out, k)
			delete(seen, k)
		}
	}
	delete(seen, "")
	for k := range seen {
		msg := "Evento desconhecido: " + k + "."
		return nil, apperr.Invalid(msg, apperr.Detail{Field: "events", Message: msg})
	}
	if len(out) == 0 {
		msg := "Escolha pelo menos um evento."
		return nil, apperr.Invalid(msg, apperr.Detail{Field: "events", Message: msg})
	}
	return out, nil
}
