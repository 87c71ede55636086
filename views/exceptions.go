package views

import (
	"net/url"
	"time"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// ExceptionTab is one kind of the inbox with its count: at most
// store.ListCountCap+1 ("mais de 1.000").
type ExceptionTab struct {
	Kind  model.ExceptionKind
	Count int64
}

// BlockedCauseRow is one cause of blocked imports with the orders it holds
// back and whether it is fixed already (the next import takes them).
type BlockedCauseRow struct {
	store.BlockedCause
	Fixed bool
}

// ExceptionsProps is staff's exceptions inbox: the kinds the user may fix,
// each with its count, and the rows of the kind shown (every kind's first
// rows when none is chosen), each with its fix.
type ExceptionsProps struct {
	Tabs       []ExceptionTab
	Kind       model.ExceptionKind // "" shows the first rows of every kind
	PlatformID string
	SupplierID string
	Platforms  []model.Platform
	Suppliers  []model.Supplier
	Now        time.Time

	CarrierCauses []BlockedCauseRow
	SKUCauses     []BlockedCauseRow
	Carriers      []model.Carrier
	CanImport     bool // may queue "Importar agora"

	NoPrice, Divergent, Backordered, Cancelled, Late []model.PurchaseOrder
	Divergences                                      map[int64][]model.InvoiceCheck

	Failed        []store.FailedPush
	PlatformNames map[int64]string

	// Next is the URL of each section's next rows ("" at the end).
	Next map[model.ExceptionKind]string
}

// Shows reports whether the page shows section k.
func (p ExceptionsProps) Shows(k model.ExceptionKind) bool {
	if p.Kind != "" {
		return p.Kind == k
	}
	for _, t := range p.Tabs {
		if t.Kind == k {
			return true
		}
	}
	return false
}

// Count is the tab count of kind k.
func (p ExceptionsProps) Count(k model.ExceptionKind) int64 {
	for _, t := range p.Tabs {
		if t.Kind == k {
			return t.Count
		}
	}
	return 0
}

// URL is the inbox with the page's filters and kind k ("" for every kind).
func (p ExceptionsProps) URL(k model.ExceptionKind) string {
	v := url.Values{}
	if k != "" {
		v.Set("kind", string(k))
	}
	if p.PlatformID != "" {
		v.Set("platform", p.PlatformID)
	}
	if p.SupplierID != "" {
		v.Set("supplier", p.SupplierID)
	}
	if len(v) == 0 {
		return "/exceptions"
	}
	return "/exceptions?" + v.Encode()
}

// Back is where the section's forms return: the inbox as shown.
func (p ExceptionsProps) Back() string { return p.URL(p.Kind) }

// cappedCount shows a capped count: "mais de 1.000" past the cap.
func cappedCount(n int64) string {
	if n > store.ListCountCap {
		return "mais de " + format.Int(store.ListCountCap)
	}
	return format.Int(n)
}

// divergenceText lists a PO's divergences in one line.
func divergenceText(checks []model.InvoiceCheck) string {
	if len(checks) == 0 {
		return "Veja o painel fiscal do pedido."
	}
	s := ""
	for i, c := range checks {
		if i == 3 {
			s += " …"
			break
		}
		if i > 0 {
			s += " · "
		}
		s += c.Message
	}
	return s
}

// pushExplained says in Portuguese what a failed push means and what happens next.
func pushExplained(f store.FailedPush) string {
	switch {
	case f.Kind == "stock" && f.Retrying:
		return "A plataforma não aceitou o estoque deste produto; o portal tenta de novo sozinho."
	case f.Kind == "stock":
		return "A plataforma recusou o estoque deste produto; ele só é reenviado na próxima alteração de estoque ou se você tentar de novo."
	case f.Retrying:
		return "A plataforma não aceitou a atualização do pedido; o portal tenta de novo sozinho."
	}
	return "A plataforma recusou a atualização do pedido e o portal parou de tentar: corrija a causa na plataforma e tente de novo."
}
